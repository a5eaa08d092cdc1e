/* lab-setup-facts.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "net/lab-local-net.h"

#include "lab-setup-facts.h"

/* ---- versions ---- */

/* A version starts at a digit that does not continue a word or another number ("v" may
 * precede it, as in cmdliner's "v4.11.1"), and needs at least MAJOR.MINOR. */
gboolean
lab_version_parse (const char *text,
                   LabVersion *version)
{
  static GRegex *regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  LabVersion parsed = { 0, 0, 0 };
  guint64 numbers[3] = { 0, 0, 0 };

  if (text == NULL)
    return FALSE;
  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex,
                       g_regex_new ("(?:^|[^0-9A-Za-z.])[vV]?([0-9]+)\\.([0-9]+)(?:\\.([0-9]+))?",
                                    0, 0, NULL));
  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *digits = g_match_info_fetch (match, i + 1);

      if (digits == NULL || *digits == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT, &numbers[i], NULL))
        return FALSE;
    }
  parsed.major = numbers[0];
  parsed.minor = numbers[1];
  parsed.patch = numbers[2];
  if (version != NULL)
    *version = parsed;
  return TRUE;
}

static int
compare_part (guint a,
              guint b)
{
  return a < b ? -1 : (a > b ? 1 : 0);
}

int
lab_version_compare (const LabVersion *version,
                     guint             major,
                     guint             minor,
                     guint             patch)
{
  int result;

  g_return_val_if_fail (version != NULL, 0);

  result = compare_part (version->major, major);
  if (result == 0)
    result = compare_part (version->minor, minor);
  if (result == 0)
    result = compare_part (version->patch, patch);
  return result;
}

char *
lab_version_to_string (const LabVersion *version)
{
  g_return_val_if_fail (version != NULL, NULL);

  return g_strdup_printf ("%u.%u.%u", version->major, version->minor, version->patch);
}

/* ---- mirage configure ---- */

char **
lab_mirage_configure_argv (const LabVersion *mirage,
                           char            **why)
{
  g_autofree char *version = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char *reason;

  g_return_val_if_fail (mirage != NULL, NULL);

  version = lab_version_to_string (mirage);
  if (lab_version_compare (mirage, 3, 0, 0) < 0)
    {
      /* mirage 2.x: the skeleton's config.ml reads $DHCP; --xen was removed in 3.0 */
      g_strv_builder_add_many (builder, "env", "DHCP=true", "mirage", "configure", "--xen",
                               NULL);
      reason = g_strdup_printf (_("mirage %s takes the target as --xen, and the example’s "
                                  "config.ml turns DHCP on when the DHCP environment "
                                  "variable is set."), version);
    }
  else if (lab_version_compare (mirage, 4, 10, 5) < 0)
    {
      g_strv_builder_add_many (builder, "mirage", "configure", "-t", "xen", "--dhcp", "true",
                               NULL);
      reason = g_strdup_printf (_("mirage %s uses a static address unless it is configured "
                                  "with --dhcp true (DHCP is the default only from 4.10.5)."),
                                version);
    }
  else if (lab_version_compare (mirage, 4, 11, 0) < 0)
    {
      g_strv_builder_add_many (builder, "mirage", "configure", "-t", "xen", NULL);
      reason = g_strdup_printf (_("mirage %s uses DHCP by default (since 4.10.5), so no "
                                  "option is needed."), version);
    }
  else
    {
      /* 4.11.0 made --dhcp a flag --no-dhcp; "--dhcp true" is an unknown option there */
      g_strv_builder_add_many (builder, "mirage", "configure", "-t", "xen", NULL);
      reason = g_strdup_printf (_("mirage %s uses DHCP unless --no-dhcp is given."), version);
    }

  if (why != NULL)
    *why = reason;
  else
    g_free (reason);
  return g_strv_builder_end (builder);
}

/* ---- interface for a MAC ---- */

