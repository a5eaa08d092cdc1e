/* lab-ssh-command.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-command"

#include "config.h"

#include <string.h>

#include "lab-ssh-command.h"

static void
append_argv (GString            *str,
             const char * const *argv)
{
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      if (str->len > 0)
        g_string_append_c (str, ' ');
      g_string_append (str, quoted);
    }
}

char *
lab_ssh_command_build (const char * const *argv)
{
  GString *str;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  str = g_string_new (NULL);
  append_argv (str, argv);
  return g_string_free (str, FALSE);
}

char *
lab_ssh_command_build_sudo_nopasswd (const char * const *argv)
{
  GString *str;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  str = g_string_new ("LC_ALL=C sudo -n --");
  append_argv (str, argv);
  return g_string_free (str, FALSE);
}

char *
lab_ssh_command_build_sudo_stdin (const char * const *argv)
{
  GString *str;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  str = g_string_new ("sudo -k -S -p '' --");
  append_argv (str, argv);
  return g_string_free (str, FALSE);
}

char *
lab_ssh_command_build_sudo_validate (void)
{
  return g_strdup ("LC_ALL=C sudo -k -S -p '' -v");
}

char *
lab_ssh_command_build_sudo_pty (const char * const *argv,
                                const char         *prompt)
{
  GString *str;
  g_autofree char *quoted_prompt = NULL;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_return_val_if_fail (prompt != NULL && strchr (prompt, '%') == NULL, NULL);

  quoted_prompt = g_shell_quote (prompt);
  str = g_string_new ("sudo -p ");
  g_string_append (str, quoted_prompt);
  g_string_append (str, " --");
  append_argv (str, argv);
  return g_string_free (str, FALSE);
}
