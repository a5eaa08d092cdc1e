/* lab-host-store.h — the saved dom0 hosts, persisted as JSON
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "xen/lab-host.h"

G_BEGIN_DECLS

#define LAB_TYPE_HOST_STORE (lab_host_store_get_type ())

G_DECLARE_FINAL_TYPE (LabHostStore, lab_host_store, LAB, HOST_STORE, GObject)

/* @file is where the hosts live; NULL means <user config dir>/mirage-lab/hosts.json. */
LabHostStore *lab_host_store_new          (GFile         *file);
GFile        *lab_host_store_get_file     (LabHostStore  *self);
/* Reads the file. A missing file is an empty store. A file that can't be read as hosts is
 * moved aside to "<file>.broken-<time>" (nothing is lost) and the error says where. */
gboolean      lab_host_store_load         (LabHostStore  *self,
                                           GError       **error);
void          lab_host_store_add          (LabHostStore  *self,
                                           LabHost       *host);
void          lab_host_store_remove       (LabHostStore  *self,
                                           LabHost       *host);
LabHost      *lab_host_store_lookup       (LabHostStore  *self,
                                           const char    *id);
/* Saves now (atomically: temporary file + rename) if anything changed since the last
 * save; changes are otherwise saved shortly after they happen. */
void          lab_host_store_save_async   (LabHostStore        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      lab_host_store_save_finish  (LabHostStore  *self,
                                           GAsyncResult  *result,
                                           GError       **error);
/* Writes pending changes now, synchronously: only for application shutdown. */
gboolean      lab_host_store_flush        (LabHostStore  *self,
                                           GError       **error);
char         *lab_host_store_serialize    (LabHostStore  *self);

G_END_DECLS
