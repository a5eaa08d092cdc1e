/* lab-ssh-auth.c: logging in (agent, key files, keyboard-interactive, password)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-ssh-secrets.h"
#include "lab-ssh-session-private.h"

#define MAX_PASSWORD_ATTEMPTS 3
#define MAX_PASSPHRASE_ATTEMPTS 3

static gboolean
method_allowed (LabSshSession *self,
                const char    *ours,
                const char    *servers)
{
  g_auto(GStrv) list = NULL;

  if (self->auth_methods != NULL && !g_strv_contains ((const char * const *) self->auth_methods,
                                                      ours))
    return FALSE;
  if (self->auth_list == NULL)
    return FALSE;
  list = g_strsplit (self->auth_list, ",", -1);
  return g_strv_contains ((const char * const *) list, servers);
}

static guint32
read_u32 (const guchar *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_BE (v);
}

/* Reads what we need from a private key file without decrypting it: its type and whether a
 * passphrase protects it. */
static gboolean
inspect_key_file (const char *path,
                  gboolean   *encrypted,
                  gboolean   *is_rsa)
{
  g_autofree char *contents = NULL;
  const char *begin_openssh = "-----BEGIN OPENSSH PRIVATE KEY-----";

  *encrypted = FALSE;
  *is_rsa = FALSE;
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  if (strstr (contents, begin_openssh) != NULL)
    {
      g_autoptr(GString) b64 = g_string_new (NULL);
      const char *p = strstr (contents, begin_openssh) + strlen (begin_openssh);
      const char *end = strstr (p, "-----END");
      g_autofree guchar *blob = NULL;
      gsize len = 0, off;
      guint32 n;

      if (end == NULL)
        return FALSE;
      for (; p < end; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (b64, *p);
      blob = g_base64_decode (b64->str, &len);
      off = strlen ("openssh-key-v1") + 1;
      if (len < off + 4 || memcmp (blob, "openssh-key-v1", off) != 0)
        return FALSE;
      /* string ciphername */
      n = read_u32 (blob + off);
      if (off + 4 + n > len)
        return FALSE;
      *encrypted = !(n == 4 && memcmp (blob + off + 4, "none", 4) == 0);
      off += 4 + n;
      /* string kdfname, string kdfoptions */
      for (int i = 0; i < 2; i++)
        {
          if (off + 4 > len)
            return FALSE;
          n = read_u32 (blob + off);
          off += 4 + n;
        }
      /* uint32 nkeys, string publickey { string type, ... } */
      off += 4 + 4;
      if (off + 4 > len)
        return FALSE;
      n = read_u32 (blob + off);
      *is_rsa = off + 4 + n <= len && n == 7 && memcmp (blob + off + 4, "ssh-rsa", 7) == 0;
      return TRUE;
    }

  *is_rsa = strstr (contents, "BEGIN RSA PRIVATE KEY") != NULL;
  *encrypted = strstr (contents, "ENCRYPTED") != NULL;
  return TRUE;
}

static void
kbdint_cb (const char                             *name,
           int                                     name_len,
           const char                             *instruction,
           int                                     instruction_len,
           int                                     num_prompts,
           const LIBSSH2_USERAUTH_KBDINT_PROMPT   *prompts,
           LIBSSH2_USERAUTH_KBDINT_RESPONSE       *responses,
           void                                  **abstract)
{
  LabSshSession *self = *abstract;

  /* Every hidden prompt of PAM's conversation is the password; visible ones get "".
   * libssh2 frees the answers (and the packet it copies them into) with the session's
   * free function, _lab_ssh_wiping_free, which overwrites them first. */
  for (int i = 0; i < num_prompts; i++)
    {
      const char *answer = prompts[i].echo == 0 && self->password != NULL ? self->password : "";
      size_t len = strlen (answer);

      responses[i].text = _lab_ssh_wiping_alloc (len + 1, abstract);
      if (responses[i].text == NULL)
        {
          responses[i].length = 0;
          continue;
        }
      memcpy (responses[i].text, answer, len + 1);
      responses[i].length = (unsigned int) len;
    }
}

static void
keyring_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LabSshSession) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = lab_ssh_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->waiting)
    {
      lab_ssh_secret_free (secret);
      return;
    }
  if (secret != NULL)
    {
      if (self->step == STEP_AUTH_KEY_SECRET)
        {
          _lab_ssh_session_secret_clear (&self->passphrase);
          self->passphrase = g_strdup (secret);
        }
      else
        {
          _lab_ssh_session_secret_clear (&self->password);
          self->password = g_strdup (secret);
        }
    }
  lab_ssh_secret_free (secret);
  _lab_ssh_session_resume (self);
}

