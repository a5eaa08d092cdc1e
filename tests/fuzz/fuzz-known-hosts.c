/* fuzz-known-hosts.c — ~/.ssh/known_hosts
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checker reads files, so the input is written to one (in a private folder) and looked
 * up for a few hosts, ports and key types.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libssh2.h>

#include "fuzz-common.h"
#include "ssh/lab-known-hosts.h"

static char *dir;
static char *path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  dir = g_dir_make_tmp ("fuzz-known-hosts-XXXXXX", NULL);
  g_assert (dir != NULL);
  path = g_build_filename (dir, "known_hosts", NULL);
  return 0;
}

/* The ed25519 key of tests/ssh/test-known-hosts.c (seeded into the corpus). */
static const char key_b64[] =
  "AAAAC3NzaC1lZDI1NTE5AAAAIAefWH4Rdz2Wptm+xZarx+jrcSnoBtPjv6sOhs2RJ8jS";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *files[] = { path, NULL };
  const struct { const char *host; guint16 port; int type; } lookups[] = {
    { "192.168.56.5", 22, LIBSSH2_HOSTKEY_TYPE_ED25519 },
    { "dom0", 2222, LIBSSH2_HOSTKEY_TYPE_ED25519 },
    { "dom0", 22, LIBSSH2_HOSTKEY_TYPE_RSA },
    { "[dom0]:2222", 22, LIBSSH2_HOSTKEY_TYPE_ECDSA_256 },
  };
  gsize key_len;
  g_autofree guchar *key = g_base64_decode (key_b64, &key_len);

  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    g_error ("cannot write %s", path);
  for (guint i = 0; i < G_N_ELEMENTS (lookups); i++)
    {
      g_autoptr(LabKnownHostsResult) result = lab_known_hosts_check (files, lookups[i].host,
                                                                     lookups[i].port,
                                                                     lookups[i].type,
                                                                     key, key_len);

      FUZZ_ASSERT (result != NULL);
      FUZZ_ASSERT ((result->status == LAB_KNOWN_HOSTS_NOT_FOUND) == (result->file == NULL));
      FUZZ_ASSERT (result->file == NULL || result->line >= 1);
    }
  return 0;
}
