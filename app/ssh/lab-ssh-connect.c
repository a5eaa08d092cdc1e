/* lab-ssh-connect.c: reaching the server (ssh_config, TCP, the SSH handshake, the host key,
 * the keeper channel) and knowing it is still there (connect timeout, keepalive)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-connect"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "lab-known-hosts.h"
#include "lab-ssh-config.h"
#include "lab-ssh-session-private.h"

#define DEFAULT_CONNECT_TIMEOUT 30

char *
_lab_ssh_cipher_preference (LIBSSH2_SESSION *raw)
{
  /* AEAD first where libssh2 has them (1.11 and later), then CTR. CBC ciphers are left out:
   * with SSH's encrypt-and-MAC they allow plaintext recovery attacks, and OpenSSH no
   * longer offers them by default. */
  static const char * const wanted[] = {
    "chacha20-poly1305@openssh.com",
    "aes256-gcm@openssh.com",
    "aes128-gcm@openssh.com",
    "aes128-ctr",
    "aes256-ctr",
    "aes192-ctr",
  };
  const char **supported = NULL;
  int n;
  GString *pref = g_string_new (NULL);

  g_return_val_if_fail (raw != NULL, NULL);

  n = libssh2_session_supported_algs (raw, LIBSSH2_METHOD_CRYPT_CS, &supported);
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    for (int j = 0; j < n; j++)
      if (g_str_equal (wanted[i], supported[j]))
        {
          if (pref->len > 0)
            g_string_append_c (pref, ',');
          g_string_append (pref, wanted[i]);
          break;
        }
  if (n > 0)
    libssh2_free (raw, supported);
  if (pref->len == 0)
    {
      g_string_free (pref, TRUE);
      return NULL;
    }
  return g_string_free (pref, FALSE);
}

static char *
lab_ssh_connect_default_app_known_hosts (void)
{
  return g_build_filename (g_get_user_config_dir (), "mirage-lab", "known_hosts", NULL);
}

static char *
lab_ssh_connect_config_file_path (LabSshSession *self)
{
  const char *env = g_getenv ("MIRAGE_LAB_SSH_CONFIG");

  if (self->ssh_config_file != NULL)
    return g_strdup (self->ssh_config_file);
  if (env != NULL)
    return g_strdup (env);
  return g_build_filename (g_get_home_dir (), ".ssh", "config", NULL);
}

static gboolean
lab_ssh_connect_resolve_config (LabSshSession  *self,
                                GError        **error)
{
  g_autofree char *path = lab_ssh_connect_config_file_path (self);
  g_autoptr(LabSshConfig) config = NULL;
  g_autoptr(LabSshHostConfig) hc = NULL;
  g_autoptr(GError) local_error = NULL;

  if (*path != '\0')
    config = lab_ssh_config_new_from_file (path, &local_error);
  if (config == NULL)
    {
      if (local_error != NULL)
        g_warning ("Ignoring %s: %s", path, local_error->message);
      config = lab_ssh_config_new_from_data (NULL, NULL);
    }
  hc = lab_ssh_config_lookup (config, self->host, NULL, NULL);

  g_free (self->hostname);
  self->hostname = g_strdup (self->hostname_prop != NULL ? self->hostname_prop
                             : hc->hostname != NULL ? hc->hostname : self->host);
  /* The name reaches known_hosts and the user's command lines: refuse one that could
   * forge an entry or pass for an option before anything is sent. */
  if (!lab_known_hosts_validate_host (self->hostname, error))
    return FALSE;
  self->port = self->port_prop != 0 ? self->port_prop : hc->port != 0 ? hc->port : 22;
  g_free (self->user);
  self->user = g_strdup (self->user_prop != NULL ? self->user_prop
                         : hc->user != NULL ? hc->user : g_get_user_name ());
  self->connect_timeout = self->connect_timeout_prop != 0 ? self->connect_timeout_prop
                          : hc->connect_timeout != 0 ? hc->connect_timeout
                          : DEFAULT_CONNECT_TIMEOUT;

  g_strfreev (self->identities);
  if (self->identity_files_prop != NULL && self->identity_files_prop[0] != NULL)
    self->identities = g_strdupv (self->identity_files_prop);
  else if (hc->identity_files[0] != NULL)
    self->identities = g_strdupv (hc->identity_files);
  else
    {
      const char *home = g_get_home_dir ();

      self->identities = g_new0 (char *, 4);
      self->identities[0] = g_build_filename (home, ".ssh", "id_ed25519", NULL);
      self->identities[1] = g_build_filename (home, ".ssh", "id_ecdsa", NULL);
      self->identities[2] = g_build_filename (home, ".ssh", "id_rsa", NULL);
    }

  if (self->app_known_hosts_file == NULL)
    self->app_known_hosts_file = lab_ssh_connect_default_app_known_hosts ();

  g_object_notify (G_OBJECT (self), "hostname");
  g_object_notify (G_OBJECT (self), "port");
  g_object_notify (G_OBJECT (self), "user");
  return TRUE;
}

