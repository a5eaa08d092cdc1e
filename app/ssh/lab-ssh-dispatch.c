/* lab-ssh-dispatch.c: the main loop drives a session (the socket watch, kicks, passes over
 * the channels' and other clients' I/O) and the bookkeeping its channels rely on
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-dispatch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-ssh-session-private.h"

#define READ_BUFFER_SIZE (256 * 1024)
/* Output handed out per main-loop dispatch before yielding to other sources, and the time
 * one dispatch may take: a console flood must not freeze the window (the benchmark
 * bench-console-flood measures the longest stall). */
#define DISPATCH_BUDGET (512 * 1024)
#define DISPATCH_TIME_US (8 * 1000)
#define MAX_DISPATCH_PASSES 256

static gpointer
lab_ssh_dispatch_ref_copy (gconstpointer object,
                           gpointer      unused)
{
  return g_object_ref ((gpointer) object);
}

GPtrArray *
_lab_ssh_session_copy_channels (LabSshSession *self)
{
  GPtrArray *channels = g_ptr_array_copy (self->channels, lab_ssh_dispatch_ref_copy, NULL);

  g_ptr_array_set_free_func (channels, g_object_unref);
  return channels;
}

/* ------------------------------------------------------------------------------------------ */
/* Clients that are not channels                                                              */

typedef struct
{
  GObject          *object;
  LabSshClientStep  step;
  LabSshClientLost  lost;
} LabSshClient;

static void
lab_ssh_dispatch_client_free (gpointer data)
{
  LabSshClient *client = data;

  g_object_unref (client->object);
  g_free (client);
}

static LabSshClient *
lab_ssh_dispatch_find_client (LabSshSession *self,
                              GObject       *object)
{
  for (guint i = 0; self->clients != NULL && i < self->clients->len; i++)
    {
      LabSshClient *client = g_ptr_array_index (self->clients, i);

      if (client->object == object)
        return client;
    }
  return NULL;
}

void
_lab_ssh_session_add_client (LabSshSession    *self,
                             GObject          *object,
                             LabSshClientStep  step,
                             LabSshClientLost  lost)
{
  LabSshClient *client;

  g_return_if_fail (_lab_ssh_session_is_connected (self));
  g_return_if_fail (lab_ssh_dispatch_find_client (self, object) == NULL);

  if (self->clients == NULL)
    self->clients = g_ptr_array_new_with_free_func (lab_ssh_dispatch_client_free);
  client = g_new0 (LabSshClient, 1);
  client->object = g_object_ref (object);
  client->step = step;
  client->lost = lost;
  g_ptr_array_add (self->clients, client);
  _lab_ssh_session_kick (self);
}

void
_lab_ssh_session_remove_client (LabSshSession *self,
                                GObject       *object)
{
  LabSshClient *client = lab_ssh_dispatch_find_client (self, object);

  if (client != NULL)
    g_ptr_array_remove (self->clients, client);
}

void
_lab_ssh_session_clients_lost (LabSshSession *self,
                               const GError  *error)
{
  g_autoptr(GPtrArray) clients = g_steal_pointer (&self->clients);

  for (guint i = 0; clients != NULL && i < clients->len; i++)
    {
      LabSshClient *client = g_ptr_array_index (clients, i);

      client->lost (client->object, error);
    }
}

/* One step of each client; a client may remove itself (or another) meanwhile. */
static gboolean
lab_ssh_dispatch_clients (LabSshSession *self,
                          int           *fatal_rc)
{
  g_autoptr(GPtrArray) objects = NULL;
  gboolean progress = FALSE;

  if (self->clients == NULL || self->clients->len == 0)
    return FALSE;
  objects = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->clients->len; i++)
    {
      LabSshClient *client = g_ptr_array_index (self->clients, i);

      g_ptr_array_add (objects, g_object_ref (client->object));
    }

  for (guint i = 0; i < objects->len && *fatal_rc == 0 && !self->teardown_pending; i++)
    {
      LabSshClient *client = lab_ssh_dispatch_find_client (self, g_ptr_array_index (objects, i));

      if (client != NULL)
        progress |= client->step (client->object, fatal_rc);
    }
  return progress;
}

/* ------------------------------------------------------------------------------------------ */
/* Dispatching channel I/O                                                                    */

