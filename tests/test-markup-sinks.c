/* test-markup-sinks.c — hostile names through every place that reads markup
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "lab-application.h"
#include "lab-display-text.h"
#include "views/lab-check-window.h"
#include "views/lab-console-tab.h"
#include "views/lab-domain-toasts.h"
#include "views/lab-domain-view.h"
#include "views/lab-host-row.h"
#include "views/lab-plain-text.h"
#include "views/lab-window.h"
#include "xen/lab-domain-store.h"

#include "lab-test-gtk-utils.h"

static LabApplication *app;

/* Names as dom0, a unikernel's .xl file or the user could give them. */
enum {
  NAME_AMPERSAND,
  NAME_ANGLE,
  NAME_LINK,
  NAME_BOLD,
  NAME_LONG,
  NAME_CONTROL,
  NAME_QUOTES,
  N_NAMES
};
static char *names[N_NAMES];

static void
make_names (void)
{
  GString *long_name = g_string_new ("very-long-");

  while (long_name->len < 300)
    g_string_append (long_name, "unikernel-");
  g_string_truncate (long_name, 300);

  names[NAME_AMPERSAND] = g_strdup ("R&D");
  names[NAME_ANGLE] = g_strdup ("web<1>");
  names[NAME_LINK] = g_strdup ("<a href=\"https://example.invalid/\">click</a>");
  names[NAME_BOLD] = g_strdup ("<b>bold</b>");
  names[NAME_LONG] = g_string_free (long_name, FALSE);
  names[NAME_CONTROL] = g_strdup ("two\nlines\xff");
  names[NAME_QUOTES] = g_strdup ("it's \"q\" &quot; sp");
}

/* What a name looks like on screen. */
static char *
shown (const char *name)
{
  return lab_text_for_display (name, LAB_DISPLAY_NAME_MAX);
}

static void
assert_shown_text (const char *text,
                   const char *expected)
{
  g_assert_nonnull (text);
  g_assert_cmpstr (text, !=, "");
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, expected);
}

static gboolean
is_type (GtkWidget  *widget,
         const char *type_name)
{
  return g_strcmp0 (G_OBJECT_TYPE_NAME (widget), type_name) == 0;
}

static gboolean
is_label (GtkWidget *widget,
          gpointer   unused)
{
  return is_type (widget, "GtkLabel");
}

typedef struct
{
  const char *type_name;
  gboolean    label_inside;
} TypeQuery;

static gboolean
matches_type (GtkWidget *widget,
              gpointer   user_data)
{
  TypeQuery *query = user_data;

  return is_type (widget, query->type_name)
         && (!query->label_inside || lab_test_find_widget (widget, is_label, NULL) != NULL);
}

/* The first widget under @root (depth first) of type @type_name, or one under such a
 * widget that is a GtkLabel, when @label_inside. */
static GtkWidget *
find_widget (GtkWidget  *root,
             const char *type_name,
             gboolean    label_inside)
{
  TypeQuery query = { type_name, label_inside };
  GtkWidget *found = lab_test_find_widget (root, matches_type, &query);

  if (found != NULL && label_inside)
    return lab_test_find_widget (found, is_label, NULL);
  return found;
}

static gboolean
is_label_with_class (GtkWidget *widget,
                     gpointer   css_class)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class);
}

static GtkWidget *
find_label_with_class (GtkWidget  *root,
                       const char *css_class)
{
  return lab_test_find_widget (root, is_label_with_class, (gpointer) css_class);
}

static void
collect_widgets (GtkWidget  *root,
                 const char *type_name,
                 GPtrArray  *found)
{
  if (is_type (root, type_name))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type_name, found);
}

