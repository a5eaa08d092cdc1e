/* lab-known-hosts.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-known-hosts"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libssh2.h>
#include <string.h>
#include <unistd.h>

#include "lab-ssh-error.h"
#include "lab-known-hosts.h"

static int
key_type_bits (int key_type)
{
  switch (key_type)
    {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519;
    default: return 0;
    }
}

const char *
lab_known_hosts_key_type_name (int key_type)
{
  switch (key_type)
    {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa";
    case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521";
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519";
    default: return NULL;
    }
}

char *
lab_known_hosts_lookup_name (const char *host,
                             guint16     port)
{
  g_return_val_if_fail (host != NULL, NULL);

  if (port == 0 || port == 22)
    return g_strdup (host);
  return g_strdup_printf ("[%s]:%u", host, (guint) port);
}

char *
lab_known_hosts_fingerprint (const guchar *key,
                             gsize         key_len)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autofree char *b64 = NULL;
  gsize len;

  g_checksum_update (checksum, key, key_len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  b64 = g_base64_encode (digest, digest_len);
  len = strlen (b64);
  while (len > 0 && b64[len - 1] == '=')
    b64[--len] = '\0';
  return g_strconcat ("SHA256:", b64, NULL);
}

/* Checks one known_hosts line on its own, so that line numbers can be reported and a
 * malformed line cannot hide the lines after it (libssh2_knownhost_readfile stops at the
 * first line it cannot parse). */
static int
check_line (LIBSSH2_SESSION *session,
            const char      *line,
            const char      *name,
            const guchar    *key,
            gsize            key_len,
            int              type_bits,
            gboolean        *host_listed)
{
  LIBSSH2_KNOWNHOSTS *hosts;
  int rc;

  *host_listed = FALSE;
  hosts = libssh2_knownhost_init (session);
  if (hosts == NULL)
    return LIBSSH2_KNOWNHOST_CHECK_FAILURE;

  if (libssh2_knownhost_readline (hosts, line, strlen (line),
                                  LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
    {
      libssh2_knownhost_free (hosts);
      return LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
    }

  rc = libssh2_knownhost_checkp (hosts, name, -1, (const char *) key, key_len,
                                 LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW
                                 | type_bits, NULL);
  if (rc == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND)
    {
      /* Same host name with another key type? Then the host is "listed" but the key type
       * is new to us, which OpenSSH also treats as an unknown key, not a changed one. */
      int any = libssh2_knownhost_checkp (hosts, name, -1, (const char *) key, key_len,
                                          LIBSSH2_KNOWNHOST_TYPE_PLAIN
                                          | LIBSSH2_KNOWNHOST_KEYENC_RAW, NULL);

      *host_listed = (any == LIBSSH2_KNOWNHOST_CHECK_MISMATCH
                      || any == LIBSSH2_KNOWNHOST_CHECK_MATCH);
    }

  libssh2_knownhost_free (hosts);
  return rc;
}

LabKnownHostsResult *
lab_known_hosts_check (const char * const *files,
                       const char         *host,
                       guint16             port,
                       int                 key_type,
                       const guchar       *key,
                       gsize               key_len)
{
  g_autoptr(LabKnownHostsResult) result = g_new0 (LabKnownHostsResult, 1);
  g_autofree char *name = NULL;
  LIBSSH2_SESSION *session;
  int type_bits;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  lab_ssh_library_init ();

  result->status = LAB_KNOWN_HOSTS_NOT_FOUND;
  name = lab_known_hosts_lookup_name (host, port);
  type_bits = key_type_bits (key_type);
  if (type_bits == 0)
    return g_steal_pointer (&result);

  session = libssh2_session_init ();
  if (session == NULL)
    return g_steal_pointer (&result);

  for (guint f = 0; files != NULL && files[f] != NULL; f++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (files[f], &contents, NULL, NULL))
        continue;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *line = lines[i];
          gboolean host_listed = FALSE;
          int rc;

          while (*line == ' ' || *line == '\t')
            line++;
          if (*line == '\0' || *line == '#' || *line == '@')
            continue;

          rc = check_line (session, line, name, key, key_len, type_bits, &host_listed);
          if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH)
            {
              g_clear_pointer (&result->file, g_free);
              result->status = LAB_KNOWN_HOSTS_MATCH;
              result->file = g_strdup (files[f]);
              result->line = i + 1;
              libssh2_session_free (session);
              return g_steal_pointer (&result);
            }
          else if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
            {
              if (result->status != LAB_KNOWN_HOSTS_CHANGED)
                {
                  result->status = LAB_KNOWN_HOSTS_CHANGED;
                  result->file = g_strdup (files[f]);
                  result->line = i + 1;
                }
            }
          else if (host_listed)
            result->other_types_known = TRUE;
        }
    }

  libssh2_session_free (session);
  return g_steal_pointer (&result);
}

void
lab_known_hosts_result_free (LabKnownHostsResult *result)
{
  if (result == NULL)
    return;
  g_free (result->file);
  g_free (result);
}

gboolean
lab_known_hosts_add (const char    *file,
                     const char    *host,
                     guint16        port,
                     int            key_type,
                     const guchar  *key,
                     gsize          key_len,
                     GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *line = NULL;
  const char *type_name;
  gsize len, written = 0;
  int fd;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  type_name = lab_known_hosts_key_type_name (key_type);
  if (type_name == NULL)
    {
      g_set_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_FAILED, "Unsupported host key type");
      return FALSE;
    }

  dir = g_path_get_dirname (file);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  name = lab_known_hosts_lookup_name (host, port);
  b64 = g_base64_encode (key, key_len);
  {
    g_autofree char *existing = NULL;
    gsize existing_len = 0;
    gboolean need_newline = FALSE;

    /* Do not glue our line to a last line that has no newline. */
    if (g_file_get_contents (file, &existing, &existing_len, NULL) && existing_len > 0)
      need_newline = existing[existing_len - 1] != '\n';
    line = g_strdup_printf ("%s%s %s %s\n", need_newline ? "\n" : "", name, type_name, b64);
  }
  len = strlen (line);

  fd = g_open (file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not open %s: %s", file, g_strerror (saved));
      return FALSE;
    }

  while (written < len)
    {
      ssize_t n = write (fd, line + written, len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not write %s: %s", file, g_strerror (saved));
          return FALSE;
        }
      written += (gsize) n;
    }

  if (close (fd) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not write %s: %s", file, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
