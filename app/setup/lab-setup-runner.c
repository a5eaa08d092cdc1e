/* lab-setup-runner.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ssh/lab-remote-file.h"
#include "lab-setup-diff.h"
#include "lab-setup-facts.h"
#include "lab-setup-runner.h"

/* What a failure report keeps of a command's output: the end, where the error is. */
#define OUTPUT_KEEP (64 * 1024)
#define MAX_BACKOFF_MS 30000

struct _LabSetupRunner
{
  GObject parent_instance;

  LabSshSession *session;
  GHashTable *variables;   /* name → value, for ${name} */
  GHashTable *lists;       /* name → GStrv, for @{name} */
  LabSetupFailure *failure;
  char *boot_id;           /* of the system a reboot action took down, until it is back */
};

G_DEFINE_FINAL_TYPE (LabSetupRunner, lab_setup_runner, G_TYPE_OBJECT)

enum { SIGNAL_OUTPUT, SIGNAL_PROGRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum { MODE_CHECK, MODE_PLAN, MODE_APPLY, MODE_VERIFY } Mode;
typedef enum { OP_CHECK, OP_PLAN, OP_APPLY, OP_VERIFY } Op;

typedef struct
{
  const LabSetupStep *step;
  Op op;
  Mode mode;
  GPtrArray *actions;
  guint index;
  gboolean holds;       /* CHECK/VERIFY: every action so far held */
  gboolean changed;
  GString *plan;
  GString *output;      /* of the running action */
  char *command;        /* of the running action, for failures */
  char *old_text;       /* file actions: what was read */
  gboolean old_exists;
  guint when_passed;    /* index + 1 of the action whose "when" held */
  guint resolving;      /* index in resolvers[] of the variable being asked for */
  guint reconnected;    /* index + 1 of the action run again after the link dropped */
  GHashTable *planned;  /* PLAN: path → the text earlier actions of the plan give it */
  LabSshChannel *channel;
  gulong cancel_id;
} Job;

static void next_action (GTask *task);

static void
job_free (Job *job)
{
  g_clear_pointer (&job->actions, g_ptr_array_unref);
  if (job->plan != NULL)
    g_string_free (job->plan, TRUE);
  g_string_free (job->output, TRUE);
  g_free (job->command);
  g_free (job->old_text);
  g_clear_pointer (&job->planned, g_hash_table_unref);
  g_clear_object (&job->channel);
  g_free (job);
}

static void
lab_setup_runner_finalize (GObject *object)
{
  LabSetupRunner *self = LAB_SETUP_RUNNER (object);

  g_clear_object (&self->session);
  g_hash_table_unref (self->variables);
  g_hash_table_unref (self->lists);
  g_free (self->boot_id);
  lab_setup_failure_free (self->failure);
  G_OBJECT_CLASS (lab_setup_runner_parent_class)->finalize (object);
}

static void
lab_setup_runner_class_init (LabSetupRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_setup_runner_finalize;

  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}

static void
lab_setup_runner_init (LabSetupRunner *self)
{
  self->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_strfreev);
  /* The recipes' settings, as in the 2015 recipe; the wizard may change them. */
  lab_setup_runner_set_network (self, "br0", "192.168.56.5", 24, "192.168.56.150",
                                "192.168.56.200", "1h", NULL);
  lab_setup_runner_set_variable (self, "dom0-mem", "1024M");
  lab_setup_runner_set_variable (self, "switch", "mirage");
  /* ocaml-solo5 1.2.1 and later accept OCaml 5.4.1 (setup-recipes.md §1.10). */
  lab_setup_runner_set_variable (self, "ocaml", "5.4.1");
  lab_setup_runner_set_variable (self, "skeleton-url",
                                 "https://github.com/mirage/mirage-skeleton.git");
}

