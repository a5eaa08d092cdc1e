/* lab-ssh-secrets.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-secrets"

#include "config.h"

#include <libsecret/secret.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "lab-ssh-private.h"
#include "lab-ssh-secrets.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    LAB_SSH_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "key-file", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
kind_to_string (LabSshSecretKind kind)
{
  switch (kind)
    {
    case LAB_SSH_SECRET_PASSWORD: return "password";
    case LAB_SSH_SECRET_PASSPHRASE: return "passphrase";
    case LAB_SSH_SECRET_SUDO: return "sudo";
    default: g_return_val_if_reached ("password");
    }
}

static GHashTable *
make_attributes (LabSshSecretKind  kind,
                 const char       *user,
                 const char       *host,
                 guint             port,
                 const char       *key_file)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "kind", g_strdup (kind_to_string (kind)));
  if (kind == LAB_SSH_SECRET_PASSPHRASE)
    {
      g_hash_table_insert (attributes, (char *) "key-file", g_strdup (key_file ? key_file : ""));
    }
  else
    {
      g_hash_table_insert (attributes, (char *) "user", g_strdup (user ? user : ""));
      g_hash_table_insert (attributes, (char *) "host", g_strdup (host ? host : ""));
      g_hash_table_insert (attributes, (char *) "port", g_strdup_printf ("%u", port));
    }
  return attributes;
}

static char *
make_label (LabSshSecretKind  kind,
            const char       *user,
            const char       *host,
            guint             port,
            const char       *key_file)
{
  switch (kind)
    {
    case LAB_SSH_SECRET_PASSPHRASE:
      return g_strdup_printf ("Mirage Lab: passphrase of %s", key_file);
    case LAB_SSH_SECRET_SUDO:
      return g_strdup_printf ("Mirage Lab: sudo password of %s@%s:%u", user, host, port);
    case LAB_SSH_SECRET_PASSWORD:
    default:
      return g_strdup_printf ("Mirage Lab: SSH password of %s@%s:%u", user, host, port);
    }
}

void
lab_ssh_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static LabSshSecretReleaseHook release_hook;
static gpointer release_hook_data;

void
_lab_ssh_secrets_set_release_hook (LabSshSecretReleaseHook hook,
                                   gpointer                data)
{
  release_hook = hook;
  release_hook_data = data;
}

static void
wipe (void     *mem,
      gsize     len,
      gboolean  from_libssh2)
{
  explicit_bzero (mem, len);
  if (release_hook != NULL)
    release_hook (mem, len, from_libssh2, release_hook_data);
}

typedef struct
{
  gsize  len;
  guchar data[];
} SecretBuffer;

static void
secret_buffer_free (gpointer data)
{
  SecretBuffer *buffer = data;

  wipe (buffer->data, buffer->len, FALSE);
  g_free (buffer);
}

GBytes *
lab_ssh_secret_bytes_new (const void *data,
                          gsize       len)
{
  SecretBuffer *buffer;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  buffer = g_malloc (sizeof (SecretBuffer) + len);
  buffer->len = len;
  if (len > 0)
    memcpy (buffer->data, data, len);
  return g_bytes_new_with_free_func (buffer->data, len, secret_buffer_free, buffer);
}

void *
_lab_ssh_wiping_alloc (size_t   count,
                       void   **abstract)
{
  return malloc (count);
}

void
_lab_ssh_wiping_free (void  *ptr,
                      void **abstract)
{
  if (ptr == NULL)
    return;
  /* libssh2 does not pass the size; the allocator knows it. */
  wipe (ptr, malloc_usable_size (ptr), TRUE);
  free (ptr);
}

void *
_lab_ssh_wiping_realloc (void    *ptr,
                         size_t   count,
                         void   **abstract)
{
  void *moved;
  size_t old_len;

  if (ptr == NULL)
    return malloc (count);
  /* Not realloc(): it could move the block and free the old one unwiped. */
  moved = malloc (count);
  if (moved == NULL)
    return NULL;
  old_len = malloc_usable_size (ptr);
  memcpy (moved, ptr, MIN (old_len, count));
  _lab_ssh_wiping_free (ptr, abstract);
  return moved;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_debug ("No keyring available: %s", error->message);
  if (secret != NULL)
    {
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, copy, (GDestroyNotify) lab_ssh_secret_free);
    }
  else
    g_task_return_pointer (task, NULL, NULL);
}

void
lab_ssh_secrets_lookup_async (LabSshSecretKind     kind,
                              const char          *user,
                              const char          *host,
                              guint                port,
                              const char          *key_file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = make_attributes (kind, user, host, port, key_file);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, lab_ssh_secrets_lookup_async);
  secret_password_lookupv (get_schema (), attributes, cancellable, lookup_cb, task);
}

char *
lab_ssh_secrets_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lab_ssh_secrets_store_async (LabSshSecretKind     kind,
                             const char          *user,
                             const char          *host,
                             guint                port,
                             const char          *key_file,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (secret != NULL);

  attributes = make_attributes (kind, user, host, port, key_file);
  label = make_label (kind, user, host, port, key_file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_secrets_store_async);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, store_cb, task);
}

gboolean
lab_ssh_secrets_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lab_ssh_secrets_clear_async (LabSshSecretKind     kind,
                             const char          *user,
                             const char          *host,
                             guint                port,
                             const char          *key_file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = make_attributes (kind, user, host, port, key_file);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, lab_ssh_secrets_clear_async);
  secret_password_clearv (get_schema (), attributes, cancellable, clear_cb, task);
}

gboolean
lab_ssh_secrets_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
