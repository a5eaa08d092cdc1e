/* lab-xl-config.h — reading xl domain configuration files (.xl)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LAB_TYPE_XL_CONFIG (lab_xl_config_get_type ())

G_DECLARE_FINAL_TYPE (LabXlConfig, lab_xl_config, LAB, XL_CONFIG, GObject)

/* Parses the xl configuration syntax (libxlu): `key = value` settings separated by new
 * lines or ';', values that are quoted strings, numbers or [lists, of, strings], and '#'
 * comments. @path is where the file lives on dom0 (kept for relative kernel paths). */
LabXlConfig  *lab_xl_config_new_from_data   (const char   *path,
                                             const char   *text,
                                             gssize        length,
                                             GError      **error);

const char   *lab_xl_config_get_path        (LabXlConfig  *self);
const char   *lab_xl_config_get_text        (LabXlConfig  *self);
/* The string value of a setting, or NULL when unset or not a string. */
const char   *lab_xl_config_get_string      (LabXlConfig  *self,
                                             const char   *key);
gboolean      lab_xl_config_get_number      (LabXlConfig  *self,
                                             const char   *key,
                                             gint64       *value);
/* The items of a list setting (e.g. vif), or NULL. */
const char * const *lab_xl_config_get_list  (LabXlConfig  *self,
                                             const char   *key);

const char   *lab_xl_config_get_name        (LabXlConfig  *self);
/* `type`, or what a legacy `builder` means; NULL when neither is set (xl then uses PV). */
const char   *lab_xl_config_get_domain_type (LabXlConfig  *self);
/* Lower-case MACs from the vif specs (NULL entries skipped). */
GStrv         lab_xl_config_dup_macs        (LabXlConfig  *self);
/* The kernel image it names, as a path on dom0 (a relative one is next to the config), or
 * NULL. */
char         *lab_xl_config_dup_kernel_path (LabXlConfig  *self);
/* `extra` or `cmdline`, whichever is set (xl treats them as the same thing). */
const char   *lab_xl_config_get_cmdline     (LabXlConfig  *self);

/* Xen 4.10 dropped `builder='linux'` (xl: "Invalid domain type linux."). TRUE when this
 * config still uses it, as the 2015-era mirage 2.x configs do. */
gboolean      lab_xl_config_has_legacy_builder (LabXlConfig *self);
/* The file text with the builder setting in effect replaced by `type = "pv"` (or removed
 * when `type` is set) and any other builder setting removed; every byte outside those
 * settings stays the same, comments and separators included. NULL when there is nothing
 * to fix. */
char         *lab_xl_config_fix_legacy_builder (LabXlConfig *self);

/* Editing. Each call changes the text of the settings it names and nothing else (comments,
 * blank lines, unknown settings and their order stay), then reads the text again; on an
 * error nothing changes. A missing setting is added at the end; values are quoted as xl
 * reads them back. */
gboolean      lab_xl_config_set_string      (LabXlConfig  *self,
                                             const char   *key,
                                             const char   *value,
                                             GError      **error);
gboolean      lab_xl_config_set_number      (LabXlConfig  *self,
                                             const char   *key,
                                             gint64        value,
                                             GError      **error);
gboolean      lab_xl_config_set_list        (LabXlConfig         *self,
                                             const char          *key,
                                             const char * const  *items,
                                             GError             **error);
/* Removes every setting of @key (with its line when nothing else is on it). */
gboolean      lab_xl_config_unset           (LabXlConfig  *self,
                                             const char   *key,
                                             GError      **error);

/* A copy to be saved at @path as a second instance: named @name, without the original's
 * uuid, and with a new MAC (Xen's 00:16:3e range, none of @used_macs) and no fixed
 * interface name in each vif; the same kernel and everything else. */
LabXlConfig  *lab_xl_config_duplicate       (LabXlConfig         *self,
                                             const char          *path,
                                             const char          *name,
                                             GRand               *rand,
                                             const char * const  *used_macs,
                                             GError             **error);
/* A MAC in Xen's range that is not in @used (lower case), or NULL when none was found. */
char         *lab_xl_generate_mac           (GRand               *rand,
                                             const char * const  *used);

/* Parses one vif spec ("mac=00:16:3e:..,bridge=br0") into key → value. */
GHashTable   *lab_xl_parse_vif_spec         (const char   *spec);

G_END_DECLS