static GStrv
lab_ssh_connect_known_hosts_files (LabSshSession *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv files;

  if (self->known_hosts_file != NULL)
    {
      if (*self->known_hosts_file != '\0')
        g_strv_builder_add (builder, self->known_hosts_file);
    }
  else
    {
      g_autofree char *user_file = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts",
                                                     NULL);

      g_strv_builder_add (builder, user_file);
      g_strv_builder_add (builder, "/etc/ssh/ssh_known_hosts");
    }
  g_strv_builder_add (builder, self->app_known_hosts_file);
  files = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return files;
}

/* Like OpenSSH, ask first for the host key types we already know for this host, so that a
 * host known by its ECDSA key is not reported as new because it also has an ed25519 one. */
static void
lab_ssh_connect_set_hostkey_preference (LabSshSession *self)
{
  static const struct { int type; const char *name; } all[] = {
    { LIBSSH2_HOSTKEY_TYPE_ED25519, "ssh-ed25519" },
    { LIBSSH2_HOSTKEY_TYPE_ECDSA_256, "ecdsa-sha2-nistp256" },
    { LIBSSH2_HOSTKEY_TYPE_ECDSA_384, "ecdsa-sha2-nistp384" },
    { LIBSSH2_HOSTKEY_TYPE_ECDSA_521, "ecdsa-sha2-nistp521" },
    { LIBSSH2_HOSTKEY_TYPE_RSA, "ssh-rsa" },
  };
  g_auto(GStrv) files = lab_ssh_connect_known_hosts_files (self);
  g_autoptr(GString) known = g_string_new (NULL);
  g_autoptr(GString) rest = g_string_new (NULL);
  const guchar probe[] = "\0";

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(LabKnownHostsResult) r =
        lab_known_hosts_check ((const char * const *) files, self->hostname,
                               (guint16) self->port, all[i].type, probe, 1);
      GString *target = r->status != LAB_KNOWN_HOSTS_NOT_FOUND ? known : rest;

      if (target->len > 0)
        g_string_append_c (target, ',');
      g_string_append (target, all[i].name);
    }
  if (known->len > 0 && rest->len > 0)
    g_string_append_c (known, ',');
  g_string_append (known, rest->str);
  if (libssh2_session_method_pref (self->raw, LIBSSH2_METHOD_HOSTKEY, known->str) != 0)
    g_debug ("host key preference %s not taken: %s", known->str,
             _lab_ssh_session_last_error_text (self));
}

