/* lab-setup-runner-variables.c: the runner's variables (${name}, @{name}) and what the host
 * answers for those it knows (its home and user, the host-only adapter, xl's path, mirage's
 * version)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-runner-variables"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-setup-facts.h"
#include "lab-setup-runner-private.h"

static gboolean
lab_setup_runner_parse_ipv4 (const char *text,
                             guint32    *address)
{
  g_autoptr(GInetAddress) inet = text != NULL ? g_inet_address_new_from_string (text) : NULL;

  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4)
    return FALSE;
  memcpy (address, g_inet_address_to_bytes (inet), 4);
  *address = g_ntohl (*address);
  return TRUE;
}

static char *
lab_setup_runner_format_ipv4 (guint32 address)
{
  return g_strdup_printf ("%u.%u.%u.%u", address >> 24, (address >> 16) & 0xff,
                          (address >> 8) & 0xff, address & 0xff);
}

gboolean
lab_setup_runner_set_network (LabSetupRunner *self,
                              const char     *bridge,
                              const char     *address,
                              guint           prefix,
                              const char     *dhcp_start,
                              const char     *dhcp_end,
                              const char     *lease,
                              GError        **error)
{
  guint32 host, start, end, mask;
  g_autofree char *netmask = NULL;
  g_autofree char *broadcast = NULL;
  g_autofree char *prefix_text = NULL;

  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), FALSE);

  if (bridge == NULL || !g_regex_match_simple ("^[A-Za-z][A-Za-z0-9_-]{0,14}$", bridge, 0, 0))
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("“%s” is not a usable bridge name (letters, digits, - and _, at most "
                     "15)."),
                   bridge != NULL ? bridge : "");
      return FALSE;
    }
  if (!lab_setup_runner_parse_ipv4 (address, &host) || prefix < 8 || prefix > 30)
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("“%s/%u” is not an IPv4 address with a prefix length from 8 to 30."),
                   address != NULL ? address : "", prefix);
      return FALSE;
    }
  mask = 0xffffffffu << (32 - prefix);
  if (!lab_setup_runner_parse_ipv4 (dhcp_start, &start)
      || !lab_setup_runner_parse_ipv4 (dhcp_end, &end) || start > end
      || (start & mask) != (host & mask) || (end & mask) != (host & mask)
      || (host >= start && host <= end)
      || (start & ~mask) == 0 || (end & ~mask) == ~mask)
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("The DHCP range %s – %s must lie inside %s/%u, in order, and leave out "
                     "the bridge’s own address."),
                   dhcp_start != NULL ? dhcp_start : "", dhcp_end != NULL ? dhcp_end : "",
                   address, prefix);
      return FALSE;
    }
  if (lease == NULL || !g_regex_match_simple ("^([0-9]+[mh]?|infinite)$", lease, 0, 0))
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("“%s” is not a lease time dnsmasq understands (e.g. 1h, 45m, 3600)."),
                   lease != NULL ? lease : "");
      return FALSE;
    }
  netmask = lab_setup_runner_format_ipv4 (mask);
  broadcast = lab_setup_runner_format_ipv4 (host | ~mask);
  prefix_text = g_strdup_printf ("%u", prefix);
  lab_setup_runner_set_variable (self, "bridge", bridge);
  lab_setup_runner_set_variable (self, "bridge-address", address);
  lab_setup_runner_set_variable (self, "bridge-prefix", prefix_text);
  lab_setup_runner_set_variable (self, "bridge-netmask", netmask);
  lab_setup_runner_set_variable (self, "bridge-broadcast", broadcast);
  lab_setup_runner_set_variable (self, "dhcp-start", dhcp_start);
  lab_setup_runner_set_variable (self, "dhcp-end", dhcp_end);
  lab_setup_runner_set_variable (self, "dhcp-lease", lease);
  return TRUE;
}

void
lab_setup_runner_set_variable (LabSetupRunner *self,
                               const char     *name,
                               const char     *value)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  g_hash_table_insert (self->variables, g_strdup (name), g_strdup (value));
}

const char *
lab_setup_runner_get_variable (LabSetupRunner *self,
                               const char     *name)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return g_hash_table_lookup (self->variables, name);
}

void
lab_setup_runner_unset_variable (LabSetupRunner *self,
                                 const char     *name)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  g_hash_table_remove (self->variables, name);
  g_hash_table_remove (self->lists, name);
}

/* ${user} and ${home} are replaced as text inside one argument: the result is still one
 * argv element, so a value can never become shell syntax. */
static char *
lab_setup_runner_expand_text (LabSetupRunner *self,
                              const char     *text)
{
  GString *out = g_string_new (text);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->variables);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *pattern = g_strdup_printf ("${%s}", (char *) key);
      g_string_replace (out, pattern, value, 0);
    }
  return g_string_free (out, FALSE);
}