static gboolean
parse_ipv4 (const char *text,
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
format_ipv4 (guint32 address)
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
  if (!parse_ipv4 (address, &host) || prefix < 8 || prefix > 30)
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("“%s/%u” is not an IPv4 address with a prefix length from 8 to 30."),
                   address != NULL ? address : "", prefix);
      return FALSE;
    }
  mask = 0xffffffffu << (32 - prefix);
  if (!parse_ipv4 (dhcp_start, &start) || !parse_ipv4 (dhcp_end, &end) || start > end
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
  netmask = format_ipv4 (mask);
  broadcast = format_ipv4 (host | ~mask);
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

LabSetupRunner *
lab_setup_runner_new (LabSshSession *session)
{
  LabSetupRunner *self = g_object_new (LAB_TYPE_SETUP_RUNNER, NULL);

  g_return_val_if_fail (session == NULL || LAB_IS_SSH_SESSION (session), NULL);
  self->session = session != NULL ? g_object_ref (session) : NULL;
  return self;
}

LabSshSession *
lab_setup_runner_get_session (LabSetupRunner *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return self->session;
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

const LabSetupFailure *
lab_setup_runner_get_failure (LabSetupRunner *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return self->failure;
}

static void
emit_output (LabSetupRunner *self,
             const char     *text)
{
  g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, text);
}

/* ${user} and ${home} are replaced as text inside one argument: the result is still one
 * argv element, so a value can never become shell syntax. */
static char *
expand (LabSetupRunner *self,
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

/* An argument that is exactly @{name} becomes the list's arguments (none or several). */
char *
lab_setup_runner_expand (LabSetupRunner *self,
                         const char     *text)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return expand (self, text);
}

static char **
expand_argv (LabSetupRunner *self,
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
        g_autofree char *arg = expand (self, argv[i]);

        g_strv_builder_add (builder, arg);
      }
    }
  return g_strv_builder_end (builder);
}

/* The first ${name} or @{name} in @text that has no value yet, or NULL. */
static char *
unset_variable_in (LabSetupRunner *self,
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
static char *
unset_variable (LabSetupRunner       *self,
                const LabSetupAction *action)
{
  char *name;

  for (guint i = 0; action->argv != NULL && action->argv[i] != NULL; i++)
    if ((name = unset_variable_in (self, action->argv[i])) != NULL)
      return name;
  for (guint i = 0; action->when != NULL && action->when[i] != NULL; i++)
    if ((name = unset_variable_in (self, action->when[i])) != NULL)
      return name;
  if ((name = unset_variable_in (self, action->path)) != NULL)
    return name;
  return unset_variable_in (self, action->text);
}

static char *
shown_command (const LabSetupAction *action,
               char                **argv)
{
  g_autofree char *line = lab_setup_format_argv ((const char * const *) argv);

  return action->root ? g_strconcat ("sudo ", line, NULL) : g_steal_pointer (&line);
}

static void
set_failure (LabSetupRunner *self,
             const char     *command,
             const char     *output,
             const char     *meaning,
             const char     *fix)
{
  lab_setup_failure_free (self->failure);
  self->failure = lab_setup_failure_new (command, output, meaning, fix);
}

static void
job_fail (GTask      *task,
          GError     *error,
          const char *meaning,
          const char *fix)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_failure (self, job->command, job->output->str,
                 meaning != NULL ? meaning : error->message, fix);
  g_task_return_error (task, error);
}

/* ---- actions ---- */

static void
action_done (GTask    *task,
             gboolean  holds)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action = job->actions->pdata[job->index];

  if (!holds && (job->mode == MODE_CHECK || job->mode == MODE_VERIFY))
    {
      job->holds = FALSE;
      if (job->mode == MODE_VERIFY)
        {
          g_autofree char *meaning = NULL;

          if (action->description != NULL)
            meaning = g_strdup (action->description);
          else if (action->kind == LAB_SETUP_ACTION_RUN)
            meaning = g_strdup_printf (_("The step ran, but its verification failed: “%s” "
                                         "did not succeed."), job->command);
          else
            meaning = g_strdup_printf (_("The step ran, but %s does not hold what it "
                                         "should."), action->path);
          set_failure (self, job->command, job->output->str, meaning, job->command);
          g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_VERIFY,
                                   "%s", meaning);
          return;
        }
      /* One check that does not hold is enough to know the step is not done. */
      job->index = job->actions->len;
    }
  else
    job->index++;
  next_action (task);
}

static void
reconnected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lab_setup_runner_wait_for_host_finish (LAB_SETUP_RUNNER (source), result, &error))
    {
      job_fail (task, error, NULL, job->command);
      return;
    }
  next_action (task);
}