static ssize_t
lab_ssh_connect_recv_cb (libssh2_socket_t   fd,
                         void              *buffer,
                         size_t             length,
                         int                flags,
                         void             **abstract)
{
  LabSshSession *self = *abstract;
  ssize_t n = recv (fd, buffer, length, flags);

  if (n < 0)
    return -errno;
  /* Any byte from the server proves the link alive (see lab_ssh_connect_tick_cb). */
  self->last_recv = g_get_monotonic_time ();
  if (n > 0)
    {
      /* sshd leaves Nagle on for non-interactive sessions: when it sends two small packets
       * in a row, the second waits for our ACK, which Linux would delay by up to 40 ms.
       * Acknowledging at once cuts every command's round trip by that much. */
      int one = 1;

      setsockopt (fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
  return n;
}

static gboolean
lab_ssh_connect_tick_cb (gpointer user_data)
{
  LabSshSession *self = user_data;
  g_autoptr(LabSshSession) hold = g_object_ref (self);
  gint64 now = g_get_monotonic_time ();

  if (self->step == STEP_NONE)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (self->step != STEP_READY)
    {
      /* Silence while we wait for the server (not for the user) ends the attempt. */
      if (!self->waiting && self->step != STEP_TCP
          && now - self->last_recv > (gint64) self->connect_timeout * G_USEC_PER_SEC)
        {
          GError *error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT,
                                       _("%s did not answer within %u seconds."),
                                       _lab_ssh_session_display_name (self),
                                       self->connect_timeout);

          self->tick_id = 0;
          _lab_ssh_session_attempt_failed (self, error);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    }

  {
    gint64 interval = (gint64) MAX (self->keepalive_interval, 1) * G_USEC_PER_SEC;
    gint64 probe = MAX (interval / 3, G_USEC_PER_SEC / 2);

    /* Only silence after a keepalive counts: if this main loop was busy elsewhere for a
     * while, nobody asked the server anything, and its silence proves nothing. */
    if (self->keepalive_pending != 0 && self->last_recv >= self->keepalive_pending)
      self->keepalive_pending = 0;
    if (self->keepalive_pending != 0 && now - self->keepalive_pending >= probe
        && now - self->last_recv >= interval)
      {
        g_autofree char *why = g_strdup_printf (_("no answer for %u seconds"),
                                                self->keepalive_interval);

        self->tick_id = 0;
        _lab_ssh_session_connection_lost (self, why);
        return G_SOURCE_REMOVE;
      }
    if (now - self->last_recv >= probe && now - self->last_keepalive >= probe)
      {
        int next = 0;
        int rc = libssh2_keepalive_send (self->raw, &next);

        self->last_keepalive = now;
        if (self->keepalive_pending == 0)
          self->keepalive_pending = now;
        if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN)
          {
            self->tick_id = 0;
            _lab_ssh_session_connection_lost (self, _lab_ssh_session_last_error_text (self));
            return G_SOURCE_REMOVE;
          }
        _lab_ssh_session_update_watch (self);
      }
  }
  return G_SOURCE_CONTINUE;
}

static void
lab_ssh_connect_start_tick (LabSshSession *self)
{
  /* A quarter second is fine-grained enough for the deadlines and costs nothing. */
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (250, lab_ssh_connect_tick_cb, self);
}

static void
lab_ssh_connect_tcp_connected_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(LabSshSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  int rc;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result,
                                                       &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (self->step != STEP_TCP)
        return;
      _lab_ssh_session_attempt_failed (self, g_error_new (G_IO_ERROR, error->code,
                                                          _("%s (port %u)"),
                                                          error->message, self->port));
      return;
    }
  if (self->step != STEP_TCP)
    return;

  self->connection = g_steal_pointer (&connection);
  self->socket = g_object_ref (g_socket_connection_get_socket (self->connection));
  /* GSocketClient's timeout also applies to the socket's sources: we time things
   * ourselves. Interactive traffic must not wait for Nagle. */
  g_socket_set_timeout (self->socket, 0);
  g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  self->raw = libssh2_session_init_ex (_lab_ssh_wiping_alloc, _lab_ssh_wiping_free,
                                       _lab_ssh_wiping_realloc, self);
  if (self->raw == NULL)
    {
      _lab_ssh_session_attempt_failed (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_FAILED,
                                                          "%s",
                                                          _("Could not create an SSH session.")));
      return;
    }
  libssh2_session_set_blocking (self->raw, 0);
  libssh2_session_callback_set (self->raw, LIBSSH2_CALLBACK_RECV,
                                (void *) (gintptr) lab_ssh_connect_recv_cb);
  /* The keepalive reply is what tells a live link from a dead one (see
   * lab_ssh_connect_tick_cb). */
  libssh2_keepalive_config (self->raw, 1, 1);
  lab_ssh_connect_set_hostkey_preference (self);
  /* libssh2's own default list still has CBC ciphers, so a preference that is not taken
   * must end the attempt rather than fall back to it. */
  {
    g_autofree char *ciphers = _lab_ssh_cipher_preference (self->raw);

    rc = ciphers == NULL ? -1
         : libssh2_session_method_pref (self->raw, LIBSSH2_METHOD_CRYPT_CS, ciphers);
    if (rc == 0)
      rc = libssh2_session_method_pref (self->raw, LIBSSH2_METHOD_CRYPT_SC, ciphers);
    if (rc != 0)
      {
        GError *cipher_error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_PROTOCOL,
                                            _("The SSH library offers no safe cipher (%s)."),
                                            _lab_ssh_session_last_error_text (self));

        _lab_ssh_session_attempt_failed (self, cipher_error);
        return;
      }
  }

  self->last_recv = g_get_monotonic_time ();
  self->step = STEP_HANDSHAKE;
  _lab_ssh_connect_run (self);
  _lab_ssh_session_update_watch (self);
}

