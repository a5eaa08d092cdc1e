/* lab-domain-cells.c — what the cells of the domain table show: the closures the cell
 * templates (ui/lab-domain-cell-*.ui) bind their widgets with
 *
 * Each closure takes the template's list item first (unused), then the values its
 * template looks up on the row's domain; a change of any of them runs it again.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-domain-cells"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"
#include "views/lab-accessible.h"
#include "views/lab-sparkline.h"
#include "xen/lab-domain.h"

#include "lab-domain-cells.h"

/* Names, paths and web page titles come from dom0 and the unikernels: the cells and their
 * tooltips get one bounded line of valid UTF-8. */
static char *
lab_domain_cells_shown_name (gpointer    item,
                             const char *name)
{
  return lab_text_for_display (name, LAB_DISPLAY_NAME_MAX);
}

static char *
lab_domain_cells_shown_line (gpointer    item,
                             const char *text)
{
  return lab_text_for_display (text, LAB_DISPLAY_LINE_MAX);
}

/* A figure, or "—" where a domain that does not run has none. */
static char *
lab_domain_cells_count (gpointer item,
                        int      count)
{
  return count >= 0 ? g_strdup_printf ("%d", count) : g_strdup ("—");
}

static char *
lab_domain_cells_memory (gpointer item,
                         gint64   mib)
{
  g_autofree char *number = NULL;

  if (mib < 0)
    return g_strdup ("—");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, mib);
  /* Translators: memory size in mebibytes, %s is the number */
  return g_strdup_printf (_("%s MiB"), number);
}

static char *
lab_domain_cells_uptime (gpointer item,
                         gint64   seconds)
{
  if (seconds < 0)
    return g_strdup ("—");
  if (seconds < 60)
    /* Translators: uptime in seconds */
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    /* Translators: uptime in minutes and seconds */
    return g_strdup_printf (_("%d min %02d s"), (int) (seconds / 60), (int) (seconds % 60));
  if (seconds < 86400)
    /* Translators: uptime in hours and minutes */
    return g_strdup_printf (_("%d h %02d min"), (int) (seconds / 3600),
                            (int) (seconds % 3600 / 60));
  /* Translators: uptime in days and hours */
  return g_strdup_printf (_("%d d %d h"), (int) (seconds / 86400),
                          (int) (seconds % 86400 / 3600));
}

static char *
lab_domain_cells_ip (gpointer    item,
                     const char *ip)
{
  return g_strdup (ip != NULL ? ip : "—");
}

static gboolean
lab_domain_cells_not (gpointer item,
                      gboolean value)
{
  return !value;
}

static char *
lab_domain_cells_state_icon (gpointer       item,
                             LabDomainState state)
{
  return g_strdup (lab_domain_state_get_icon_name (state));
}

/* Not running (any more): how it ended says more than "Shut off". */
static gboolean
lab_domain_cells_shows_end (LabDomain *domain)
{
  LabDomainState state = lab_domain_get_state (domain);

  return lab_domain_get_end_summary (domain) != NULL
         && (state == LAB_DOMAIN_STATE_SHUT_OFF || state == LAB_DOMAIN_STATE_SHUTDOWN
             || state == LAB_DOMAIN_STATE_CRASHED);
}

/* The state's words; @state, @summary and @letters are there to run it again on a change. */
static char *
lab_domain_cells_state_words (gpointer        item,
                              LabDomain      *domain,
                              LabDomainState  state,
                              const char     *summary,
                              const char     *letters)
{
  if (domain == NULL)
    return NULL;
  if (lab_domain_cells_shows_end (domain))
    return g_strdup (lab_domain_end_to_string (lab_domain_get_end_reason (domain),
                                               lab_domain_get_end_preserved (domain)));
  return g_strdup (lab_domain_state_to_string (state));
}

/* xl's state letters, after how it ended when that shows. */
static char *
lab_domain_cells_state_tooltip (gpointer        item,
                                LabDomain      *domain,
                                LabDomainState  state,
                                const char     *summary,
                                const char     *letters)
{
  g_autofree char *tooltip = NULL;

  if (domain == NULL)
    return NULL;
  if (lab_domain_cells_shows_end (domain))
    tooltip = letters ? g_strdup_printf ("%s (%s)", summary, letters) : g_strdup (summary);
  else
    tooltip = g_strdup (letters);
  /* The end summary can quote the domain's last console line. */
  return lab_text_for_display (tooltip, LAB_DISPLAY_LINE_MAX);
}

