/* fuzz-xl-config-edit.c — edits of .xl configs: set, unset and the duplicate
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a config, then after a NUL byte a value. Every edit of a config that parses
 * must give a config that parses, with the value set read back exactly (or a clear error
 * and the text unchanged), every other setting as it was, and no bytes changed before the
 * first setting it touches.
 */

#include "config.h"

#include "fuzz-common.h"
#include "xen/lab-xl-config-private.h"

FUZZ_DEFINE_INITIALIZE ()

/* The settings of @config other than @skip: "key\nsource bytes\n" each, in order. */
static GString *
settings_except (LabXlConfig *config,
                 const char  *skip)
{
  GString *out = g_string_new (NULL);
  const char *text = lab_xl_config_get_text (config);
  const char *key;
  gsize start, end;

  for (guint i = 0; _lab_xl_config_get_setting_span (config, i, &key, &start, &end); i++)
    if (g_strcmp0 (key, skip) != 0)
      {
        g_string_append_printf (out, "%s\n", key);
        g_string_append_len (out, text + start, end - start);
        g_string_append_c (out, '\n');
      }
  return out;
}

static void
check_same_others (LabXlConfig *before,
                   LabXlConfig *after,
                   const char  *key)
{
  g_autoptr(GString) a = settings_except (before, key);
  g_autoptr(GString) b = settings_except (after, key);

  FUZZ_ASSERT (g_string_equal (a, b));
}

static void
check_set_string (const char *text,
                  const char *value)
{
  g_autoptr(LabXlConfig) before = lab_xl_config_new_from_data ("/u/f.xl", text, -1, NULL);
  g_autoptr(LabXlConfig) after = lab_xl_config_new_from_data ("/u/f.xl", text, -1, NULL);
  g_autoptr(GError) error = NULL;

  if (!lab_xl_config_set_string (after, "extra", value, &error))
    {
      FUZZ_ASSERT (error != NULL && g_utf8_validate (error->message, -1, NULL));
      FUZZ_ASSERT (strcmp (lab_xl_config_get_text (after), text) == 0);
      return;
    }
  FUZZ_ASSERT (strcmp (lab_xl_config_get_string (after, "extra"), value) == 0);
  check_same_others (before, after, "extra");
  {
    g_autoptr(LabXlConfig) again = lab_xl_config_new_from_data ("/u/f.xl",
                                                                lab_xl_config_get_text (after),
                                                                -1, &error);
    FUZZ_ASSERT (again != NULL);
    FUZZ_ASSERT (strcmp (lab_xl_config_get_string (again, "extra"), value) == 0);
  }
}

static void
check_number_and_unset (const char *text)
{
  g_autoptr(LabXlConfig) before = lab_xl_config_new_from_data ("/u/f.xl", text, -1, NULL);
  g_autoptr(LabXlConfig) after = lab_xl_config_new_from_data ("/u/f.xl", text, -1, NULL);
  gint64 memory = 0;

  FUZZ_ASSERT (lab_xl_config_set_number (after, "memory", 77, NULL));
  FUZZ_ASSERT (lab_xl_config_get_number (after, "memory", &memory) && memory == 77);
  check_same_others (before, after, "memory");
  FUZZ_ASSERT (lab_xl_config_unset (after, "memory", NULL));
  FUZZ_ASSERT (!lab_xl_config_get_number (after, "memory", NULL));
  FUZZ_ASSERT (lab_xl_config_get_list (after, "memory") == NULL);
  check_same_others (before, after, "memory");
}

static void
check_duplicate (const char *text)
{
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("/u/f.xl", text, -1, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_auto(GStrv) used = lab_xl_config_dup_macs (config);
  g_autoptr(LabXlConfig) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) macs = NULL;

  copy = lab_xl_config_duplicate (config, "/u/copy.xl", "copy", rand,
                                  (const char * const *) used, &error);
  if (copy == NULL)
    {
      /* Only a vif list whose items cannot be written back may refuse. */
      FUZZ_ASSERT (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return;
    }
  FUZZ_ASSERT (strcmp (lab_xl_config_get_name (copy), "copy") == 0);
  FUZZ_ASSERT (lab_xl_config_get_string (copy, "uuid") == NULL);
  FUZZ_ASSERT (lab_xl_config_get_list (copy, "uuid") == NULL);
  macs = lab_xl_config_dup_macs (copy);
  for (guint i = 0; macs[i] != NULL; i++)
    FUZZ_ASSERT (!g_strv_contains ((const char * const *) used, macs[i])
                 && g_str_has_prefix (macs[i], "00:16:3e:"));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  g_autoptr(LabXlConfig) config = NULL;

  /* The config, and after the first NUL the value (empty without one). */
  fuzz_split2 (data, size, &text, &value);
  config = lab_xl_config_new_from_data ("/u/f.xl", text, -1, NULL);
  if (config == NULL)
    return 0;
  check_set_string (text, value);
  check_number_and_unset (text);
  check_duplicate (text);
  return 0;
}
