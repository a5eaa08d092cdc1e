/* lab-xl-commands.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-xl-commands"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "lab-xl-list.h"

#include "lab-xl-commands.h"

/* Deep enough for ~/mirage-skeleton/applications/static_website_tls/dist/x.xl, shallow
 * enough that a folder pointing at / does not walk the whole disk. */
#define FIND_MAX_DEPTH "8"

static GStrv
argv_new (const char *first,
          ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);

  return g_strv_builder_end (builder);
}

GStrv
lab_xl_create_argv (const char *config_path,
                    gboolean    paused)
{
  g_return_val_if_fail (config_path != NULL, NULL);

  /* "--" is not understood by xl create; a path starting with "-" is made harmless by
   * being absolute (the configs come from find over absolute roots). */
  if (paused)
    return argv_new ("xl", "create", "-p", config_path, NULL);
  return argv_new ("xl", "create", config_path, NULL);
}

GStrv
lab_xl_console_argv (const char *domain_name)
{
  g_return_val_if_fail (domain_name != NULL, NULL);

  return argv_new ("xl", "console", domain_name, NULL);
}

/* Runs "$@" (an xl command on domain ID $1) only while that ID still belongs to the domain
 * the list showed: the same name ($2) and, when known, the same UUID ($3). An ID is never
 * read as an option or as another domain's name, and this catches the moment between a
 * list and a click when the domain left and another took its place. */
static const char guard_script[] =
  "id=$1 name=$2 uuid=$3; shift 3\n"
  "now=$(xl domname \"$id\" 2>/dev/null) || now=\n"
  "if [ \"$now\" != \"$name\" ]; then\n"
  "  echo \"Domain $id is no longer the one that was listed.\" >&2; exit 3\n"
  "fi\n"
  "if [ -n \"$uuid\" ]; then\n"
  "  u=$(xl list -l \"$id\" 2>/dev/null"
  " | sed -n 's/.*\"uuid\": *\"\\([0-9a-fA-F-]*\\)\".*/\\1/p' | head -n 1)\n"
  "  if [ -n \"$u\" ] && [ \"$u\" != \"$uuid\" ]; then\n"
  "    echo \"Domain $id is no longer the one that was listed.\" >&2; exit 3\n"
  "  fi\n"
  "fi\n"
  "exec \"$@\"\n";

GStrv
lab_xl_guarded_action_argv (LabDomainAction  action,
                            guint            domid,
                            const char      *name,
                            const char      *uuid)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) command = lab_xl_action_by_id_argv (action, domid);
  char id[16];

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (command != NULL, NULL);

  g_snprintf (id, sizeof id, "%u", domid);
  g_strv_builder_add_many (builder, "sh", "-c", guard_script, "sh", id, name,
                           uuid ? uuid : "", NULL);
  g_strv_builder_addv (builder, (const char **) command);
  return g_strv_builder_end (builder);
}

gboolean
lab_xl_name_is_plain (const char *name)
{
  gsize length;

  g_return_val_if_fail (name != NULL, FALSE);

  length = strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
  return length == strlen (name) && length <= 64 && g_ascii_isalnum (name[0])
         && lab_xl_name_is_safe (name, NULL);
}

gboolean
lab_xl_name_is_safe (const char  *name,
                     GError     **error)
{
  gboolean digits = TRUE;

  g_return_val_if_fail (name != NULL, FALSE);

  for (const char *p = name; *p != '\0'; p++)
    digits = digits && g_ascii_isdigit (*p);
  if (*name == '\0')
    {
      g_set_error_literal (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                           _("The domain has no name. Give it one in its config."));
      return FALSE;
    }
  if (*name == '-')
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                   _("A domain cannot be called “%s”: xl would read the name as an option. "
                     "Give it another name in its config."), name);
      return FALSE;
    }
  /* xl names its log file after the domain (/var/log/xen/xl-NAME.log): a "/" makes that
   * a path to a folder that does not exist, and xl create fails with a fatal error. */
  if (strchr (name, '/') != NULL)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                   _("A domain cannot be called “%s”: xl cannot make its log file for a name "
                     "with “/”. Give it another name in its config."), name);
      return FALSE;
    }
  /* A newline splits the domain's row in xl's tables, and other control characters hide
   * in them; a name that was not UTF-8 (shown with U+FFFD) cannot be shown as it is. */
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0xFFFD)
        {
          char high[129];
          g_autofree char *shown = NULL;

          /* Escapes the control characters only; the rest stays readable text. */
          for (guint i = 0; i < 128; i++)
            high[i] = (char) (0x80 + i);
          high[128] = '\0';
          shown = g_strescape (name, high);

          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                       _("A domain cannot be called “%s”: the name has a control character or "
                         "bytes that are not text, which xl’s lists cannot show. Give it "
                         "another name in its config."), shown);
          return FALSE;
        }
    }
  if (digits)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                   _("A domain cannot be called “%s”: xl would read the name as a domain ID. "
                     "Give it another name in its config."), name);
      return FALSE;
    }
  return TRUE;
}