/* The title label of the toast @overlay shows. */
static const char *
shown_toast_text (AdwToastOverlay *overlay)
{
  GtkWidget *label = find_widget (GTK_WIDGET (overlay), "AdwToastWidget", TRUE);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* The window queues toasts and shows one at a time: clear the way for the next one. */
static void
dismiss_all_toasts (GtkWidget *root)
{
  GtkWidget *widget;
  guint guard = 0;

  while ((widget = find_widget (root, "AdwToastWidget", FALSE)) != NULL && guard++ < 100)
    {
      g_autoptr(AdwToast) toast = NULL;

      g_object_get (widget, "toast", &toast, NULL);
      adw_toast_dismiss (toast);
      lab_test_flush (root);
    }
  g_assert_null (find_widget (root, "AdwToastWidget", FALSE));
}

static LabDomain *
crashed_domain (const char *name)
{
  LabDomain *domain = lab_domain_new (name);

  lab_domain_set_end (domain, LAB_DOMAIN_END_CRASH, TRUE, TRUE);
  g_assert_nonnull (lab_domain_get_end_summary (domain));
  return domain;
}

/* Each toast the window builds about a domain, on an overlay of its own, as it is drawn. */
static void
test_domain_toasts (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 900, 300);
  gtk_window_present (window);

  for (guint i = 0; i < N_NAMES; i++)
    {
      g_autoptr(LabDomain) domain = crashed_domain (names[i]);
      g_autofree char *name = shown (names[i]);
      const char *why = "<i>xl</i>: no such domain & no link <a href=\"x\">here</a>";
      AdwToast *toasts[3];
      char *expected[3];

      toasts[0] = lab_domain_toast_new_ended (domain, TRUE);
      expected[0] = g_strdup_printf ("%s: %s", name, lab_domain_get_end_summary (domain));
      toasts[1] = lab_domain_toast_new_shutdown_asked (domain);
      expected[1] = g_strdup_printf ("Asked %s to shut down. Many unikernels ignore this "
                                     "request.", name);
      toasts[2] = lab_domain_toast_new_failed (domain, why);
      expected[2] = g_strdup_printf ("%s: %s", name, why);

      for (guint t = 0; t < G_N_ELEMENTS (toasts); t++)
        {
          AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());

          adw_toast_overlay_set_child (overlay, gtk_label_new ("content"));
          gtk_window_set_child (window, GTK_WIDGET (overlay));
          adw_toast_overlay_add_toast (overlay, toasts[t]);
          lab_test_flush (GTK_WIDGET (window));

          /* The literal name: nothing swallowed by invalid markup, no link, no bold. */
          assert_shown_text (shown_toast_text (overlay), expected[t]);
          if (i == NAME_LINK && t == 0)
            {
              g_autofree char *shot = lab_test_save_screenshot (GTK_WIDGET (window),
                                                                "toast-hostile-link");
            }
          if (i == NAME_CONTROL && t == 0)
            {
              g_autofree char *shot = lab_test_save_screenshot (GTK_WIDGET (window),
                                                                "toast-hostile-control");
            }
          g_free (expected[t]);
        }
    }

  gtk_window_destroy (window);
}

static LabWindow *
get_window (void)
{
  return lab_test_app_window (app);
}

static gboolean
is_host_row (GtkWidget *widget,
             gpointer   host)
{
  return LAB_IS_HOST_ROW (widget) && lab_host_row_get_item (LAB_HOST_ROW (widget)) == host;
}

/* The toast the window just showed (the way was cleared before): what it keeps as the
 * last toast, and what its label shows. */
static void
assert_window_toast (LabWindow  *window,
                     const char *expected)
{
  GtkWidget *overlay = find_widget (GTK_WIDGET (window), "AdwToastOverlay", FALSE);

  g_assert_nonnull (overlay);
  lab_test_flush (GTK_WIDGET (window));
  assert_shown_text (lab_window_get_last_toast (window), expected);
  assert_shown_text (shown_toast_text (ADW_TOAST_OVERLAY (overlay)), expected);
}

static gboolean
connection_settled (gpointer data)
{
  LabConnectionState state = lab_host_connection_get_state (data);

  return state == LAB_CONNECTION_STATE_FAILED || state == LAB_CONNECTION_STATE_DISCONNECTED;
}

/* Hosts the user named, domains dom0 named: the host rows, the window's toasts and the
 * check window's status page, through the window's own code paths. */
