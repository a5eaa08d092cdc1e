/* lab-domain-toasts.c — what the window says about a domain, in a toast
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-domain-toasts"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"
#include "views/lab-plain-text.h"

#include "lab-domain-toasts.h"

/* The name and the words about it come from dom0 and the domain's own console: each is
 * made one bounded line, and lab_plain_toast_new() escapes the message as a whole. */

static char *
shown_name (LabDomain *domain)
{
  return lab_text_for_display (lab_domain_get_name (domain), LAB_DISPLAY_NAME_MAX);
}

/* Buttons name the domain in a string action target, which must be UTF-8; a name that is
 * not (from a hand-edited .xl file) cannot be looked up that way, so it gets no button. */
static void
add_domain_button (AdwToast   *toast,
                   LabDomain  *domain,
                   const char *label,
                   const char *action_name)
{
  const char *name = lab_domain_get_name (domain);

  if (!g_utf8_validate (name, -1, NULL))
    return;
  adw_toast_set_button_label (toast, label);
  adw_toast_set_action_name (toast, action_name);
  adw_toast_set_action_target_value (toast, g_variant_new_string (name));
}

/**
 * lab_domain_toast_new_ended:
 * @domain: a domain that ended by itself
 * @output_kept: whether its console output was kept (then the toast offers to show it)
 *
 * Returns: (transfer full): "guest: Crashed (preserved) — 0.2 s after start"
 */
AdwToast *
lab_domain_toast_new_ended (LabDomain *domain,
                            gboolean   output_kept)
{
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (LAB_IS_DOMAIN (domain), NULL);

  name = shown_name (domain);
  /* The summary may quote the domain's last console line. */
  summary = lab_text_for_display (lab_domain_get_end_summary (domain), LAB_DISPLAY_LINE_MAX);
  /* Translators: "guest: Crashed (preserved) — 0.2 s after start" */
  title = g_strdup_printf (_("%s: %s"), name, summary != NULL ? summary : "");
  toast = lab_plain_toast_new (title);
  if (output_kept)
    add_domain_button (toast, domain, _("Show _Output"), "win.show-output");
  adw_toast_set_timeout (toast, 10);
  return toast;
}

/**
 * lab_domain_toast_new_shutdown_asked:
 *
 * Returns: (transfer full): a toast that says the shutdown was asked for, and offers to
 *   force the domain off
 */
AdwToast *
lab_domain_toast_new_shutdown_asked (LabDomain *domain)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (LAB_IS_DOMAIN (domain), NULL);

  name = shown_name (domain);
  title = g_strdup_printf (_("Asked %s to shut down. Many unikernels ignore this request."),
                           name);
  toast = lab_plain_toast_new (title);
  add_domain_button (toast, domain, _("_Force Off"), "win.force-off");
  adw_toast_set_timeout (toast, 10);
  return toast;
}

/**
 * lab_domain_toast_new_failed:
 * @why: what went wrong, often xl's own words
 *
 * Returns: (transfer full): "guest: why"
 */
AdwToast *
lab_domain_toast_new_failed (LabDomain  *domain,
                             const char *why)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (LAB_IS_DOMAIN (domain), NULL);
  g_return_val_if_fail (why != NULL, NULL);

  name = shown_name (domain);
  title = g_strdup_printf (_("%s: %s"), name, why);
  return lab_plain_toast_new (title);
}