static void
remote_exec_closed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  int status;

  status = lab_ssh_channel_wait_finish (LAB_SSH_CHANNEL (source), result, &error);
  g_cancellable_disconnect (g_task_get_cancellable (task), job->cancel_id);
  job->cancel_id = 0;
  g_clear_object (&job->channel);
  /* A step that may take the link down (the bridge takes over the adapter the connection
   * runs on): reconnect, then run the action again, once; its commands are idempotent. */
  if (error != NULL && g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED)
      && job->mode == MODE_APPLY && job->step->reconnect && job->reconnected != job->index + 1)
    {
      LabSetupRunner *self = g_task_get_source_object (task);
      GCancellable *cancellable = g_task_get_cancellable (task);

      job->reconnected = job->index + 1;
      g_clear_error (&error);
      emit_output (self, _("The connection dropped; reconnecting to run that again…\n"));
      lab_setup_runner_wait_for_host_async (self, 8, 1000, cancellable, reconnected_cb,
                                            g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_autofree char *meaning = NULL;

      if (g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT))
        meaning = g_strdup (_("The command did not finish in time and was stopped."));
      else if (g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED))
        meaning = g_strdup (_("The connection to the host was lost while the command ran. "
                              "Wait until the host answers again and retry."));
      job_fail (task, error, meaning, job->command);
      return;
    }
  if (status != 0 && job->mode == MODE_APPLY)
    {
      g_autofree char *meaning = NULL;
      g_autofree char *fix = NULL;

      /* Causes the user can act on (no network, opam's sandbox, a busy dpkg) are named;
       * otherwise the output says why. */
      if (lab_setup_diagnose_output (job->output->str, &meaning, &fix) == LAB_SETUP_CAUSE_NONE)
        {
          g_clear_pointer (&meaning, g_free);
          g_clear_pointer (&fix, g_free);
          meaning = g_strdup_printf (_("The command failed (exit status %d). Its output "
                                       "above says why."), status);
        }
      job_fail (task, g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                                   _("“%s” failed (exit status %d)"), job->command, status),
                meaning, fix != NULL ? fix : job->command);
      return;
    }
  action_done (task, status == 0);
}

static void
on_channel_data (LabSshChannel *channel,
                 GBytes        *data,
                 gpointer       user_data)
{
  GTask *task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  gsize size;
  const char *bytes = g_bytes_get_data (data, &size);
  g_autofree char *text = g_utf8_make_valid (bytes, size);

  g_string_append (job->output, text);
  if (job->output->len > OUTPUT_KEEP)
    g_string_erase (job->output, 0, job->output->len - OUTPUT_KEEP);
  emit_output (self, text);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("Cancelled"));

  /* Closing the channel ends the remote command's stdin/stdout; the wait fails with it. */
  if (job->channel != NULL)
    lab_ssh_channel_abort (job->channel, error);
}

static void
remote_exec_started (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    {
      g_clear_object (&job->channel);
      job_fail (task, error, NULL, job->command);
      return;
    }
  g_signal_connect_object (source, "stdout-data", G_CALLBACK (on_channel_data), task, 0);
  if (g_task_get_cancellable (task) != NULL)
    job->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                            G_CALLBACK (on_cancelled), job, NULL);
  lab_ssh_channel_wait_async (LAB_SSH_CHANNEL (source), NULL, remote_exec_closed, task);
}

static void
local_exec_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  GError *error = NULL;
  int status;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, NULL,
                                             &error))
    {
      job_fail (task, error, NULL, job->command);
      return;
    }
  if (out != NULL)
    {
      g_string_append (job->output, out);
      emit_output (self, out);
    }
  status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
           ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  if (status != 0 && job->mode == MODE_APPLY)
    {
      job_fail (task, g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                                   _("“%s” failed (exit status %d)"), job->command, status),
                _("The command failed on this computer. Its output above says why."),
                job->command);
      return;
    }
  action_done (task, status == 0);
}

/* Runs @argv (already expanded) for a run action or for what another action needs run. */
static void
run_argv (GTask      *task,
          char      **argv,
          gboolean    root,
          gboolean    local,
          guint       timeout_s)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *note = NULL;

  note = g_strdup_printf ("$ %s\n", job->command);
  emit_output (self, note);
  if (local)
    {
      GError *error = NULL;
      g_autoptr(GSubprocess) process = NULL;

      process = g_subprocess_newv ((const char * const *) argv,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
      if (process == NULL)
        {
          job_fail (task, g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_NOT_FOUND, "%s",
                                       error->message),
                    error->message, NULL);
          g_error_free (error);
          return;
        }
      g_subprocess_communicate_utf8_async (process, NULL, g_task_get_cancellable (task),
                                           local_exec_cb, g_object_ref (task));
      return;
    }

  job->channel = lab_ssh_session_create_exec_channel (self->session,
                                                      (const char * const *) argv,
                                                      (root ? LAB_SSH_EXEC_SUDO : 0)
                                                      | LAB_SSH_EXEC_MERGE_STDERR);
  if (timeout_s > 0)
    lab_ssh_channel_set_timeout (job->channel, timeout_s * 1000);
  lab_ssh_channel_start_async (job->channel, g_task_get_cancellable (task),
                               remote_exec_started, g_object_ref (task));
}