/* "080027AABBCC", "08:00:27:aa:bb:cc" or "08-00-27-AA-BB-CC" → "08:00:27:aa:bb:cc". */
static char *
normalize_mac (const char *mac)
{
  GString *hex = g_string_new (NULL);
  gsize len = strlen (mac);
  gboolean separated = len == 17;

  if (len != 12 && len != 17)
    goto invalid;
  for (gsize i = 0; i < len; i++)
    {
      char c = mac[i];

      if (separated && i % 3 == 2)
        {
          if (c != ':' && c != '-')
            goto invalid;
          continue;
        }
      if (!g_ascii_isxdigit (c))
        goto invalid;
      if (hex->len > 0 && hex->len % 3 == 2)
        g_string_append_c (hex, ':');
      g_string_append_c (hex, g_ascii_tolower (c));
    }
  return g_string_free (hex, FALSE);

invalid:
  g_string_free (hex, TRUE);
  return NULL;
}

typedef struct
{
  char *name;
  char *master;
  char *mac;
} LinkLine;

static void
link_line_free (gpointer data)
{
  LinkLine *link = data;

  g_free (link->name);
  g_free (link->master);
  g_free (link->mac);
  g_free (link);
}

/* One `ip -o link` line: "3: enp0s8: <…> mtu 1500 … master br0 state UP …\    link/ether
 * 08:00:27:ab:cd:ef brd ff:ff:ff:ff:ff:ff". NULL when the line is not an interface. */
static LinkLine *
parse_link_line (const char *line)
{
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  LinkLine *link;
  gsize len;
  char *at;

  tokens = g_strsplit_set (line, " \t\\", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (*tokens[i] != '\0')
      g_ptr_array_add (words, tokens[i]);
  if (words->len < 2)
    return NULL;

  len = strlen (words->pdata[0]);
  if (len < 2 || ((char *) words->pdata[0])[len - 1] != ':')
    return NULL;
  for (gsize i = 0; i + 1 < len; i++)
    if (!g_ascii_isdigit (((char *) words->pdata[0])[i]))
      return NULL;
  len = strlen (words->pdata[1]);
  if (len < 2 || ((char *) words->pdata[1])[len - 1] != ':')
    return NULL;

  link = g_new0 (LinkLine, 1);
  link->name = g_strndup (words->pdata[1], len - 1);
  at = strchr (link->name, '@');
  if (at != NULL)
    *at = '\0';
  /* The name goes into the network configuration written on dom0. */
  if (!lab_net_device_name_is_valid (link->name))
    {
      link_line_free (link);
      return NULL;
    }
  for (guint i = 2; i + 1 < words->len; i++)
    {
      if (g_str_equal (words->pdata[i], "master") && link->master == NULL)
        link->master = g_strdup (words->pdata[i + 1]);
      else if (g_str_equal (words->pdata[i], "link/ether") && link->mac == NULL)
        link->mac = g_ascii_strdown (words->pdata[i + 1], -1);
    }
  return link;
}

char *
lab_interface_for_mac (const char  *ip_link_output,
                       const char  *mac,
                       GError     **error)
{
  g_autofree char *wanted = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (link_line_free);
  g_autoptr(GHashTable) masters = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) seen = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  LinkLine *bridge = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (mac != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (mac));

      wanted = normalize_mac (stripped);
    }
  if (wanted == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a MAC address (expected six hexadecimal bytes, like "
                     "08:00:27:AA:BB:CC or 080027AABBCC)."), mac != NULL ? mac : "");
      return NULL;
    }

  lines = g_strsplit (ip_link_output != NULL ? ip_link_output : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      LinkLine *link = parse_link_line (lines[i]);

      if (link == NULL)
        continue;
      if (g_str_equal (link->name, "lo"))
        {
          link_line_free (link);
          continue;
        }
      g_ptr_array_add (links, link);
      if (link->master != NULL)
        g_hash_table_add (masters, link->master);
      if (seen->len > 0)
        g_string_append (seen, ", ");
      g_string_append (seen, link->name);
    }

  for (guint i = 0; i < links->len; i++)
    {
      LinkLine *link = links->pdata[i];

      if (link->mac == NULL || !g_str_equal (link->mac, wanted))
        continue;
      if (!g_hash_table_contains (masters, link->name))
        {
          g_debug ("MAC %s is %s", wanted, link->name);
          return g_strdup (link->name);
        }
      if (bridge == NULL)
        bridge = link;
    }
  if (bridge != NULL)
    {
      g_debug ("MAC %s is the bridge %s (no port has it)", wanted, bridge->name);
      return g_strdup (bridge->name);
    }

  if (seen->len == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No network interface has the MAC address %s: the list of interfaces "
                   "is empty."), wanted);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No network interface has the MAC address %s (interfaces seen: %s)."),
                 wanted, seen->str);
  return NULL;
}

