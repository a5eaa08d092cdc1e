/* lab-ssh-prompt.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-prompt"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"

#include "lab-ssh-prompt.h"

static void
host_key_response (AdwMessageDialog *dialog,
                   const char       *response,
                   LabSshRequest    *request)
{
  if (g_strcmp0 (response, "trust") == 0)
    lab_ssh_request_reply_host_key (request, LAB_SSH_HOST_KEY_ACCEPT_SAVE);
  else if (g_strcmp0 (response, "once") == 0)
    lab_ssh_request_reply_host_key (request, LAB_SSH_HOST_KEY_ACCEPT_ONCE);
  else
    lab_ssh_request_reply_host_key (request, LAB_SSH_HOST_KEY_REJECT);
}

static void
unref_request (gpointer  data,
               GClosure *closure)
{
  g_object_unref (data);
}

/* The name of the host key file for an SSH key type: ssh-ed25519 → ed25519,
 * ecdsa-sha2-nistp256 → ecdsa, ssh-rsa → rsa. */
static char *
host_key_file_type (const char *key_type)
{
  if (key_type == NULL)
    return g_strdup ("ed25519");
  if (g_str_has_prefix (key_type, "ecdsa-"))
    return g_strdup ("ecdsa");
  if (g_str_has_prefix (key_type, "ssh-"))
    return g_strdup (key_type + strlen ("ssh-"));
  return g_strdup (key_type);
}

static void
confirm_toggled_cb (GtkCheckButton   *check,
                    AdwMessageDialog *dialog)
{
  gboolean confirmed = gtk_check_button_get_active (check);

  adw_message_dialog_set_response_enabled (dialog, "once", confirmed);
  adw_message_dialog_set_response_enabled (dialog, "trust", confirmed);
}

