/* lab-known-hosts.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_KNOWN_HOSTS_MATCH,
  LAB_KNOWN_HOSTS_NOT_FOUND,   /* also: only keys of *other* types are known for the host */
  LAB_KNOWN_HOSTS_CHANGED,     /* a key of the same type is known and differs */
  LAB_KNOWN_HOSTS_REVOKED,     /* an @revoked line lists this key for the host (or for *) */
} LabKnownHostsStatus;

typedef struct
{
  LabKnownHostsStatus  status;
  char                *file;               /* MATCH/CHANGED: where the entry is */
  guint                line;               /* 1-based */
  gboolean             other_types_known;  /* NOT_FOUND, but keys of other types exist */
} LabKnownHostsResult;

/* Looks @host/@port up in @files by OpenSSH's rules: host names compared case-insensitively,
 * hashed entries, [host]:port for ports other than 22, patterns with "*", "?" and negated
 * "!pattern" (which excludes the line), @revoked lines; @cert-authority lines and
 * malformed lines are skipped. @key_type is a LIBSSH2_HOSTKEY_TYPE_* value, and the check
 * only compares keys of that type: a host known with a different key type is NOT_FOUND
 * (with other_types_known), not CHANGED. REVOKED in any file beats everything, then a
 * MATCH in any file. */
LabKnownHostsResult *lab_known_hosts_check          (const char * const *files,
                                                     const char         *host,
                                                     guint16             port,
                                                     int                 key_type,
                                                     const guchar       *key,
                                                     gsize               key_len);
void                 lab_known_hosts_result_free    (LabKnownHostsResult *result);

/* Appends "NAME TYPE BASE64" to @file (creating it 0600 and its directory 0700). */
gboolean             lab_known_hosts_add            (const char         *file,
                                                     const char         *host,
                                                     guint16             port,
                                                     int                 key_type,
                                                     const guchar       *key,
                                                     gsize               key_len,
                                                     GError            **error);

/* Whether @host can be used as a host name or address, and written to known_hosts without
 * forging or widening an entry: valid UTF-8, at most 253 bytes, no leading "-", no spaces,
 * commas, control characters or pattern characters; brackets only around an IPv6 address.
 * The message of @error is for the user. */
gboolean             lab_known_hosts_validate_host  (const char         *host,
                                                     GError            **error);

/* "host" for port 22, "[host]:port" otherwise (how OpenSSH keys known_hosts entries). */
char                *lab_known_hosts_lookup_name    (const char         *host,
                                                     guint16             port);
/* "SHA256:<base64 without padding>" of the key blob, as `ssh-keygen -l` prints it. */
char                *lab_known_hosts_fingerprint    (const guchar       *key,
                                                     gsize               key_len);
/* "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ... or NULL for an unknown type. */
const char          *lab_known_hosts_key_type_name  (int                 key_type);
/* The LIBSSH2_HOSTKEY_TYPE_* value of a key type name, or LIBSSH2_HOSTKEY_TYPE_UNKNOWN. */
int                  lab_known_hosts_key_type_from_name (const char     *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabKnownHostsResult, lab_known_hosts_result_free)

G_END_DECLS
