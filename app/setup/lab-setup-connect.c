/* lab-setup-connect.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-connect"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "setup/lab-setup-recipe.h"
#include "setup/lab-setup-runner.h"
#include "ssh/lab-remote-file.h"
#include "ssh/lab-ssh-keygen.h"
#include "xen/lab-host.h"

#include "lab-setup-connect.h"

G_DEFINE_ENUM_TYPE (LabSetupConnectState, lab_setup_connect_state,
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_MAKING_KEY, "making-key"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_INSTALLING_KEY, "installing-key"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_READING_OS_RELEASE, "reading-os-release"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_CHECKING_HOST, "checking-host"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_DONE, "done"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_CONNECT_STATE_FAILED, "failed"))

struct _LabSetupConnect
{
  GObject               parent_instance;

  LabSetupConnectState  state;
  char                 *message;
  GError               *error;
  LabSetupFailure      *failure;
  char                 *host;
  guint                 port;
  char                 *user;
  gboolean              make_key;
  char                 *recipe;
  char                 *recipe_override;
  char                 *os_description;

  LabSshSession        *session;
  LabHostCheck         *host_check;
  GCancellable         *cancellable;   /* this run's; a new start cancels the old run */
};

G_DEFINE_FINAL_TYPE (LabSetupConnect, lab_setup_connect, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_RECIPE,
  PROP_RECIPE_OVERRIDE,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_OUTPUT,
  SIGNAL_REQUEST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One asynchronous call of one run: its answer is dropped once that run was cancelled
 * (stopped, or replaced by a new start), so an old run never moves the state. */
typedef struct
{
  LabSetupConnect *self;
  GCancellable    *cancellable;
} LabSetupConnectCall;

static LabSetupConnectCall *
lab_setup_connect_call_new (LabSetupConnect *self)
{
  LabSetupConnectCall *call = g_new0 (LabSetupConnectCall, 1);

  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->cancellable);
  return call;
}

static void
lab_setup_connect_call_free (LabSetupConnectCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSetupConnectCall, lab_setup_connect_call_free)

static void lab_setup_connect_run_reading_os_release (LabSetupConnect *self);

LabSetupConnect *
lab_setup_connect_new (void)
{
  return g_object_new (LAB_TYPE_SETUP_CONNECT, NULL);
}

static void
lab_setup_connect_set_state (LabSetupConnect      *self,
                             LabSetupConnectState  state,
                             const char           *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
lab_setup_connect_output (LabSetupConnect *self,
                          const char      *text)
{
  g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, text);
}

/* What the picked recipe says must be known before its steps run, before any of them does. */
static void
lab_setup_connect_say_caveat (LabSetupConnect *self,
                              const char      *recipe_id)
{
  g_autoptr(LabSetupRecipe) recipe = lab_setup_recipe_new_from_resource (recipe_id, NULL);
  const char *caveat = recipe != NULL ? lab_setup_recipe_get_caveat (recipe) : NULL;

  if (caveat == NULL)
    return;
  lab_setup_connect_output (self, caveat);
  lab_setup_connect_output (self, "\n");
}

/* Takes @error; @failure (nullable) is what the failure panel shows besides it. */
static void
lab_setup_connect_fail (LabSetupConnect *self,
                        GError          *error,
                        LabSetupFailure *failure)
{
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  self->error = error;
  self->failure = failure;
  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_FAILED, error->message);
}

/* The session's questions go to whoever shows the chain; nobody answering is a cancel. */
static gboolean
lab_setup_connect_session_request_cb (LabSetupConnect *self,
                                      LabSshRequest   *request)
{
  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, request);
  return TRUE;
}

/* Ends the run and the session that were there, without a word: what replaces them says
 * what happens next. */
static void
lab_setup_connect_drop_session (LabSetupConnect *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      lab_ssh_session_close (self->session);
      g_clear_object (&self->session);
    }
}