GStrv
lab_xl_action_argv (LabDomainAction   action,
                    LabDomain        *domain,
                    GError          **error)
{
  const char *name;
  int domid;

  g_return_val_if_fail (LAB_IS_DOMAIN (domain), NULL);

  name = lab_domain_get_name (domain);
  domid = lab_domain_get_domid (domain);
  if (!lab_domain_action_is_possible (action, domain))
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                   _("This cannot be done while %s is %s."),
                   name, lab_domain_state_to_string (lab_domain_get_state (domain)));
      return NULL;
    }

  switch (action)
    {
    case LAB_DOMAIN_ACTION_START:
    case LAB_DOMAIN_ACTION_START_WITH_CONSOLE:
      if (lab_domain_get_config_path (domain) == NULL)
        {
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                       _("No configuration file is known for %s."), name);
          return NULL;
        }
      /* Everything later (console, shut down…) would have to name it. */
      if (!lab_xl_name_is_safe (name, error))
        return NULL;
      if (lab_domain_get_config_conflicts (domain) != NULL)
        {
          const char * const *conflicts = lab_domain_get_config_conflicts (domain);
          g_autofree char *paths = g_strjoinv ("\n", (char **) conflicts);

          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                       _("Several configurations declare the name %s; rename all but one:\n%s"),
                       name, paths);
          return NULL;
        }
      return lab_xl_create_argv (lab_domain_get_config_path (domain),
                                 action == LAB_DOMAIN_ACTION_START_WITH_CONSOLE);
    case LAB_DOMAIN_ACTION_SHUTDOWN:
    case LAB_DOMAIN_ACTION_DESTROY:
    case LAB_DOMAIN_ACTION_PAUSE:
    case LAB_DOMAIN_ACTION_RESUME:
    case LAB_DOMAIN_ACTION_REBOOT:
    case LAB_DOMAIN_ACTION_OPEN_CONSOLE:
      /* A running domain is acted on by its ID, never by a name xl could misread. */
      if (domid <= 0)
        {
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                       _("%s is not running."), name);
          return NULL;
        }
      if (action == LAB_DOMAIN_ACTION_OPEN_CONSOLE)
        return lab_xl_action_by_id_argv (action, (guint) domid);
      return lab_xl_guarded_action_argv (action, (guint) domid,
                                         lab_domain_get_xl_name (domain),
                                         lab_domain_get_uuid (domain));
    default:
      g_return_val_if_reached (NULL);
    }
}

GStrv
lab_xl_domid_argv (const char *domain_name)
{
  g_return_val_if_fail (domain_name != NULL, NULL);

  return argv_new ("xl", "domid", domain_name, NULL);
}

GStrv
lab_xl_action_by_id_argv (LabDomainAction action,
                          guint           domid)
{
  char id[16];
  const char *command;

  switch (action)
    {
    case LAB_DOMAIN_ACTION_SHUTDOWN: command = "shutdown"; break;
    case LAB_DOMAIN_ACTION_DESTROY: command = "destroy"; break;
    case LAB_DOMAIN_ACTION_PAUSE: command = "pause"; break;
    case LAB_DOMAIN_ACTION_RESUME: command = "unpause"; break;
    case LAB_DOMAIN_ACTION_REBOOT: command = "reboot"; break;
    case LAB_DOMAIN_ACTION_OPEN_CONSOLE: command = "console"; break;
    case LAB_DOMAIN_ACTION_START:
    case LAB_DOMAIN_ACTION_START_WITH_CONSOLE:
    default:
      g_return_val_if_reached (NULL);
    }
  g_snprintf (id, sizeof id, "%u", domid);
  return argv_new ("xl", command, id, NULL);
}