static void
test_window_sinks (void)
{
  LabWindow *window = get_window ();
  LabHostStore *store = lab_application_get_host_store (app);
  g_autofree char *shot = NULL;

  for (guint i = 0; i < N_NAMES; i++)
    {
      /* A typed name is UTF-8 (it comes from a GtkEntry); the newline can be pasted. */
      g_autofree char *host_name = g_strdup (i == NAME_CONTROL ? "two\nlines" : names[i]);
      g_autofree char *shown_host = shown (host_name);
      g_autoptr(LabHost) host = lab_host_new (host_name, "127.0.0.1");
      g_autoptr(LabDomain) domain = crashed_domain (names[i]);
      g_autofree char *name = shown (names[i]);
      g_autofree char *expected = NULL;
      LabHostConnection *connection;
      GtkWidget *row;
      GtkWidget *title;
      GtkWindow *check;
      GtkWidget *description;

      /* Nothing listens on the discard port: connecting fails at once, locally. */
      lab_host_set_port (host, 9);
      lab_host_store_add (store, host);
      lab_test_flush (GTK_WIDGET (window));
      row = lab_test_find_widget (GTK_WIDGET (window), is_host_row, host);
      g_assert_nonnull (row);
      title = find_label_with_class (row, "title");
      g_assert_nonnull (title);
      assert_shown_text (gtk_label_get_text (GTK_LABEL (title)), shown_host);

      gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)),
                               GTK_LIST_BOX_ROW (row));
      g_assert_true (lab_window_get_selected_host (window) == host);
      connection = lab_application_get_connection (app, host);
      g_assert_true (lab_test_wait_for (connection_settled, connection, 10000));

      /* A domain that crashed by itself: the window's toast. */
      dismiss_all_toasts (GTK_WIDGET (window));
      g_signal_emit_by_name (connection, "domain-ended", domain);
      expected = g_strdup_printf ("%s: %s", name, lab_domain_get_end_summary (domain));
      assert_window_toast (window, expected);
      if (i == NAME_LINK)
        shot = lab_test_save_screenshot (GTK_WIDGET (window), "window-hostile-names");

      /* An action while not connected names the host. */
      dismiss_all_toasts (GTK_WIDGET (window));
      g_signal_emit_by_name (lab_window_get_domain_view (window), "domain-action", domain,
                             LAB_DOMAIN_ACTION_START);
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("Not connected to %s", shown_host);
      assert_window_toast (window, expected);

      /* Show Output for a domain nothing was kept of (the action's target is UTF-8). */
      if (g_utf8_validate (names[i], -1, NULL))
        {
          dismiss_all_toasts (GTK_WIDGET (window));
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-output",
                                                     "s", names[i]));
          g_clear_pointer (&expected, g_free);
          expected = g_strdup_printf ("No output of %s was kept", name);
          assert_window_toast (window, expected);
        }

      /* The check window of a host that is not connected: its status page. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.check-host", "s",
                                                 lab_host_get_id (host)));
      check = lab_test_find_toplevel (LAB_TYPE_CHECK_WINDOW);
      g_assert_nonnull (check);
      lab_test_flush (GTK_WIDGET (check));
      description = find_label_with_class (GTK_WIDGET (check), "description");
      g_assert_nonnull (description);
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (description)), shown_host));
      g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (description)),
                                       "Mirage Lab is not connected to "));
      if (i == NAME_LINK)
        {
          g_autofree char *check_shot = lab_test_save_screenshot (GTK_WIDGET (check),
                                                                  "check-hostile-link");
        }
      gtk_window_destroy (check);

      dismiss_all_toasts (GTK_WIDGET (window));
      lab_host_store_remove (store, host);
      lab_test_flush (GTK_WIDGET (window));
    }
}

/* Console tabs: the tab's title (in the tab and the window title) and the tab tooltip, which
 * libadwaita shows as markup. */
static void
test_tab_tooltips (void)
{
  LabWindow *window = get_window ();
  AdwTabView *view = lab_window_get_tab_view (window);
  g_autoptr(LabHost) host = lab_host_new ("lab & co", "127.0.0.1");
  LabHostConnection *connection = lab_application_get_connection (app, host);

  for (guint i = 0; i < N_NAMES; i++)
    {
      LabConsoleTab *tab = lab_console_tab_new (connection, names[i]);
      g_autofree char *name = shown (names[i]);
      g_autofree char *expected = g_strdup_printf ("%s — lab & co", name);
      g_autofree char *tooltip = NULL;
      g_autoptr(GPtrArray) tabs = g_ptr_array_new ();
      AdwTabPage *page = adw_tab_view_append (view, GTK_WIDGET (tab));
      g_autofree char *words = g_strdup_printf ("%s (live)", lab_console_tab_get_title (tab));

      assert_shown_text (lab_console_tab_get_title (tab), expected);
      adw_tab_page_set_title (page, lab_console_tab_get_title (tab));
      lab_plain_set_tab_tooltip (page, words);
      lab_test_flush (GTK_WIDGET (window));

      /* The tab bar's tab for the page carries the tooltip as markup: its text is ours. */
      collect_widgets (GTK_WIDGET (window), "AdwTab", tabs);
      g_assert_cmpuint (tabs->len, >, 0);
      for (guint t = 0; t < tabs->len; t++)
        {
          const char *text = gtk_widget_get_tooltip_text (tabs->pdata[t]);

          if (text != NULL && g_strcmp0 (text, words) == 0)
            tooltip = g_strdup (text);
        }
      assert_shown_text (tooltip, words);
      adw_tab_view_close_page (view, page);
      lab_test_flush (GTK_WIDGET (window));
    }
}

