/* lab-domain.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-domain"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "net/lab-ip-info.h"

#include "lab-domain.h"

G_DEFINE_ENUM_TYPE (LabDomainState, lab_domain_state,
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_SHUT_OFF, "shut-off"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_BLOCKED, "blocked"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_SHUTDOWN, "shutdown"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_CRASHED, "crashed"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_STATE_DYING, "dying"))

G_DEFINE_ENUM_TYPE (LabDomainEnd, lab_domain_end,
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_NONE, "none"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_POWEROFF, "poweroff"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_REBOOT, "reboot"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_SUSPEND, "suspend"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_CRASH, "crash"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_WATCHDOG, "watchdog"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_SOFT_RESET, "soft-reset"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_SHUT_DOWN_BY_USER, "shut-down-by-user"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_REBOOTED_BY_USER, "rebooted-by-user"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_DESTROYED_BY_USER, "destroyed-by-user"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_END_UNKNOWN, "unknown"))

G_DEFINE_ENUM_TYPE (LabDomainAction, lab_domain_action,
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_START, "start"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_START_WITH_CONSOLE, "start-console"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_SHUTDOWN, "shutdown"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_DESTROY, "destroy"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_PAUSE, "pause"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_RESUME, "resume"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_REBOOT, "reboot"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_OPEN_CONSOLE, "open-console"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_OPEN_IN_BROWSER, "open-in-browser"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_COPY_IP, "copy-ip"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_REBUILD, "rebuild"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_SHOW_OUTPUT, "show-output"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_DELETE, "delete"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_DUPLICATE, "duplicate"),
  G_DEFINE_ENUM_VALUE (LAB_DOMAIN_ACTION_EDIT, "edit"))

struct _LabDomain
{
  GObject          parent_instance;

  char            *name;
  int              domid;
  char            *uuid;          /* of the running domain, from `xl list -l`; or NULL */
  char            *xl_name;       /* the running domain's name as xl has it, when not UTF-8 */
  GStrv            config_conflicts; /* every config declaring this name, when several do */
  LabDomainState   state;
  char            *state_letters;
  gint64           memory_mib;
  int              vcpus;
  double           cpu_time;
  double           cpu_usage;
  gint64           uptime;
  char            *domain_type;
  char            *kernel;
  char            *cmdline;
  char            *on_crash;
  GStrv            macs;
  LabXlConfig     *config;
  char            *ip;
  char            *ip_description;
  LabIpInfo       *ip_info;
  char            *web_url;
  char            *web_summary;
  guint            busy;

  /* How the last run ended; run_ended says the current run's end is already known. */
  LabDomainEnd     end;
  gboolean         end_preserved;
  char            *end_summary;
  double           end_after;        /* seconds from start to end, < 0 when unknown */
  gboolean         run_ended;
  gint64           started;          /* real time (µs) the current run started, 0 unknown */
  gint64           started_marked;   /* when mark_started last spoke (real time, µs) */
  LabConsoleLog   *console_log;

  /* CPU usage sparkline: a ring of the last samples, oldest first when read. */
  double           history[LAB_DOMAIN_CPU_HISTORY];
  double           history_linear[LAB_DOMAIN_CPU_HISTORY];
  guint            history_len;
  guint            history_head;
  gint64           last_sample_us;
  double           last_cpu_time;
};