static void
authenticated (LabSshSession *self,
               const char    *method)
{
  g_debug ("%s: authenticated as %s with %s", self->host, self->user, method);
  self->auth_method = method;
  g_object_notify (G_OBJECT (self), "auth-method");

  if (g_str_equal (method, "publickey") && self->passphrase != NULL)
    {
      g_hash_table_replace (self->passphrases, g_strdup (self->key_file),
                            g_strdup (self->passphrase));
      if (self->passphrase_remember && self->use_secret_store)
        lab_ssh_secrets_store_async (LAB_SSH_SECRET_PASSPHRASE, NULL, NULL, 0, self->key_file,
                                     self->passphrase, NULL, _lab_ssh_session_store_cb, NULL);
      self->passphrase_remember = FALSE;
    }
  if ((g_str_equal (method, "password") || g_str_equal (method, "keyboard-interactive"))
      && self->password_remember && self->use_secret_store)
    {
      lab_ssh_secrets_store_async (LAB_SSH_SECRET_PASSWORD, self->user, self->hostname,
                                   self->port, NULL, self->password, NULL,
                                   _lab_ssh_session_store_cb, NULL);
      self->password_remember = FALSE;
    }
  self->step = STEP_KEEPER_OPEN;
}

static void
auth_exhausted (LabSshSession *self)
{
  GError *error;

  if (self->rsa_key_rejected)
    error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_RSA_UNSUPPORTED,
                         _("%s refused your RSA key. Mirage Lab's SSH library "
                           "can only sign with RSA/SHA-1 (“ssh-rsa”), which "
                           "OpenSSH 8.8 and later refuse. Use or create an "
                           "ed25519 key (ssh-keygen -t ed25519) and add it to "
                           "~/.ssh/authorized_keys on the host."),
                         _lab_ssh_session_display_name (self));
  else if (self->ask_cancelled)
    error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_AUTH_FAILED,
                         _("Authentication to %s@%s was cancelled."),
                         self->user, _lab_ssh_session_display_name (self));
  else
    error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_AUTH_FAILED,
                         _("Could not log in to %s@%s (the server accepts: %s)."),
                         self->user, _lab_ssh_session_display_name (self),
                         self->auth_list != NULL ? self->auth_list : "?");
  _lab_ssh_session_attempt_failed (self, error);
}

static gboolean
blob_is_rsa (const unsigned char *blob,
             size_t               len)
{
  return len > 11 && memcmp (blob, "\0\0\0\7ssh-rsa", 11) == 0;
}

