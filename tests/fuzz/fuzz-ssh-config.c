/* fuzz-ssh-config.c — ~/.ssh/config
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Include directives read files (any glob the input names), so inputs with one are left
 * out: what is fuzzed is the text of one file, and host lookups in it.
 */

#include "config.h"

#include "fuzz-common.h"
#include "ssh/lab-ssh-config.h"

FUZZ_DEFINE_INITIALIZE ()

static gboolean
has_include (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  return strstr (lower, "include") != NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr(LabSshConfig) config = NULL;
  const char *hosts[] = { "dom0", "dom0.lab", "192.168.56.5", "caf\xc3\xa9", "", NULL, NULL };
  g_autofree char *own = NULL;

  if (has_include (text))
    return 0;

  /* A host name from the input too (the first word of its last line). */
  {
    const char *last = strrchr (text, '\n');
    g_auto(GStrv) words = g_strsplit_set (last != NULL ? last + 1 : text, " \t", 2);

    own = g_strdup (words[0] != NULL ? words[0] : "");
    hosts[5] = own;
  }

  config = lab_ssh_config_new_from_data (text, "/nonexistent");
  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autoptr(LabSshHostConfig) hc = lab_ssh_config_lookup (config, hosts[i], "me",
                                                              "/home/me");

      FUZZ_ASSERT (hc != NULL && hc->identity_files != NULL);
      lab_ssh_config_match_pattern_list (hosts[i], text);
    }
  return 0;
}
