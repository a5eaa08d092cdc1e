/* lab-host.h — one saved dom0 host (no secrets: those live in the keyring)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_HOST_AUTH_AUTOMATIC,  /* agent, then key files, then password: what OpenSSH does */
  LAB_HOST_AUTH_KEY,        /* only the identity file of the host */
  LAB_HOST_AUTH_PASSWORD,
} LabHostAuth;

GType lab_host_auth_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_HOST_AUTH (lab_host_auth_get_type ())

#define LAB_HOST_DEFAULT_PORT 22
#define LAB_HOST_DEFAULT_LEASES "/var/lib/misc/dnsmasq.leases"
#define LAB_HOST_DEFAULT_BRIDGE "br0"

#define LAB_TYPE_HOST (lab_host_get_type ())

G_DECLARE_FINAL_TYPE (LabHost, lab_host, LAB, HOST, GObject)

LabHost       *lab_host_new                (const char   *name,
                                            const char   *address);
/* Reads one host object of hosts.json. Unknown members are ignored (newer versions may
 * add some); a missing or wrong-typed address is an error. */
LabHost       *lab_host_new_from_json      (JsonObject   *object,
                                            GError      **error);
JsonNode      *lab_host_to_json            (LabHost      *self);

const char    *lab_host_get_id             (LabHost      *self);
const char    *lab_host_get_name           (LabHost      *self);
void           lab_host_set_name           (LabHost      *self,
                                            const char   *name);
const char    *lab_host_get_address        (LabHost      *self);
void           lab_host_set_address        (LabHost      *self,
                                            const char   *address);
const char    *lab_host_get_user           (LabHost      *self);
void           lab_host_set_user           (LabHost      *self,
                                            const char   *user);
guint          lab_host_get_port           (LabHost      *self);
void           lab_host_set_port           (LabHost      *self,
                                            guint         port);
LabHostAuth    lab_host_get_auth           (LabHost      *self);
void           lab_host_set_auth           (LabHost      *self,
                                            LabHostAuth   auth);
const char    *lab_host_get_identity_file  (LabHost      *self);
void           lab_host_set_identity_file  (LabHost      *self,
                                            const char   *path);
const char * const *lab_host_get_config_folders (LabHost *self);
void           lab_host_set_config_folders (LabHost            *self,
                                            const char * const *folders);
const char    *lab_host_get_leases_path    (LabHost      *self);
void           lab_host_set_leases_path    (LabHost      *self,
                                            const char   *path);
/* Open the domains' web pages through a port forwarded over SSH even when their addresses
 * look reachable (otherwise that is only the fallback when they do not answer directly). */
gboolean       lab_host_get_web_through_ssh (LabHost     *self);
void           lab_host_set_web_through_ssh (LabHost     *self,
                                             gboolean     through_ssh);
/* The bridge on dom0 the domains' networks hang off (its IPv4 networks say which domain
 * addresses are probed); "br0" unless set. */
const char    *lab_host_get_bridge          (LabHost     *self);
void           lab_host_set_bridge          (LabHost     *self,
                                             const char  *bridge);
/* Probe a domain's web server even when its address lies outside the bridge's networks
 * (a guest picks its own address, and may pick one that belongs to something else). */
gboolean       lab_host_get_probe_any_address (LabHost   *self);
void           lab_host_set_probe_any_address (LabHost   *self,
                                               gboolean   any_address);
/* A network device name as Linux takes it: 1 to 15 bytes, no blank, "/" or ":", not "."
 * or "..", and not starting with "-" (it is passed on to commands on dom0). */
gboolean       lab_host_parse_bridge        (const char  *text,
                                             GError     **error);
/* "user@address:port" for display, leaving out what is default. */
char          *lab_host_dup_display_address (LabHost     *self);

/* What a user types for a host, checked before it reaches SSH: `host`, `host:port`, an IPv6
 * address as it is (`fe80::1`, no port) or in brackets (`[fe80::1]`, `[fe80::1]:2222`).
 * Host names are ASCII letters, digits, '.', '-' and '_' and never start with '-'; the user
 * has its own field, so a `user@` part is refused. @host receives the name or address
 * without brackets, @port the port or 0 when none was given. Errors are G_IO_ERROR_INVALID_
 * ARGUMENT with a message for the user. */
gboolean       lab_host_parse_address       (const char  *text,
                                             char       **host,
                                             guint       *port,
                                             GError     **error);
/* A port as typed: digits only, 1 to 65535. */
gboolean       lab_host_parse_port          (const char  *text,
                                             guint       *port,
                                             GError     **error);

G_END_DECLS
