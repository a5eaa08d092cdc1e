/* lab-ssh-forward.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-forward"

#include "config.h"

#include "lab-ssh-channel.h"
#include "lab-ssh-forward-private.h"

#define READ_CHUNK (32 * 1024)

struct _LabSshForward
{
  GObject           parent_instance;

  LabSshSession    *session;
  char             *host;
  guint             port;
  GSocketService   *service;
  guint             local_port;
  GList            *links;
  gsize             max_queued;     /* the longest any link's queue has been */
};

G_DEFINE_FINAL_TYPE (LabSshForward, lab_ssh_forward, G_TYPE_OBJECT)

/* One accepted local connection and its channel. */
typedef struct
{
  LabSshForward     *forward;        /* not owned: links end before the forward */
  GSocketConnection *connection;
  LabSshChannel     *channel;
  GCancellable      *cancellable;
  GQueue             to_local;       /* GBytes from dom0 waiting to be written locally */
  gsize              queued;         /* their bytes */
  gboolean           paused;         /* dom0's side held back while the queue drains */
  gboolean           writing;
  gboolean           remote_eof;     /* dom0 is done sending */
  gboolean           local_shut;     /* ... and the local side was told so */
  gboolean           remote_closed;
} Link;

static void link_write_next (Link *link);

/* dom0's EOF, passed on as a half-close of the local connection (as ssh -L does): a client
 * that reads until EOF (an HTTP/1.0 answer) is done, and its own close ends the channel.
 * sshd closes a direct-tcpip channel only after both sides sent EOF, so waiting for that
 * close instead would leave such a client waiting forever. */
static void
link_shut_local (Link *link)
{
  g_autoptr(GError) error = NULL;

  link->local_shut = TRUE;
  if (!g_socket_shutdown (g_socket_connection_get_socket (link->connection), FALSE, TRUE,
                          &error))
    g_debug ("cannot pass dom0's EOF on: %s", error->message);
}

/* A local reader slower than dom0 (a browser that stalls) must not make the queue grow
 * without bound: past LAB_SSH_FORWARD_QUEUE_MAX, the channel stops reading, and SSH's
 * window holds dom0 back. */
static void
link_update_pause (Link *link)
{
  gboolean paused = link->queued > LAB_SSH_FORWARD_QUEUE_MAX;

  if (paused == link->paused || link->channel == NULL)
    return;
  link->paused = paused;
  lab_ssh_channel_set_output_paused (link->channel, paused);
}

static void
link_free (Link *link)
{
  g_cancellable_cancel (link->cancellable);
  if (link->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (link->channel, link);
      lab_ssh_channel_close (link->channel);
      g_clear_object (&link->channel);
    }
  if (link->connection != NULL)
    g_io_stream_close (G_IO_STREAM (link->connection), NULL, NULL);
  g_clear_object (&link->connection);
  g_clear_object (&link->cancellable);
  g_queue_clear_full (&link->to_local, (GDestroyNotify) g_bytes_unref);
  g_free (link);
}

static void
link_end (Link *link)
{
  LabSshForward *self = link->forward;

  self->links = g_list_remove (self->links, link);
  link_free (link);
}

static void
link_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Link *link = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("local side went away: %s", error->message);
          link->writing = FALSE;
          link_end (link);
        }
      return;
    }
  {
    GBytes *done = g_queue_pop_head (&link->to_local);

    link->queued -= g_bytes_get_size (done);
    g_bytes_unref (done);
  }
  link->writing = FALSE;
  link_update_pause (link);
  link_write_next (link);
}

static void
link_write_next (Link *link)
{
  GBytes *bytes;
  gsize len;
  const void *data;

  if (link->writing)
    return;
  bytes = g_queue_peek_head (&link->to_local);
  if (bytes == NULL)
    {
      /* Everything dom0 sent is written: when it is done sending, so are we. */
      if (link->remote_closed)
        link_end (link);
      else if (link->remote_eof && !link->local_shut)
        link_shut_local (link);
      return;
    }
  link->writing = TRUE;
  data = g_bytes_get_data (bytes, &len);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (link->connection)),
                                   data, len, G_PRIORITY_DEFAULT, link->cancellable,
                                   link_written, link);
}

static void
on_remote_data (Link          *link,
                GBytes        *bytes,
                LabSshChannel *channel)
{
  g_queue_push_tail (&link->to_local, g_bytes_ref (bytes));
  link->queued += g_bytes_get_size (bytes);
  link->forward->max_queued = MAX (link->forward->max_queued, link->queued);
  link_update_pause (link);
  link_write_next (link);
}