gboolean
lab_xl_parse_domid (const char *text,
                    guint      *domid)
{
  g_autofree char *line = NULL;
  guint64 value;

  g_return_val_if_fail (domid != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  line = g_strstrip (g_strdup (text));
  /* Domain IDs stop below DOMID_FIRST_RESERVED (0x7ff0); Domain-0 is never a guest's. */
  if (!g_ascii_string_to_unsigned (line, 10, 1, 0x7fef, &value, NULL))
    return FALSE;
  *domid = (guint) value;
  return TRUE;
}

char *
lab_xl_info_field (const char *text,
                   const char *key)
{
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      if (g_str_equal (name, key))
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

gboolean
lab_xl_parse_free_memory (const char *text,
                          guint64    *free_mib)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (free_mib != NULL, FALSE);

  value = lab_xl_info_field (text, "free_memory");
  return value != NULL
         && g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, free_mib, NULL);
}

static char *
expand_home (const char *folder,
             const char *home)
{
  if (g_str_equal (folder, "~"))
    return g_strdup (home);
  if (g_str_has_prefix (folder, "~/"))
    return g_build_filename (home, folder + 2, NULL);
  if (g_path_is_absolute (folder))
    return g_strdup (folder);
  /* Relative folders are relative to the home folder, like the ssh login's cwd. */
  return g_build_filename (home, folder, NULL);
}

static gboolean
has_wildcard (const char *s)
{
  return strpbrk (s, "*?[") != NULL;
}

/* Splits the config folders into where find starts (everything before the first component
 * with a wildcard) and the -path pattern each file must match. FALSE when no folder is left. */
static gboolean
config_roots (const char * const  *folders,
              const char          *home,
              GStrv               *roots_out,
              GStrv               *tests_out)
{
  g_autoptr(GStrvBuilder) roots = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) tests = g_strv_builder_new ();

  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GString) pattern = NULL;
      g_auto(GStrv) parts = NULL;
      g_autoptr(GString) root = g_string_new (NULL);
      gboolean globbing = FALSE;
      g_autofree char *folder = g_strstrip (g_strdup (folders[i]));

      if (*folder == '\0')
        continue;
      path = expand_home (folder, home);
      parts = g_strsplit (path, "/", -1);
      for (guint p = 0; parts[p] != NULL; p++)
        {
          if (*parts[p] == '\0')
            continue;
          if (has_wildcard (parts[p]))
            {
              globbing = TRUE;
              break;
            }
          g_string_append_c (root, '/');
          g_string_append (root, parts[p]);
        }
      if (root->len == 0)
        g_string_assign (root, "/");

      /* find -path's "*" also matches "/", so "**" needs no special treatment beyond
       * becoming "*"; a plain folder means every .xl below it. */
      pattern = g_string_new (path);
      while (g_string_replace (pattern, "**", "*", 0) > 0)
        ;
      if (!globbing)
        g_string_append (pattern, g_str_has_suffix (pattern->str, "/") ? "*.xl" : "/*.xl");

      g_strv_builder_add (roots, root->str);
      g_strv_builder_add (tests, pattern->str);
    }

  *roots_out = g_strv_builder_end (roots);
  *tests_out = g_strv_builder_end (tests);
  return (*roots_out)[0] != NULL;
}

/* One `find` over the config folders: the .xl files in them with their times, or (@folders_only)
 * the folders it would enter, with theirs. */
static GStrv
config_find_argv (const char * const *folders,
                  const char         *home,
                  gboolean            folders_only)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) root_list = NULL;
  g_auto(GStrv) test_list = NULL;

  g_return_val_if_fail (home != NULL && g_path_is_absolute (home), NULL);

  if (!config_roots (folders, home, &root_list, &test_list))
    return NULL;

  g_strv_builder_add (argv, "find");
  /* -L: mirage projects are often symlinked into place. Missing roots make find complain
   * on stderr, which the caller ignores. */
  g_strv_builder_add_many (argv, "-L", NULL);
  g_strv_builder_addv (argv, (const char **) root_list);
  g_strv_builder_add_many (argv, "-maxdepth", FIND_MAX_DEPTH, NULL);
  /* dune's and opam's trees hold copies of the generated configs; the real one is in the
   * project (mirage 3/4: dist/, mirage 2: the project folder). */
  g_strv_builder_add_many (argv, "(", "-name", "_build", "-o", "-name", "_opam", "-o",
                           "-name", ".git", ")", "-prune", "-o", NULL);
  if (folders_only)
    g_strv_builder_add_many (argv, "-type", "d", NULL);
  else
    {
      g_strv_builder_add_many (argv, "-type", "f", "(", NULL);
      for (guint i = 0; test_list[i] != NULL; i++)
        {
          if (i > 0)
            g_strv_builder_add (argv, "-o");
          g_strv_builder_add_many (argv, "-path", test_list[i], NULL);
        }
      g_strv_builder_add_many (argv, ")", "-name", "*.xl", NULL);
    }
  /* NUL ends each record: a file name may hold a newline, never a NUL. */
  g_strv_builder_add_many (argv, "-printf", "%T@\\t%p\\0", NULL);

  return g_strv_builder_end (argv);
}