void
_lab_ssh_connect_start (LabSshSession *self)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!lab_ssh_connect_resolve_config (self, &error))
    {
      _lab_ssh_session_attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s: connecting to %s@%s:%u", self->host, self->user, self->hostname, self->port);
  self->attempt_cancellable = g_cancellable_new ();
  self->step = STEP_TCP;
  self->last_recv = g_get_monotonic_time ();
  self->password_attempt = 0;
  self->rsa_key_rejected = FALSE;
  lab_ssh_connect_start_tick (self);

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, self->connect_timeout);
  /* SSH goes straight to the host: no HTTP proxy lookups (libproxy can block). */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, self->hostname, (guint16) self->port,
                                         self->attempt_cancellable,
                                         lab_ssh_connect_tcp_connected_cb, g_object_ref (self));
}

/* No attempt, the TCP connection under way, the user deciding on the host key, or
 * connected: nothing for the state machine to do. */
static LabSshStepResult
lab_ssh_connect_step_idle (LabSshSession *self)
{
  return LAB_SSH_STEP_WAIT;
}

static LabSshStepResult
lab_ssh_connect_step_handshake (LabSshSession *self)
{
  int rc;

  rc = libssh2_session_handshake (self->raw,
                                  g_socket_get_fd (self->socket));
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return LAB_SSH_STEP_WAIT;
  if (rc != 0)
    {
      _lab_ssh_session_fail_rc (self, rc, rc == LIBSSH2_ERROR_BANNER_RECV
                                          ? _("The server did not answer as an SSH server")
                                          : _("The SSH handshake failed"));
      return LAB_SSH_STEP_WAIT;
    }
  {
    const char *banner = libssh2_session_banner_get (self->raw);

    if (g_set_str_compat (&self->banner, banner))
      g_object_notify (G_OBJECT (self), "server-banner");
  }
  self->step = STEP_HOSTKEY;
  return LAB_SSH_STEP_GO_ON;
}

static LabSshStepResult
lab_ssh_connect_step_hostkey (LabSshSession *self)
{
  size_t len = 0;
  int type = 0;
  const char *key = libssh2_session_hostkey (self->raw, &len, &type);
  g_auto(GStrv) files = NULL;
  g_autoptr(LabKnownHostsResult) result = NULL;
  g_autofree char *accepted = NULL;
  const char *type_name;

  if (key == NULL)
    {
      _lab_ssh_session_fail_rc (self, libssh2_session_last_errno (self->raw),
                                _("The server sent no host key"));
      return LAB_SSH_STEP_WAIT;
    }
  type_name = lab_known_hosts_key_type_name (type);
  g_free (self->fingerprint);
  self->fingerprint = lab_known_hosts_fingerprint ((const guchar *) key, len);
  g_object_notify (G_OBJECT (self), "host-key-fingerprint");
  if (g_set_str_compat (&self->host_key_type, type_name))
    g_object_notify (G_OBJECT (self), "host-key-type");
  g_debug ("%s: host key %s %s", self->host, type_name ? type_name : "?",
           self->fingerprint);

  files = lab_ssh_connect_known_hosts_files (self);
  result = lab_known_hosts_check ((const char * const *) files, self->hostname,
                                  (guint16) self->port, type,
                                  (const guchar *) key, len);
  accepted = g_strdup_printf ("%s:%u %s", self->hostname, self->port,
                              self->fingerprint);
  /* Before anything else, even a key the user accepted for this session: a
   * revoked key is never offered for trust. */
  if (result->status == LAB_KNOWN_HOSTS_REVOKED)
    {
      GError *error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_REVOKED,
                                   _("%s presents the %s key %s, which is "
                                     "marked as revoked in %s (line %u). "
                                     "Mirage Lab refuses it; nothing was sent "
                                     "to the host."),
                                   _lab_ssh_session_display_name (self),
                                   type_name ? type_name : "?",
                                   self->fingerprint, result->file,
                                   result->line);

      _lab_ssh_session_attempt_failed (self, error);
      return LAB_SSH_STEP_WAIT;
    }
  if (result->status == LAB_KNOWN_HOSTS_MATCH
      || g_ptr_array_find_with_equal_func (self->accepted_keys, accepted,
                                           g_str_equal, NULL))
    {
      self->step = STEP_AUTH_LIST;
      return LAB_SSH_STEP_GO_ON;
    }
  if (result->status == LAB_KNOWN_HOSTS_CHANGED)
    {
      GError *error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_CHANGED,
                                   _("The host key of %s has changed! The "
                                     "server now presents the %s key %s, which "
                                     "differs from the one recorded in %s "
                                     "(line %u). Someone could be intercepting "
                                     "the connection, or the host was "
                                     "reinstalled. Nothing was sent to it. If "
                                     "the change is expected, remove the old "
                                     "key from that file and connect again."),
                                   _lab_ssh_session_display_name (self),
                                   type_name ? type_name : "?",
                                   self->fingerprint, result->file,
                                   result->line);

      _lab_ssh_session_attempt_failed (self, error);
      return LAB_SSH_STEP_WAIT;
    }
  if (type_name == NULL)
    {
      GError *error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_UNKNOWN,
                                   _("%s uses an unsupported host key type."),
                                   _lab_ssh_session_display_name (self));

      _lab_ssh_session_attempt_failed (self, error);
      return LAB_SSH_STEP_WAIT;
    }
  {
    g_autoptr(LabSshRequest) request =
      _lab_ssh_request_new (LAB_SSH_REQUEST_HOST_KEY, self->hostname, self->port,
                            self->user);

    _lab_ssh_request_set_host_key (request, type_name, self->fingerprint,
                                   result->other_types_known);
    self->step = STEP_HOSTKEY_WAIT;
    _lab_ssh_session_verify_host_key (self, request);
    /* The answer (request_cb in lab-ssh-session.c) may have failed the attempt already. */
    if (self->raw == NULL)
      return LAB_SSH_STEP_WAIT;
  }
  return LAB_SSH_STEP_GO_ON;
}