char *
lab_setup_runner_expand (LabSetupRunner *self,
                         const char     *text)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return lab_setup_runner_expand_text (self, text);
}

/* An argument that is exactly @{name} becomes the list's arguments (none or several). */
char **
_lab_setup_runner_expand_argv (LabSetupRunner *self,
                               char          **argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; argv[i] != NULL; i++)
    {
      gsize len = strlen (argv[i]);

      if (len > 3 && g_str_has_prefix (argv[i], "@{") && argv[i][len - 1] == '}')
        {
          g_autofree char *name = g_strndup (argv[i] + 2, len - 3);
          char **list = g_hash_table_lookup (self->lists, name);

          if (list != NULL)
            {
              g_strv_builder_addv (builder, (const char **) list);
              continue;
            }
        }
      {
        g_autofree char *arg = lab_setup_runner_expand_text (self, argv[i]);

        g_strv_builder_add (builder, arg);
      }
    }
  return g_strv_builder_end (builder);
}

/* The first ${name} or @{name} in @text that has no value yet, or NULL. */
static char *
lab_setup_runner_unset_variable_in (LabSetupRunner *self,
                                    const char     *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *name = NULL;

      if ((p[0] != '$' && p[0] != '@') || p[1] != '{' || (end = strchr (p + 2, '}')) == NULL)
        continue;
      name = g_strndup (p + 2, end - p - 2);
      /* Only our lower-case names: scripts keep their own ${Status}, ${cur%% *}… */
      if (!g_regex_match_simple ("^[a-z][a-z0-9-]*$", name, 0, 0))
        continue;
      if (!(p[0] == '$' ? g_hash_table_contains (self->variables, name)
                        : g_hash_table_contains (self->lists, name)))
        return g_strconcat (p[0] == '$' ? "$" : "@", name, NULL);
    }
  return NULL;
}

/* "$name" or "@name" of the first variable @action needs that has no value yet. */
char *
_lab_setup_runner_unset_variable (LabSetupRunner       *self,
                                  const LabSetupAction *action)
{
  char *name;

  for (guint i = 0; action->argv != NULL && action->argv[i] != NULL; i++)
    if ((name = lab_setup_runner_unset_variable_in (self, action->argv[i])) != NULL)
      return name;
  for (guint i = 0; action->when != NULL && action->when[i] != NULL; i++)
    if ((name = lab_setup_runner_unset_variable_in (self, action->when[i])) != NULL)
      return name;
  if ((name = lab_setup_runner_unset_variable_in (self, action->path)) != NULL)
    return name;
  return lab_setup_runner_unset_variable_in (self, action->text);
}

/* ---- what the host answers ---- */

/* Each takes the answer of its command on the host into the variable it resolves. */
typedef gboolean (*TakeAnswer) (LabSetupRunner   *self,
                                LabSshExecResult *exec,
                                GError          **error);

static gboolean
lab_setup_runner_take_nic (LabSetupRunner   *self,
                           LabSshExecResult *exec,
                           GError          **error)
{
  g_autofree char *nic = lab_interface_for_mac (lab_ssh_exec_result_get_stdout_text (exec),
                                                g_hash_table_lookup (self->variables,
                                                                     "nic-mac"), error);
  g_autofree char *note = NULL;

  if (nic == NULL)
    return FALSE;
  note = g_strdup_printf (_("The host-only adapter is %s.\n"), nic);
  _lab_setup_runner_emit_output (self, note);
  lab_setup_runner_set_variable (self, "nic", nic);
  return TRUE;
}

static gboolean
lab_setup_runner_take_xl_path (LabSetupRunner   *self,
                               LabSshExecResult *exec,
                               GError          **error)
{
  g_autofree char *path = g_strstrip (g_strdup (lab_ssh_exec_result_get_stdout_text (exec)));

  if (lab_ssh_exec_result_get_exit_status (exec) != 0 || !g_path_is_absolute (path)
      || strpbrk (path, " \t\n\\,:=") != NULL)
    {
      g_set_error_literal (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_NOT_FOUND,
                           _("xl is not installed on the host. Finish the Xen step first."));
      return FALSE;
    }
  lab_setup_runner_set_variable (self, "xl-path", path);
  return TRUE;
}

