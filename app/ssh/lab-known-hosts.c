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
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libssh2.h>
#include <string.h>
#include <unistd.h>

#include "lab-ssh-error.h"
#include "lab-known-hosts.h"

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

int
lab_known_hosts_key_type_from_name (const char *name)
{
  static const int types[] = {
    LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_HOSTKEY_TYPE_DSS, LIBSSH2_HOSTKEY_TYPE_ECDSA_256,
    LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_HOSTKEY_TYPE_ECDSA_521,
    LIBSSH2_HOSTKEY_TYPE_ED25519,
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (name, lab_known_hosts_key_type_name (types[i])))
      return types[i];
  return LIBSSH2_HOSTKEY_TYPE_UNKNOWN;
}

/* Lowercased: OpenSSH lowercases the host name (ASCII only, as tolower() in the C locale)
 * before it matches known_hosts entries or hashes them, so "DOM0" and "dom0" are one host. */
char *
lab_known_hosts_lookup_name (const char *host,
                             guint16     port)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  lower = g_ascii_strdown (host, -1);

  if (port == 0 || port == 22)
    return g_steal_pointer (&lower);
  return g_strdup_printf ("[%s]:%u", lower, (guint) port);
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

/* One glob of a known_hosts host field against the (lowercased) lookup name: "*" is any
 * run of characters, "?" any one, compared case-insensitively as OpenSSH's match_pattern()
 * does for host names. */
static gboolean
pattern_matches (const char *pattern,
                 const char *name)
{
  for (;;)
    {
      if (*pattern == '\0')
        return *name == '\0';
      if (*pattern == '*')
        {
          while (*pattern == '*')
            pattern++;
          if (*pattern == '\0')
            return TRUE;
          for (; *name != '\0'; name++)
            if (pattern_matches (pattern, name))
              return TRUE;
          return FALSE;
        }
      if (*name == '\0')
        return FALSE;
      if (*pattern != '?' && g_ascii_tolower (*pattern) != g_ascii_tolower (*name))
        return FALSE;
      pattern++;
      name++;
    }
}

/* "|1|base64(salt)|base64(HMAC-SHA1(salt, name))", as ssh-keygen -H writes it. */
static gboolean
hashed_matches (const char *field,
                const char *name)
{
  g_auto(GStrv) parts = g_strsplit (field + strlen ("|1|"), "|", -1);
  g_autofree guchar *salt = NULL;
  g_autofree guchar *hash = NULL;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  gsize salt_len, hash_len;

  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    return FALSE;
  salt = g_base64_decode (parts[0], &salt_len);
  hash = g_base64_decode (parts[1], &hash_len);
  if (salt_len == 0 || hash_len != sizeof digest)
    return FALSE;
  hmac = g_hmac_new (G_CHECKSUM_SHA1, salt, salt_len);
  g_hmac_update (hmac, (const guchar *) name, strlen (name));
  g_hmac_get_digest (hmac, digest, &digest_len);
  return memcmp (digest, hash, sizeof digest) == 0;
}

/* Like OpenSSH's match_hostname(): 1 if a pattern of the comma-separated @field matches
 * @name and no negated one ("!pattern") does, -1 if a negated one does (the line is then
 * excluded whatever else it lists), 0 otherwise. */
static int
hosts_field_matches (const char *field,
                     const char *name)
{
  g_auto(GStrv) patterns = NULL;
  int found = 0;

  if (g_str_has_prefix (field, "|1|"))
    return hashed_matches (field, name) ? 1 : 0;

  patterns = g_strsplit (field, ",", -1);
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      const char *pattern = patterns[i];
      gboolean negated = pattern[0] == '!';

      if (negated)
        pattern++;
      if (*pattern == '\0' || !pattern_matches (pattern, name))
        continue;
      if (negated)
        return -1;
      found = 1;
    }
  return found;
}

static gboolean
key_equal (const char   *b64,
           const guchar *key,
           gsize         key_len)
{
  g_autofree guchar *blob = NULL;
  gsize blob_len = 0;

  if (*b64 == '\0')
    return FALSE;
  blob = g_base64_decode (b64, &blob_len);
  return blob_len == key_len && memcmp (blob, key, key_len) == 0;
}

static void
result_set (LabKnownHostsResult *result,
            LabKnownHostsStatus  status,
            const char          *file,
            guint                line)
{
  result->status = status;
  g_free (result->file);
  result->file = g_strdup (file);
  result->line = line;
}

