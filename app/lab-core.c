/* lab-core.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libssh2.h>

#include "lab-core.h"

/* Process-wide set-up of the display-less core. libssh2_init() must run once
 * before any session exists and before any thread could race it, so both the
 * application and the tests call this first. Safe to call more than once. */
void
lab_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      int rc;

      bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

      rc = libssh2_init (0);
      if (rc != 0)
        g_critical ("libssh2_init() failed: %d", rc);
      g_debug ("core initialised (libssh2 %s)", libssh2_version (0));

      g_once_init_leave (&initialized, 1);
    }
}

const char *
lab_core_version (void)
{
  return PACKAGE_VERSION;
}
