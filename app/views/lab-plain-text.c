/* lab-plain-text.c — plain text into libadwaita's markup-only sinks
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-plain-text"

#include "config.h"

#include "lab-display-text.h"

#include "lab-plain-text.h"

/* In libadwaita 1.2 a toast's title, a tab page's tooltip and a status page's description
 * are always Pango markup, with no switch to turn it off. Everything the app puts there is
 * meant as plain text, and most of it carries a name from dom0 or a unikernel: "R&D" would
 * make the markup invalid (an empty toast), "<a href=…>" a link in the app's voice. So the
 * whole message is escaped here, once, after the names in it were made fit to show. */

/**
 * lab_plain_dup_markup:
 * @text: (nullable): plain text, in any encoding
 *
 * Returns: (transfer full) (nullable): markup that shows @text as it is (valid UTF-8, bounded
 *   to %LAB_DISPLAY_MESSAGE_MAX characters, newlines kept)
 */
char *
lab_plain_dup_markup (const char *text)
{
  g_autofree char *shown = lab_text_for_display_lines (text, LAB_DISPLAY_MESSAGE_MAX);

  return shown != NULL ? g_markup_escape_text (shown, -1) : NULL;
}

/**
 * lab_plain_toast_new:
 * @text: what the toast says, as plain text
 *
 * Returns: (transfer full): a toast whose title shows @text literally
 */
AdwToast *
lab_plain_toast_new (const char *text)
{
  g_autofree char *markup = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  markup = lab_plain_dup_markup (text);
  return adw_toast_new (markup);
}

void
lab_plain_set_tab_tooltip (AdwTabPage *page,
                           const char *text)
{
  g_autofree char *markup = lab_plain_dup_markup (text);

  g_return_if_fail (ADW_IS_TAB_PAGE (page));

  adw_tab_page_set_tooltip (page, markup);
}

void
lab_plain_set_status_description (AdwStatusPage *page,
                                  const char    *text)
{
  g_autofree char *markup = lab_plain_dup_markup (text);

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  adw_status_page_set_description (page, markup);
}