static void
lab_setup_connect_new_session (LabSetupConnect *self,
                               const char      *host,
                               guint            port,
                               const char      *user)
{
  lab_setup_connect_drop_session (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
  g_free (self->user);
  self->user = g_strdup (user);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_object_thaw_notify (G_OBJECT (self));

  self->session = lab_ssh_session_new (host);
  if (port != 0)
    lab_ssh_session_set_port (self->session, port);
  if (user != NULL)
    lab_ssh_session_set_user (self->session, user);
  g_signal_connect_object (self->session, "verify-host-key",
                           G_CALLBACK (lab_setup_connect_session_request_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "ask-secret",
                           G_CALLBACK (lab_setup_connect_session_request_cb), self,
                           G_CONNECT_SWAPPED);
}

/* ---- the states, one function each, in the order they run ---- */

static void
lab_setup_connect_connected_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);

static void
lab_setup_connect_run_connecting (LabSetupConnect *self)
{
  g_autofree char *command = lab_setup_connect_dup_ssh_command (self);
  g_autofree char *note = g_strdup_printf ("$ %s\n", command);

  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_CONNECTING, _("Connecting…"));
  lab_setup_connect_output (self, note);
  lab_ssh_session_connect_async (self->session, self->cancellable,
                                 lab_setup_connect_connected_cb,
                                 lab_setup_connect_call_new (self));
}

static void lab_setup_connect_run_making_key (LabSetupConnect *self);

static void
lab_setup_connect_connected_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(LabSetupConnectCall) call = user_data;
  LabSetupConnect *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean connected = lab_ssh_session_connect_finish (LAB_SSH_SESSION (source), result,
                                                       &error);
  g_autofree char *command = NULL;

  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  if (!connected)
    {
      command = lab_setup_connect_dup_ssh_command (self);
      lab_setup_connect_fail (self, g_steal_pointer (&error),
                              lab_setup_failure_new (command,
                                                     lab_ssh_session_get_error_message
                                                       (LAB_SSH_SESSION (source)),
                                                     _("Check the host name or address (the "
                                                       "VM's address is on its console: ip -4 "
                                                       "addr), that the VM runs the OpenSSH "
                                                       "server, and the user and password."),
                                                     command));
      return;
    }
  if (self->make_key)
    lab_setup_connect_run_making_key (self);
  else
    lab_setup_connect_run_reading_os_release (self);
}

static void
lab_setup_connect_key_made_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

static void
lab_setup_connect_run_making_key (LabSetupConnect *self)
{
  g_autofree char *path = lab_ssh_keygen_default_path ();

  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_MAKING_KEY,
                               _("Making an ed25519 key…"));
  lab_ssh_keygen_create_async (path, "mirage-lab", self->cancellable,
                               lab_setup_connect_key_made_cb,
                               lab_setup_connect_call_new (self));
}

static void lab_setup_connect_run_installing_key (LabSetupConnect *self,
                                                  const char      *public_key);

static void
lab_setup_connect_key_made_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(LabSetupConnectCall) call = user_data;
  LabSetupConnect *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *public_key = lab_ssh_keygen_create_finish (result, &error);
  g_autofree char *path = lab_ssh_keygen_default_path ();
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);

  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  /* A key that is already there is the one to install, not an error. */
  if (public_key == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)
      && g_file_get_contents (pub_path, &public_key, NULL, NULL))
    g_strstrip (public_key);
  if (public_key == NULL)
    {
      lab_setup_connect_fail (self, g_steal_pointer (&error), NULL);
      return;
    }
  lab_setup_connect_output (self, "$ ssh-keygen -t ed25519\n");
  lab_setup_connect_run_installing_key (self, public_key);
}

static void
lab_setup_connect_key_installed_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data);

static void
lab_setup_connect_run_installing_key (LabSetupConnect *self,
                                      const char      *public_key)
{
  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_INSTALLING_KEY,
                               _("Installing the key on the host…"));
  lab_ssh_keygen_install_async (self->session, public_key, self->cancellable,
                                lab_setup_connect_key_installed_cb,
                                lab_setup_connect_call_new (self));
}

static void
lab_setup_connect_key_installed_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(LabSetupConnectCall) call = user_data;
  LabSetupConnect *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean installed = lab_ssh_keygen_install_finish (LAB_SSH_SESSION (source), result,
                                                      &error);

  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  if (!installed)
    {
      lab_setup_connect_fail (self, g_steal_pointer (&error), NULL);
      return;
    }
  lab_setup_connect_output (self, _("Installed the key in ~/.ssh/authorized_keys on the "
                                    "host.\n"));
  lab_setup_connect_run_reading_os_release (self);
}

