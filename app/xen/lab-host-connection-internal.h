/* lab-host-connection-internal.h — what the parts of LabHostConnection share: the instance
 * struct and the few services one part offers the others. Only the connection's own files
 * include it; tests have lab-host-connection-private.h.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-host-connection.h"

G_BEGIN_DECLS

/* Every how many polls the config folders are searched again (also after every action, and
 * at once when a folder's time moves: that catches a new file, this an edit in place). */
#define DISCOVERY_EVERY_N_POLLS 15
/* A poll that takes longer than this is abandoned (the session reports a dead link). */
#define POLL_TIMEOUT_MS 15000

struct _LabHostConnection
{
  GObject             parent_instance;

  LabHost            *host;
  LabDomainStore     *domains;
  LabConnectionState  state;
  char               *message;
  GHashTable         *expected_ends;   /* name → ExpectedEnd */
  GHashTable         *console_logs;    /* domain name → LabConsoleLog, kept after the end */

  LabSshSession      *session;
  GCancellable       *cancellable;     /* everything in flight for this session */
  char               *home;            /* the login user's home on dom0 */
  int                 xen_major;       /* from `xl info`; -1 until known */
  int                 xen_minor;

  guint               poll_source;
  guint               refresh_interval_ms;
  gboolean            poll_running;
  gboolean            poll_again;      /* a poll was asked for while one ran */
  gboolean            list_held;       /* tests: the list keeps what it saw (private API) */
  guint               polls_since_discovery;
  guint               n_polls;         /* polls that brought a list (tests count them) */
  char               *poll_error;

  /* .xl configs found on dom0: path → CachedConfig, re-read only when their mtime moves */
  GHashTable         *config_cache;
  GBytes             *folder_stamp;    /* the config folders' times at the last look */
  GPtrArray          *configs;         /* LabXlConfig, what the store was last given */

  GHashTable         *probes;          /* domain name → ProbeState */
  GHashTable         *forwards;        /* "IP" → LabSshForward to its port 80 */
  /* The domains' bridge on dom0 and its IPv4 networks ("192.168.56.5/24"), asked once per
   * session: only addresses inside them are probed, since a guest may print any address
   * on its console. NULL until dom0 answered. */
  char               *bridge;
  GStrv               bridge_networks;
};

/* The connection's signals; the parts emit the domain ones (the first three). */
typedef enum
{
  DOMAIN_CRASHED,
  DOMAIN_LOST,
  DOMAIN_ENDED,
  REQUEST,
  N_SIGNALS
} LabHostConnectionSignal;

/* The front (lab-host-connection.c): the object, its session, its properties and signals */
void  _lab_host_connection_emit_domain                (LabHostConnection       *self,
                                                       LabHostConnectionSignal  signal,
                                                       LabDomain               *domain);
/* Sets :poll-error (NULL: the last refresh worked); notifies only on change. */
void  _lab_host_connection_set_poll_error             (LabHostConnection       *self,
                                                       const char              *message);
/* The text of a command's failure for the user: its stderr, else its exit status. */
char *_lab_host_connection_describe_failure           (LabSshExecResult        *result,
                                                       const GError            *error);

/* The poller (lab-host-connection-poll.c): xl list, xl list -l, xl uptime, the leases and
 * now and then the configs, every refresh interval; parsed off the main thread. */
void  _lab_host_connection_poll_init                  (LabHostConnection       *self);
/* Drops the next scheduled refresh (one under way goes on). */
void  _lab_host_connection_poll_stop                  (LabHostConnection       *self);
/* The session is gone: the refresh that ran on it, or was asked for, is forgotten. */
void  _lab_host_connection_poll_reset                 (LabHostConnection       *self);

/* The web prober (lab-host-connection-probe.c): the bridge's networks, each live domain's
 * port 80 looked at directly or through a port forwarded over SSH. */
void  _lab_host_connection_probe_init                 (LabHostConnection       *self);
/* Follows the host's bridge and whether any address may be probed. */
void  _lab_host_connection_probe_follow_host          (LabHostConnection       *self);
/* The session is gone: its forwards and what was probed over it go too. */
void  _lab_host_connection_probe_reset                (LabHostConnection       *self);
/* Asks dom0 for the IPv4 networks of the host's bridge, then probes. */
void  _lab_host_connection_probe_read_bridge_networks (LabHostConnection       *self);
/* Looks at the live domains' web pages: a new address at once, one that did not answer
 * again after a while; says why a domain's page is not looked at. */
void  _lab_host_connection_probe_domains              (LabHostConnection       *self);

/* Why domains ended (lab-host-connection-ends.c): the stops the user asked for, the kept
 * console output, and the store's signals that explain each end. */
void  _lab_host_connection_ends_init                  (LabHostConnection       *self);

G_END_DECLS