/* The desktop notification's body: plain on every notification server. */
static void
test_notification_body (void)
{
  g_autoptr(LabHost) host = lab_host_new ("R&D <lab>", "127.0.0.1");

  for (guint i = 0; i < N_NAMES; i++)
    {
      g_autoptr(LabDomain) domain = crashed_domain (names[i]);
      g_autofree char *body = lab_application_dup_notification_body (host, domain, TRUE);
      g_autofree char *name = shown (names[i]);
      g_autofree char *first = g_strdup_printf ("“%s” on R&D <lab> crashed.", name);
      g_autofree char *expected = lab_text_for_notification (first, 1000);

      g_assert_true (g_utf8_validate (body, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (body, -1), <=, LAB_DISPLAY_NOTIFICATION_MAX);
      g_assert_null (strpbrk (body, "<>&"));
      g_assert_true (g_str_has_prefix (body, expected));
      g_assert_nonnull (strstr (body, lab_domain_get_end_summary (domain)));
    }
}

static LabXlDomainInfo *
make_info (const char *name,
           int         domid)
{
  LabXlDomainInfo *info = lab_xl_domain_info_new ();

  info->name = g_strdup (name);
  info->domid = domid;
  info->state = g_strdup ("-b----");
  info->memory_mib = 32;
  info->vcpus = 1;
  info->uptime = 60;
  return info;
}

static gboolean
inscription_shows (GPtrArray  *inscriptions,
                   const char *text)
{
  for (guint i = 0; i < inscriptions->len; i++)
    if (g_strcmp0 (gtk_inscription_get_text (inscriptions->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

/* The domain list's name cells, and its status page. */
static void
test_domain_rows (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  LabDomainView *view = LAB_DOMAIN_VIEW (lab_domain_view_new ());
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  g_autoptr(GPtrArray) poll = g_ptr_array_new_with_free_func (
    (GDestroyNotify) lab_xl_domain_info_free);
  g_autoptr(GPtrArray) inscriptions = g_ptr_array_new ();
  g_autofree char *shot = NULL;
  GtkWidget *description;

  gtk_window_set_default_size (window, 1000, 400);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);

  /* The empty state first: a description handed in is shown as text. */
  lab_domain_view_set_model (view, G_LIST_MODEL (store));
  lab_domain_view_set_empty_text (view, names[NAME_AMPERSAND], names[NAME_LINK]);
  lab_test_flush (GTK_WIDGET (window));
  description = find_label_with_class (GTK_WIDGET (view), "description");
  g_assert_nonnull (description);
  assert_shown_text (gtk_label_get_text (GTK_LABEL (description)), names[NAME_LINK]);

  for (guint i = 0; i < N_NAMES; i++)
    g_ptr_array_add (poll, make_info (names[i], 3 + i));
  lab_domain_store_update (store, poll, NULL, G_USEC_PER_SEC);
  lab_domain_view_set_model (view, G_LIST_MODEL (store));
  lab_test_flush (GTK_WIDGET (window));

  collect_widgets (GTK_WIDGET (view), "GtkInscription", inscriptions);
  for (guint i = 0; i < N_NAMES; i++)
    {
      g_autofree char *name = shown (names[i]);

      g_assert_true (inscription_shows (inscriptions, name));
    }
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "domains-hostile-names");
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!lab_test_gtk_init (&argc, &argv))
    return 0;

  make_names ();
  app = lab_test_app_new ();

  g_test_add_func ("/markup-sinks/domain-toasts", test_domain_toasts);
  g_test_add_func ("/markup-sinks/window", test_window_sinks);
  g_test_add_func ("/markup-sinks/tab-tooltips", test_tab_tooltips);
  g_test_add_func ("/markup-sinks/notification-body", test_notification_body);
  g_test_add_func ("/markup-sinks/domain-rows", test_domain_rows);

  ret = g_test_run ();

  lab_test_app_close (g_steal_pointer (&app));
  for (guint i = 0; i < N_NAMES; i++)
    g_free (names[i]);

  return ret;
}