static GStrv
lab_domain_cells_state_classes (gpointer        item,
                                LabDomain      *domain,
                                LabDomainState  state,
                                const char     *summary)
{
  LabDomainEnd end;
  const char *class = NULL;

  if (domain == NULL)
    return g_new0 (char *, 1);
  end = lab_domain_get_end_reason (domain);
  if (state == LAB_DOMAIN_STATE_CRASHED
      || (lab_domain_cells_shows_end (domain)
          && (end == LAB_DOMAIN_END_CRASH || end == LAB_DOMAIN_END_WATCHDOG)))
    class = "error";
  else if (state == LAB_DOMAIN_STATE_SHUT_OFF)
    class = "dim-label";
  else if (state == LAB_DOMAIN_STATE_RUNNING || state == LAB_DOMAIN_STATE_BLOCKED)
    class = "success";
  return g_strdupv ((char *[]) { (char *) class, NULL });
}

/* The CPU history for the sparkline; @usage and @running run it again at each poll. */
static GBytes *
lab_domain_cells_cpu_samples (gpointer   item,
                              LabDomain *domain,
                              double     usage,
                              gboolean   running)
{
  const double *values = NULL;
  guint n = 0;

  if (domain != NULL)
    values = lab_domain_get_cpu_history (domain, &n);
  return g_bytes_new (values, n * sizeof (double));
}

/* A domain that does not run uses no CPU: "—" like its other live columns, not "0 %". */
static char *
lab_domain_cells_cpu_usage (gpointer item,
                            double   usage,
                            gboolean running)
{
  if (!running)
    return g_strdup ("—");
  /* Translators: CPU usage in percent */
  return g_strdup_printf (_("%.0f %%"), usage);
}

void
lab_domain_cells_add_to_scope (GtkBuilderCScope *scope)
{
  g_return_if_fail (GTK_IS_BUILDER_CSCOPE (scope));

  gtk_builder_cscope_add_callback_symbols (scope,
    "lab_domain_cells_shown_name", G_CALLBACK (lab_domain_cells_shown_name),
    "lab_domain_cells_shown_line", G_CALLBACK (lab_domain_cells_shown_line),
    "lab_domain_cells_count", G_CALLBACK (lab_domain_cells_count),
    "lab_domain_cells_memory", G_CALLBACK (lab_domain_cells_memory),
    "lab_domain_cells_uptime", G_CALLBACK (lab_domain_cells_uptime),
    "lab_domain_cells_ip", G_CALLBACK (lab_domain_cells_ip),
    "lab_domain_cells_not", G_CALLBACK (lab_domain_cells_not),
    "lab_domain_cells_state_icon", G_CALLBACK (lab_domain_cells_state_icon),
    "lab_domain_cells_state_words", G_CALLBACK (lab_domain_cells_state_words),
    "lab_domain_cells_state_tooltip", G_CALLBACK (lab_domain_cells_state_tooltip),
    "lab_domain_cells_state_classes", G_CALLBACK (lab_domain_cells_state_classes),
    "lab_domain_cells_cpu_samples", G_CALLBACK (lab_domain_cells_cpu_samples),
    "lab_domain_cells_cpu_usage", G_CALLBACK (lab_domain_cells_cpu_usage),
    "lab_accessible_name_row_cb", G_CALLBACK (lab_accessible_name_row_cb),
    NULL);
}

GtkListItemFactory *
lab_domain_cells_factory_new (GtkBuilderScope *scope,
                              const char      *column)
{
  g_autofree char *path = g_strdup_printf (RESOURCE_BASE "/lab-domain-cell-%s.ui", column);

  /* The templates name these types; make sure GtkBuilder finds them. */
  g_type_ensure (LAB_TYPE_DOMAIN);
  g_type_ensure (LAB_TYPE_SPARKLINE);
  return gtk_builder_list_item_factory_new_from_resource (scope, path);
}