static void
run_action (GTask                *task,
            const LabSetupAction *action)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_auto(GStrv) argv = expand_argv (self, action->argv);

  g_free (job->command);
  job->command = shown_command (action, argv);
  if (job->mode == MODE_PLAN)
    {
      if (action->description != NULL)
        g_string_append_printf (job->plan, "# %s\n", action->description);
      g_string_append_printf (job->plan, action->local ? "%s  %s\n" : "$ %s\n",
                              job->command, action->local ? _("(on this computer)") : "");
      job->index++;
      next_action (task);
      return;
    }
  run_argv (task, argv, action->root, action->local, action->timeout_s);
}

/* ---- packages ---- */

/* Prints the names (its arguments) of the packages that are not installed. */
static const char missing_packages_script[] =
  "for p; do\n"
  "  s=$(dpkg-query -W -f='${Status}' \"$p\" 2>/dev/null) || s=\n"
  "  [ \"$s\" = 'install ok installed' ] || echo \"$p\"\n"
  "done\n";

/* apt-get update first: a fresh system may have no package lists at all. */
static const char install_packages_script[] =
  "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \"$@\"\n";

static void
packages_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action = job->actions->pdata[job->index];
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GStrvBuilder) install = g_strv_builder_new ();
  g_auto(GStrv) missing = NULL;
  g_auto(GStrv) argv = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      job_fail (task, error, NULL, job->command);
      return;
    }
  missing = g_strsplit (g_strstrip ((char *) lab_ssh_exec_result_get_stdout_text (exec)),
                        "\n", -1);
  if (missing[0] == NULL || *missing[0] == '\0')
    g_clear_pointer (&missing, g_strfreev);

  switch (job->mode)
    {
    case MODE_CHECK:
    case MODE_VERIFY:
      action_done (task, missing == NULL);
      return;

    case MODE_PLAN:
    case MODE_APPLY:
      if (missing == NULL)
        {
          if (job->mode == MODE_PLAN)
            {
              g_autofree char *names = g_strjoinv (" ", action->argv);

              g_string_append_printf (job->plan, _("# installed already: %s\n"), names);
            }
          job->index++;
          next_action (task);
          return;
        }
      g_strv_builder_addv (install, (const char **) missing);
      argv = g_strv_builder_end (install);
      {
        g_autofree char *names = g_strjoinv (" ", argv);

        g_free (job->command);
        job->command = g_strdup_printf ("sudo apt-get update && sudo apt-get install -y %s",
                                        names);
      }
      if (job->mode == MODE_PLAN)
        {
          g_string_append_printf (job->plan, "$ %s\n", job->command);
          job->index++;
          next_action (task);
          return;
        }
      {
        g_autoptr(GStrvBuilder) full = g_strv_builder_new ();
        g_auto(GStrv) script_argv = NULL;

        g_strv_builder_add_many (full, "sh", "-c", install_packages_script, "sh", NULL);
        g_strv_builder_addv (full, (const char **) argv);
        script_argv = g_strv_builder_end (full);
        /* Downloads can be long: an hour at most. */
        run_argv (task, script_argv, TRUE, FALSE, 3600);
      }
      return;
    }
}

static void
packages_action (GTask                *task,
                 const LabSetupAction *action)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *names = g_strjoinv (" ", action->argv);

  g_free (job->command);
  job->command = g_strdup_printf ("dpkg-query -W %s", names);
  g_strv_builder_add_many (builder, "sh", "-c", missing_packages_script, "sh", NULL);
  g_strv_builder_addv (builder, (const char **) action->argv);
  argv = g_strv_builder_end (builder);
  lab_ssh_session_exec_async (self->session, (const char * const *) argv, LAB_SSH_EXEC_NONE,
                              NULL, 60000, g_task_get_cancellable (task), packages_listed,
                              g_object_ref (task));
}

static char *
wanted_text (Job                  *job,
             const LabSetupAction *action,
             const char           *text)
{
  if (action->kind == LAB_SETUP_ACTION_ENSURE_FILE)
    return g_strcmp0 (job->old_text, text) == 0 && job->old_exists ? NULL : g_strdup (text);
  if (action->kind == LAB_SETUP_ACTION_ENSURE_BLOCK)
    return lab_setup_ensure_block (job->old_text, text);
  if (action->replaces != NULL)
    return lab_setup_ensure_setting (job->old_text, text, action->replaces);
  return lab_setup_ensure_line (job->old_text, text);
}

static void
replace_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *backup = NULL;
  g_autofree char *note = NULL;
  GError *error = NULL;

  backup = lab_remote_file_replace_finish (LAB_SSH_SESSION (source), result, &error);
  if (backup == NULL)
    {
      job_fail (task, error, NULL, NULL);
      return;
    }
  job->changed = TRUE;
  note = *backup != '\0' ? g_strdup_printf (_("Saved a backup as %s\n"), backup)
                         : g_strdup (_("Created the file\n"));
  emit_output (self, note);
  job->index++;
  next_action (task);
}