/* Parsed here rather than by libssh2_knownhost_readline(), which compares host names
 * case-sensitively, knows neither "!" nor wildcards, and has no @revoked; a line at a time
 * also keeps line numbers and lets a malformed line not hide the lines after it. */
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
  const char *type_name;
  gboolean matched = FALSE;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  result->status = LAB_KNOWN_HOSTS_NOT_FOUND;
  name = lab_known_hosts_lookup_name (host, port);
  type_name = lab_known_hosts_key_type_name (key_type);
  if (type_name == NULL)
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
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
          const char *field[4] = { NULL, };
          const char *marker = NULL;
          guint n = 0;

          if (lines[i][0] == '\0' || lines[i][0] == '#')
            continue;
          for (guint j = 0; fields[j] != NULL && n < G_N_ELEMENTS (field); j++)
            if (*fields[j] != '\0')
              field[n++] = fields[j];
          if (field[0] != NULL && field[0][0] == '@')
            {
              marker = field[0];
              memmove (field, field + 1, sizeof field - sizeof field[0]);
              field[3] = NULL;
              n--;
            }
          if (n < 3 || hosts_field_matches (field[0], name) != 1)
            continue;

          if (marker != NULL)
            {
              /* A revoked key is refused for the hosts it lists, in whichever file, even
               * if another line accepts it. */
              if (g_str_equal (marker, "@revoked") && key_equal (field[2], key, key_len))
                {
                  result_set (result, LAB_KNOWN_HOSTS_REVOKED, files[f], i + 1);
                  return g_steal_pointer (&result);
                }
              /* @cert-authority lines hold a CA key that signs host certificates; libssh2
               * cannot verify certificates, and a CA key is never a host key itself, so
               * these lines neither match nor contradict a plain key. Other markers are
               * unknown to OpenSSH too. */
              continue;
            }

          if (!g_str_equal (field[1], type_name))
            {
              /* Same host, another key type: the key type is new to us, which OpenSSH
               * also does not treat as a changed key. */
              if (lab_known_hosts_key_type_name (lab_known_hosts_key_type_from_name (field[1]))
                  != NULL)
                result->other_types_known = TRUE;
              continue;
            }
          if (key_equal (field[2], key, key_len))
            {
              if (!matched)
                result_set (result, LAB_KNOWN_HOSTS_MATCH, files[f], i + 1);
              matched = TRUE;
            }
          else if (!matched && result->status != LAB_KNOWN_HOSTS_CHANGED)
            result_set (result, LAB_KNOWN_HOSTS_CHANGED, files[f], i + 1);
        }
    }

  if (result->status != LAB_KNOWN_HOSTS_NOT_FOUND)
    result->other_types_known = FALSE;
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

static gboolean
host_char_allowed (gunichar c)
{
  /* Letters, digits, "-", "." and "_" for names (non-ASCII letters for internationalised
   * names), ":" and "%" for IPv6 addresses and their zone. Everything else could change the
   * meaning of a known_hosts line ("," separates names, "*", "?" and "!" are patterns,
   * spaces end the field) or of a command line it is shown in. */
  if (c < 0x80)
    return g_ascii_isalnum (c) || strchr ("-._:%", (int) c) != NULL;
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

gboolean
lab_known_hosts_validate_host (const char  *host,
                               GError     **error)
{
  g_autofree char *inner = NULL;
  gsize len;

  g_return_val_if_fail (host != NULL, FALSE);

  len = strlen (host);
  if (len == 0)
    {
      g_set_error_literal (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG,
                           _("Enter a host name or address."));
      return FALSE;
    }
  if (!g_utf8_validate (host, -1, NULL))
    {
      g_set_error_literal (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG,
                           _("The host name is not valid text."));
      return FALSE;
    }
  if (len > 253)
    {
      g_set_error_literal (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG,
                           _("The host name is too long: at most 253 characters."));
      return FALSE;
    }
  /* ssh and other tools would take "-name" for an option. */
  if (host[0] == '-')
    {
      g_set_error_literal (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG,
                           _("A host name cannot start with “-”."));
      return FALSE;
    }
  if (host[0] == '[' || strchr (host, ']') != NULL)
    {
      /* Brackets only around an IPv6 address, as in ssh's "[fe80::1]". */
      if (host[0] != '[' || host[len - 1] != ']'
          || (inner = g_strndup (host + 1, len - 2), !g_hostname_is_ip_address (inner))
          || strchr (inner, ':') == NULL)
        {
          g_set_error_literal (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG,
                               _("Square brackets are only for an IPv6 address, as in "
                                 "[fe80::1]."));
          return FALSE;
        }
      return TRUE;
    }
  for (const char *p = host; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!host_char_allowed (c))
        {
          g_autofree char *shown = NULL;

          if (g_unichar_isgraph (c))
            shown = g_strdup_printf ("“%.*s”", (int) (g_utf8_next_char (p) - p), p);
          else
            shown = g_strdup_printf ("U+%04X", c);
          /* Translators: %s is a character, such as “,” or U+0020 (a space) */
          g_set_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG,
                       _("A host name or address cannot contain %s."), shown);
          return FALSE;
        }
    }
  return TRUE;
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

  /* A name with a comma, a space or a pattern would add a line for other hosts. */
  if (!lab_known_hosts_validate_host (host, error))
    return FALSE;
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