/* ---- reading a failed command's output ---- */

/* The first capture group of @pattern in @text (whole match when it has none); NULL when
 * it does not match. */
static char *
find (const char *text,
      const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert (regex != NULL);
  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, g_regex_get_capture_count (regex) > 0 ? 1 : 0);
}

static gboolean
matches (const char *text,
         const char *pattern)
{
  g_autofree char *found = find (text, pattern);

  return found != NULL;
}

/* A host name as tools print it: letters, digits, dots and dashes (IPv4 too). */
#define HOST "([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*)"

static void
set_texts (char      **meaning,
           char      **fix,
           char       *meaning_text,
           char       *fix_text)
{
  if (meaning != NULL)
    *meaning = meaning_text;
  else
    g_free (meaning_text);
  if (fix != NULL)
    *fix = fix_text;
  else
    g_free (fix_text);
}

static gboolean
diagnose_no_space (const char  *text,
                   char       **meaning,
                   char       **fix)
{
  g_autofree char *apt_dir = NULL;

  /* apt: "E: You don't have enough free space in /var/cache/apt/archives/." */
  apt_dir = find (text, "You don't have enough free space in (/\\S*?)\\.?(?: |$)");

  if (apt_dir == NULL && !matches (text, "No space left on device"))
    return FALSE;
  set_texts (meaning, fix,
             apt_dir != NULL
             ? g_strdup_printf (_("The host does not have enough free disk space in %s."),
                                apt_dir)
             : g_strdup (_("A disk of the host is full (“No space left on device”).")),
             g_strdup (_("Free some space and run the step again: df -h shows which file "
                         "system is full; sudo apt-get clean and opam clean remove "
                         "downloaded archives.")));
  return TRUE;
}

static gboolean
diagnose_dpkg_lock (const char  *text,
                    char       **meaning,
                    char       **fix)
{
  g_autofree char *lock = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *process = NULL;
  char *meaning_text;

  lock = find (text, "Could not get lock (/var/(?:lib/dpkg|lib/apt/lists|cache/apt/archives)"
                     "/lock[a-z-]*)");
  /* Not "…, are you root?": apt says the same words to a user without sudo. */
  if (lock == NULL
      && !matches (text, "Unable to (?:acquire the dpkg frontend lock|lock the administration "
                         "directory) \\([^)]*\\), is another process using it")
      && !matches (text, "dpkg frontend lock (?:is|was) locked by another process"))
    return FALSE;

  /* apt >= 1.9: "It is held by process 1234 (unattended-upgr)" */
  pid = find (text, "held by process ([0-9]+)");
  process = find (text, "held by process [0-9]+ \\(([^)\\s]+)\\)");
  if (pid != NULL && process != NULL)
    meaning_text = g_strdup_printf (_("Another package manager, %s (process %s), holds the "
                                      "dpkg lock, so apt cannot install anything now."),
                                    process, pid);
  else
    meaning_text = g_strdup (_("Another package manager holds the dpkg lock, so apt cannot "
                               "install anything now. Right after boot this is often "
                               "unattended-upgrades."));
  set_texts (meaning, fix, meaning_text,
             g_strdup (_("Wait until it has finished (ps -C apt,apt-get,dpkg,unattended-upgr "
                         "shows it), then run the step again. Do not delete the lock file.")));
  return TRUE;
}