static void
lab_setup_connect_os_release_read_cb (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data);

static void
lab_setup_connect_run_reading_os_release (LabSetupConnect *self)
{
  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_READING_OS_RELEASE,
                               _("Reading which system the host runs…"));
  lab_setup_connect_output (self, "$ cat /etc/os-release\n");
  lab_remote_file_read_async (self->session, "/etc/os-release", LAB_SSH_EXEC_NONE,
                              self->cancellable, lab_setup_connect_os_release_read_cb,
                              lab_setup_connect_call_new (self));
}

static void lab_setup_connect_run_checking_host (LabSetupConnect *self,
                                                 const char      *message);

static void
lab_setup_connect_os_release_read_cb (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(LabSetupConnectCall) call = user_data;
  LabSetupConnect *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  g_autofree char *message = NULL;
  gboolean read = lab_remote_file_read_finish (LAB_SSH_SESSION (source), result, &text,
                                               &error);
  const char *picked;

  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  if (!read)
    {
      lab_setup_connect_fail (self, g_steal_pointer (&error), NULL);
      return;
    }
  picked = lab_setup_pick_recipe (text != NULL ? text : "", &description);
  if (self->recipe_override != NULL)
    picked = self->recipe_override;
  g_free (self->recipe);
  self->recipe = g_strdup (picked);
  g_free (self->os_description);
  self->os_description = g_steal_pointer (&description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPE]);

  message = g_strdup_printf (_("Connected. The host runs %s: the %s recipe."),
                             self->os_description,
                             g_strcmp0 (picked, "classic") == 0 ? _("classic") : _("modern"));
  lab_setup_connect_output (self, message);
  lab_setup_connect_output (self, "\n");
  lab_setup_connect_say_caveat (self, picked);
  lab_setup_connect_run_checking_host (self, message);
}

/* ---- what the host already has: the checks of "Check Host" ---- */

static const char *
lab_setup_connect_check_mark (LabCheckStatus status)
{
  switch (status)
    {
    case LAB_CHECK_STATUS_OK:
      return "✓";
    case LAB_CHECK_STATUS_WARNING:
      return "!";
    case LAB_CHECK_STATUS_FAILED:
      return "✗";
    case LAB_CHECK_STATUS_PENDING:
    case LAB_CHECK_STATUS_SKIPPED:
    default:
      return "–";
    }
}

/* One line per check, the fix under each that has one, and how many pass. */
static void
lab_setup_connect_output_checks (LabSetupConnect *self)
{
  GListModel *results = lab_host_check_get_results (self->host_check);
  guint n = g_list_model_get_n_items (results), n_ok = 0;
  g_autofree char *summary = NULL;

  lab_setup_connect_output (self, _("What the host already has (the checks of “Check "
                                    "Host”):\n"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LabCheckResult) row = g_list_model_get_item (results, i);
      LabCheckStatus status = lab_check_result_get_status (row);
      const char *evidence = lab_check_result_get_evidence (row);
      g_autofree char *line = g_strdup_printf ("  %s %s: %s\n",
                                               lab_setup_connect_check_mark (status),
                                               lab_check_result_get_title (row),
                                               evidence != NULL ? evidence : "");

      lab_setup_connect_output (self, line);
      if (status == LAB_CHECK_STATUS_OK)
        n_ok++;
      else if ((status == LAB_CHECK_STATUS_FAILED || status == LAB_CHECK_STATUS_WARNING)
               && lab_check_result_get_fix (row) != NULL)
        {
          g_autofree char *fix = g_strdup_printf ("      %s\n", lab_check_result_get_fix (row));

          lab_setup_connect_output (self, fix);
        }
    }
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u check passes.\n",
                                          "%u of %u checks pass.\n", n_ok), n_ok, n);
  lab_setup_connect_output (self, summary);
}