static void
lab_ssh_dispatch_channels (LabSshSession *self)
{
  g_autoptr(LabSshSession) hold = g_object_ref (self);
  gsize budget = DISPATCH_BUDGET;
  gint64 deadline = g_get_monotonic_time () + DISPATCH_TIME_US;
  gboolean out_of_time = FALSE;
  int fatal_rc = 0;

  if (self->dispatching || self->raw == NULL || self->step != STEP_READY)
    return;
  self->dispatching = TRUE;

  for (guint pass = 0; pass < MAX_DISPATCH_PASSES && fatal_rc == 0; pass++)
    {
      g_autoptr(GPtrArray) channels = _lab_ssh_session_copy_channels (self);
      gboolean progress = FALSE;

      /* Pumps the transport (keepalive replies, EOF of a dead server) when no channel
       * reads; data for other channels is queued inside libssh2 for them. */
      if (self->keeper != NULL)
        {
          char dummy[64];
          ssize_t n = libssh2_channel_read (self->keeper, dummy, sizeof dummy);

          if (n < 0 && n != LIBSSH2_ERROR_EAGAIN && _lab_ssh_rc_is_fatal ((int) n))
            fatal_rc = (int) n;
        }

      for (guint i = 0; i < channels->len && fatal_rc == 0 && !self->teardown_pending; i++)
        progress |= _lab_ssh_channel_step (g_ptr_array_index (channels, i), &budget, &fatal_rc);

      if (fatal_rc == 0 && !self->teardown_pending)
        progress |= lab_ssh_dispatch_clients (self, &fatal_rc);

      for (guint i = 0; i < self->closing->len && fatal_rc == 0 && !self->teardown_pending;)
        {
          int rc = libssh2_channel_free (g_ptr_array_index (self->closing, i));

          if (rc == LIBSSH2_ERROR_EAGAIN)
            i++;
          else
            {
              g_ptr_array_remove_index_fast (self->closing, i);
              for (guint j = 0; j < self->channels->len; j++)
                _lab_ssh_channel_slot_freed (g_ptr_array_index (self->channels, j));
              progress = TRUE;
              if (_lab_ssh_rc_is_fatal (rc))
                fatal_rc = rc;
            }
        }

      if (!progress || budget == 0 || self->teardown_pending)
        break;
      if (g_get_monotonic_time () >= deadline)
        {
          out_of_time = TRUE;
          break;
        }
    }

  self->dispatching = FALSE;

  if (self->teardown_pending)
    {
      self->teardown_pending = FALSE;
      _lab_ssh_session_teardown (self, NULL, TRUE);
      return;
    }
  if (fatal_rc != 0)
    {
      g_autofree char *why = NULL;

      if (fatal_rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || fatal_rc == LIBSSH2_ERROR_SOCKET_RECV
          || fatal_rc == LIBSSH2_ERROR_SOCKET_SEND)
        why = g_strdup (_("the server closed the connection"));
      else
        why = g_strdup_printf ("%s (%d)", _lab_ssh_session_last_error_text (self), fatal_rc);
      _lab_ssh_session_connection_lost (self, why);
      return;
    }
  /* libssh2 may hold decrypted data the socket no longer signals: come back soon. */
  if (budget == 0 || out_of_time)
    _lab_ssh_session_kick (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Main-loop plumbing                                                                         */

static gboolean
lab_ssh_dispatch_socket_ready_cb (GSocket      *socket,
                                  GIOCondition  condition,
                                  gpointer      user_data)
{
  LabSshSession *self = user_data;
  g_autoptr(LabSshSession) hold = g_object_ref (self);

  /* The source is re-created by _lab_ssh_session_update_watch() when the condition
   * changes. */
  if (self->step == STEP_READY)
    lab_ssh_dispatch_channels (self);
  else if (self->step != STEP_NONE && self->step != STEP_TCP && !self->waiting)
    _lab_ssh_connect_run (self);
  if (self->socket_source != NULL)
    _lab_ssh_session_update_watch (self);
  return G_SOURCE_CONTINUE;
}

void
_lab_ssh_session_clear_watch (LabSshSession *self)
{
  if (self->socket_source != NULL)
    {
      g_source_destroy (self->socket_source);
      g_clear_pointer (&self->socket_source, g_source_unref);
    }
  self->watched = 0;
}

void
_lab_ssh_session_update_watch (LabSshSession *self)
{
  GIOCondition cond = G_IO_HUP | G_IO_ERR;
  int dir;

  if (self->raw == NULL || self->socket == NULL || self->step == STEP_TCP
      || self->step == STEP_NONE)
    {
      _lab_ssh_session_clear_watch (self);
      return;
    }

  dir = libssh2_session_block_directions (self->raw);
  if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
    cond |= G_IO_IN;
  if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
    cond |= G_IO_OUT;
  if (self->step == STEP_READY)
    cond |= G_IO_IN;
  if (self->waiting && !(dir & LIBSSH2_SESSION_BLOCK_OUTBOUND))
    cond = G_IO_HUP | G_IO_ERR;

  if (self->socket_source != NULL && cond == self->watched)
    return;
  _lab_ssh_session_clear_watch (self);
  self->watched = cond;
  self->socket_source = g_socket_create_source (self->socket, cond, NULL);
  g_source_set_callback (self->socket_source, G_SOURCE_FUNC (lab_ssh_dispatch_socket_ready_cb),
                         self, NULL);
  g_source_attach (self->socket_source, NULL);
}

static gboolean
lab_ssh_dispatch_kick_cb (gpointer user_data)
{
  LabSshSession *self = user_data;
  g_autoptr(LabSshSession) hold = g_object_ref (self);

  self->kick_id = 0;
  if (self->step == STEP_READY)
    lab_ssh_dispatch_channels (self);
  else if (self->step != STEP_NONE && self->step != STEP_TCP && !self->waiting)
    _lab_ssh_connect_run (self);
  _lab_ssh_session_update_watch (self);
  return G_SOURCE_REMOVE;
}

void
_lab_ssh_session_kick (LabSshSession *self)
{
  g_return_if_fail (LAB_IS_SSH_SESSION (self));

  if (self->kick_id == 0)
    self->kick_id = g_idle_add_full (G_PRIORITY_DEFAULT, lab_ssh_dispatch_kick_cb, self,
                                     NULL);
}


/* ------------------------------------------------------------------------------------------ */
/* What the channels use                                                                      */

LIBSSH2_SESSION *
_lab_ssh_session_get_raw (LabSshSession *self)
{
  return self->step == STEP_READY ? self->raw : NULL;
}

gboolean
_lab_ssh_session_claim_open (LabSshSession *self,
                             gpointer       owner)
{
  if (self->open_owner != NULL && self->open_owner != owner)
    return FALSE;
  self->open_owner = owner;
  return TRUE;
}

void
_lab_ssh_session_release_open (LabSshSession *self,
                               gpointer       owner)
{
  if (self->open_owner == owner)
    self->open_owner = NULL;
}

void
_lab_ssh_session_add_channel (LabSshSession *self,
                              LabSshChannel *channel)
{
  if (!g_ptr_array_find (self->channels, channel, NULL))
    g_ptr_array_add (self->channels, g_object_ref (channel));
}

void
_lab_ssh_session_remove_channel (LabSshSession *self,
                                 LabSshChannel *channel)
{
  if (!g_ptr_array_remove (self->channels, channel))
    return;
  for (guint i = 0; i < self->channels->len; i++)
    _lab_ssh_channel_slot_freed (g_ptr_array_index (self->channels, i));
  if (self->step == STEP_READY)
    _lab_ssh_session_kick (self);
}

gboolean
_lab_ssh_session_has_other_channels (LabSshSession *self,
                                     LabSshChannel *channel)
{
  if (self->closing->len > 0)
    return TRUE;
  for (guint i = 0; i < self->channels->len; i++)
    {
      LabSshChannel *other = g_ptr_array_index (self->channels, i);

      if (other != channel && _lab_ssh_channel_has_raw (other))
        return TRUE;
    }
  return FALSE;
}

void
_lab_ssh_session_adopt_closing (LabSshSession   *self,
                                LIBSSH2_CHANNEL *raw)
{
  g_ptr_array_add (self->closing, raw);
}

guchar *
_lab_ssh_session_get_buffer (LabSshSession *self,
                             gsize         *len)
{
  if (self->buffer == NULL)
    self->buffer = g_malloc (READ_BUFFER_SIZE);
  *len = READ_BUFFER_SIZE;
  return self->buffer;
}

gboolean
_lab_ssh_session_is_connected (LabSshSession *self)
{
  return self->state == LAB_SSH_STATE_CONNECTED && self->step == STEP_READY;
}