G_DEFINE_FINAL_TYPE (LabDomain, lab_domain, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DOMID,
  PROP_STATE,
  PROP_STATE_LETTERS,
  PROP_RUNNING,
  PROP_MEMORY_MIB,
  PROP_VCPUS,
  PROP_CPU_TIME,
  PROP_CPU_USAGE,
  PROP_UPTIME,
  PROP_DOMAIN_TYPE,
  PROP_KERNEL,
  PROP_CMDLINE,
  PROP_ON_CRASH,
  PROP_MACS,
  PROP_CONFIG,
  PROP_CONFIG_PATH,
  PROP_IP,
  PROP_IP_DESCRIPTION,
  PROP_WEB_URL,
  PROP_WEB_SUMMARY,
  PROP_BUSY,
  PROP_END_REASON,
  PROP_END_PRESERVED,
  PROP_END_SUMMARY,
  PROP_CONSOLE_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LabDomainState
lab_domain_state_from_letters (const char *letters)
{
  if (letters == NULL || strlen (letters) < 6)
    return LAB_DOMAIN_STATE_SHUT_OFF;

  /* Positions: r b p s <shutdown reason from "-rscwS"> d */
  if (letters[5] == 'd')
    return LAB_DOMAIN_STATE_DYING;
  if (letters[4] == 'c')
    return LAB_DOMAIN_STATE_CRASHED;
  if (letters[3] == 's')
    return LAB_DOMAIN_STATE_SHUTDOWN;
  if (letters[2] == 'p')
    return LAB_DOMAIN_STATE_PAUSED;
  if (letters[1] == 'b')
    return LAB_DOMAIN_STATE_BLOCKED;

  /* 'r' or "------" (runnable, waiting for a CPU): both are running to a user. */
  return LAB_DOMAIN_STATE_RUNNING;
}

const char *
lab_domain_state_to_string (LabDomainState state)
{
  switch (state)
    {
    case LAB_DOMAIN_STATE_SHUT_OFF:
      return _("Shut off");
    case LAB_DOMAIN_STATE_RUNNING:
      return _("Running");
    case LAB_DOMAIN_STATE_BLOCKED:
      /* Translators: a Xen domain waiting for an event; for unikernels this is idle */
      return _("Blocked");
    case LAB_DOMAIN_STATE_PAUSED:
      return _("Paused");
    case LAB_DOMAIN_STATE_SHUTDOWN:
      return _("Shut down");
    case LAB_DOMAIN_STATE_CRASHED:
      return _("Crashed");
    case LAB_DOMAIN_STATE_DYING:
      return _("Dying");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
lab_domain_state_get_icon_name (LabDomainState state)
{
  switch (state)
    {
    case LAB_DOMAIN_STATE_SHUT_OFF:
      return "system-shutdown-symbolic";
    case LAB_DOMAIN_STATE_RUNNING:
    case LAB_DOMAIN_STATE_BLOCKED:
      return "media-playback-start-symbolic";
    case LAB_DOMAIN_STATE_PAUSED:
      return "media-playback-pause-symbolic";
    case LAB_DOMAIN_STATE_SHUTDOWN:
      return "media-playback-stop-symbolic";
    case LAB_DOMAIN_STATE_CRASHED:
      return "dialog-error-symbolic";
    case LAB_DOMAIN_STATE_DYING:
      return "process-stop-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
lab_domain_end_to_string (LabDomainEnd end,
                          gboolean     preserved)
{
  switch (end)
    {
    case LAB_DOMAIN_END_NONE:
      return NULL;
    case LAB_DOMAIN_END_POWEROFF:
      return preserved ? _("Powered off (preserved)") : _("Powered off");
    case LAB_DOMAIN_END_REBOOT:
      return preserved ? _("Rebooted (preserved)") : _("Rebooted");
    case LAB_DOMAIN_END_SUSPEND:
      return _("Suspended");
    case LAB_DOMAIN_END_CRASH:
      return preserved ? _("Crashed (preserved)") : _("Crashed");
    case LAB_DOMAIN_END_WATCHDOG:
      /* Translators: the domain's watchdog timer fired and Xen stopped it */
      return preserved ? _("Stopped by its watchdog (preserved)")
                       : _("Stopped by its watchdog");
    case LAB_DOMAIN_END_SOFT_RESET:
      return _("Soft reset");
    case LAB_DOMAIN_END_SHUT_DOWN_BY_USER:
      return _("Shut down by you");
    case LAB_DOMAIN_END_REBOOTED_BY_USER:
      return _("Rebooted by you");
    case LAB_DOMAIN_END_DESTROYED_BY_USER:
      return _("Destroyed by you");
    case LAB_DOMAIN_END_UNKNOWN:
      return _("Stopped (no reason seen)");
    default:
      g_return_val_if_reached (NULL);
    }
}

LabDomainEnd
lab_domain_end_from_letters (const char *letters)
{
  if (letters == NULL || strlen (letters) < 6 || letters[3] != 's')
    return LAB_DOMAIN_END_NONE;

  /* xl list prints the shutdown reason as one of "-rscwS" (libxl's SHUTDOWN_* order). */
  switch (letters[4])
    {
    case 'r':
      return LAB_DOMAIN_END_REBOOT;
    case 's':
      return LAB_DOMAIN_END_SUSPEND;
    case 'c':
      return LAB_DOMAIN_END_CRASH;
    case 'w':
      return LAB_DOMAIN_END_WATCHDOG;
    case 'S':
      return LAB_DOMAIN_END_SOFT_RESET;
    default:
      return LAB_DOMAIN_END_POWEROFF;
    }
}

LabDomainEnd
lab_domain_end_from_console (const char *tail)
{
  static const char * const crash_words[] = {
    "solo5_abort", "Fatal error: exception", "Kernel panic", "PANIC:", "Oops:",
    "(exit code 1)", "Solo5: solo5_exit(1)", "Solo5: solo5_exit(2)", "Solo5: solo5_exit(255)",
    NULL
  };
  static const char * const exit_words[] = {
    "Solo5: solo5_exit(0)", "reboot: Power down", "Do_exit called", NULL
  };

  if (tail == NULL)
    return LAB_DOMAIN_END_UNKNOWN;
  for (guint i = 0; crash_words[i] != NULL; i++)
    if (strstr (tail, crash_words[i]) != NULL)
      return LAB_DOMAIN_END_CRASH;
  for (guint i = 0; exit_words[i] != NULL; i++)
    if (strstr (tail, exit_words[i]) != NULL)
      return LAB_DOMAIN_END_POWEROFF;
  return LAB_DOMAIN_END_UNKNOWN;
}

LabDomain *
lab_domain_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (LAB_TYPE_DOMAIN, "name", name, NULL);
}

const char *
lab_domain_get_name (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->name;
}

int
lab_domain_get_domid (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), -1);
  return self->domid;
}

LabDomainState
lab_domain_get_state (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), LAB_DOMAIN_STATE_SHUT_OFF);
  return self->state;
}