static void
file_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action = job->actions->pdata[job->index];
  g_autofree char *path = expand (self, action->path);
  g_autofree char *text = expand (self, action->text);
  g_autofree char *wanted = NULL;
  GError *error = NULL;

  g_clear_pointer (&job->old_text, g_free);
  if (!lab_remote_file_read_finish (LAB_SSH_SESSION (source), result, &job->old_text, &error))
    {
      job_fail (task, error, NULL, NULL);
      return;
    }
  /* Two changes to one file in a plan: the second one starts from the first's result. */
  if (job->mode == MODE_PLAN && g_hash_table_contains (job->planned, path))
    {
      g_free (job->old_text);
      job->old_text = g_strdup (g_hash_table_lookup (job->planned, path));
    }
  job->old_exists = job->old_text != NULL;
  wanted = wanted_text (job, action, text);
  if (job->mode == MODE_PLAN && wanted != NULL)
    g_hash_table_insert (job->planned, g_strdup (path), g_strdup (wanted));

  switch (job->mode)
    {
    case MODE_CHECK:
    case MODE_VERIFY:
      action_done (task, wanted == NULL);
      return;

    case MODE_PLAN:
      if (wanted != NULL)
        {
          g_autofree char *diff = lab_setup_diff (path, job->old_text, wanted);

          g_string_append (job->plan, diff);
        }
      else
        g_string_append_printf (job->plan, _("# %s: already as it should be\n"), path);
      job->index++;
      next_action (task);
      return;

    case MODE_APPLY:
      if (wanted == NULL)
        {
          job->index++;
          next_action (task);
          return;
        }
      {
        g_autofree char *diff = lab_setup_diff (path, job->old_text, wanted);

        emit_output (self, diff);
      }
      /* The contents just read are the guard: if someone edits the file between this read
       * and the write, nothing is written. */
      lab_remote_file_replace_full_async (self->session, path, job->old_text, wanted,
                                          action->mode,
                                          action->validate_sudoers
                                          ? LAB_REMOTE_FILE_CHECK_SUDOERS
                                          : LAB_REMOTE_FILE_CHECK_NONE,
                                          action->root ? LAB_SSH_EXEC_SUDO : 0,
                                          g_task_get_cancellable (task), replace_cb,
                                          g_object_ref (task));
      return;
    }
}

static void
file_action (GTask                *task,
             const LabSetupAction *action)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *path = expand (self, action->path);

  g_free (job->command);
  if (action->kind == LAB_SETUP_ACTION_ENSURE_LINE)
    job->command = g_strdup_printf (_("make sure %s has the line “%s”"), path, action->text);
  else if (action->kind == LAB_SETUP_ACTION_ENSURE_BLOCK)
    job->command = g_strdup_printf (_("make sure %s has the lines shown"), path);
  else
    job->command = g_strdup_printf (_("write %s"), path);
  lab_remote_file_read_async (self->session, path, action->root ? LAB_SSH_EXEC_SUDO : 0,
                              g_task_get_cancellable (task), file_read_cb,
                              g_object_ref (task));
}

static void
phase_finished (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  switch (job->op)
    {
    case OP_CHECK:
    case OP_VERIFY:
      g_task_return_boolean (task, job->holds);
      return;

    case OP_PLAN:
      g_task_return_pointer (task, g_string_free (g_steal_pointer (&job->plan), FALSE),
                             g_free);
      return;

    case OP_APPLY:
      if (job->mode == MODE_CHECK)
        {
          if (job->holds)
            {
              emit_output (self, _("Already done: nothing to change.\n"));
              g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 1.0);
              g_task_return_boolean (task, TRUE);
              return;
            }
          job->mode = MODE_APPLY;
          g_ptr_array_unref (job->actions);
          job->actions = g_ptr_array_ref (job->step->apply);
        }
      else if (job->mode == MODE_APPLY && !job->step->reboot_after)
        {
          job->mode = MODE_VERIFY;
          job->holds = TRUE;
          g_ptr_array_unref (job->actions);
          job->actions = lab_setup_step_get_verify (job->step);
        }
      else
        {
          g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 1.0);
          g_task_return_boolean (task, TRUE);
          return;
        }
      job->index = 0;
      job->when_passed = 0;
      next_action (task);
      return;
    }
}

/* ---- "when", variables the host knows, reboot ---- */

