/* lab-ssh-request.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-request"

#include "config.h"

#include <string.h>

#include "lab-ssh-private.h"
#include "lab-ssh-request.h"

struct _LabSshRequest
{
  GObject                parent_instance;

  LabSshRequestKind      kind;
  char                  *host;
  guint                  port;
  char                  *user;
  char                  *key_type;
  char                  *fingerprint;
  char                  *key_file;
  char                  *message;
  guint                  attempt;
  gboolean               other_types_known;

  gboolean               replied;
  LabSshRequestCallback  callback;
  gpointer               callback_data;
};

G_DEFINE_FINAL_TYPE (LabSshRequest, lab_ssh_request, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LabSshRequestKind, lab_ssh_request_kind,
  G_DEFINE_ENUM_VALUE (LAB_SSH_REQUEST_HOST_KEY, "host-key"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_REQUEST_PASSWORD, "password"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_REQUEST_PASSPHRASE, "passphrase"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_REQUEST_SUDO_PASSWORD, "sudo-password"))

G_DEFINE_ENUM_TYPE (LabSshHostKeyDecision, lab_ssh_host_key_decision,
  G_DEFINE_ENUM_VALUE (LAB_SSH_HOST_KEY_REJECT, "reject"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_HOST_KEY_ACCEPT_ONCE, "accept-once"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_HOST_KEY_ACCEPT_SAVE, "accept-save"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_KEY_TYPE,
  PROP_FINGERPRINT,
  PROP_OTHER_TYPES_KNOWN,
  PROP_KEY_FILE,
  PROP_MESSAGE,
  PROP_ATTEMPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
finish (LabSshRequest         *self,
        gboolean               cancelled,
        LabSshHostKeyDecision  decision,
        const char            *secret,
        gboolean               remember)
{
  LabSshRequestCallback callback = self->callback;
  gpointer data = self->callback_data;

  if (self->replied)
    {
      g_warning ("LabSshRequest answered twice; ignoring the second reply");
      return;
    }
  self->replied = TRUE;
  self->callback = NULL;
  self->callback_data = NULL;
  if (callback != NULL)
    callback (self, cancelled, decision, secret, remember, data);
}

static void
lab_ssh_request_dispose (GObject *object)
{
  LabSshRequest *self = LAB_SSH_REQUEST (object);

  if (!self->replied)
    finish (self, TRUE, LAB_SSH_HOST_KEY_REJECT, NULL, FALSE);

  G_OBJECT_CLASS (lab_ssh_request_parent_class)->dispose (object);
}

static void
lab_ssh_request_finalize (GObject *object)
{
  LabSshRequest *self = LAB_SSH_REQUEST (object);

  g_free (self->host);
  g_free (self->user);
  g_free (self->key_type);
  g_free (self->fingerprint);
  g_free (self->key_file);
  g_free (self->message);

  G_OBJECT_CLASS (lab_ssh_request_parent_class)->finalize (object);
}

static void
lab_ssh_request_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LabSshRequest *self = LAB_SSH_REQUEST (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_KEY_TYPE: g_value_set_string (value, self->key_type); break;
    case PROP_FINGERPRINT: g_value_set_string (value, self->fingerprint); break;
    case PROP_OTHER_TYPES_KNOWN: g_value_set_boolean (value, self->other_types_known); break;
    case PROP_KEY_FILE: g_value_set_string (value, self->key_file); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_ATTEMPT: g_value_set_uint (value, self->attempt); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ssh_request_class_init (LabSshRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_ssh_request_dispose;
  object_class->finalize = lab_ssh_request_finalize;
  object_class->get_property = lab_ssh_request_get_property;

  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, LAB_TYPE_SSH_REQUEST_KIND,
                                             LAB_SSH_REQUEST_HOST_KEY, ro);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 22, ro);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, ro);
  properties[PROP_KEY_TYPE] = g_param_spec_string ("key-type", NULL, NULL, NULL, ro);
  properties[PROP_FINGERPRINT] = g_param_spec_string ("fingerprint", NULL, NULL, NULL, ro);
  properties[PROP_OTHER_TYPES_KNOWN] = g_param_spec_boolean ("other-types-known", NULL, NULL,
                                                             FALSE, ro);
  properties[PROP_KEY_FILE] = g_param_spec_string ("key-file", NULL, NULL, NULL, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_ATTEMPT] = g_param_spec_uint ("attempt", NULL, NULL, 1, G_MAXUINT, 1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_ssh_request_init (LabSshRequest *self)
{
  self->attempt = 1;
  self->port = 22;
}

LabSshRequest *
_lab_ssh_request_new (LabSshRequestKind  kind,
                      const char        *host,
                      guint              port,
                      const char        *user)
{
  LabSshRequest *self = g_object_new (LAB_TYPE_SSH_REQUEST, NULL);

  self->kind = kind;
  self->host = g_strdup (host);
  self->port = port;
  self->user = g_strdup (user);
  return self;
}

void
_lab_ssh_request_set_host_key (LabSshRequest *self,
                               const char    *key_type,
                               const char    *fingerprint,
                               gboolean       other_types_known)
{
  g_set_str_compat (&self->key_type, key_type);
  g_set_str_compat (&self->fingerprint, fingerprint);
  self->other_types_known = other_types_known;
}

void
_lab_ssh_request_set_secret_info (LabSshRequest *self,
                                  const char    *message,
                                  const char    *key_file,
                                  guint          attempt)
{
  g_set_str_compat (&self->message, message);
  g_set_str_compat (&self->key_file, key_file);
  self->attempt = MAX (attempt, 1);
}

void
_lab_ssh_request_set_callback (LabSshRequest         *self,
                               LabSshRequestCallback  callback,
                               gpointer               data)
{
  self->callback = callback;
  self->callback_data = data;
}

void
_lab_ssh_request_detach (LabSshRequest *self)
{
  self->callback = NULL;
  self->callback_data = NULL;
}

LabSshRequestKind
lab_ssh_request_get_kind (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), 0);
  return self->kind;
}

const char *
lab_ssh_request_get_host (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), NULL);
  return self->host;
}

guint
lab_ssh_request_get_port (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), 0);
  return self->port;
}

const char *
lab_ssh_request_get_user (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), NULL);
  return self->user;
}

const char *
lab_ssh_request_get_key_type (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), NULL);
  return self->key_type;
}

const char *
lab_ssh_request_get_fingerprint (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), NULL);
  return self->fingerprint;
}

gboolean
lab_ssh_request_get_other_types_known (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), FALSE);
  return self->other_types_known;
}

const char *
lab_ssh_request_get_key_file (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), NULL);
  return self->key_file;
}

const char *
lab_ssh_request_get_message (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), NULL);
  return self->message;
}

guint
lab_ssh_request_get_attempt (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), 0);
  return self->attempt;
}

gboolean
lab_ssh_request_get_replied (LabSshRequest *self)
{
  g_return_val_if_fail (LAB_IS_SSH_REQUEST (self), FALSE);
  return self->replied;
}

void
lab_ssh_request_reply_host_key (LabSshRequest         *self,
                                LabSshHostKeyDecision  decision)
{
  g_return_if_fail (LAB_IS_SSH_REQUEST (self));
  g_return_if_fail (self->kind == LAB_SSH_REQUEST_HOST_KEY);

  g_object_ref (self);
  finish (self, FALSE, decision, NULL, FALSE);
  g_object_unref (self);
}

void
lab_ssh_request_reply_secret (LabSshRequest *self,
                              const char    *secret,
                              gboolean       remember)
{
  g_return_if_fail (LAB_IS_SSH_REQUEST (self));
  g_return_if_fail (self->kind != LAB_SSH_REQUEST_HOST_KEY);
  g_return_if_fail (secret != NULL);

  g_object_ref (self);
  finish (self, FALSE, LAB_SSH_HOST_KEY_REJECT, secret, remember);
  g_object_unref (self);
}

void
lab_ssh_request_cancel (LabSshRequest *self)
{
  g_return_if_fail (LAB_IS_SSH_REQUEST (self));

  if (self->replied)
    return;
  g_object_ref (self);
  finish (self, TRUE, LAB_SSH_HOST_KEY_REJECT, NULL, FALSE);
  g_object_unref (self);
}
