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

/* Kept as they are: these bytes mean the same inside single quotes for sh, bash, zsh, fish
 * and tcsh, and inside double quotes for sh. */
static gboolean
login_shell_safe (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr (" %+,-./:=@_", c) != NULL);
}

char *
lab_ssh_command_for_login_shell (const char *posix)
{
  GString *str;

  g_return_val_if_fail (posix != NULL, NULL);

  /* The login shell only sees `exec /bin/sh -c '…'`, and inside the single quotes none
   * of the characters the shells disagree on: no quote, no "\\" before another "\\" or a
   * quote (fish), no "!" and no newline (tcsh), no "$", "`" or '"' for sh's double quotes.
   * Every other byte of @posix is written as an octal escape \0ooo, always a backslash
   * before a digit, which all five shells keep literally in single quotes, and which
   * printf %b in /bin/sh turns back into the byte. Encoding only with the shell's own
   * printf needs no base64 or xxd on the host; passing the command on stdin (`sh -s`)
   * would mix it with the program's own input. */
  str = g_string_new ("exec /bin/sh -c 'eval \"$(printf %b \"");
  for (const guchar *p = (const guchar *) posix; *p != '\0'; p++)
    {
      if (login_shell_safe (*p))
        g_string_append_c (str, (char) *p);
      else
        g_string_append_printf (str, "\\0%03o", (guint) *p);
    }
  g_string_append (str, "\")\"'");
  return g_string_free (str, FALSE);
}