static void
when_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      job_fail (task, error, NULL, job->command);
      return;
    }
  if (lab_ssh_exec_result_get_exit_status (exec) == 0)
    job->when_passed = job->index + 1;
  else
    {
      g_debug ("skipping action %u: its condition “%s” does not hold", job->index,
               job->command);
      job->index++;
    }
  next_action (task);
}

/* Each takes the answer of its command on the host into the variable it resolves. */
typedef gboolean (*TakeAnswer) (LabSetupRunner   *self,
                                LabSshExecResult *exec,
                                GError          **error);

static gboolean
take_nic (LabSetupRunner   *self,
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
  emit_output (self, note);
  lab_setup_runner_set_variable (self, "nic", nic);
  return TRUE;
}

static gboolean
take_xl_path (LabSetupRunner   *self,
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
take_mirage_version (LabSetupRunner   *self,
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
  emit_output (self, note);
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
  { "$nic", "nic-mac", { "ip", "-o", "link", NULL }, take_nic },
  /* A user's PATH on Debian has no sbin folders. */
  { "$xl-path", NULL,
    { "sh", "-c", "PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin; command -v xl", NULL },
    take_xl_path },
  /* With opam's environment: opam 1.2 and 2 both have `config env`. */
  { "@mirage-configure", NULL,
    { "sh", "-c", "eval \"$(opam config env 2>/dev/null)\"; exec mirage --version", NULL },
    take_mirage_version },
};

static void
variable_answered (GObject      *source,
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

      job_fail (task, error, NULL, command);
      return;
    }
  g_debug ("variable %s resolved", resolvers[job->resolving].variable);
  next_action (task);
}

/* Asks the host for a variable it can answer (@variable is "$name" or "@name"); fails the
 * task, saying which setting is missing, for one that nobody can give. */
static void
resolve_variable (GTask      *task,
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
                                    60000, cancellable, variable_answered,
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
    job_fail (task, g_error_new_literal (LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED, meaning),
              meaning, NULL);
  }
}

/* Detached, so that the command returns (and its channel closes) before the host goes
 * down; systemd's reboot where systemd runs, else the classic one. */
static const char reboot_script[] =
  "cat /proc/sys/kernel/random/boot_id\n"
  "if [ -d /run/systemd/system ]; then set -- systemctl reboot; else set -- reboot; fi\n"
  "nohup sh -c 'sleep 2; exec \"$@\"' sh \"$@\" </dev/null >/dev/null 2>&1 &\n"
  "echo \"$*\"\n";

static void
reboot_started (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  /* The link may drop before the answer: that is the reboot happening. */
  if (exec == NULL && !g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED))
    {
      job_fail (task, error, NULL, job->command);
      return;
    }
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      g_autofree char *said = g_strdup (lab_ssh_exec_result_get_stderr_text (exec));

      g_string_append (job->output, said);
      job_fail (task, g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                                   _("The host refused to reboot: %s"), g_strstrip (said)),
                NULL, job->command);
      return;
    }
  g_clear_error (&error);
  /* Waiting for the host is only over once another boot answers: for a moment after this
   * the old one still does. */
  g_clear_pointer (&self->boot_id, g_free);
  if (exec != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (lab_ssh_exec_result_get_stdout_text (exec), "\n", 2);

      if (lines[0] != NULL && strlen (g_strstrip (lines[0])) == 36)
        self->boot_id = g_strdup (lines[0]);
    }
  emit_output (self, _("The host is rebooting.\n"));
  job->changed = TRUE;
  job->index++;
  next_action (task);
}

static void
reboot_action (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const char *argv[] = { "sh", "-c", reboot_script, "sh", NULL };

  g_free (job->command);
  job->command = g_strdup ("sudo reboot");
  if (job->mode == MODE_PLAN)
    {
      g_string_append_printf (job->plan, "$ %s   %s\n", job->command,
                              _("(then Mirage Lab waits for the host to come back)"));
      job->index++;
      next_action (task);
      return;
    }
  if (job->mode != MODE_APPLY)
    {
      job->index++;
      next_action (task);
      return;
    }
  {
    g_autofree char *note = g_strdup_printf ("$ %s\n", job->command);
    emit_output (self, note);
  }
  lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_SUDO, NULL, 60000,
                              g_task_get_cancellable (task), reboot_started,
                              g_object_ref (task));
}