static void
on_remote_eof (Link          *link,
               LabSshChannel *channel)
{
  link->remote_eof = TRUE;
  link_write_next (link);
}

static void
on_remote_closed (Link          *link,
                  int            status,
                  LabSshChannel *channel)
{
  link->remote_closed = TRUE;
  link_write_next (link);
}

static void link_read_next (Link *link);

static void
link_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Link *link = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        link_end (link);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      /* The browser is done sending; the answer may still be on its way. */
      lab_ssh_channel_send_eof (link->channel);
      return;
    }
  lab_ssh_channel_write (link->channel, bytes);
  link_read_next (link);
}

static void
link_read_next (Link *link)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (link->connection)),
                                   READ_CHUNK, G_PRIORITY_DEFAULT, link->cancellable,
                                   link_read, link);
}

static void
link_started (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Link *link = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("dom0 could not connect to %s:%u: %s", link->forward->host,
                   link->forward->port, error->message);
          link_end (link);
        }
      return;
    }
  link_read_next (link);
}

static gboolean
on_incoming (LabSshForward     *self,
             GSocketConnection *connection,
             GObject           *source_object,
             GSocketService    *service)
{
  Link *link = g_new0 (Link, 1);

  link->forward = self;
  link->connection = g_object_ref (connection);
  link->cancellable = g_cancellable_new ();
  g_queue_init (&link->to_local);
  link->channel = lab_ssh_session_create_tcpip_channel (self->session, self->host, self->port);
  g_signal_connect_swapped (link->channel, "stdout-data", G_CALLBACK (on_remote_data), link);
  g_signal_connect_swapped (link->channel, "eof", G_CALLBACK (on_remote_eof), link);
  g_signal_connect_swapped (link->channel, "closed", G_CALLBACK (on_remote_closed), link);
  self->links = g_list_prepend (self->links, link);
  lab_ssh_channel_start_async (link->channel, link->cancellable, link_started, link);
  return TRUE;
}

LabSshForward *
lab_ssh_forward_new (LabSshSession  *session,
                     const char     *host,
                     guint           port,
                     GError        **error)
{
  g_autoptr(LabSshForward) self = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (LAB_IS_SSH_SESSION (session), NULL);
  g_return_val_if_fail (host != NULL && port > 0 && port < 65536, NULL);

  self = g_object_new (LAB_TYPE_SSH_FORWARD, NULL);
  self->session = g_object_ref (session);
  self->host = g_strdup (host);
  self->port = port;
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    return NULL;
  self->local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (on_incoming), self,
                           G_CONNECT_SWAPPED);
  g_socket_service_start (self->service);
  g_debug ("127.0.0.1:%u → %s:%u through SSH", self->local_port, host, port);
  return g_steal_pointer (&self);
}

guint
lab_ssh_forward_get_local_port (LabSshForward *self)
{
  g_return_val_if_fail (LAB_IS_SSH_FORWARD (self), 0);
  return self->local_port;
}

gsize
lab_ssh_forward_get_max_queued (LabSshForward *self)
{
  g_return_val_if_fail (LAB_IS_SSH_FORWARD (self), 0);
  return self->max_queued;
}

const char *
lab_ssh_forward_get_host (LabSshForward *self)
{
  g_return_val_if_fail (LAB_IS_SSH_FORWARD (self), NULL);
  return self->host;
}

guint
lab_ssh_forward_get_port (LabSshForward *self)
{
  g_return_val_if_fail (LAB_IS_SSH_FORWARD (self), 0);
  return self->port;
}

void
lab_ssh_forward_close (LabSshForward *self)
{
  g_return_if_fail (LAB_IS_SSH_FORWARD (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  g_list_free_full (g_steal_pointer (&self->links), (GDestroyNotify) link_free);
}

static void
lab_ssh_forward_finalize (GObject *object)
{
  LabSshForward *self = LAB_SSH_FORWARD (object);

  lab_ssh_forward_close (self);
  g_clear_object (&self->session);
  g_free (self->host);

  G_OBJECT_CLASS (lab_ssh_forward_parent_class)->finalize (object);
}

static void
lab_ssh_forward_class_init (LabSshForwardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_ssh_forward_finalize;
}

static void
lab_ssh_forward_init (LabSshForward *self)
{
}