/* mirage's version decides how `mirage configure` asks for DHCP. */
static gboolean
lab_setup_runner_take_mirage_version (LabSetupRunner   *self,
                                      LabSshExecResult *exec,
                                      GError          **error)
{
  g_autofree char *why = NULL;
  g_autofree char *note = NULL;
  LabVersion version;
  char **argv;

  if (lab_ssh_exec_result_get_exit_status (exec) != 0
      || !lab_version_parse (lab_ssh_exec_result_get_stdout_text (exec), &version))
    {
      g_autofree char *said = g_strstrip (g_strdup_printf (
        "%s%s", lab_ssh_exec_result_get_stdout_text (exec),
        lab_ssh_exec_result_get_stderr_text (exec)));

      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                   _("Could not tell which mirage is installed: “mirage --version” said "
                     "“%s”. Finish the opam and Mirage step first."), said);
      return FALSE;
    }
  argv = lab_mirage_configure_argv (&version, &why);
  note = g_strdup_printf ("%s\n", why);
  _lab_setup_runner_emit_output (self, note);
  g_hash_table_insert (self->lists, g_strdup ("mirage-configure"), argv);
  return TRUE;
}

/* What the host answers, and how. */
static const struct
{
  const char *variable;         /* "$name" or "@name" */
  const char *needs;            /* a variable that must be set first, or NULL */
  const char *argv[5];
  TakeAnswer take;
} resolvers[] = {
  { "$nic", "nic-mac", { "ip", "-o", "link", NULL }, lab_setup_runner_take_nic },
  /* A user's PATH on Debian has no sbin folders. */
  { "$xl-path", NULL,
    { "sh", "-c", "PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin; command -v xl", NULL },
    lab_setup_runner_take_xl_path },
  /* With opam's environment: opam 1.2 and 2 both have `config env`. opam 1.2 installed
   * by 0install is in ~/bin, which an SSH command's PATH does not have. */
  { "@mirage-configure", NULL,
    { "sh", "-c",
      "PATH=\"$HOME/bin:$PATH\"; eval \"$(opam config env 2>/dev/null)\"; exec mirage --version",
      NULL },
    lab_setup_runner_take_mirage_version },
};

static void
lab_setup_runner_variable_answered_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL || !resolvers[job->resolving].take (self, exec, &error))
    {
      g_autofree char *command = lab_setup_format_argv (resolvers[job->resolving].argv);

      _lab_setup_runner_job_fail (task, error, NULL, command);
      return;
    }
  g_debug ("variable %s resolved", resolvers[job->resolving].variable);
  _lab_setup_runner_next_action (task);
}

/* Asks the host for a variable it can answer (@variable is "$name" or "@name"); fails the
 * task, saying which setting is missing, for one that nobody can give. */
void
_lab_setup_runner_resolve_variable (GTask      *task,
                                    const char *variable)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  for (guint i = 0; i < G_N_ELEMENTS (resolvers); i++)
    if (g_str_equal (variable, resolvers[i].variable)
        && (resolvers[i].needs == NULL
            || g_hash_table_contains (self->variables, resolvers[i].needs)))
      {
        job->resolving = i;
        lab_ssh_session_exec_async (self->session, resolvers[i].argv, LAB_SSH_EXEC_NONE, NULL,
                                    60000, cancellable, lab_setup_runner_variable_answered_cb,
                                    g_object_ref (task));
        return;
      }
  {
    g_autofree char *meaning = NULL;

    if (g_str_equal (variable, "$nic"))
      meaning = g_strdup (_("Mirage Lab does not know which network interface of the host "
                            "is the host-only adapter: the VirtualBox step was skipped or "
                            "the VM is not managed here. Type its name (see “ip link” on "
                            "the host) in the step’s settings."));
    else
      meaning = g_strdup_printf (_("This step needs the setting “%s”, which has no value."),
                                 variable + 1);
    g_free (job->command);
    job->command = NULL;
    _lab_setup_runner_job_fail (task, g_error_new_literal (LAB_SETUP_ERROR,
                                                           LAB_SETUP_ERROR_FAILED, meaning),
                                meaning, NULL);
  }
}

static void
lab_setup_runner_home_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      _lab_setup_runner_set_failure (self, "id -un", "", error->message, NULL);
      g_task_return_error (task, error);
      return;
    }
  lines = g_strsplit (lab_ssh_exec_result_get_stdout_text (exec), "\n", -1);
  if (g_strv_length (lines) >= 2 && *lines[0] != '\0' && *lines[1] != '\0')
    {
      lab_setup_runner_set_variable (self, "home", lines[0]);
      lab_setup_runner_set_variable (self, "user", lines[1]);
    }
  _lab_setup_runner_next_action (task);
}

void
_lab_setup_runner_learn_home (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  static const char *const vars_argv[] = { "sh", "-c", "printf '%s\\n' \"$HOME\"; id -un",
                                           NULL };

  if (self->session != NULL && !g_hash_table_contains (self->variables, "home"))
    lab_ssh_session_exec_async (self->session, vars_argv, LAB_SSH_EXEC_NONE, NULL, 30000,
                                g_task_get_cancellable (task), lab_setup_runner_home_cb,
                                g_object_ref (task));
  else
    _lab_setup_runner_next_action (task);
}