static void
next_action (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action;
  g_autofree char *variable = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->index >= job->actions->len)
    {
      phase_finished (task);
      return;
    }
  action = job->actions->pdata[job->index];
  g_string_truncate (job->output, 0);
  if (job->mode == MODE_APPLY)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0,
                   (double) job->index / job->actions->len);
  if (self->session == NULL && !(action->kind == LAB_SETUP_ACTION_RUN && action->local))
    {
      g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                               _("Not connected to a host"));
      return;
    }
  if ((variable = unset_variable (self, action)) != NULL)
    {
      resolve_variable (task, variable);
      return;
    }
  if (action->when != NULL && job->when_passed != job->index + 1)
    {
      g_auto(GStrv) argv = expand_argv (self, action->when);

      g_free (job->command);
      job->command = lab_setup_format_argv ((const char * const *) argv);
      lab_ssh_session_exec_async (self->session, (const char * const *) argv,
                                  LAB_SSH_EXEC_NONE, NULL, 30000,
                                  g_task_get_cancellable (task), when_cb, g_object_ref (task));
      return;
    }
  if (action->kind == LAB_SETUP_ACTION_RUN)
    run_action (task, action);
  else if (action->kind == LAB_SETUP_ACTION_REBOOT)
    reboot_action (task);
  else if (action->kind == LAB_SETUP_ACTION_ENSURE_PACKAGES)
    packages_action (task, action);
  else
    file_action (task, action);
}

static void
variables_cb (GObject      *source,
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
      set_failure (self, "id -un", "", error->message, NULL);
      g_task_return_error (task, error);
      return;
    }
  lines = g_strsplit (lab_ssh_exec_result_get_stdout_text (exec), "\n", -1);
  if (g_strv_length (lines) >= 2 && *lines[0] != '\0' && *lines[1] != '\0')
    {
      lab_setup_runner_set_variable (self, "home", lines[0]);
      lab_setup_runner_set_variable (self, "user", lines[1]);
    }
  next_action (task);
}

static void
start_job (LabSetupRunner      *self,
           const LabSetupStep  *step,
           Op                   op,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);
  static const char *const vars_argv[] = { "sh", "-c", "printf '%s\\n' \"$HOME\"; id -un",
                                           NULL };

  g_task_set_source_tag (task, source_tag);
  job->step = step;
  job->op = op;
  job->holds = TRUE;
  job->output = g_string_new (NULL);
  switch (op)
    {
    case OP_CHECK:
    case OP_APPLY:
      job->mode = MODE_CHECK;
      job->actions = lab_setup_step_get_check (step);
      break;
    case OP_PLAN:
      job->mode = MODE_PLAN;
      job->plan = g_string_new (NULL);
      job->planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      job->actions = g_ptr_array_ref (step->apply);
      break;
    case OP_VERIFY:
      job->mode = MODE_VERIFY;
      job->actions = lab_setup_step_get_verify (step);
      break;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  g_debug ("step %s: %s", step->id,
           op == OP_CHECK ? "check" : op == OP_PLAN ? "plan" : op == OP_APPLY ? "apply"
                                                                              : "verify");
  if (op == OP_APPLY)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, -1.0);

  if (self->session != NULL && !g_hash_table_contains (self->variables, "home"))
    lab_ssh_session_exec_async (self->session, vars_argv, LAB_SSH_EXEC_NONE, NULL, 30000,
                                cancellable, variables_cb, g_steal_pointer (&task));
  else
    next_action (task);
}

void
lab_setup_runner_check_async (LabSetupRunner      *self,
                              const LabSetupStep  *step,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  start_job (self, step, OP_CHECK, cancellable, callback, user_data,
             lab_setup_runner_check_async);
}

gboolean
lab_setup_runner_check_finish (LabSetupRunner  *self,
                               GAsyncResult    *result,
                               gboolean        *done,
                               GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean holds;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  holds = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *done = holds;
  return TRUE;
}

void
lab_setup_runner_plan_async (LabSetupRunner      *self,
                             const LabSetupStep  *step,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  start_job (self, step, OP_PLAN, cancellable, callback, user_data,
             lab_setup_runner_plan_async);
}

