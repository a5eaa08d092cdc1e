/* lab-ssh-config.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A pure parser for the subset of ssh_config(5) that Mirage Lab honours: Host blocks with
 * wildcard/negated patterns, HostName (with %h and %%), User, Port, IdentityFile (with ~, %d,
 * %u, %h, %r, %%; accumulates), ConnectTimeout, and Include (relative to ~/.ssh, with globs).
 * "Match" blocks are skipped (only "Match all" applies). As in OpenSSH, the first value
 * obtained for each keyword wins. */

typedef struct _LabSshConfig LabSshConfig;

typedef struct
{
  char    *hostname;         /* NULL if not set */
  char    *user;             /* NULL if not set */
  guint16  port;             /* 0 if not set */
  GStrv    identity_files;   /* NULL-terminated, expanded; never NULL */
  guint    connect_timeout;  /* seconds, 0 if not set */
} LabSshHostConfig;

LabSshConfig     *lab_ssh_config_new_from_data  (const char   *data,
                                                 const char   *base_dir);
LabSshConfig     *lab_ssh_config_new_from_file  (const char   *path,
                                                 GError      **error);
void              lab_ssh_config_free           (LabSshConfig *config);

/* @local_user and @home are used for %u, %d and ~ (NULL = current user / home dir).
 * The remote user for %r is the resolved User, else @local_user. */
LabSshHostConfig *lab_ssh_config_lookup         (LabSshConfig *config,
                                                 const char   *host,
                                                 const char   *local_user,
                                                 const char   *home);
void              lab_ssh_host_config_free      (LabSshHostConfig *host_config);

/* OpenSSH pattern matching, on bytes: *, ? and a comma/space list with ! negation. */
gboolean          lab_ssh_config_match_pattern_list (const char *host,
                                                     const char *patterns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSshConfig, lab_ssh_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSshHostConfig, lab_ssh_host_config_free)

G_END_DECLS
