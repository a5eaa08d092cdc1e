/* lab-config-edit.h — one edit of a domain's .xl config: the working text, what changed,
 * and saving it
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-sftp-upload.h"
#include "xen/lab-domain.h"
#include "xen/lab-host-connection.h"
#include "xen/lab-xl-config.h"

G_BEGIN_DECLS

#define LAB_TYPE_CONFIG_EDIT (lab_config_edit_get_type ())

G_DECLARE_FINAL_TYPE (LabConfigEdit, lab_config_edit, LAB, CONFIG_EDIT, GObject)

/* An edit of @domain's config as it is now (the domain must have one). @connection saves it
 * and may be NULL for an edit that is only looked at. */
LabConfigEdit *lab_config_edit_new          (LabHostConnection  *connection,
                                             LabDomain          *domain);
/* A config for a new domain, to be saved as NAME.xl in @folder (absolute, on dom0): a PVH
 * unikernel with 64 MiB, one vCPU, a vif on @bridge with a MAC no domain of the host has,
 * and no kernel yet. */
LabConfigEdit *lab_config_edit_new_domain   (LabHostConnection  *connection,
                                             const char         *folder,
                                             const char         *bridge);
/* NULL for a new domain. */
LabDomain     *lab_config_edit_get_domain   (LabConfigEdit      *self);
/* Where a new domain's config goes, NULL for an edit. */
const char    *lab_config_edit_get_folder   (LabConfigEdit      *self);
/* The path the config is saved at: its own, or FOLDER/NAME.xl for a new one. */
char          *lab_config_edit_dup_path     (LabConfigEdit      *self);
/* A new domain's bridge: its first vif becomes bridge=@bridge with its MAC kept (other
 * options of that vif go; other vifs stay). */
gboolean       lab_config_edit_set_bridge   (LabConfigEdit      *self,
                                             const char         *bridge,
                                             GError            **error);
/* The working config. Change it through the setters below, so that ::modified follows. */
LabXlConfig   *lab_config_edit_get_config   (LabConfigEdit      *self);
const char    *lab_config_edit_get_original (LabConfigEdit      *self);
/* Whether the working text differs from what was read. */
gboolean       lab_config_edit_get_modified (LabConfigEdit      *self);
/* Whether what is saved only applies at the domain's next start (it runs now). */
gboolean       lab_config_edit_get_applies_later (LabConfigEdit *self);

gboolean       lab_config_edit_set_number   (LabConfigEdit      *self,
                                             const char         *key,
                                             gint64              value,
                                             GError            **error);
/* An empty @value is not added where the setting is absent. */
gboolean       lab_config_edit_set_string   (LabConfigEdit      *self,
                                             const char         *key,
                                             const char         *value,
                                             GError            **error);
/* The boot arguments: `cmdline` when the config uses it, else `extra`. */
gboolean       lab_config_edit_set_cmdline  (LabConfigEdit      *self,
                                             const char         *value,
                                             GError            **error);
/* The whole text, as typed in the text view: it must parse, or nothing changes. */
gboolean       lab_config_edit_set_text     (LabConfigEdit      *self,
                                             const char         *text,
                                             GError            **error);
/* A unified diff from what was read to the working text ("" when unchanged). */
char          *lab_config_edit_dup_diff     (LabConfigEdit      *self);

/* What is wrong with the working config on its host (see lab_config_check_async); finishes
 * with the sentences, empty when nothing is. Fails without a connection. */
void           lab_config_edit_check_async  (LabConfigEdit      *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
GStrv          lab_config_edit_check_finish (LabConfigEdit      *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Copies @local (a unikernel image on this computer) next to the config on dom0 (its
 * folder; a new domain's folder), resumable and checked by SHA-256, never over a file of
 * that name; then the config's kernel is that copy. @upload_out (optional) gets the
 * upload, whose properties say how far it is. Finishes with the path on dom0. */
void           lab_config_edit_upload_kernel_async  (LabConfigEdit      *self,
                                                     GFile              *local,
                                                     LabSftpUpload     **upload_out,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
char          *lab_config_edit_upload_kernel_finish (LabConfigEdit      *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* Saves the working text over the config (backup, atomic, refused when the file changed
 * on dom0 since it was read). Finishes with the backup's path. A new domain's config is
 * made as a new file (never over one; its name checked first) and finishes with its path. */
void           lab_config_edit_save_async   (LabConfigEdit      *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
char          *lab_config_edit_save_finish  (LabConfigEdit      *self,
                                             GAsyncResult       *result,
                                             GError            **error);

G_END_DECLS
