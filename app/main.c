/* main.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "lab-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* What notification servers show as the sender; without it they show "mirage-lab". */
  g_set_application_name (_("Mirage Lab"));

  app = lab_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
