/* lab-domain.h — one Xen domain of a dom0, running or only defined by a config
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "net/lab-ip-info.h"
#include "xen/lab-console-log.h"
#include "xen/lab-xl-config.h"
#include "xen/lab-xl-list.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_DOMAIN_STATE_SHUT_OFF,   /* defined by a config, not running */
  LAB_DOMAIN_STATE_RUNNING,
  LAB_DOMAIN_STATE_BLOCKED,
  LAB_DOMAIN_STATE_PAUSED,
  LAB_DOMAIN_STATE_SHUTDOWN,   /* shut down but still listed (e.g. preserved) */
  LAB_DOMAIN_STATE_CRASHED,
  LAB_DOMAIN_STATE_DYING,
} LabDomainState;

GType           lab_domain_state_get_type        (void) G_GNUC_CONST;
#define LAB_TYPE_DOMAIN_STATE (lab_domain_state_get_type ())

/* From xl's six state letters ("rbpscd"): the most telling state wins. */
LabDomainState  lab_domain_state_from_letters    (const char     *letters);
const char     *lab_domain_state_to_string       (LabDomainState  state);
const char     *lab_domain_state_get_icon_name   (LabDomainState  state);

/* Why a domain's last run ended: xl's shutdown reason (the fifth state letter, "-rscwS"),
 * what the user asked for, or what the console said when xl gave no reason. */
typedef enum
{
  LAB_DOMAIN_END_NONE,               /* running, or never seen ending */
  LAB_DOMAIN_END_POWEROFF,
  LAB_DOMAIN_END_REBOOT,
  LAB_DOMAIN_END_SUSPEND,
  LAB_DOMAIN_END_CRASH,
  LAB_DOMAIN_END_WATCHDOG,
  LAB_DOMAIN_END_SOFT_RESET,
  LAB_DOMAIN_END_SHUT_DOWN_BY_USER,
  LAB_DOMAIN_END_REBOOTED_BY_USER,
  LAB_DOMAIN_END_DESTROYED_BY_USER,
  LAB_DOMAIN_END_UNKNOWN,            /* left the list; nothing told why */
} LabDomainEnd;

GType           lab_domain_end_get_type          (void) G_GNUC_CONST;
#define LAB_TYPE_DOMAIN_END (lab_domain_end_get_type ())

/* "Crashed (preserved)", "Powered off", "Destroyed by you"… */
const char     *lab_domain_end_to_string         (LabDomainEnd    end,
                                                  gboolean        preserved);
/* From the state letters of a domain that has shut down ("---sc-" → CRASH), else NONE. */
LabDomainEnd    lab_domain_end_from_letters      (const char     *letters);
/* A guess from the console's last lines when xl no longer lists the domain: a Solo5
 * abort, an OCaml exception, a kernel panic → CRASH; a clean exit → POWEROFF. */
LabDomainEnd    lab_domain_end_from_console      (const char     *tail);

#define LAB_TYPE_DOMAIN (lab_domain_get_type ())

G_DECLARE_FINAL_TYPE (LabDomain, lab_domain, LAB, DOMAIN, GObject)

/* How many CPU-usage samples a domain keeps for its sparkline. */
#define LAB_DOMAIN_CPU_HISTORY 32

LabDomain      *lab_domain_new                   (const char     *name);

const char     *lab_domain_get_name              (LabDomain      *self);
int             lab_domain_get_domid             (LabDomain      *self);
/* Every config that declares this domain's name when more than one does (NULL otherwise):
 * a start then needs the user to say which, so it is refused with their paths. */
const char * const *lab_domain_get_config_conflicts (LabDomain        *self);
void            lab_domain_set_config_conflicts  (LabDomain          *self,
                                                  const char * const *paths);
/* The running domain's UUID as `xl list -l` last said it, or NULL. */
const char     *lab_domain_get_uuid              (LabDomain      *self);
const char     *lab_domain_get_xl_name           (LabDomain      *self);
LabDomainState  lab_domain_get_state             (LabDomain      *self);
const char     *lab_domain_get_state_letters     (LabDomain      *self);
/* Listed by xl (it has a domid), whatever its state: also crashed or shutting down. */
gboolean        lab_domain_get_running           (LabDomain      *self);
/* Running, blocked or paused: the unikernel is there and may answer on the network. */
gboolean        lab_domain_get_live              (LabDomain      *self);
gint64          lab_domain_get_memory_mib        (LabDomain      *self);
int             lab_domain_get_vcpus             (LabDomain      *self);
double          lab_domain_get_cpu_time          (LabDomain      *self);
double          lab_domain_get_cpu_usage         (LabDomain      *self);
const double   *lab_domain_get_cpu_history       (LabDomain      *self,
                                                  guint          *n_samples);