static void
lab_setup_connect_host_checked_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(LabSetupConnectCall) call = user_data;
  LabSetupConnect *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean checked = lab_host_check_run_finish (LAB_HOST_CHECK (source), result, &error);

  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  /* The step is done either way: the checks only show where the next steps start from. */
  if (checked)
    lab_setup_connect_output_checks (self);
  else
    {
      g_autofree char *line = g_strdup_printf (_("Could not check the host: %s\n"),
                                               error->message);

      lab_setup_connect_output (self, line);
    }
  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_DONE, self->message);
}

/* Once connected, the wizard looks at what dom0 already has, with the same checks as the
 * main window's "Check Host": the steps that follow start from there. */
static void
lab_setup_connect_run_checking_host (LabSetupConnect *self,
                                     const char      *message)
{
  /* One still winding down from a run that was replaced is left to finish on its own. */
  if (self->host_check != NULL && lab_host_check_get_running (self->host_check))
    g_clear_object (&self->host_check);
  if (self->host_check == NULL)
    self->host_check = lab_host_check_new ();
  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_CHECKING_HOST, message);
  lab_setup_connect_output (self, _("Checking what the host already has…\n"));
  lab_host_check_run_async (self->host_check, self->session, NULL, self->cancellable,
                            lab_setup_connect_host_checked_cb,
                            lab_setup_connect_call_new (self));
}

/* ---- API ---- */

gboolean
lab_setup_connect_start (LabSetupConnect  *self,
                         const char       *address,
                         const char       *user,
                         const char       *password,
                         gboolean          make_key,
                         GError          **error)
{
  g_autofree char *host = NULL;
  guint port = 0;

  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (address == NULL || *address == '\0' || user == NULL || *user == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Fill in the host and the user."));
      return FALSE;
    }
  /* "host:port" for a VM reached through a port forward (VirtualBox NAT: 127.0.0.1:2222). */
  if (!lab_host_parse_address (address, &host, &port, error))
    return FALSE;

  lab_setup_connect_new_session (self, host, port, user);
  self->make_key = make_key;
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  /* The password stays in memory for this connection only; the keyring is the prompt's
   * business ("remember"). */
  if (password != NULL && *password != '\0')
    lab_ssh_session_set_password (self->session, password);
  lab_setup_connect_run_connecting (self);
  return TRUE;
}

LabSshSession *
lab_setup_connect_reopen (LabSetupConnect *self,
                          const char      *host,
                          guint            port,
                          const char      *user)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  lab_setup_connect_new_session (self, host, port, user);
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_IDLE, NULL);
  return self->session;
}

void
lab_setup_connect_cancel (LabSetupConnect *self)
{
  g_return_if_fail (LAB_IS_SETUP_CONNECT (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* A connect goes on for whoever else waits on the session whatever one caller's
   * cancellable says: closing is what stops it. */
  if (self->state == LAB_SETUP_CONNECT_STATE_CONNECTING && self->session != NULL)
    lab_ssh_session_close (self->session);
  if (lab_setup_connect_get_busy (self))
    lab_setup_connect_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                       _("Cancelled.")), NULL);
  else if (self->state == LAB_SETUP_CONNECT_STATE_CHECKING_HOST)
    lab_setup_connect_set_state (self, LAB_SETUP_CONNECT_STATE_DONE, self->message);
}

void
lab_setup_connect_close (LabSetupConnect *self)
{
  g_return_if_fail (LAB_IS_SETUP_CONNECT (self));

  lab_setup_connect_cancel (self);
  if (self->session != NULL)
    lab_ssh_session_close (self->session);
}

char *
lab_setup_connect_dup_ssh_command (LabSetupConnect *self)
{
  g_autofree char *port_option = NULL;

  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);

  port_option = self->port != 0 && self->port != 22 ? g_strdup_printf ("-p %u ", self->port)
                                                    : g_strdup ("");
  /* An IPv6 address is written as it is, which is how OpenSSH takes it after "@". */
  return g_strdup_printf ("ssh %s%s@%s", port_option, self->user != NULL ? self->user : "",
                          self->host != NULL ? self->host : "");
}

LabSetupConnectState
lab_setup_connect_get_state (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), LAB_SETUP_CONNECT_STATE_IDLE);
  return self->state;
}