char *
lab_setup_runner_plan_finish (LabSetupRunner  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lab_setup_runner_apply_async (LabSetupRunner      *self,
                              const LabSetupStep  *step,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  start_job (self, step, OP_APPLY, cancellable, callback, user_data,
             lab_setup_runner_apply_async);
}

gboolean
lab_setup_runner_apply_finish (LabSetupRunner  *self,
                               GAsyncResult    *result,
                               gboolean        *changed,
                               GError         **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  job = g_task_get_task_data (G_TASK (result));
  if (changed != NULL)
    *changed = job->changed || job->mode != MODE_CHECK;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lab_setup_runner_verify_async (LabSetupRunner      *self,
                               const LabSetupStep  *step,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  start_job (self, step, OP_VERIFY, cancellable, callback, user_data,
             lab_setup_runner_verify_async);
}

gboolean
lab_setup_runner_verify_finish (LabSetupRunner  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- waiting for the host ---- */

typedef struct
{
  guint attempts_left;
  guint delay_ms;
  guint timeout_id;
  gulong cancel_id;
} WaitData;

static void try_connect (GTask *task);

static gboolean
retry_timeout (gpointer user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  g_cancellable_disconnect (g_task_get_cancellable (task), data->cancel_id);
  data->cancel_id = 0;
  try_connect (task);
  return G_SOURCE_REMOVE;
}

static void
wait_cancelled (GCancellable *cancellable,
                gpointer      user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  /* Runs from g_cancellable_cancel on the main thread: finish the sleeping task now. */
  if (data->timeout_id != 0)
    {
      /* The timeout's reference on the task moves to the idle. */
      g_clear_handle_id (&data->timeout_id, g_source_remove);
      g_idle_add (retry_timeout, task);
    }
}

/* Another try later, or the end of waiting: @error says why this try failed. */
static void
retry_or_fail (GTask  *task_in,
               GError *error_in)
{
  g_autoptr(GTask) task = task_in;
  g_autoptr(GError) error = error_in;
  LabSetupRunner *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);
  g_autofree char *note = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_CHANGED)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_REVOKED)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_UNKNOWN)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_AUTH_FAILED))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_failure (self, NULL, error->message, error->message, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->attempts_left == 0)
    {
      g_autofree char *meaning = g_strdup_printf (
        _("The host did not answer over SSH (%s). If it is still starting, wait and retry; "
          "otherwise look at its console in VirtualBox."), error->message);

      set_failure (self, NULL, error->message, meaning, NULL);
      g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_UNREACHABLE,
                               "%s", meaning);
      return;
    }
  note = g_strdup_printf (_("Waiting for the host (%s); next try in %u s…\n"),
                          error->message, (data->delay_ms + 999) / 1000);
  emit_output (self, note);
  data->timeout_id = g_timeout_add (data->delay_ms, retry_timeout, task);
  if (g_task_get_cancellable (task) != NULL)
    data->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                             G_CALLBACK (wait_cancelled),
                                             g_object_ref (task), g_object_unref);
  data->delay_ms = MIN (data->delay_ms * 2, MAX_BACKOFF_MS);
  g_steal_pointer (&task);
}

static void
boot_id_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;
  g_autofree char *boot_id = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      retry_or_fail (g_steal_pointer (&task), error);
      return;
    }
  boot_id = g_strstrip (g_strdup (lab_ssh_exec_result_get_stdout_text (exec)));
  if (g_strcmp0 (boot_id, self->boot_id) == 0)
    {
      retry_or_fail (g_steal_pointer (&task),
                     g_error_new_literal (LAB_SETUP_ERROR, LAB_SETUP_ERROR_UNREACHABLE,
                                          _("it has not restarted yet")));
      return;
    }
  g_clear_pointer (&self->boot_id, g_free);
  emit_output (self, _("The host answers again, after its reboot.\n"));
  g_task_return_boolean (task, TRUE);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (lab_ssh_session_connect_finish (LAB_SSH_SESSION (source), result, &error))
    {
      static const char *const argv[] = { "cat", "/proc/sys/kernel/random/boot_id", NULL };
      GCancellable *cancellable = g_task_get_cancellable (task);

      if (self->boot_id == NULL)
        {
          emit_output (self, _("The host answers again.\n"));
          g_task_return_boolean (task, TRUE);
          return;
        }
      lab_ssh_session_exec_async (LAB_SSH_SESSION (source), argv, LAB_SSH_EXEC_NONE, NULL,
                                  30000, cancellable, boot_id_read, g_steal_pointer (&task));
      return;
    }
  retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error));
}

static void
try_connect (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  data->attempts_left--;
  /* A fresh connection every time: after a reboot the old one is dead even when no
   * keepalive noticed it yet, and only a new handshake proves the host is back. */
  lab_ssh_session_close (self->session);
  lab_ssh_session_connect_async (self->session, g_task_get_cancellable (task), connect_cb,
                                 task);
}

void
lab_setup_runner_wait_for_host_async (LabSetupRunner      *self,
                                      guint                max_attempts,
                                      guint                first_delay_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  WaitData *data;

  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  g_return_if_fail (self->session != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_setup_runner_wait_for_host_async);
  data = g_new0 (WaitData, 1);
  data->attempts_left = MAX (max_attempts, 1);
  data->delay_ms = MAX (first_delay_ms, 100);
  g_task_set_task_data (task, data, g_free);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  try_connect (task);
}

gboolean
lab_setup_runner_wait_for_host_finish (LabSetupRunner  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