static LabSshStepResult
lab_ssh_connect_step_keeper_open (LabSshSession *self)
{
  int rc;

  self->keeper = libssh2_channel_open_session (self->raw);
  if (self->keeper == NULL)
    {
      rc = libssh2_session_last_errno (self->raw);
      if (rc == LIBSSH2_ERROR_EAGAIN)
        return LAB_SSH_STEP_WAIT;
      _lab_ssh_session_fail_rc (self, rc, _("The server refused to open a channel"));
      return LAB_SSH_STEP_WAIT;
    }
  g_clear_pointer (&self->auth_note, g_free);
  self->step = STEP_READY;
  self->reconnect_attempt = 0;
  self->last_recv = self->last_keepalive = g_get_monotonic_time ();
  self->keepalive_pending = 0;
  g_clear_object (&self->attempt_cancellable);
  _lab_ssh_session_connected (self);
  return LAB_SSH_STEP_WAIT;
}

static const LabSshStepFunc connect_steps[] = {
  [STEP_NONE] = lab_ssh_connect_step_idle,
  [STEP_TCP] = lab_ssh_connect_step_idle,
  [STEP_HANDSHAKE] = lab_ssh_connect_step_handshake,
  [STEP_HOSTKEY] = lab_ssh_connect_step_hostkey,
  [STEP_HOSTKEY_WAIT] = lab_ssh_connect_step_idle,
  [STEP_AUTH_LIST] = _lab_ssh_auth_step_list,
  [STEP_AUTH_AGENT_INIT] = _lab_ssh_auth_step_agent_init,
  [STEP_AUTH_AGENT_NEXT] = _lab_ssh_auth_step_agent_next,
  [STEP_AUTH_AGENT_TRY] = _lab_ssh_auth_step_agent_try,
  [STEP_AUTH_KEY_NEXT] = _lab_ssh_auth_step_key_next,
  [STEP_AUTH_KEY_SECRET] = _lab_ssh_auth_step_key_secret,
  [STEP_AUTH_KEY_TRY] = _lab_ssh_auth_step_key_try,
  [STEP_AUTH_PASSWORD_NEXT] = _lab_ssh_auth_step_password_next,
  [STEP_AUTH_KBDINT_TRY] = _lab_ssh_auth_step_password_try,
  [STEP_AUTH_PASSWORD_TRY] = _lab_ssh_auth_step_password_try,
  [STEP_KEEPER_OPEN] = lab_ssh_connect_step_keeper_open,
  [STEP_READY] = lab_ssh_connect_step_idle,
};

G_STATIC_ASSERT (G_N_ELEMENTS (connect_steps) == STEP_READY + 1);

void
_lab_ssh_connect_run (LabSshSession *self)
{
  g_autoptr(LabSshSession) hold = g_object_ref (self);

  while (self->raw != NULL && !self->waiting)
    {
      if (connect_steps[self->step] (self) == LAB_SSH_STEP_WAIT)
        return;
    }
}
