/* lab-xl-list.h — parsers for `xl list`, `xl list -l` and `xl uptime`
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LAB_XL_ERROR (lab_xl_error_quark ())

typedef enum
{
  LAB_XL_ERROR_PARSE,
  LAB_XL_ERROR_FAILED,          /* xl (or the command around it) reported an error */
  LAB_XL_ERROR_LEGACY_CONFIG,   /* builder='linux' on a Xen that no longer knows it */
  LAB_XL_ERROR_NO_MEMORY,       /* the domain needs more memory than Xen has free */
} LabXlError;

GQuark lab_xl_error_quark (void);

/* One row of `xl list`, completed by `xl list -l` and `xl uptime` where they know the
 * domain. Fields a source did not provide keep their "unknown" value (NULL, -1). */
typedef struct
{
  char     *name;         /* valid UTF-8, for people */
  char     *xl_name;      /* the bytes xl printed, when they are not UTF-8 (else NULL) */
  gboolean  name_spans_lines; /* a name with a newline: `xl list` split its row */
  int       domid;
  gint64    memory_mib;
  int       vcpus;
  char     *state;        /* the six state letters, e.g. "-b----" */
  double    cpu_time;     /* seconds */
  gint64    uptime;       /* seconds, -1 when unknown */

  /* From `xl list -l` */
  char     *uuid;
  char     *type;         /* "pv", "pvh", "hvm" */
  char     *kernel;
  char     *cmdline;
  char     *on_crash;
  gint64    max_memory_mib;
  GStrv     macs;         /* lower-case MACs of the nics, in devid order */
  GStrv     bridges;      /* bridge of each nic ("" when unset) */
} LabXlDomainInfo;

LabXlDomainInfo *lab_xl_domain_info_new   (void);
LabXlDomainInfo *lab_xl_domain_info_copy  (const LabXlDomainInfo *info);
void             lab_xl_domain_info_free  (LabXlDomainInfo       *info);
GType            lab_xl_domain_info_get_type (void) G_GNUC_CONST;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabXlDomainInfo, lab_xl_domain_info_free)

/* `xl list` (plain table). Returns an array of LabXlDomainInfo. */
GPtrArray *lab_xl_parse_list        (const char  *text,
                                     gssize       length,
                                     GError     **error);
/* `xl list -l` (JSON). Returns an array of LabXlDomainInfo with the JSON fields. */
GPtrArray *lab_xl_parse_list_long   (const char  *text,
                                     gssize       length,
                                     GError     **error);
/* `xl uptime`. Returns name → seconds (gint64 boxed in a pointer-sized GINT64 slot). */
GHashTable *lab_xl_parse_uptime     (const char  *text,
                                     gssize       length,
                                     GError     **error);
/* Fills the -l and uptime fields of each entry of @list from the other two results. */
void       lab_xl_merge             (GPtrArray   *list,
                                     GPtrArray   *list_long,
                                     GHashTable  *uptimes);

/* One poll's three outputs at once: @list is required, @list_long and @uptime (either may be
 * NULL) only add detail. The async form parses in a worker thread, since the JSON of a
 * thousand domains takes longer than a frame; the result is only data, for the main thread
 * to apply. */
GPtrArray *lab_xl_parse_poll        (GBytes               *list,
                                     GBytes               *list_long,
                                     GBytes               *uptime,
                                     GError              **error);
void       lab_xl_parse_poll_async  (GBytes               *list,
                                     GBytes               *list_long,
                                     GBytes               *uptime,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GPtrArray *lab_xl_parse_poll_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
