/* fuzz-xl-config.c — .xl domain configs: the parser, its getters and the legacy fix
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The legacy builder fix must change nothing but the builder settings: the text between them
 * comes through byte for byte, each builder setting becomes nothing or (the one in effect,
 * when no type is set) `type = "pv"`, and the result parses to the same settings, minus the
 * builders, plus that type.
 */

#include "config.h"

#include "fuzz-common.h"
#include "net/lab-static-ip.h"
#include "xen/lab-xl-config-private.h"

FUZZ_DEFINE_INITIALIZE ()

static const char pv_type[] = "type = \"pv\"";

/* Settings of @config other than builder: "key\nsource bytes\n" each, in order. */
static GString *
settings_except_builder (LabXlConfig *config)
{
  GString *out = g_string_new (NULL);
  const char *text = lab_xl_config_get_text (config);
  const char *key;
  gsize start, end;

  for (guint i = 0; _lab_xl_config_get_setting_span (config, i, &key, &start, &end); i++)
    if (g_strcmp0 (key, "builder") != 0)
      {
        g_string_append_printf (out, "%s\n", key);
        g_string_append_len (out, text + start, end - start);
        g_string_append_c (out, '\n');
      }
  return out;
}

static void
check_fix (LabXlConfig *config,
           const char  *fixed)
{
  const char *text = lab_xl_config_get_text (config);
  gboolean has_type = FALSE;
  const char *p = fixed;
  const char *key;
  gsize start, end, copied = 0;
  guint n_builders = 0, pv_at = 0, n_pv = 0;

  for (guint i = 0; _lab_xl_config_get_setting_span (config, i, &key, &start, &end); i++)
    has_type |= g_strcmp0 (key, "type") == 0;

  /* Walk the original's builder ranges; the fixed text must match it everywhere else. A
   * replacement cannot be confused with the text after it: a value is followed by blanks,
   * a comment, ';', a newline or the end, never by 't'. */
  for (guint i = 0; _lab_xl_config_get_setting_span (config, i, &key, &start, &end); i++)
    {
      if (g_strcmp0 (key, "builder") != 0)
        continue;
      FUZZ_ASSERT (start >= copied && end > start);
      FUZZ_ASSERT (strncmp (text + start, "builder", strlen ("builder")) == 0);
      FUZZ_ASSERT (strncmp (p, text + copied, start - copied) == 0);
      p += start - copied;
      n_builders++;
      if (g_str_has_prefix (p, pv_type))
        {
          p += strlen (pv_type);
          pv_at = n_builders;
          n_pv++;
        }
      copied = end;
    }
  FUZZ_ASSERT (strcmp (p, text + copied) == 0);
  /* The builder in effect (the last) becomes the type, unless a type is set. */
  FUZZ_ASSERT (n_pv == (has_type ? 0 : 1));
  FUZZ_ASSERT (has_type || pv_at == n_builders);

  /* The result is a config without builder, with the same other settings. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LabXlConfig) again = lab_xl_config_new_from_data ("fuzz.xl", fixed, -1, &error);
    g_autoptr(GString) before = settings_except_builder (config);
    g_autoptr(GString) after = NULL;

    FUZZ_ASSERT (again != NULL);
    FUZZ_ASSERT (lab_xl_config_get_string (again, "builder") == NULL);
    FUZZ_ASSERT (!lab_xl_config_has_legacy_builder (again));
    FUZZ_ASSERT (lab_xl_config_fix_legacy_builder (again) == NULL);
    after = settings_except_builder (again);
    if (!has_type)
      {
        /* One type setting more, where the builder in effect was. */
        FUZZ_ASSERT (g_strcmp0 (lab_xl_config_get_domain_type (again), "pv") == 0);
        FUZZ_ASSERT (after->len == before->len + strlen ("type\n") + strlen (pv_type) + 1);
      }
    else
      FUZZ_ASSERT (g_string_equal (before, after));
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_memdup (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("/home/mirage/fuzz.xl",
                                                               text != NULL ? text : "",
                                                               size, &error);
  g_autofree char *fixed = NULL;
  g_auto(GStrv) macs = NULL;
  gint64 memory;

  FUZZ_ASSERT ((config == NULL) != (error == NULL));
  if (config == NULL)
    {
      FUZZ_ASSERT (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* The getters the app uses, and what it shows. */
  FUZZ_ASSERT (lab_xl_config_get_name (config) == NULL
               || g_utf8_validate (lab_xl_config_get_name (config), -1, NULL));
  lab_xl_config_get_number (config, "memory", &memory);
  lab_xl_config_get_domain_type (config);
  lab_xl_config_get_cmdline (config);
  macs = lab_xl_config_dup_macs (config);
  FUZZ_ASSERT (macs != NULL);
  {
    g_autofree char *ip = NULL;
    int prefix = -1;

    if (lab_static_ip_from_xl_config (lab_xl_config_get_text (config), &ip, &prefix))
      FUZZ_ASSERT (ip != NULL && prefix >= -1 && prefix <= 32);
  }

  fixed = lab_xl_config_fix_legacy_builder (config);
  FUZZ_ASSERT ((fixed != NULL) == lab_xl_config_has_legacy_builder (config));
  if (fixed != NULL)
    check_fix (config, fixed);
  return 0;
}