LabSshStepResult
_lab_ssh_auth_step_list (LabSshSession *self)
{
  const char *list = libssh2_userauth_list (self->raw, self->user,
                                            (unsigned int) strlen (self->user));
  int rc;

  if (list == NULL)
    {
      rc = libssh2_session_last_errno (self->raw);
      if (libssh2_userauth_authenticated (self->raw))
        {
          authenticated (self, "none");
          return LAB_SSH_STEP_GO_ON;
        }
      if (rc == LIBSSH2_ERROR_EAGAIN)
        return LAB_SSH_STEP_WAIT;
      _lab_ssh_session_fail_rc (self, rc, _("The server did not list its login methods"));
      return LAB_SSH_STEP_WAIT;
    }
  g_free (self->auth_list);
  self->auth_list = g_strdup (list);
  g_debug ("%s: server accepts %s", self->host, list);
  self->key_index = 0;
  self->step = STEP_AUTH_AGENT_INIT;
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_agent_init (LabSshSession *self)
{
  const char *sock = self->agent_socket != NULL ? self->agent_socket
                     : g_getenv ("SSH_AUTH_SOCK");

  self->step = STEP_AUTH_KEY_NEXT;
  if (!self->use_agent || sock == NULL || *sock == '\0'
      || !method_allowed (self, "agent", "publickey"))
    return LAB_SSH_STEP_GO_ON;
  self->agent = libssh2_agent_init (self->raw);
  if (self->agent == NULL)
    return LAB_SSH_STEP_GO_ON;
  libssh2_agent_set_identity_path (self->agent, sock);
  /* The agent is a local Unix socket: these calls do not wait on the network. */
  if (libssh2_agent_connect (self->agent) != 0
      || libssh2_agent_list_identities (self->agent) != 0)
    {
      g_debug ("%s: ssh-agent not usable", self->host);
      libssh2_agent_free (self->agent);
      self->agent = NULL;
      return LAB_SSH_STEP_GO_ON;
    }
  self->agent_identity = NULL;
  self->step = STEP_AUTH_AGENT_NEXT;
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_agent_next (LabSshSession *self)
{
  struct libssh2_agent_publickey *next = NULL;
  int rc;

  rc = libssh2_agent_get_identity (self->agent, &next, self->agent_identity);
  if (rc != 0)
    {
      libssh2_agent_disconnect (self->agent);
      libssh2_agent_free (self->agent);
      self->agent = NULL;
      self->agent_identity = NULL;
      self->step = STEP_AUTH_KEY_NEXT;
      return LAB_SSH_STEP_GO_ON;
    }
  self->agent_identity = next;
  self->step = STEP_AUTH_AGENT_TRY;
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_agent_try (LabSshSession *self)
{
  int rc;

  rc = libssh2_agent_userauth (self->agent, self->user, self->agent_identity);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return LAB_SSH_STEP_WAIT;
  if (rc == 0)
    {
      authenticated (self, "agent");
      return LAB_SSH_STEP_GO_ON;
    }
  if (_lab_ssh_rc_is_fatal (rc))
    {
      _lab_ssh_session_fail_rc (self, rc, _("Authentication failed"));
      return LAB_SSH_STEP_WAIT;
    }
  if (blob_is_rsa (self->agent_identity->blob, self->agent_identity->blob_len))
    self->rsa_key_rejected = TRUE;
  g_debug ("%s: agent key %s refused", self->host, self->agent_identity->comment);
  self->step = STEP_AUTH_AGENT_NEXT;
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_key_next (LabSshSession *self)
{
  const char *path = NULL;

  if (!method_allowed (self, "publickey", "publickey"))
    {
      self->step = STEP_AUTH_PASSWORD_NEXT;
      return LAB_SSH_STEP_GO_ON;
    }
  while (self->identities[self->key_index] != NULL)
    {
      const char *candidate = self->identities[self->key_index++];

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR)
          && inspect_key_file (candidate, &self->key_encrypted, &self->key_is_rsa))
        {
          path = candidate;
          break;
        }
    }
  if (path == NULL)
    {
      self->step = STEP_AUTH_PASSWORD_NEXT;
      return LAB_SSH_STEP_GO_ON;
    }
  g_free (self->key_file);
  self->key_file = g_strdup (path);
  _lab_ssh_session_secret_clear (&self->passphrase);
  self->passphrase_attempt = 0;
  self->passphrase_lookup_done = FALSE;
  g_clear_pointer (&self->auth_note, g_free);
  if (self->key_encrypted)
    {
      const char *known = g_hash_table_lookup (self->passphrases, path);

      if (known != NULL)
        self->passphrase = g_strdup (known);
      self->step = STEP_AUTH_KEY_SECRET;
    }
  else
    self->step = STEP_AUTH_KEY_TRY;
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_key_secret (LabSshSession *self)
{
  if (self->passphrase != NULL)
    {
      self->step = STEP_AUTH_KEY_TRY;
      return LAB_SSH_STEP_GO_ON;
    }
  if (self->ask_cancelled)
    {
      self->ask_cancelled = FALSE;
      self->step = STEP_AUTH_KEY_NEXT;
      return LAB_SSH_STEP_GO_ON;
    }
  if (self->use_secret_store && !self->passphrase_lookup_done)
    {
      self->passphrase_lookup_done = TRUE;
      self->waiting = TRUE;
      lab_ssh_secrets_lookup_async (LAB_SSH_SECRET_PASSPHRASE, NULL, NULL, 0,
                                    self->key_file, self->attempt_cancellable,
                                    keyring_lookup_cb, g_object_ref (self));
      return LAB_SSH_STEP_WAIT;
    }
  {
    g_autoptr(LabSshRequest) request =
      _lab_ssh_request_new (LAB_SSH_REQUEST_PASSPHRASE, self->hostname, self->port,
                            self->user);
    g_autofree char *message = NULL;

    message = self->auth_note != NULL ? g_strdup (self->auth_note)
              : g_strdup_printf (_("Enter the passphrase of the key %s"),
                                 self->key_file);
    _lab_ssh_request_set_secret_info (request, message, self->key_file,
                                      self->passphrase_attempt + 1);
    _lab_ssh_session_ask_secret (self, request);
    if (self->raw == NULL || self->waiting)
      return LAB_SSH_STEP_WAIT;
  }
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_key_try (LabSshSession *self)
{
  int rc;

  rc = libssh2_userauth_publickey_fromfile_ex (self->raw, self->user,
                                               (unsigned int) strlen (self->user), NULL,
                                               self->key_file,
                                               self->passphrase != NULL
                                               ? self->passphrase : "");
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return LAB_SSH_STEP_WAIT;
  if (rc == 0)
    {
      authenticated (self, "publickey");
      return LAB_SSH_STEP_GO_ON;
    }
  if (_lab_ssh_rc_is_fatal (rc))
    {
      _lab_ssh_session_fail_rc (self, rc, _("Authentication failed"));
      return LAB_SSH_STEP_WAIT;
    }
  if (rc == LIBSSH2_ERROR_FILE && self->key_encrypted
      && ++self->passphrase_attempt < MAX_PASSPHRASE_ATTEMPTS)
    {
      /* A wrong passphrase: ask again, never from the keyring. */
      g_hash_table_remove (self->passphrases, self->key_file);
      _lab_ssh_session_secret_clear (&self->passphrase);
      self->passphrase_lookup_done = TRUE;
      g_free (self->auth_note);
      self->auth_note = g_strdup_printf (_("Wrong passphrase for %s, try again"),
                                         self->key_file);
      self->step = STEP_AUTH_KEY_SECRET;
      return LAB_SSH_STEP_GO_ON;
    }
  if (rc != LIBSSH2_ERROR_FILE && self->key_is_rsa)
    self->rsa_key_rejected = TRUE;
  g_debug ("%s: key %s not accepted (%d)", self->host, self->key_file, rc);
  self->step = STEP_AUTH_KEY_NEXT;
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_password_next (LabSshSession *self)
{
  self->use_kbdint = method_allowed (self, "keyboard-interactive",
                                     "keyboard-interactive");
  if (!self->use_kbdint && !method_allowed (self, "password", "password"))
    {
      auth_exhausted (self);
      return LAB_SSH_STEP_WAIT;
    }
  if (self->password_attempt >= MAX_PASSWORD_ATTEMPTS)
    {
      auth_exhausted (self);
      return LAB_SSH_STEP_WAIT;
    }
  if (self->password != NULL)
    {
      self->step = self->use_kbdint ? STEP_AUTH_KBDINT_TRY : STEP_AUTH_PASSWORD_TRY;
      return LAB_SSH_STEP_GO_ON;
    }
  if (self->ask_cancelled)
    {
      auth_exhausted (self);
      return LAB_SSH_STEP_WAIT;
    }
  if (self->use_secret_store && !self->password_lookup_done)
    {
      self->password_lookup_done = TRUE;
      self->waiting = TRUE;
      lab_ssh_secrets_lookup_async (LAB_SSH_SECRET_PASSWORD, self->user, self->hostname,
                                    self->port, NULL, self->attempt_cancellable,
                                    keyring_lookup_cb, g_object_ref (self));
      return LAB_SSH_STEP_WAIT;
    }
  {
    g_autoptr(LabSshRequest) request =
      _lab_ssh_request_new (LAB_SSH_REQUEST_PASSWORD, self->hostname, self->port,
                            self->user);
    g_autofree char *message = NULL;

    message = self->auth_note != NULL ? g_strdup (self->auth_note)
              : g_strdup_printf (_("Password for %s@%s"), self->user,
                                 _lab_ssh_session_display_name (self));
    _lab_ssh_request_set_secret_info (request, message, NULL,
                                      self->password_attempt + 1);
    _lab_ssh_session_ask_secret (self, request);
    if (self->raw == NULL || self->waiting)
      return LAB_SSH_STEP_WAIT;
  }
  return LAB_SSH_STEP_GO_ON;
}

LabSshStepResult
_lab_ssh_auth_step_password_try (LabSshSession *self)
{
  int rc;

  if (self->step == STEP_AUTH_KBDINT_TRY)
    rc = libssh2_userauth_keyboard_interactive_ex (self->raw, self->user,
                                                   (unsigned int) strlen (self->user),
                                                   kbdint_cb);
  else
    rc = libssh2_userauth_password_ex (self->raw, self->user,
                                       (unsigned int) strlen (self->user),
                                       self->password,
                                       (unsigned int) strlen (self->password), NULL);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return LAB_SSH_STEP_WAIT;
  if (rc == 0)
    {
      authenticated (self, self->step == STEP_AUTH_KBDINT_TRY ? "keyboard-interactive"
                                                              : "password");
      return LAB_SSH_STEP_GO_ON;
    }
  if (_lab_ssh_rc_is_fatal (rc))
    {
      _lab_ssh_session_fail_rc (self, rc, _("Authentication failed"));
      return LAB_SSH_STEP_WAIT;
    }
  if (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED)
    {
      GError *expired = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_AUTH_FAILED,
                                     _("The password of %s@%s has expired; change "
                                       "it on the host first."),
                                     self->user, _lab_ssh_session_display_name (self));

      _lab_ssh_session_attempt_failed (self, expired);
      return LAB_SSH_STEP_WAIT;
    }
  /* Wrong password (never logged): forget it and ask again. */
  _lab_ssh_session_secret_clear (&self->password);
  self->password_remember = FALSE;
  self->password_lookup_done = TRUE;
  self->password_attempt++;
  g_free (self->auth_note);
  self->auth_note = g_strdup_printf (_("Wrong password for %s@%s, try again"),
                                     self->user, _lab_ssh_session_display_name (self));
  self->step = STEP_AUTH_PASSWORD_NEXT;
  return LAB_SSH_STEP_GO_ON;
}