const char *
lab_domain_get_state_letters (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->state_letters;
}

gboolean
lab_domain_get_running (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), FALSE);
  return self->domid >= 0;
}

gboolean
lab_domain_get_live (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), FALSE);

  return self->state == LAB_DOMAIN_STATE_RUNNING || self->state == LAB_DOMAIN_STATE_BLOCKED
         || self->state == LAB_DOMAIN_STATE_PAUSED;
}

const char * const *
lab_domain_get_config_conflicts (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return (const char * const *) self->config_conflicts;
}

void
lab_domain_set_config_conflicts (LabDomain          *self,
                                 const char * const *paths)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));

  if (paths == NULL && self->config_conflicts == NULL)
    return;
  if (paths != NULL && self->config_conflicts != NULL
      && g_strv_equal (paths, (const char * const *) self->config_conflicts))
    return;
  g_strfreev (self->config_conflicts);
  self->config_conflicts = g_strdupv ((char **) paths);
}

/* The name to give xl for this domain: the bytes xl printed, which differ from the
 * displayed name when they are not UTF-8. */
const char *
lab_domain_get_xl_name (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->domid >= 0 && self->xl_name != NULL ? self->xl_name : self->name;
}

const char *
lab_domain_get_uuid (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->domid >= 0 ? self->uuid : NULL;
}

gint64
lab_domain_get_memory_mib (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), -1);
  return self->memory_mib;
}

int
lab_domain_get_vcpus (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), -1);
  return self->vcpus;
}

double
lab_domain_get_cpu_time (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), 0);
  return self->cpu_time;
}

double
lab_domain_get_cpu_usage (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), 0);
  return self->cpu_usage;
}

const double *
lab_domain_get_cpu_history (LabDomain *self,
                            guint     *n_samples)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);

  for (guint i = 0; i < self->history_len; i++)
    {
      guint index = (self->history_head + LAB_DOMAIN_CPU_HISTORY - self->history_len + i)
                    % LAB_DOMAIN_CPU_HISTORY;

      self->history_linear[i] = self->history[index];
    }

  if (n_samples != NULL)
    *n_samples = self->history_len;

  return self->history_linear;
}

gint64
lab_domain_get_uptime (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), -1);
  return self->uptime;
}

const char *
lab_domain_get_domain_type (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->domain_type;
}

const char *
lab_domain_get_kernel (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->kernel;
}

const char *
lab_domain_get_cmdline (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->cmdline;
}

const char *
lab_domain_get_on_crash (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->on_crash;
}

const char * const *
lab_domain_get_macs (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return (const char * const *) self->macs;
}

LabXlConfig *
lab_domain_get_config (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->config;
}

const char *
lab_domain_get_config_path (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->config ? lab_xl_config_get_path (self->config) : NULL;
}

const char *
lab_domain_get_ip (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->ip;
}

