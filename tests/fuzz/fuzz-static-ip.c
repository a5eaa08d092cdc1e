/* fuzz-static-ip.c — the --ipv4 boot argument, in a cmdline and in an xl config
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "net/lab-net-util.h"
#include "net/lab-static-ip.h"

FUZZ_DEFINE_INITIALIZE ()

static void
check_cmdline (const char *cmdline)
{
  g_autofree char *ip = NULL;
  int prefix = -2;

  if (lab_static_ip_from_cmdline (cmdline, &ip, &prefix))
    {
      FUZZ_ASSERT (ip != NULL && lab_ipv4_is_valid (ip));
      FUZZ_ASSERT (prefix >= -1 && prefix <= 32);
    }
  else
    FUZZ_ASSERT (ip == NULL && prefix == -1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autofree char *cmdline = lab_static_ip_xl_config_cmdline (text);

  check_cmdline (text);
  if (cmdline != NULL)
    {
      FUZZ_ASSERT (g_utf8_validate (cmdline, -1, NULL));
      FUZZ_ASSERT (strstr (text, cmdline) != NULL);
      check_cmdline (cmdline);
    }
  {
    g_autofree char *ip = NULL;
    int prefix = -2;

    FUZZ_ASSERT (lab_static_ip_from_xl_config (text, &ip, &prefix) == (ip != NULL));
  }
  return 0;
}