static gboolean
diagnose_sandbox (const char  *text,
                  char       **meaning,
                  char       **fix)
{
  if (!matches (text, "Sandboxing is not working on your platform")
      && !matches (text, "bwrap: [^\"]{0,80}?(?:Operation not permitted|Permission denied|"
                     "No permissions to create new namespace|setting up uid map|"
                     "Creating new namespace failed)"))
    return FALSE;
  set_texts (meaning, fix,
             g_strdup (_("opam’s build sandbox (bubblewrap) cannot start: this system does "
                         "not let ordinary users create the namespaces it needs (Ubuntu "
                         "24.04 restricts unprivileged user namespaces).")),
             g_strdup (_("Run opam init again with sandboxing turned off: opam init --reinit "
                         "--disable-sandboxing --bare -y")));
  return TRUE;
}

typedef enum
{
  REACH_UNKNOWN,
  REACH_DNS,
  REACH_CONNECT,
} ReachFailure;

static gboolean
diagnose_offline (const char  *text,
                  char       **meaning,
                  char       **fix)
{
  static const struct
  {
    const char *pattern;
    ReachFailure failure;
  } host_patterns[] = {
    { "Could not resolve host: " HOST, REACH_DNS },                       /* curl, git */
    { "Could not resolve hostname " HOST, REACH_DNS },                    /* ssh */
    { "Temporary failure resolving '" HOST "'", REACH_DNS },              /* apt */
    { "unable to resolve host address ['‘]" HOST, REACH_DNS },            /* wget */
    { "Resolving " HOST " \\([^)]*\\)\\.\\.\\. failed", REACH_DNS },      /* wget */
    { "Failed to connect to " HOST " port [0-9]+", REACH_CONNECT },       /* curl */
    { "Could not connect to " HOST ":[0-9]+", REACH_CONNECT },            /* apt */
    { "Cannot initiate the connection to " HOST ":[0-9]+", REACH_CONNECT }, /* apt */
    { "Connecting to " HOST " \\([^)]*\\)\\|[^|]*\\|:[0-9]+\\.\\.\\. failed", REACH_CONNECT },
    { "unable to access '(?:https?|git)://(?:[^@/']*@)?" HOST "[:/']", REACH_UNKNOWN }, /* git */
  };
  g_autofree char *host = NULL;
  g_autofree char *repository = NULL;
  ReachFailure failure = REACH_UNKNOWN;
  gboolean offline = FALSE;
  gboolean opam = FALSE;
  char *meaning_text;
  char *fix_text;

  for (guint i = 0; i < G_N_ELEMENTS (host_patterns) && host == NULL; i++)
    {
      host = find (text, host_patterns[i].pattern);
      failure = host_patterns[i].failure;
    }
  if (host != NULL)
    offline = TRUE;
  else if (matches (text, "Temporary failure in name resolution")
           || matches (text, "Name or service not known"))
    {
      offline = TRUE;
      failure = REACH_DNS;
    }
  else if (matches (text, "Network is unreachable"))
    {
      offline = TRUE;
      failure = REACH_CONNECT;
    }

  /* The output is one line here, so every span is bounded: a long log must not pair one
   * tool's words with another's far away.
   * opam: [ERROR] Could not update repository "default": OpamDownload.Download_fail(_,
   * "Curl failed: \"/usr/bin/curl … -- https://opam.ocaml.org/index.tar.gz\" exited with
   * code 6"); [ERROR] Failed to get sources of …; Failed to download … */
  repository = find (text, "Could not update repository \\\\?\"([^\"\\\\]+)\\\\?\"");
  if (repository != NULL
      || matches (text, "Failed to (?:download|get sources of)")
      || matches (text, "Initial download of repository failed"))
    {
      g_autofree char *code = find (text, "Curl failed: .{0,2000}? exited with code ([0-9]+)");

      opam = TRUE;
      offline = TRUE;
      if (code != NULL && g_str_equal (code, "6") && failure == REACH_UNKNOWN)
        failure = REACH_DNS;
      else if (code != NULL && g_str_equal (code, "7") && failure == REACH_UNKNOWN)
        failure = REACH_CONNECT;
      if (host == NULL)
        host = find (text, "(?:Curl failed|Failed to download|Failed to get sources of)"
                           ".{0,2000}?(?:https?|git)://(?:[^@/\"'\\s]*@)?" HOST);
    }
  if (!offline)
    return FALSE;

  g_debug ("offline: host %s, repository %s, failure %d",
           host != NULL ? host : "-", repository != NULL ? repository : "-", failure);
  if (host != NULL && failure == REACH_DNS)
    meaning_text = g_strdup_printf (_("The host could not look up the address of %s: it has "
                                      "no working internet connection or DNS server."), host);
  else if (host != NULL && failure == REACH_CONNECT)
    meaning_text = g_strdup_printf (_("The host could not connect to %s: it has no working "
                                      "internet connection, or a firewall or proxy is in "
                                      "the way."), host);
  else if (host != NULL && repository != NULL)
    meaning_text = g_strdup_printf (_("opam could not update its package repository “%s” "
                                      "from %s: the host has no working internet "
                                      "connection, or a firewall or proxy is in the way."),
                                    repository, host);
  else if (host != NULL)
    meaning_text = g_strdup_printf (_("The host could not reach %s: it has no working "
                                      "internet connection, or a firewall or proxy is in "
                                      "the way."), host);
  else if (opam && repository != NULL)
    meaning_text = g_strdup_printf (_("opam could not update its package repository “%s”: "
                                      "the host has no working internet connection, or a "
                                      "firewall or proxy is in the way."), repository);
  else if (failure == REACH_DNS)
    meaning_text = g_strdup (_("The host could not look up names on the internet: it has "
                               "no working internet connection or DNS server."));
  else
    meaning_text = g_strdup (_("The host could not reach the internet: its network "
                               "connection does not work."));

  if (host != NULL && failure == REACH_CONNECT)
    fix_text = g_strdup_printf (_("Check that the host is online and that no firewall or "
                                  "proxy is in the way (try: ping -c 3 %s), then run the "
                                  "step again."), host);
  else if (host != NULL)
    fix_text = g_strdup_printf (_("Check that the host is online and can look up names (try: "
                                  "getent hosts %s), then run the step again."), host);
  else
    fix_text = g_strdup (_("Check that the host is online and has a DNS server (try: ip "
                           "route; cat /etc/resolv.conf), then run the step again."));
  set_texts (meaning, fix, meaning_text, fix_text);
  return TRUE;
}

LabSetupCause
lab_setup_diagnose_output (const char  *output,
                           char       **meaning,
                           char       **fix)
{
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *valid = NULL;
  g_autofree char *text = NULL;

  if (meaning != NULL)
    *meaning = NULL;
  if (fix != NULL)
    *fix = NULL;
  if (output == NULL)
    return LAB_SETUP_CAUSE_NONE;

  /* opam wraps its messages at the terminal width; one line makes the patterns simple */
  valid = g_utf8_make_valid (output, -1);
  text = g_regex_replace_literal (spaces, valid, -1, 0, " ", 0, NULL);
  if (text == NULL)
    return LAB_SETUP_CAUSE_NONE;

  if (diagnose_no_space (text, meaning, fix))
    return LAB_SETUP_CAUSE_NO_SPACE;
  if (diagnose_dpkg_lock (text, meaning, fix))
    return LAB_SETUP_CAUSE_DPKG_LOCKED;
  if (diagnose_sandbox (text, meaning, fix))
    return LAB_SETUP_CAUSE_SANDBOX;
  if (diagnose_offline (text, meaning, fix))
    return LAB_SETUP_CAUSE_OFFLINE;
  return LAB_SETUP_CAUSE_NONE;
}