static gboolean
set_string (LabDomain  *self,
            char      **field,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
set_int64 (LabDomain *self,
           gint64    *field,
           gint64     value,
           guint      prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (LabDomain *self,
         int       *field,
         int        value,
         guint      prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_double (LabDomain *self,
            double    *field,
            double     value,
            guint      prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_macs (LabDomain          *self,
          const char * const *macs)
{
  if (macs == NULL && self->macs == NULL)
    return;
  if (macs != NULL && self->macs != NULL
      && g_strv_equal (macs, (const char * const *) self->macs))
    return;

  g_strfreev (self->macs);
  self->macs = g_strdupv ((GStrv) macs);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACS]);
}

void
lab_domain_set_ip (LabDomain  *self,
                   const char *ip)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));

  set_string (self, &self->ip, ip, PROP_IP);
}

LabIpInfo *
lab_domain_get_ip_info (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->ip_info;
}

const char *
lab_domain_get_ip_description (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->ip_description;
}

void
lab_domain_set_web (LabDomain  *self,
                    const char *url,
                    const char *summary)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->web_url, url, PROP_WEB_URL);
  set_string (self, &self->web_summary, summary, PROP_WEB_SUMMARY);
  g_object_thaw_notify (G_OBJECT (self));
}

void
lab_domain_set_busy (LabDomain *self,
                     gboolean   busy)
{
  gboolean was_busy;

  g_return_if_fail (LAB_IS_DOMAIN (self));
  g_return_if_fail (busy || self->busy > 0);

  /* A count: two actions may overlap (shut down, then force off). */
  was_busy = self->busy > 0;
  self->busy += busy ? 1 : -1;
  if (was_busy != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
lab_domain_get_busy (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), FALSE);
  return self->busy > 0;
}

const char *
lab_domain_get_web_url (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->web_url;
}

const char *
lab_domain_get_web_summary (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->web_summary;
}

LabDomainEnd
lab_domain_get_end_reason (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), LAB_DOMAIN_END_NONE);
  return self->end;
}

gboolean
lab_domain_get_end_preserved (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), FALSE);
  return self->end_preserved;
}

gboolean
lab_domain_get_run_ended (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), FALSE);
  return self->run_ended;
}

const char *
lab_domain_get_end_summary (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->end_summary;
}

static char *
format_run_time (double seconds)
{
  if (seconds < 10)
    /* Translators: how long a domain ran, in seconds with one decimal */
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 60)
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min %02d s"), (int) seconds / 60, (int) seconds % 60);
  return g_strdup_printf (_("%d h %02d min"), (int) seconds / 3600, (int) seconds % 3600 / 60);
}

static void
update_end_summary (LabDomain *self)
{
  const char *words = lab_domain_end_to_string (self->end, self->end_preserved);
  g_autofree char *summary = NULL;

  if (words != NULL && self->end_after >= 0)
    {
      g_autofree char *after = format_run_time (self->end_after);

      /* Translators: "Crashed (preserved) — 0.2 s after start" */
      summary = g_strdup_printf (_("%s — %s after start"), words, after);
    }
  else if (words != NULL)
    summary = g_strdup (words);
  set_string (self, &self->end_summary, summary, PROP_END_SUMMARY);
}

void
lab_domain_set_end (LabDomain    *self,
                    LabDomainEnd  end,
                    gboolean      preserved,
                    gboolean      override)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->run_ended || override)
    {
      gint64 now = g_get_real_time ();
      gint64 last_output = self->console_log ? lab_console_log_get_last_append (self->console_log)
                                             : 0;
      gboolean asked = end == LAB_DOMAIN_END_SHUT_DOWN_BY_USER
                       || end == LAB_DOMAIN_END_REBOOTED_BY_USER
                       || end == LAB_DOMAIN_END_DESTROYED_BY_USER;
      /* An end the domain came to by itself is when its console said its last words (the
       * crash message), which a poll sees up to some seconds later; an end the user asked
       * for is now. */
      gint64 end_time = !asked && last_output > self->started && last_output <= now
                        && now - last_output < 10 * G_USEC_PER_SEC ? last_output : now;

      if (!self->run_ended)
        self->end_after = self->started > 0 ? (end_time - self->started)
                                              / (double) G_USEC_PER_SEC : -1;
      self->run_ended = TRUE;
      if (self->end != end)
        {
          self->end = end;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
        }
    }
  if (self->end_preserved != preserved)
    {
      self->end_preserved = preserved;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_PRESERVED]);
    }
  update_end_summary (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
lab_domain_mark_started (LabDomain *self,
                         gint64     real_time_us)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));

  self->started = real_time_us;
  /* Before the list shows the run, begin_run keeps this start instead of estimating. */
  self->started_marked = self->domid < 0 ? g_get_real_time () : 0;
}