static void
present_host_key (GtkWindow     *parent,
                  LabSshRequest *request)
{
  gboolean other_types_known = lab_ssh_request_get_other_types_known (request);
  GtkWidget *dialog;
  GtkWidget *fingerprint = gtk_label_new (lab_ssh_request_get_fingerprint (request));
  g_autofree char *where = NULL;
  g_autofree char *file_type = host_key_file_type (lab_ssh_request_get_key_type (request));

  if (lab_ssh_request_get_port (request) != 22)
    where = g_strdup_printf ("%s:%u", lab_ssh_request_get_host (request),
                             lab_ssh_request_get_port (request));
  else
    where = g_strdup (lab_ssh_request_get_host (request));

  /* On one line: a fingerprint is compared character by character. */
  gtk_label_set_selectable (GTK_LABEL (fingerprint), TRUE);
  gtk_widget_add_css_class (fingerprint, "monospace");

  if (other_types_known)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *confirm =
        gtk_check_button_new_with_mnemonic (_("I _compared the fingerprint on the host and "
                                              "expect this key"));

      /* OpenSSH refuses a key of a new type for a known host unless told otherwise: an
       * attacker without the known key can offer a type the client has not recorded (maybe
       * a weaker one). So this is a warning to confirm, never a routine first contact. */
      dialog = adw_message_dialog_new (parent, _("Unexpected Host Key Type"), NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("%s is known with a key of another type, but now "
                                        "presents a %s key that was never recorded. Someone "
                                        "could be intercepting the connection or forcing a "
                                        "weaker key type. Only trust this key if you changed "
                                        "the host's keys yourself and the fingerprint below "
                                        "matches the output of “ssh-keygen -lf "
                                        "/etc/ssh/ssh_host_%s_key.pub” on the host."),
                                      where, lab_ssh_request_get_key_type (request), file_type);
      gtk_box_append (GTK_BOX (box), fingerprint);
      gtk_box_append (GTK_BOX (box), confirm);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "reject", _("_Cancel"),
                                        "once", _("Trust _Once"),
                                        "trust", _("_Trust and Remember"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "once",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      confirm_toggled_cb (GTK_CHECK_BUTTON (confirm), ADW_MESSAGE_DIALOG (dialog));
      g_signal_connect_object (confirm, "toggled", G_CALLBACK (confirm_toggled_cb), dialog,
                               0);
    }
  else
    {
      dialog = adw_message_dialog_new (parent, _("Trust This Host?"), NULL);
      /* The fingerprint in OpenSSH's own format, so it can be compared with what
       * ssh-keygen prints on the host. */
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("Mirage Lab has not connected to %s before. Compare "
                                        "the fingerprint of its %s key below with the output "
                                        "of “ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub” on "
                                        "the host before you trust it."),
                                      where, lab_ssh_request_get_key_type (request), file_type);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), fingerprint);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "reject", _("_Cancel"),
                                        "once", _("Trust _Once"),
                                        "trust", _("_Trust and Remember"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reject");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "reject");
  g_signal_connect_data (dialog, "response", G_CALLBACK (host_key_response),
                         g_object_ref (request), unref_request, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  LabSshRequest *request;
  GtkEditable   *entry;
  GtkCheckButton *remember;
} SecretPrompt;

static void
secret_prompt_free (gpointer  data,
                    GClosure *closure)
{
  SecretPrompt *prompt = data;

  g_clear_object (&prompt->request);
  g_free (prompt);
}

static void
secret_response (AdwMessageDialog *dialog,
                 const char       *response,
                 SecretPrompt     *prompt)
{
  if (g_strcmp0 (response, "ok") == 0)
    lab_ssh_request_reply_secret (prompt->request, gtk_editable_get_text (prompt->entry),
                                  gtk_check_button_get_active (prompt->remember));
  else
    lab_ssh_request_cancel (prompt->request);
  /* The text is a secret: do not leave it in the widget longer than needed. */
  gtk_editable_set_text (prompt->entry, "");
}

static void
entry_activated (AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "ok");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
present_secret (GtkWindow     *parent,
                LabSshRequest *request)
{
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_password_entry_new ();
  GtkWidget *remember = gtk_check_button_new_with_mnemonic (_("_Remember in the keyring"));
  SecretPrompt *prompt = g_new0 (SecretPrompt, 1);
  g_autofree char *body = NULL;
  const char *heading;
  /* What the SSH server said (a keyboard-interactive instruction): the body is plain text,
   * but the server may send anything, of any length. */
  g_autofree char *message = lab_text_for_display_lines (lab_ssh_request_get_message (request),
                                                         LAB_DISPLAY_MESSAGE_MAX);

  switch (lab_ssh_request_get_kind (request))
    {
    case LAB_SSH_REQUEST_PASSPHRASE:
      heading = _("Key Passphrase");
      body = g_strdup_printf (_("Enter the passphrase of %s."),
                              lab_ssh_request_get_key_file (request));
      break;
    case LAB_SSH_REQUEST_SUDO_PASSWORD:
      heading = _("Administrator Password");
      body = g_strdup_printf (_("xl needs root on %s. Enter the sudo password of %s."),
                              lab_ssh_request_get_host (request),
                              lab_ssh_request_get_user (request));
      break;
    case LAB_SSH_REQUEST_PASSWORD:
    default:
      heading = _("Password");
      body = g_strdup_printf (_("Enter the password of %s on %s."),
                              lab_ssh_request_get_user (request),
                              lab_ssh_request_get_host (request));
      break;
    }
  if (lab_ssh_request_get_attempt (request) > 1)
    {
      char *again = g_strdup_printf ("%s\n%s", _("That was not accepted. Try again."), body);

      g_free (body);
      body = again;
    }
  if (message != NULL && *message != '\0')
    {
      char *full = g_strdup_printf ("%s\n\n%s", body, message);

      g_free (body);
      body = full;
    }

  dialog = adw_message_dialog_new (parent, heading, body);
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), remember);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  prompt->request = g_object_ref (request);
  prompt->entry = GTK_EDITABLE (entry);
  prompt->remember = GTK_CHECK_BUTTON (remember);
  g_signal_connect_data (dialog, "response", G_CALLBACK (secret_response), prompt,
                         secret_prompt_free, 0);
  g_signal_connect_object (entry, "activate", G_CALLBACK (entry_activated), dialog,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

void
lab_ssh_prompt_present (GtkWindow     *parent,
                        LabSshRequest *request)
{
  g_return_if_fail (LAB_IS_SSH_REQUEST (request));

  if (lab_ssh_request_get_kind (request) == LAB_SSH_REQUEST_HOST_KEY)
    present_host_key (parent, request);
  else
    present_secret (parent, request);
}
