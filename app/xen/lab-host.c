/* lab-host.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "net/lab-local-net.h"
#include "ssh/lab-known-hosts.h"

#include "lab-xl-list.h"

#include "lab-host.h"

G_DEFINE_ENUM_TYPE (LabHostAuth, lab_host_auth,
  G_DEFINE_ENUM_VALUE (LAB_HOST_AUTH_AUTOMATIC, "automatic"),
  G_DEFINE_ENUM_VALUE (LAB_HOST_AUTH_KEY, "key"),
  G_DEFINE_ENUM_VALUE (LAB_HOST_AUTH_PASSWORD, "password"))

struct _LabHost
{
  GObject      parent_instance;

  char        *id;
  char        *name;
  char        *address;
  char        *user;
  guint        port;
  LabHostAuth  auth;
  char        *identity_file;
  GStrv        config_folders;
  char        *leases_path;
  gboolean     web_through_ssh;
  char        *bridge;
  gboolean     probe_any_address;
};

G_DEFINE_FINAL_TYPE (LabHost, lab_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_USER,
  PROP_PORT,
  PROP_AUTH,
  PROP_IDENTITY_FILE,
  PROP_CONFIG_FOLDERS,
  PROP_LEASES_PATH,
  PROP_WEB_THROUGH_SSH,
  PROP_BRIDGE,
  PROP_PROBE_ANY_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where mirage projects usually keep their .xl files on dom0. */
static const char * const default_config_folders[] = { "~/mirage-skeleton", "~/unikernels", NULL };

LabHost *
lab_host_new (const char *name,
              const char *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_object_new (LAB_TYPE_HOST,
                       "name", name ? name : address,
                       "address", address,
                       NULL);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

LabHost *
lab_host_new_from_json (JsonObject  *object,
                        GError     **error)
{
  g_autoptr(LabHost) self = NULL;
  const char *address = member_string (object, "address");
  const char *auth = member_string (object, "auth");
  const char *id = member_string (object, "id");
  JsonNode *port = json_object_get_member (object, "port");
  JsonNode *folders = json_object_get_member (object, "config-folders");

  if (address == NULL || *address == '\0')
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("A saved host has no address"));
      return NULL;
    }

  self = lab_host_new (member_string (object, "name"), address);
  if (id != NULL && *id != '\0')
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
  lab_host_set_user (self, member_string (object, "user"));
  if (port != NULL && json_node_get_value_type (port) == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (port);

      if (value > 0 && value < 65536)
        lab_host_set_port (self, (guint) value);
    }
  if (g_strcmp0 (auth, "key") == 0)
    lab_host_set_auth (self, LAB_HOST_AUTH_KEY);
  else if (g_strcmp0 (auth, "password") == 0)
    lab_host_set_auth (self, LAB_HOST_AUTH_PASSWORD);
  lab_host_set_identity_file (self, member_string (object, "identity-file"));
  if (member_string (object, "leases-path") != NULL)
    lab_host_set_leases_path (self, member_string (object, "leases-path"));
  {
    JsonNode *tunnel = json_object_get_member (object, "web-through-ssh");

    if (tunnel != NULL && JSON_NODE_HOLDS_VALUE (tunnel)
        && json_node_get_value_type (tunnel) == G_TYPE_BOOLEAN)
      lab_host_set_web_through_ssh (self, json_node_get_boolean (tunnel));
  }
  if (lab_host_parse_bridge (member_string (object, "bridge"), NULL))
    lab_host_set_bridge (self, member_string (object, "bridge"));
  {
    JsonNode *any = json_object_get_member (object, "probe-any-address");

    if (any != NULL && JSON_NODE_HOLDS_VALUE (any)
        && json_node_get_value_type (any) == G_TYPE_BOOLEAN)
      lab_host_set_probe_any_address (self, json_node_get_boolean (any));
  }

  if (folders != NULL && JSON_NODE_HOLDS_ARRAY (folders))
    {
      JsonArray *array = json_node_get_array (folders);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
      strv = g_strv_builder_end (builder);
      lab_host_set_config_folders (self, (const char * const *) strv);
    }

  return g_steal_pointer (&self);
}