gint64
lab_domain_get_started (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), 0);
  return self->started;
}

LabConsoleLog *
lab_domain_get_console_log (LabDomain *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN (self), NULL);
  return self->console_log;
}

void
lab_domain_set_console_log (LabDomain     *self,
                            LabConsoleLog *log)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));
  g_return_if_fail (log == NULL || LAB_IS_CONSOLE_LOG (log));

  if (g_set_object (&self->console_log, log))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSOLE_LOG]);
}

/* A new run under this name: its end is not known yet. */
static void
begin_run (LabDomain             *self,
           const LabXlDomainInfo *info)
{
  gint64 now = g_get_real_time ();

  self->run_ended = FALSE;
  /* mark_started just before (the unpause that began this run) is the better start. */
  if (self->started_marked == 0 || now - self->started_marked > 30 * G_USEC_PER_SEC)
    self->started = info->uptime >= 0 ? now - info->uptime * G_USEC_PER_SEC : now;
  self->started_marked = 0;
}

static void
push_cpu_sample (LabDomain *self,
                 double     usage)
{
  self->history[self->history_head] = usage;
  self->history_head = (self->history_head + 1) % LAB_DOMAIN_CPU_HISTORY;
  if (self->history_len < LAB_DOMAIN_CPU_HISTORY)
    self->history_len++;
}

static void
reset_cpu_samples (LabDomain *self)
{
  self->history_len = 0;
  self->history_head = 0;
  self->last_sample_us = 0;
  self->last_cpu_time = 0;
}

void
lab_domain_update_from_info (LabDomain             *self,
                             const LabXlDomainInfo *info,
                             gint64                 now_us)
{
  gboolean was_running;
  LabDomainState state;

  g_return_if_fail (LAB_IS_DOMAIN (self));
  g_return_if_fail (info != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  was_running = self->domid >= 0;

  /* A new domid is a new domain under the same name: its CPU time starts again. A domain
   * that comes back under a new domid without leaving the list was restarted by xl
   * (on_reboot, or on_crash = 'restart'). */
  if (self->domid != info->domid)
    {
      g_clear_pointer (&self->uuid, g_free);
      reset_cpu_samples (self);
      if (was_running && info->domid >= 0 && !self->run_ended)
        lab_domain_set_end (self, LAB_DOMAIN_END_REBOOT, FALSE, FALSE);
      if (info->domid >= 0)
        begin_run (self, info);
    }

  set_int (self, &self->domid, info->domid, PROP_DOMID);
  if (g_strcmp0 (self->xl_name, info->xl_name) != 0)
    {
      g_free (self->xl_name);
      self->xl_name = g_strdup (info->xl_name);
    }
  if (info->domid >= 0 && info->uuid != NULL && g_strcmp0 (self->uuid, info->uuid) != 0)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (info->uuid);
    }
  if (!was_running && info->domid >= 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  set_string (self, &self->state_letters, info->state, PROP_STATE_LETTERS);
  /* Shut down but still listed: xl says why, and the domain stays for inspection. */
  if (lab_domain_end_from_letters (info->state) != LAB_DOMAIN_END_NONE)
    lab_domain_set_end (self, lab_domain_end_from_letters (info->state), TRUE, FALSE);
  state = lab_domain_state_from_letters (info->state);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (info->memory_mib >= 0)
    set_int64 (self, &self->memory_mib, info->memory_mib, PROP_MEMORY_MIB);
  if (info->vcpus >= 0)
    set_int (self, &self->vcpus, info->vcpus, PROP_VCPUS);
  if (info->uptime >= 0)
    set_int64 (self, &self->uptime, info->uptime, PROP_UPTIME);

  if (info->cpu_time >= 0)
    {
      if (self->last_sample_us > 0 && now_us > self->last_sample_us)
        {
          double wall = (now_us - self->last_sample_us) / (double) G_USEC_PER_SEC;
          double used = MAX (0.0, info->cpu_time - self->last_cpu_time);
          int vcpus = MAX (1, self->vcpus);
          /* Percent of the domain's own vCPUs, so 100 means "all its vCPUs busy". */
          double usage = CLAMP (100.0 * used / wall / vcpus, 0.0, 100.0);

          push_cpu_sample (self, usage);
          set_double (self, &self->cpu_usage, usage, PROP_CPU_USAGE);
        }
      self->last_sample_us = now_us;
      self->last_cpu_time = info->cpu_time;
      set_double (self, &self->cpu_time, info->cpu_time, PROP_CPU_TIME);
    }

  if (info->type != NULL)
    set_string (self, &self->domain_type, info->type, PROP_DOMAIN_TYPE);
  if (info->kernel != NULL)
    set_string (self, &self->kernel, info->kernel, PROP_KERNEL);
  if (info->cmdline != NULL)
    set_string (self, &self->cmdline, info->cmdline, PROP_CMDLINE);
  if (info->on_crash != NULL)
    set_string (self, &self->on_crash, info->on_crash, PROP_ON_CRASH);
  if (info->macs != NULL)
    set_macs (self, (const char * const *) info->macs);

  g_object_thaw_notify (G_OBJECT (self));
}

void
lab_domain_set_stopped (LabDomain *self)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->domid >= 0)
    {
      self->domid = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOMID]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  if (self->state != LAB_DOMAIN_STATE_SHUT_OFF)
    {
      self->state = LAB_DOMAIN_STATE_SHUT_OFF;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  set_string (self, &self->state_letters, NULL, PROP_STATE_LETTERS);
  set_double (self, &self->cpu_usage, 0, PROP_CPU_USAGE);
  set_int64 (self, &self->uptime, -1, PROP_UPTIME);
  /* A stopped domain has no address; the next boot gets a new lease, maybe a new IP. */
  lab_ip_info_clear (self->ip_info);
  set_string (self, &self->ip, NULL, PROP_IP);
  lab_domain_set_web (self, NULL, NULL);
  reset_cpu_samples (self);

  g_object_thaw_notify (G_OBJECT (self));
}

