/* lab-xl-commands.h — the xl and shell commands Mirage Lab runs on dom0, as argv vectors
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "xen/lab-domain.h"

G_BEGIN_DECLS

/* Every command here is an argv vector: the SSH layer quotes each element, so names and
 * paths that came from dom0 or from the user never reach a shell as code. */

/* The xl command that carries out @action on @domain, or NULL (with @error) when it cannot
 * be done in the domain's state or the domain has nothing to start from. */
GStrv      lab_xl_action_argv          (LabDomainAction     action,
                                        LabDomain          *domain,
                                        GError            **error);

/* `xl create CONFIG` with the boot output kept on the console: paused when @paused (the
 * console attaches before the first instruction runs, then `xl unpause`). */
GStrv      lab_xl_create_argv          (const char         *config_path,
                                        gboolean            paused);
GStrv      lab_xl_console_argv         (const char         *domain_name);

/* `xl domid NAME`: prints the domain ID of the domain called @domain_name. */
GStrv      lab_xl_domid_argv           (const char         *domain_name);
/* The xl command for @action (shut down, destroy, pause, resume, reboot, open the console)
 * on the domain with ID @domid: an ID, unlike a name, can be neither read as an option
 * nor mistaken for another domain. */
GStrv      lab_xl_action_by_id_argv    (LabDomainAction     action,
                                        guint               domid);
/* The same, run only while ID @domid is still the domain called @name with @uuid (NULL:
 * not checked): `sh -c GUARD sh ID NAME UUID xl COMMAND ID`; fails with exit status 3 and
 * a line on stderr otherwise. */
GStrv      lab_xl_guarded_action_argv  (LabDomainAction     action,
                                        guint               domid,
                                        const char         *name,
                                        const char         *uuid);
/* Whether xl can be given @name: not empty, no leading "-" (an option), not all digits (a
 * domain ID), no "/" (xl's log file is named after it). */
gboolean   lab_xl_name_is_safe         (const char         *name,
                                        GError            **error);
/* Whether @name suits a domain the app makes, and the file NAME.xl it is saved in: safe
 * for xl, made of ASCII letters, digits, "-", "_" and "." only, starting with a letter or
 * digit, at most 64 characters. */
gboolean   lab_xl_name_is_plain        (const char         *name);
/* The value of @key ("xen_major", "free_memory", …) in what `xl info` printed, without the
 * padding; NULL when it is not there. */
char      *lab_xl_info_field           (const char         *text,
                                        const char         *key);
/* Reads free_memory (MiB) from what `xl info` printed; FALSE when it is not there. */
gboolean   lab_xl_parse_free_memory    (const char         *text,
                                        guint64            *free_mib);
/* Parses what `xl domid` printed. */
gboolean   lab_xl_parse_domid          (const char         *text,
                                        guint              *domid);

/* Turns the configured config folders (e.g. "~/mirage-skeleton/ ** /dist/ *.xl" without the
 * spaces, "~/unikernels") into one `find` over dom0, printing "MTIME<TAB>PATH\0" for every
 * .xl file. @home is the login user's home on dom0 and replaces a leading "~". A folder
 * without wildcards is searched for .xl files below it; "**" matches any number of folders.
 * Returns NULL when no folder is usable. */
GStrv      lab_xl_find_configs_argv    (const char * const *folders,
                                        const char         *home);

/* The same folders, cheaply: one `find` printing "MTIME<TAB>PATH\0" for every folder the
 * search would enter and no file. Its output changes when a file is made, removed or
 * renamed in any of them, so a caller compares it with the last one to know whether the
 * search is worth running now. NULL when no folder is usable. */
GStrv      lab_xl_config_folders_stamp_argv (const char * const *folders,
                                             const char         *home);

typedef struct
{
  char   *path;
  double  mtime;
} LabXlConfigFile;

void       lab_xl_config_file_free     (LabXlConfigFile    *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabXlConfigFile, lab_xl_config_file_free)

/* Parses the output of lab_xl_find_configs_argv(): an array of LabXlConfigFile, sorted by
 * path, skipping malformed lines and paths that are not valid UTF-8. */
GPtrArray *lab_xl_parse_find_output    (const char         *text,
                                        gsize               length);

/* Most .xl files are a few hundred bytes; anything much larger is not a domain config. */
#define LAB_XL_CONFIG_MAX_SIZE (256 * 1024)
GStrv      lab_xl_read_config_argv     (const char         *path);

/* The one line of xl's stderr that says what went wrong, for the user: without "Parsing
 * config from …", without libxl's "libxl: error: file.c:123:function: Domain N:" and
 * libxc's "xc: error: panic: file.c:123: " prefixes, first error first (later libxl lines
 * are consequences, such as the clean-up of the half-made domain). NULL when @text says
 * nothing. */
char      *lab_xl_describe_error       (const char         *text);

G_END_DECLS