JsonNode *
lab_host_to_json (LabHost *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GEnumClass *auth_class;

  g_return_val_if_fail (LAB_IS_HOST (self), NULL);

  auth_class = g_type_class_ref (LAB_TYPE_HOST_AUTH);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, self->address);
  if (self->user != NULL)
    {
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, self->user);
    }
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder,
                                 g_enum_get_value (auth_class, self->auth)->value_nick);
  if (self->identity_file != NULL)
    {
      json_builder_set_member_name (builder, "identity-file");
      json_builder_add_string_value (builder, self->identity_file);
    }
  json_builder_set_member_name (builder, "leases-path");
  json_builder_add_string_value (builder, self->leases_path);
  json_builder_set_member_name (builder, "web-through-ssh");
  json_builder_add_boolean_value (builder, self->web_through_ssh);
  json_builder_set_member_name (builder, "bridge");
  json_builder_add_string_value (builder, self->bridge);
  json_builder_set_member_name (builder, "probe-any-address");
  json_builder_add_boolean_value (builder, self->probe_any_address);
  json_builder_set_member_name (builder, "config-folders");
  json_builder_begin_array (builder);
  for (guint i = 0; self->config_folders[i] != NULL; i++)
    json_builder_add_string_value (builder, self->config_folders[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  g_type_class_unref (auth_class);

  return json_builder_get_root (builder);
}

const char *
lab_host_get_id (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->id;
}

const char *
lab_host_get_name (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->name;
}

const char *
lab_host_get_address (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->address;
}

const char *
lab_host_get_user (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->user;
}

guint
lab_host_get_port (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), 0);
  return self->port;
}

LabHostAuth
lab_host_get_auth (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), LAB_HOST_AUTH_AUTOMATIC);
  return self->auth;
}

const char *
lab_host_get_identity_file (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->identity_file;
}

const char * const *
lab_host_get_config_folders (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return (const char * const *) self->config_folders;
}

gboolean
lab_host_get_web_through_ssh (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), FALSE);
  return self->web_through_ssh;
}

void
lab_host_set_web_through_ssh (LabHost  *self,
                              gboolean  through_ssh)
{
  g_return_if_fail (LAB_IS_HOST (self));

  through_ssh = !!through_ssh;
  if (self->web_through_ssh == through_ssh)
    return;
  self->web_through_ssh = through_ssh;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEB_THROUGH_SSH]);
}

const char *
lab_host_get_bridge (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->bridge;
}

void
lab_host_set_bridge (LabHost    *self,
                     const char *bridge)
{
  g_return_if_fail (LAB_IS_HOST (self));

  if (bridge == NULL || *bridge == '\0')
    bridge = LAB_HOST_DEFAULT_BRIDGE;
  g_return_if_fail (lab_host_parse_bridge (bridge, NULL));
  if (g_strcmp0 (self->bridge, bridge) == 0)
    return;
  g_free (self->bridge);
  self->bridge = g_strdup (bridge);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRIDGE]);
}

gboolean
lab_host_get_probe_any_address (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), FALSE);
  return self->probe_any_address;
}

void
lab_host_set_probe_any_address (LabHost  *self,
                                gboolean  any_address)
{
  g_return_if_fail (LAB_IS_HOST (self));

  any_address = !!any_address;
  if (self->probe_any_address == any_address)
    return;
  self->probe_any_address = any_address;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE_ANY_ADDRESS]);
}

const char *
lab_host_get_leases_path (LabHost *self)
{
  g_return_val_if_fail (LAB_IS_HOST (self), NULL);
  return self->leases_path;
}