GStrv
lab_xl_find_configs_argv (const char * const *folders,
                          const char         *home)
{
  return config_find_argv (folders, home, FALSE);
}

/* A file made, removed or renamed in a folder changes the folder's modification time: the
 * folders' times (no file is looked at) tell whether a search is worth it. */
GStrv
lab_xl_config_folders_stamp_argv (const char * const *folders,
                                  const char         *home)
{
  return config_find_argv (folders, home, TRUE);
}

void
lab_xl_config_file_free (LabXlConfigFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file);
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  const LabXlConfigFile *fa = *(LabXlConfigFile * const *) a;
  const LabXlConfigFile *fb = *(LabXlConfigFile * const *) b;

  return strcmp (fa->path, fb->path);
}

GPtrArray *
lab_xl_parse_find_output (const char *text,
                          gsize       length)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_xl_config_file_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *end = text + length;

  for (const char *line = text; text != NULL && line < end;)
    {
      const char *nl = memchr (line, '\0', end - line);
      const char *line_end = nl ? nl : end;
      const char *tab = memchr (line, '\t', line_end - line);
      g_autofree char *mtime_text = NULL;
      char *parse_end = NULL;
      double mtime;

      if (tab != NULL && tab + 1 < line_end && tab[1] == '/'
          && g_utf8_validate (tab + 1, line_end - tab - 1, NULL))
        {
          mtime_text = g_strndup (line, tab - line);
          mtime = g_ascii_strtod (mtime_text, &parse_end);
          if (parse_end != mtime_text && *parse_end == '\0')
            {
              LabXlConfigFile *file = g_new0 (LabXlConfigFile, 1);

              file->path = g_strndup (tab + 1, line_end - tab - 1);
              file->mtime = mtime;
              /* With -L a file reachable twice (two patterns, a symlinked folder) is one
               * config. */
              if (g_hash_table_contains (seen, file->path))
                lab_xl_config_file_free (file);
              else
                {
                  g_hash_table_add (seen, file->path);
                  g_ptr_array_add (files, file);
                }
            }
        }
      line = line_end + 1;
    }

  g_ptr_array_sort (files, compare_files);
  return files;
}

GStrv
lab_xl_read_config_argv (const char *path)
{
  g_autofree char *limit = g_strdup_printf ("%d", LAB_XL_CONFIG_MAX_SIZE);

  g_return_val_if_fail (path != NULL, NULL);

  return argv_new ("head", "-c", limit, "--", path, NULL);
}

/* "file.c:123:" or "file.c:123:function:" at the start of @s: returns what follows. */
static const char *
skip_source_location (const char *s)
{
  const char *p = s;

  while (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
    p++;
  if (!g_str_has_prefix (p, ".c:"))
    return s;
  p += 3;
  if (!g_ascii_isdigit (*p))
    return s;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p != ':')
    return s;
  p++;
  /* An optional function name, then ':' again (libxl); libxc puts a space instead. */
  {
    const char *q = p;

    while (g_ascii_isalnum (*q) || *q == '_')
      q++;
    if (q > p && *q == ':')
      p = q + 1;
  }
  while (*p == ' ')
    p++;
  return p;
}

char *
lab_xl_describe_error (const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return NULL;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      GString *message;

      if (*line == '\0' || g_str_has_prefix (line, "Parsing config from "))
        continue;

      if (g_str_has_prefix (line, "libxl: error: "))
        line = skip_source_location (line + strlen ("libxl: error: "));
      else if (g_str_has_prefix (line, "xc: error: panic: "))
        line = skip_source_location (line + strlen ("xc: error: panic: "));
      else if (g_str_has_prefix (line, "xc: error: "))
        line = line + strlen ("xc: error: ");

      /* "Domain 7:" says which half-made domain; the user knows which one they started. */
      if (g_str_has_prefix (line, "Domain "))
        {
          const char *p = line + strlen ("Domain ");

          while (g_ascii_isdigit (*p))
            p++;
          if (*p == ':' && p > line + strlen ("Domain "))
            line = p + 1;
        }

      message = g_string_new (line);
      /* libxc ends its panics with a generic ": Internal error". */
      if (g_str_has_suffix (message->str, ": Internal error"))
        g_string_truncate (message, message->len - strlen (": Internal error"));
      return g_string_free (message, FALSE);
    }
  return NULL;
}