gint64          lab_domain_get_uptime            (LabDomain      *self);
const char     *lab_domain_get_domain_type       (LabDomain      *self);
const char     *lab_domain_get_kernel            (LabDomain      *self);
const char     *lab_domain_get_cmdline           (LabDomain      *self);
const char     *lab_domain_get_on_crash          (LabDomain      *self);
const char * const *lab_domain_get_macs          (LabDomain      *self);
const char     *lab_domain_get_config_path       (LabDomain      *self);
LabXlConfig    *lab_domain_get_config            (LabDomain      *self);
const char     *lab_domain_get_ip                (LabDomain      *self);
void            lab_domain_set_ip                (LabDomain      *self,
                                                  const char     *ip);
/* Where the IP comes from: lease, console or config. Updating it updates :ip and
 * :ip-description ("from DHCP lease", …). */
LabIpInfo      *lab_domain_get_ip_info           (LabDomain      *self);
const char     *lab_domain_get_ip_description    (LabDomain      *self);
/* What answered on the domain's IP over HTTP(S): the URL to open and a one-line summary
 * ("200 OK · Hello Mirage"), or NULLs when nothing was probed or nothing answered. */
void            lab_domain_set_web               (LabDomain      *self,
                                                  const char     *url,
                                                  const char     *summary);
const char     *lab_domain_get_web_url           (LabDomain      *self);
/* An action on the domain is under way on dom0 (counted: pair every TRUE with a FALSE). */
void            lab_domain_set_busy              (LabDomain      *self,
                                                  gboolean        busy);
gboolean        lab_domain_get_busy              (LabDomain      *self);
const char     *lab_domain_get_web_summary       (LabDomain      *self);

/* Applies one poll's facts. @now_us is the monotonic time of the poll, used to turn
 * CPU-time deltas into a usage percentage. Notifies only what changed. */
void            lab_domain_update_from_info      (LabDomain             *self,
                                                  const LabXlDomainInfo *info,
                                                  gint64                 now_us);
/* The domain is no longer listed by xl. */
void            lab_domain_set_stopped           (LabDomain      *self);
void            lab_domain_set_config            (LabDomain      *self,
                                                  LabXlConfig    *config);

/* How the last run ended (NONE while it runs and before any end was seen), whether the
 * domain is still there to be inspected (preserved by on_crash/on_poweroff), and a sentence
 * for the user: "Crashed (preserved) — 0.2 s after start". */
LabDomainEnd    lab_domain_get_end_reason        (LabDomain      *self);
gboolean        lab_domain_get_end_preserved     (LabDomain      *self);
/* The current (or last) run's end is known. */
gboolean        lab_domain_get_run_ended         (LabDomain      *self);
const char     *lab_domain_get_end_summary       (LabDomain      *self);
/* Records how the current run ended (once per run; later calls refine @preserved only,
 * unless @override). Times the run from its start (see mark_started) to the console's last
 * output, or to now. */
void            lab_domain_set_end               (LabDomain      *self,
                                                  LabDomainEnd    end,
                                                  gboolean        preserved,
                                                  gboolean        override);
/* The run's own start: the moment it was unpaused (real time, µs). Without it, a new run's
 * start is estimated from xl's uptime. */
void            lab_domain_mark_started          (LabDomain      *self,
                                                  gint64          real_time_us);
gint64          lab_domain_get_started           (LabDomain      *self);
/* The domain's kept console output (survives the domain; owned by the host connection). */
LabConsoleLog  *lab_domain_get_console_log       (LabDomain      *self);
void            lab_domain_set_console_log       (LabDomain      *self,
                                                  LabConsoleLog  *log);

/* What the user asked for; the owner of the host connection carries it out. */
typedef enum
{
  LAB_DOMAIN_ACTION_START,
  LAB_DOMAIN_ACTION_START_WITH_CONSOLE,
  LAB_DOMAIN_ACTION_SHUTDOWN,
  LAB_DOMAIN_ACTION_DESTROY,
  LAB_DOMAIN_ACTION_PAUSE,
  LAB_DOMAIN_ACTION_RESUME,
  LAB_DOMAIN_ACTION_REBOOT,
  LAB_DOMAIN_ACTION_OPEN_CONSOLE,
  LAB_DOMAIN_ACTION_OPEN_IN_BROWSER,
  LAB_DOMAIN_ACTION_COPY_IP,
  LAB_DOMAIN_ACTION_REBUILD,   /* build the config's Mirage project, then restart it */
  LAB_DOMAIN_ACTION_SHOW_OUTPUT,
  LAB_DOMAIN_ACTION_DELETE,    /* move the config (and its kernel) to dom0's backup folder */
  LAB_DOMAIN_ACTION_DUPLICATE, /* save a copy of the config under a new name and MAC */
  LAB_DOMAIN_ACTION_EDIT,      /* change the config: a form, its text, the diff, saving */
} LabDomainAction;

GType lab_domain_action_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_DOMAIN_ACTION (lab_domain_action_get_type ())

/* Whether @action makes sense for @domain in its current state. */
gboolean        lab_domain_action_is_possible    (LabDomainAction  action,
                                                  LabDomain       *domain);

G_END_DECLS