void
lab_domain_set_config (LabDomain   *self,
                       LabXlConfig *config)
{
  g_return_if_fail (LAB_IS_DOMAIN (self));
  g_return_if_fail (!config || LAB_IS_XL_CONFIG (config));

  if (self->config == config)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  g_set_object (&self->config, config);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG_PATH]);

  /* What a stopped domain would be started with comes from its config. */
  if (config != NULL && self->domid < 0)
    {
      gint64 number;
      g_auto(GStrv) macs = lab_xl_config_dup_macs (config);

      if (lab_xl_config_get_number (config, "memory", &number))
        set_int64 (self, &self->memory_mib, number, PROP_MEMORY_MIB);
      if (lab_xl_config_get_number (config, "vcpus", &number) && number <= G_MAXINT)
        set_int (self, &self->vcpus, (int) number, PROP_VCPUS);
      else
        set_int (self, &self->vcpus, 1, PROP_VCPUS);
      set_string (self, &self->domain_type, lab_xl_config_get_domain_type (config),
                  PROP_DOMAIN_TYPE);
      set_string (self, &self->kernel, lab_xl_config_get_string (config, "kernel"), PROP_KERNEL);
      set_string (self, &self->cmdline, lab_xl_config_get_cmdline (config), PROP_CMDLINE);
      set_string (self, &self->on_crash, lab_xl_config_get_string (config, "on_crash"),
                  PROP_ON_CRASH);
      set_macs (self, (const char * const *) macs);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
lab_domain_finalize (GObject *object)
{
  LabDomain *self = LAB_DOMAIN (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->xl_name, g_free);
  g_clear_pointer (&self->config_conflicts, g_strfreev);
  g_clear_pointer (&self->state_letters, g_free);
  g_clear_pointer (&self->domain_type, g_free);
  g_clear_pointer (&self->kernel, g_free);
  g_clear_pointer (&self->cmdline, g_free);
  g_clear_pointer (&self->on_crash, g_free);
  g_clear_pointer (&self->macs, g_strfreev);
  g_clear_pointer (&self->ip, g_free);
  g_clear_pointer (&self->ip_description, g_free);
  g_clear_object (&self->ip_info);
  g_clear_pointer (&self->web_url, g_free);
  g_clear_pointer (&self->web_summary, g_free);
  g_clear_object (&self->config);
  g_clear_pointer (&self->end_summary, g_free);
  g_clear_object (&self->console_log);

  G_OBJECT_CLASS (lab_domain_parent_class)->finalize (object);
}

static void
lab_domain_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LabDomain *self = LAB_DOMAIN (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DOMID: g_value_set_int (value, self->domid); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_STATE_LETTERS: g_value_set_string (value, self->state_letters); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->domid >= 0); break;
    case PROP_MEMORY_MIB: g_value_set_int64 (value, self->memory_mib); break;
    case PROP_VCPUS: g_value_set_int (value, self->vcpus); break;
    case PROP_CPU_TIME: g_value_set_double (value, self->cpu_time); break;
    case PROP_CPU_USAGE: g_value_set_double (value, self->cpu_usage); break;
    case PROP_UPTIME: g_value_set_int64 (value, self->uptime); break;
    case PROP_DOMAIN_TYPE: g_value_set_string (value, self->domain_type); break;
    case PROP_KERNEL: g_value_set_string (value, self->kernel); break;
    case PROP_CMDLINE: g_value_set_string (value, self->cmdline); break;
    case PROP_ON_CRASH: g_value_set_string (value, self->on_crash); break;
    case PROP_MACS: g_value_set_boxed (value, self->macs); break;
    case PROP_CONFIG: g_value_set_object (value, self->config); break;
    case PROP_CONFIG_PATH: g_value_set_string (value, lab_domain_get_config_path (self)); break;
    case PROP_IP: g_value_set_string (value, self->ip); break;
    case PROP_IP_DESCRIPTION: g_value_set_string (value, self->ip_description); break;
    case PROP_WEB_URL: g_value_set_string (value, self->web_url); break;
    case PROP_WEB_SUMMARY: g_value_set_string (value, self->web_summary); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy > 0); break;
    case PROP_END_REASON: g_value_set_enum (value, self->end); break;
    case PROP_END_PRESERVED: g_value_set_boolean (value, self->end_preserved); break;
    case PROP_END_SUMMARY: g_value_set_string (value, self->end_summary); break;
    case PROP_CONSOLE_LOG: g_value_set_object (value, self->console_log); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_domain_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LabDomain *self = LAB_DOMAIN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_IP:
      lab_domain_set_ip (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_domain_class_init (LabDomainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lab_domain_finalize;
  object_class->get_property = lab_domain_get_property;
  object_class->set_property = lab_domain_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMID] = g_param_spec_int ("domid", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LAB_TYPE_DOMAIN_STATE,
                                              LAB_DOMAIN_STATE_SHUT_OFF, ro);
  properties[PROP_STATE_LETTERS] = g_param_spec_string ("state-letters", NULL, NULL, NULL, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_MEMORY_MIB] = g_param_spec_int64 ("memory-mib", NULL, NULL,
                                                    -1, G_MAXINT64, -1, ro);
  properties[PROP_VCPUS] = g_param_spec_int ("vcpus", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_CPU_TIME] = g_param_spec_double ("cpu-time", NULL, NULL,
                                                   0, G_MAXDOUBLE, 0, ro);
  properties[PROP_CPU_USAGE] = g_param_spec_double ("cpu-usage", NULL, NULL, 0, 100, 0, ro);
  properties[PROP_UPTIME] = g_param_spec_int64 ("uptime", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_DOMAIN_TYPE] = g_param_spec_string ("domain-type", NULL, NULL, NULL, ro);
  properties[PROP_KERNEL] = g_param_spec_string ("kernel", NULL, NULL, NULL, ro);
  properties[PROP_CMDLINE] = g_param_spec_string ("cmdline", NULL, NULL, NULL, ro);
  properties[PROP_ON_CRASH] = g_param_spec_string ("on-crash", NULL, NULL, NULL, ro);
  properties[PROP_MACS] = g_param_spec_boxed ("macs", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_CONFIG] = g_param_spec_object ("config", NULL, NULL, LAB_TYPE_XL_CONFIG, ro);
  properties[PROP_CONFIG_PATH] = g_param_spec_string ("config-path", NULL, NULL, NULL, ro);
  properties[PROP_IP] =
    g_param_spec_string ("ip", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IP_DESCRIPTION] = g_param_spec_string ("ip-description", NULL, NULL,
                                                         NULL, ro);
  properties[PROP_WEB_URL] = g_param_spec_string ("web-url", NULL, NULL, NULL, ro);
  properties[PROP_WEB_SUMMARY] = g_param_spec_string ("web-summary", NULL, NULL, NULL, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_END_REASON] = g_param_spec_enum ("end-reason", NULL, NULL, LAB_TYPE_DOMAIN_END,
                                                   LAB_DOMAIN_END_NONE, ro);
  properties[PROP_END_PRESERVED] = g_param_spec_boolean ("end-preserved", NULL, NULL, FALSE, ro);
  properties[PROP_END_SUMMARY] = g_param_spec_string ("end-summary", NULL, NULL, NULL, ro);
  properties[PROP_CONSOLE_LOG] = g_param_spec_object ("console-log", NULL, NULL,
                                                      LAB_TYPE_CONSOLE_LOG, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
on_ip_info_changed (LabDomain *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->ip, lab_ip_info_get_ip (self->ip_info), PROP_IP);
  set_string (self, &self->ip_description, lab_ip_info_get_description (self->ip_info),
              PROP_IP_DESCRIPTION);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
lab_domain_init (LabDomain *self)
{
  self->domid = -1;
  self->memory_mib = -1;
  self->vcpus = -1;
  self->uptime = -1;
  self->state = LAB_DOMAIN_STATE_SHUT_OFF;
  self->end_after = -1;
  self->ip_info = lab_ip_info_new ();
  g_signal_connect_object (self->ip_info, "notify", G_CALLBACK (on_ip_info_changed), self,
                           G_CONNECT_SWAPPED);
}

static gboolean
is_dom0 (LabDomain *domain)
{
  return lab_domain_get_domid (domain) == 0;
}

gboolean
lab_domain_action_is_possible (LabDomainAction  action,
                               LabDomain       *domain)
{
  LabDomainState state;

  if (domain == NULL)
    return FALSE;

  state = lab_domain_get_state (domain);

  /* dom0 is the host itself: nothing here may stop or pause it. */
  if (is_dom0 (domain))
    return FALSE;

  switch (action)
    {
    case LAB_DOMAIN_ACTION_START:
    case LAB_DOMAIN_ACTION_START_WITH_CONSOLE:
      return !lab_domain_get_running (domain) && lab_domain_get_config (domain) != NULL;
    case LAB_DOMAIN_ACTION_SHUTDOWN:
    case LAB_DOMAIN_ACTION_REBOOT:
      return state == LAB_DOMAIN_STATE_RUNNING || state == LAB_DOMAIN_STATE_BLOCKED
             || state == LAB_DOMAIN_STATE_PAUSED;
    case LAB_DOMAIN_ACTION_DESTROY:
      return lab_domain_get_running (domain);
    case LAB_DOMAIN_ACTION_PAUSE:
      return state == LAB_DOMAIN_STATE_RUNNING || state == LAB_DOMAIN_STATE_BLOCKED;
    case LAB_DOMAIN_ACTION_RESUME:
      return state == LAB_DOMAIN_STATE_PAUSED;
    case LAB_DOMAIN_ACTION_OPEN_CONSOLE:
      return lab_domain_get_running (domain) && state != LAB_DOMAIN_STATE_DYING;
    case LAB_DOMAIN_ACTION_OPEN_IN_BROWSER:
      /* Only what the probe checked and the row shows: never an address nobody looked at
       * (a guest's console may name any address) nor where a redirect pointed. */
      return lab_domain_get_live (domain) && lab_domain_get_web_url (domain) != NULL;
    case LAB_DOMAIN_ACTION_COPY_IP:
      return lab_domain_get_ip (domain) != NULL;
    case LAB_DOMAIN_ACTION_REBUILD:
      /* Whether the config lies in a project is only known on dom0: asked when used. */
      return lab_domain_get_config_path (domain) != NULL && state != LAB_DOMAIN_STATE_DYING;
    case LAB_DOMAIN_ACTION_SHOW_OUTPUT:
      return domain->console_log != NULL;
    case LAB_DOMAIN_ACTION_DELETE:
      /* A running domain keeps its config: stop it first. */
      return lab_domain_get_config_path (domain) != NULL && !lab_domain_get_running (domain);
    case LAB_DOMAIN_ACTION_DUPLICATE:
    case LAB_DOMAIN_ACTION_EDIT:
      /* Of what the config says, running or not (an edit then applies at the next start). */
      return lab_domain_get_config (domain) != NULL;
    default:
      return FALSE;
    }
}
