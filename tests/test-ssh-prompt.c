/* test-ssh-prompt.c — how host key prompts present first contact and a new key type
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "lab-test-gtk-utils.h"
#include "ssh/lab-ssh-private.h"
#include "views/lab-ssh-prompt.h"

static void
record_cb (LabSshRequest         *request,
           gboolean               cancelled,
           LabSshHostKeyDecision  decision,
           const char            *secret,
           gboolean               remember,
           gpointer               user_data)
{
  int *out = user_data;

  *out = cancelled ? -1 : (int) decision;
}

static AdwMessageDialog *
present (gboolean  other_types_known,
         int      *decision)
{
  g_autoptr(LabSshRequest) request = _lab_ssh_request_new (LAB_SSH_REQUEST_HOST_KEY,
                                                           "dom0.example", 22, "mirage");
  GtkWindow *dialog;

  _lab_ssh_request_set_host_key (request, "ssh-ed25519",
                                 "SHA256:asVbnZG3xwpf5tN9HGU2+LptriQ25F2N2gM0ZVRrZzI",
                                 other_types_known);
  _lab_ssh_request_set_callback (request, record_cb, decision);
  lab_ssh_prompt_present (NULL, request);
  dialog = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  return ADW_MESSAGE_DIALOG (dialog);
}

static gboolean
is_check_button (GtkWidget *widget,
                 gpointer   unused)
{
  return GTK_IS_CHECK_BUTTON (widget);
}

static void
close_dialog (AdwMessageDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  lab_test_run_pending ();
}

/* First contact: the usual question, with trusting as the suggested answer. */
static void
test_first_contact (void)
{
  int decision = -2;
  AdwMessageDialog *dialog = present (FALSE, &decision);

  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "trust"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "trust"), ==,
                   ADW_RESPONSE_SUGGESTED);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "reject");
  adw_message_dialog_response (dialog, "trust");
  g_assert_cmpint (decision, ==, LAB_SSH_HOST_KEY_ACCEPT_SAVE);
  close_dialog (dialog);
}

/* A key of a new type for a known host can be an attacker's: a warning that must be
 * confirmed before either trust answer is possible, and never called normal. */
static void
test_new_key_type (void)
{
  int decision = -2;
  AdwMessageDialog *dialog = present (TRUE, &decision);
  const char *body = adw_message_dialog_get_body (dialog);
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkCheckButton *confirm = GTK_CHECK_BUTTON (lab_test_find_widget (extra, is_check_button,
                                                                    NULL));

  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog), body);
  g_assert_null (strstr (body, "normal"));
  g_assert_nonnull (strstr (body, "intercepting"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "reject");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "reject");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "trust"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "once"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "trust"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  g_assert_nonnull (confirm);
  gtk_check_button_set_active (confirm, TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "trust"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "once"));
  gtk_check_button_set_active (confirm, FALSE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "trust"));

  adw_message_dialog_response (dialog, "reject");
  g_assert_cmpint (decision, ==, LAB_SSH_HOST_KEY_REJECT);
  close_dialog (dialog);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ssh-prompt/first-contact", test_first_contact);
  g_test_add_func ("/ssh-prompt/new-key-type", test_new_key_type);
  return g_test_run ();
}