static void
set_string (LabHost     *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  /* Empty and unset are the same for optional fields. */
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
lab_host_set_name (LabHost    *self,
                   const char *name)
{
  g_return_if_fail (LAB_IS_HOST (self));
  set_string (self, &self->name, name ? name : self->address, PROP_NAME);
}

void
lab_host_set_address (LabHost    *self,
                      const char *address)
{
  g_return_if_fail (LAB_IS_HOST (self));
  g_return_if_fail (address != NULL && *address != '\0');
  set_string (self, &self->address, address, PROP_ADDRESS);
}

void
lab_host_set_user (LabHost    *self,
                   const char *user)
{
  g_return_if_fail (LAB_IS_HOST (self));
  set_string (self, &self->user, user, PROP_USER);
}

void
lab_host_set_port (LabHost *self,
                   guint    port)
{
  g_return_if_fail (LAB_IS_HOST (self));
  g_return_if_fail (port > 0 && port < 65536);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

void
lab_host_set_auth (LabHost     *self,
                   LabHostAuth  auth)
{
  g_return_if_fail (LAB_IS_HOST (self));

  if (self->auth == auth)
    return;

  self->auth = auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

void
lab_host_set_identity_file (LabHost    *self,
                            const char *path)
{
  g_return_if_fail (LAB_IS_HOST (self));
  set_string (self, &self->identity_file, path, PROP_IDENTITY_FILE);
}

void
lab_host_set_config_folders (LabHost            *self,
                             const char * const *folders)
{
  g_return_if_fail (LAB_IS_HOST (self));

  if (folders == NULL)
    folders = default_config_folders;
  if (self->config_folders != NULL && g_strv_equal (folders,
                                                    (const char * const *) self->config_folders))
    return;

  g_strfreev (self->config_folders);
  self->config_folders = g_strdupv ((GStrv) folders);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG_FOLDERS]);
}

void
lab_host_set_leases_path (LabHost    *self,
                          const char *path)
{
  g_return_if_fail (LAB_IS_HOST (self));
  set_string (self, &self->leases_path, path ? path : LAB_HOST_DEFAULT_LEASES, PROP_LEASES_PATH);
}

char *
lab_host_dup_display_address (LabHost *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (LAB_IS_HOST (self), NULL);

  if (self->user != NULL)
    g_string_append_printf (text, "%s@", self->user);
  g_string_append (text, self->address);
  if (self->port != LAB_HOST_DEFAULT_PORT)
    g_string_append_printf (text, ":%u", self->port);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Longest DNS name (RFC 1035) and the digits of 65535. */
#define HOST_NAME_MAX_CHARS 253
#define PORT_MAX_DIGITS 5

gboolean
lab_host_parse_port (const char  *text,
                     guint       *port,
                     GError     **error)
{
  gsize len = text != NULL ? strlen (text) : 0;
  guint64 value = 0;

  g_return_val_if_fail (port != NULL, FALSE);

  /* Digits only: no sign, no space, no hex; g_ascii_string_to_unsigned checks the range. */
  if (len == 0 || len > PORT_MAX_DIGITS || strspn (text, "0123456789") != len
      || !g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The port is a number from 1 to 65535."));
      return FALSE;
    }
  *port = (guint) value;
  return TRUE;
}

gboolean
lab_host_parse_bridge (const char  *text,
                       GError     **error)
{
  if (lab_net_device_name_is_valid (text))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("A bridge is a network device name of up to 15 characters, "
                         "without spaces, “/” or “:”, such as br0."));
  return FALSE;
}

static gboolean
lab_host_parse_name (const char  *name,
                     GError     **error)
{
  gsize len = strlen (name);

  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the host name or address."));
      return FALSE;
    }
  /* It would read as an option to anything that takes the name on a command line. */
  if (name[0] == '-')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A host name does not start with “-”."));
      return FALSE;
    }
  if (len > HOST_NAME_MAX_CHARS
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
         != len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A host name or address has no spaces or special characters."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
lab_host_parse_ipv6 (const char  *address,
                     GError     **error)
{
  /* g_hostname_is_ip_address also takes a zone (fe80::1%eth0); the colon keeps IPv4 out. */
  if (strchr (address, ':') == NULL || !g_hostname_is_ip_address (address))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("An IPv6 address is written as it is (fe80::1) or in brackets "
                             "with a port ([fe80::1]:22)."));
      return FALSE;
    }
  return TRUE;
}

/* The characters any accepted form is made of; everything else (spaces, commas, control
 * characters, quotes, anything beyond ASCII, bytes that are not UTF-8) is refused at once. */
static gboolean
lab_host_parse_characters (const char  *text,
                           GError     **error)
{
  gsize len = strlen (text);

  if (strchr (text, '@') != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The user has a field of its own: leave “user@” out of the "
                             "host."));
      return FALSE;
    }
  if (strspn (text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:[]%")
      != len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A host name or address has no spaces or special characters."));
      return FALSE;
    }
  return TRUE;
}

gboolean
lab_host_parse_address (const char  *text,
                        char       **host,
                        guint       *port,
                        GError     **error)
{
  g_autofree char *name = NULL;
  const char *colon;
  guint parsed_port = 0;

  g_return_val_if_fail (host != NULL && port != NULL, FALSE);

  if (text == NULL || *text == '\0')
    return lab_host_parse_name ("", error);
  if (!lab_host_parse_characters (text, error))
    return FALSE;

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        return lab_host_parse_ipv6 (text, error);
      name = g_strndup (text + 1, close - text - 1);
      if (!lab_host_parse_ipv6 (name, error))
        return FALSE;
      if (close[1] == ':' && !lab_host_parse_port (close + 2, &parsed_port, error))
        return FALSE;
    }
  else if ((colon = strchr (text, ':')) != NULL && strchr (colon + 1, ':') != NULL)
    {
      /* More than one colon and no brackets: an IPv6 address on its own, without a port. */
      name = g_strdup (text);
      if (!lab_host_parse_ipv6 (name, error))
        return FALSE;
    }
  else
    {
      name = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
      /* Also the SSH layer's rule, which guards known_hosts: a typo is easier to fix in
       * the form than from a connection error. */
      if (!lab_host_parse_name (name, error) || !lab_known_hosts_validate_host (name, error))
        return FALSE;
      if (colon != NULL && !lab_host_parse_port (colon + 1, &parsed_port, error))
        return FALSE;
    }

  *host = g_steal_pointer (&name);
  *port = parsed_port;
  return TRUE;
}