gboolean
lab_setup_connect_get_busy (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), FALSE);
  return self->state >= LAB_SETUP_CONNECT_STATE_CONNECTING
         && self->state <= LAB_SETUP_CONNECT_STATE_READING_OS_RELEASE;
}

const char *
lab_setup_connect_get_message (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->message;
}

const GError *
lab_setup_connect_get_error (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->error;
}

const LabSetupFailure *
lab_setup_connect_get_failure (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->failure;
}

const char *
lab_setup_connect_get_host (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->host;
}

guint
lab_setup_connect_get_port (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), 0);
  return self->port;
}

const char *
lab_setup_connect_get_user (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->user;
}

LabSshSession *
lab_setup_connect_get_session (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->session;
}

const char *
lab_setup_connect_get_recipe (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->recipe;
}

const char *
lab_setup_connect_get_os_description (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->os_description;
}

const char *
lab_setup_connect_get_recipe_override (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->recipe_override;
}

void
lab_setup_connect_set_recipe_override (LabSetupConnect *self,
                                       const char      *recipe)
{
  g_return_if_fail (LAB_IS_SETUP_CONNECT (self));
  g_return_if_fail (recipe == NULL || g_str_equal (recipe, "classic")
                    || g_str_equal (recipe, "modern"));

  if (g_strcmp0 (self->recipe_override, recipe) == 0)
    return;
  g_free (self->recipe_override);
  self->recipe_override = g_strdup (recipe);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPE_OVERRIDE]);
}

LabHostCheck *
lab_setup_connect_get_host_check (LabSetupConnect *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_CONNECT (self), NULL);
  return self->host_check;
}

/* ---- object ---- */

static void
lab_setup_connect_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LabSetupConnect *self = LAB_SETUP_CONNECT (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_RECIPE: g_value_set_string (value, self->recipe); break;
    case PROP_RECIPE_OVERRIDE: g_value_set_string (value, self->recipe_override); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_setup_connect_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LabSetupConnect *self = LAB_SETUP_CONNECT (object);

  switch (prop_id)
    {
    case PROP_RECIPE_OVERRIDE:
      lab_setup_connect_set_recipe_override (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_setup_connect_dispose (GObject *object)
{
  LabSetupConnect *self = LAB_SETUP_CONNECT (object);

  /* Every pending call holds a reference, so nothing runs any more by now. */
  lab_setup_connect_drop_session (self);
  g_clear_object (&self->host_check);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (lab_setup_connect_parent_class)->dispose (object);
}

static void
lab_setup_connect_finalize (GObject *object)
{
  LabSetupConnect *self = LAB_SETUP_CONNECT (object);

  g_free (self->message);
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  g_free (self->host);
  g_free (self->user);
  g_free (self->recipe);
  g_free (self->recipe_override);
  g_free (self->os_description);
  G_OBJECT_CLASS (lab_setup_connect_parent_class)->finalize (object);
}

static void
lab_setup_connect_class_init (LabSetupConnectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lab_setup_connect_get_property;
  object_class->set_property = lab_setup_connect_set_property;
  object_class->dispose = lab_setup_connect_dispose;
  object_class->finalize = lab_setup_connect_finalize;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              LAB_TYPE_SETUP_CONNECT_STATE,
                                              LAB_SETUP_CONNECT_STATE_IDLE, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, ro);
  properties[PROP_RECIPE] = g_param_spec_string ("recipe", NULL, NULL, NULL, ro);
  properties[PROP_RECIPE_OVERRIDE] =
    g_param_spec_string ("recipe-override", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After the state, the message or anything else a view shows changed. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  /* Text for the log: the commands as OpenSSH would run them, then the host's checks. */
  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The SSH session needs the user: a host key to trust, a password, a passphrase. Reply
   * now or later (keep a reference); an unanswered request is cancelled. */
  signals[SIGNAL_REQUEST] = g_signal_new ("request", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, LAB_TYPE_SSH_REQUEST);
}

static void
lab_setup_connect_init (LabSetupConnect *self)
{
  self->cancellable = g_cancellable_new ();
}