static void
lab_host_finalize (GObject *object)
{
  LabHost *self = LAB_HOST (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->identity_file, g_free);
  g_clear_pointer (&self->config_folders, g_strfreev);
  g_clear_pointer (&self->leases_path, g_free);
  g_clear_pointer (&self->bridge, g_free);

  G_OBJECT_CLASS (lab_host_parent_class)->finalize (object);
}

static void
lab_host_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LabHost *self = LAB_HOST (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_AUTH: g_value_set_enum (value, self->auth); break;
    case PROP_IDENTITY_FILE: g_value_set_string (value, self->identity_file); break;
    case PROP_CONFIG_FOLDERS: g_value_set_boxed (value, self->config_folders); break;
    case PROP_LEASES_PATH: g_value_set_string (value, self->leases_path); break;
    case PROP_WEB_THROUGH_SSH: g_value_set_boolean (value, self->web_through_ssh); break;
    case PROP_BRIDGE: g_value_set_string (value, self->bridge); break;
    case PROP_PROBE_ANY_ADDRESS: g_value_set_boolean (value, self->probe_any_address); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LabHost *self = LAB_HOST (object);

  switch (prop_id)
    {
    case PROP_NAME:
      if (self->address != NULL || g_value_get_string (value) != NULL)
        set_string (self, &self->name, g_value_get_string (value), PROP_NAME);
      break;
    case PROP_ADDRESS:
      set_string (self, &self->address, g_value_get_string (value), PROP_ADDRESS);
      if (self->name == NULL)
        set_string (self, &self->name, self->address, PROP_NAME);
      break;
    case PROP_USER: lab_host_set_user (self, g_value_get_string (value)); break;
    case PROP_PORT: lab_host_set_port (self, g_value_get_uint (value)); break;
    case PROP_AUTH: lab_host_set_auth (self, g_value_get_enum (value)); break;
    case PROP_IDENTITY_FILE: lab_host_set_identity_file (self, g_value_get_string (value)); break;
    case PROP_CONFIG_FOLDERS:
      lab_host_set_config_folders (self, g_value_get_boxed (value));
      break;
    case PROP_LEASES_PATH: lab_host_set_leases_path (self, g_value_get_string (value)); break;
    case PROP_WEB_THROUGH_SSH:
      lab_host_set_web_through_ssh (self, g_value_get_boolean (value));
      break;
    case PROP_BRIDGE: lab_host_set_bridge (self, g_value_get_string (value)); break;
    case PROP_PROBE_ANY_ADDRESS:
      lab_host_set_probe_any_address (self, g_value_get_boolean (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_class_init (LabHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lab_host_finalize;
  object_class->get_property = lab_host_get_property;
  object_class->set_property = lab_host_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, rw);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535,
                                             LAB_HOST_DEFAULT_PORT, rw);
  properties[PROP_AUTH] = g_param_spec_enum ("auth", NULL, NULL, LAB_TYPE_HOST_AUTH,
                                             LAB_HOST_AUTH_AUTOMATIC, rw);
  properties[PROP_IDENTITY_FILE] = g_param_spec_string ("identity-file", NULL, NULL, NULL, rw);
  properties[PROP_CONFIG_FOLDERS] = g_param_spec_boxed ("config-folders", NULL, NULL,
                                                        G_TYPE_STRV, rw);
  properties[PROP_LEASES_PATH] = g_param_spec_string ("leases-path", NULL, NULL,
                                                      LAB_HOST_DEFAULT_LEASES, rw);
  properties[PROP_WEB_THROUGH_SSH] = g_param_spec_boolean ("web-through-ssh", NULL, NULL,
                                                           FALSE, rw);
  properties[PROP_BRIDGE] = g_param_spec_string ("bridge", NULL, NULL, LAB_HOST_DEFAULT_BRIDGE,
                                                 rw);
  properties[PROP_PROBE_ANY_ADDRESS] = g_param_spec_boolean ("probe-any-address", NULL, NULL,
                                                             FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_host_init (LabHost *self)
{
  self->id = g_uuid_string_random ();
  self->port = LAB_HOST_DEFAULT_PORT;
  self->auth = LAB_HOST_AUTH_AUTOMATIC;
  self->leases_path = g_strdup (LAB_HOST_DEFAULT_LEASES);
  self->bridge = g_strdup (LAB_HOST_DEFAULT_BRIDGE);
  self->config_folders = g_strdupv ((GStrv) default_config_folders);
}
