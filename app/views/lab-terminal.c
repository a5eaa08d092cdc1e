/* lab-terminal.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE   /* memrchr */
#define G_LOG_DOMAIN "lab-terminal"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 0
#include <pcre2.h>

#include "lab-terminal.h"

struct _LabTerminal
{
  VteTerminal  parent_instance;

  GSettings   *settings;
  GSettings   *desktop_settings;   /* org.gnome.desktop.interface, when installed */
  GtkWidget   *context_menu;
  guint        columns;
  guint        rows;
  gboolean     after_cr;           /* the last byte fed as console output was a CR */

  /* Console output VTE has not been given yet (see lab_terminal_feed_console). */
  GByteArray  *backlog;
  gsize        plain_from;         /* backlog[plain_from..] has no control sequence */
  gboolean     fed_line_end;       /* the last byte given to VTE ended a line */
  gsize        in_flight;          /* bytes given to VTE since it last showed them */
  guint        pace_id;            /* in case VTE shows nothing for what it was given */
  guint        starve_id;          /* VTE has not had its turn for a while */
  gboolean     vte_starved;
  guint64      n_skipped;
  gboolean     backlog_full;
  LabSshChannel *channel;          /* the program running in the terminal, if any */
};

G_DEFINE_FINAL_TYPE (LabTerminal, lab_terminal, VTE_TYPE_TERMINAL)

enum {
  PROP_0,
  PROP_BACKLOG_FULL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIZE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Flow control. VTE parses what it is given in one go when its own timer comes round (about
 * every 30 ms, at a lower priority than reading the channel), at ~45 MB/s on a 2-core
 * machine: a slice of 256 KiB keeps that near 6 ms. While VTE has a slice, output waits
 * in the backlog (and is coalesced, see below). When VTE has not had its turn for
 * STARVE_MS, or the backlog passes BACKLOG_HIGH, backlog-full asks the reader to stop
 * reading the channel, which leaves the main loop to VTE and to drawing; it clears once VTE
 * has shown its slice and the backlog is under BACKLOG_LOW. */
#define FEED_SLICE (256 * 1024)
#define STARVE_MS 40
/* Only for slices that show nothing (escape sequences alone): no contents-changed comes. */
#define PACE_FALLBACK_MS 1000
#define BACKLOG_HIGH (4 * 1024 * 1024)
#define BACKLOG_LOW (1024 * 1024)
/* Lines beyond the visible rows and the scrollback are kept a little beyond need. */
#define KEEP_MARGIN_LINES 64

#define FALLBACK_FONT "Monospace 11"
#define ZOOM_STEP 1.1
#define ZOOM_MIN 0.5
#define ZOOM_MAX 3.0

/* GNOME's palette (as in Console): dark base colours first, then the bright ones. */
static const char * const palette_hex[16] = {
  "#241f31", "#c01c28", "#2ec27e", "#f5c211", "#1e78e4", "#9841bb", "#0ab9dc", "#c0bfbc",
  "#5e5c64", "#ed333b", "#57e389", "#f8e45c", "#51a1ff", "#c061cb", "#4fd2fd", "#f6f5f4",
};

static void
lab_terminal_update_colors (LabTerminal *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA palette[16];
  GdkRGBA fg, bg;

  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    gdk_rgba_parse (&palette[i], palette_hex[i]);
  gdk_rgba_parse (&fg, dark ? "#ffffff" : "#241f31");
  gdk_rgba_parse (&bg, dark ? "#1e1e1e" : "#ffffff");

  vte_terminal_set_colors (VTE_TERMINAL (self), &fg, &bg, palette, G_N_ELEMENTS (palette));
}

char *
lab_terminal_dup_font_name (LabTerminal *self)
{
  g_return_val_if_fail (LAB_IS_TERMINAL (self), NULL);

  if (self->settings != NULL && !g_settings_get_boolean (self->settings,
                                                         "console-use-system-font"))
    {
      g_autofree char *custom = g_settings_get_string (self->settings, "console-font");

      if (custom != NULL && *custom != '\0')
        return g_steal_pointer (&custom);
    }

  if (self->desktop_settings != NULL)
    {
      g_autofree char *system = g_settings_get_string (self->desktop_settings,
                                                       "monospace-font-name");

      if (system != NULL && *system != '\0')
        return g_steal_pointer (&system);
    }

  return g_strdup (FALLBACK_FONT);
}

static void
lab_terminal_update_font (LabTerminal *self)
{
  g_autofree char *name = lab_terminal_dup_font_name (self);
  PangoFontDescription *font = pango_font_description_from_string (name);

  vte_terminal_set_font (VTE_TERMINAL (self), font);
  pango_font_description_free (font);
}

static void
lab_terminal_update_scrollback (LabTerminal *self)
{
  if (self->settings != NULL)
    vte_terminal_set_scrollback_lines (VTE_TERMINAL (self),
                                       g_settings_get_int (self->settings,
                                                           "console-scrollback-lines"));
}

void
lab_terminal_set_settings (LabTerminal *self,
                           GSettings   *settings)
{
  g_return_if_fail (LAB_IS_TERMINAL (self));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);

  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::console-use-system-font",
                               G_CALLBACK (lab_terminal_update_font), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::console-font",
                               G_CALLBACK (lab_terminal_update_font), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::console-scrollback-lines",
                               G_CALLBACK (lab_terminal_update_scrollback), self,
                               G_CONNECT_SWAPPED);
    }

  lab_terminal_update_font (self);
  lab_terminal_update_scrollback (self);
}

GtkWidget *
lab_terminal_new (void)
{
  return g_object_new (LAB_TYPE_TERMINAL, NULL);
}

void
lab_terminal_get_grid_size (LabTerminal *self,
                            guint       *columns,
                            guint       *rows)
{
  g_return_if_fail (LAB_IS_TERMINAL (self));

  if (columns != NULL)
    *columns = vte_terminal_get_column_count (VTE_TERMINAL (self));
  if (rows != NULL)
    *rows = vte_terminal_get_row_count (VTE_TERMINAL (self));
}

/* Plain text: printable bytes, tab, CR and LF. Anything else (ESC, other C0 controls, DEL,
 * and 0xC2, which starts the UTF-8 form of the C1 controls) may change the terminal's state
 * beyond its line, so text around it is always parsed. */
static inline gboolean
is_plain_byte (guint8 byte)
{
  return (byte >= 0x20 && byte != 0x7f && byte != 0xc2)
         || byte == '\t' || byte == '\r' || byte == '\n';
}

static void
lab_terminal_update_backlog_full (LabTerminal *self)
{
  gboolean full;

  if (self->backlog_full)
    full = self->vte_starved || self->backlog->len >= BACKLOG_LOW;
  else
    full = self->vte_starved || self->backlog->len > BACKLOG_HIGH;
  if (self->backlog_full == full)
    return;
  self->backlog_full = full;
  if (self->channel != NULL)
    lab_ssh_channel_set_output_paused (self->channel, full);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG_FULL]);
}

/* During a flood, lines that will have scrolled past the scrollback before VTE gets to them
 * are never seen: they are dropped unparsed, so the terminal keeps up with the console.
 * Only whole lines of plain text go, after everything VTE was given, so the terminal ends
 * up showing exactly what it would have shown (the same screen and scrollback). */
static void
lab_terminal_coalesce (LabTerminal *self)
{
  glong scrollback = vte_terminal_get_scrollback_lines (VTE_TERMINAL (self));
  gsize keep_lines;
  const guint8 *data = self->backlog->data;
  gsize len = self->backlog->len;
  gsize cut = len;
  gsize from;

  if (scrollback < 0)
    return;   /* infinite scrollback: every line is kept */
  keep_lines = (gsize) scrollback + vte_terminal_get_row_count (VTE_TERMINAL (self))
               + KEEP_MARGIN_LINES;

  /* cut: the start of the last keep_lines lines. */
  for (gsize n = 0; n <= keep_lines; n++)
    {
      const guint8 *nl = cut > 0 ? memrchr (data, '\n', cut) : NULL;

      if (nl == NULL)
        return;
      cut = nl - data;
    }
  cut++;

  /* from: the first line start in the plain part. */
  from = self->plain_from;
  if (from > 0 || !self->fed_line_end)
    {
      const guint8 *nl;

      if (from > 0 && data[from - 1] == '\n')
        nl = data + from - 1;
      else
        nl = memchr (data + from, '\n', len - from);
      if (nl == NULL)
        return;
      from = nl - data + 1;
    }
  if (from >= cut)
    return;

  memmove (self->backlog->data + from, data + cut, len - cut);
  g_byte_array_set_size (self->backlog, len - (cut - from));
  /* plain_from <= from: the bytes removed lie after it, so it stays where it is. */
  self->n_skipped += cut - from;
  g_debug ("flood: skipped %" G_GSIZE_FORMAT " bytes that would scroll out unseen", cut - from);
}

static gboolean lab_terminal_pace_cb   (gpointer user_data);
static gboolean lab_terminal_starve_cb (gpointer user_data);

/* Gives VTE the next slice once it has shown the previous one. */
static void
lab_terminal_pump (LabTerminal *self)
{
  gsize room = self->in_flight < FEED_SLICE ? FEED_SLICE - self->in_flight : 0;
  gsize n = MIN (room, self->backlog->len);

  if (n > 0)
    {
      vte_terminal_feed (VTE_TERMINAL (self), (const char *) self->backlog->data, n);
      self->fed_line_end = self->backlog->data[n - 1] == '\n';
      self->in_flight += n;
      g_byte_array_remove_range (self->backlog, 0, n);
      self->plain_from = self->plain_from > n ? self->plain_from - n : 0;
    }

  if (self->in_flight > 0 && self->pace_id == 0)
    self->pace_id = g_timeout_add (PACE_FALLBACK_MS, lab_terminal_pace_cb, self);
  /* Output is waiting for VTE: make sure it gets its turn. */
  if (self->in_flight > 0 && self->backlog->len > 0 && self->starve_id == 0)
    self->starve_id = g_timeout_add (STARVE_MS, lab_terminal_starve_cb, self);
  lab_terminal_update_backlog_full (self);
}

/* VTE has taken (or given up on) what it was given: it may have more. */
static void
lab_terminal_vte_ready (LabTerminal *self)
{
  self->in_flight = 0;
  self->vte_starved = FALSE;
  g_clear_handle_id (&self->pace_id, g_source_remove);
  g_clear_handle_id (&self->starve_id, g_source_remove);
  lab_terminal_pump (self);
}

static gboolean
lab_terminal_pace_cb (gpointer user_data)
{
  LabTerminal *self = user_data;

  /* VTE showed nothing new for what it was given (only control sequences, say). */
  self->pace_id = 0;
  lab_terminal_vte_ready (self);
  return G_SOURCE_REMOVE;
}

static gboolean
lab_terminal_starve_cb (gpointer user_data)
{
  LabTerminal *self = user_data;

  self->starve_id = 0;
  self->vte_starved = self->in_flight > 0 && self->backlog->len > 0;
  lab_terminal_update_backlog_full (self);
  return G_SOURCE_REMOVE;
}

static void
lab_terminal_contents_changed (LabTerminal *self)
{
  lab_terminal_vte_ready (self);
}

static void
lab_terminal_queue (LabTerminal  *self,
                    const guint8 *data,
                    gsize         len)
{
  gsize old_len = self->backlog->len;

  if (len == 0)
    return;
  g_byte_array_append (self->backlog, data, len);
  for (gsize i = len; i > 0; i--)
    if (!is_plain_byte (data[i - 1]))
      {
        self->plain_from = old_len + i;
        break;
      }

  if (self->backlog->len > FEED_SLICE * 2)
    lab_terminal_coalesce (self);
  lab_terminal_pump (self);
}

void
lab_terminal_feed_text (LabTerminal *self,
                        const char  *text)
{
  g_return_if_fail (LAB_IS_TERMINAL (self));
  g_return_if_fail (text != NULL);

  lab_terminal_queue (self, (const guint8 *) text, strlen (text));
}

gboolean
lab_terminal_get_backlog_full (LabTerminal *self)
{
  g_return_val_if_fail (LAB_IS_TERMINAL (self), FALSE);

  return self->backlog_full;
}

gsize
lab_terminal_get_backlog (LabTerminal *self)
{
  g_return_val_if_fail (LAB_IS_TERMINAL (self), 0);

  return self->backlog->len;
}

guint64
lab_terminal_get_skipped (LabTerminal *self)
{
  g_return_val_if_fail (LAB_IS_TERMINAL (self), 0);

  return self->n_skipped;
}

static void
lab_terminal_channel_data (LabTerminal *self,
                           GBytes      *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  lab_terminal_feed_console (self, data, len);
}

static void
lab_terminal_commit (LabTerminal *self,
                     const char  *text,
                     guint        size)
{
  /* Keys and pastes go to the program (VTE has no pty of its own here). */
  if (self->channel != NULL)
    lab_ssh_channel_write_data (self->channel, text, size);
}

static void
lab_terminal_resized (LabTerminal *self,
                      guint        columns,
                      guint        rows)
{
  if (self->channel != NULL)
    lab_ssh_channel_resize (self->channel, columns, rows);
}

void
lab_terminal_set_channel (LabTerminal   *self,
                          LabSshChannel *channel)
{
  g_return_if_fail (LAB_IS_TERMINAL (self));
  g_return_if_fail (channel == NULL || LAB_IS_SSH_CHANNEL (channel));

  if (self->channel == channel)
    return;
  if (self->channel != NULL)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  g_set_object (&self->channel, channel);
  if (channel == NULL)
    return;
  g_signal_connect_object (channel, "stdout-data", G_CALLBACK (lab_terminal_channel_data), self,
                           G_CONNECT_SWAPPED);
  lab_ssh_channel_set_output_paused (channel, self->backlog_full);
}

LabSshChannel *
lab_terminal_get_channel (LabTerminal *self)
{
  g_return_val_if_fail (LAB_IS_TERMINAL (self), NULL);

  return self->channel;
}

void
lab_terminal_feed_console (LabTerminal  *self,
                           const guint8 *data,
                           gsize         len)
{
  g_autoptr(GByteArray) out = NULL;
  gboolean prev_cr;
  gsize start = 0;

  g_return_if_fail (LAB_IS_TERMINAL (self));

  /* Most chunks pass as they are (CR LF line ends): only copy when something changes. */
  prev_cr = self->after_cr;
  for (start = 0; start < len; start++)
    {
      if (data[start] == '\0' || (data[start] == '\n' && !prev_cr))
        break;
      prev_cr = data[start] == '\r';
    }
  if (start == len)
    {
      if (len > 0)
        self->after_cr = data[len - 1] == '\r';
      lab_terminal_queue (self, data, len);
      return;
    }

  out = g_byte_array_sized_new (len + 64);
  start = 0;
  for (gsize i = 0; i < len; i++)
    {
      gboolean bare_lf = data[i] == '\n' && !(i == 0 ? self->after_cr : data[i - 1] == '\r');

      if (data[i] != '\0' && !bare_lf)
        continue;
      g_byte_array_append (out, data + start, i - start);
      if (bare_lf)
        g_byte_array_append (out, (const guint8 *) "\r\n", 2);
      start = i + 1;
    }
  g_byte_array_append (out, data + start, len - start);
  if (len > 0)
    self->after_cr = data[len - 1] == '\r';

  lab_terminal_queue (self, out->data, out->len);
}

char *
lab_terminal_dup_contents (LabTerminal *self)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LAB_IS_TERMINAL (self), NULL);

  /* In memory, so it does not block on I/O; the caller writes it out asynchronously. */
  if (!vte_terminal_write_contents_sync (VTE_TERMINAL (self), stream, VTE_WRITE_DEFAULT,
                                         NULL, &error)
      || !g_output_stream_write_all (stream, "", 1, NULL, NULL, &error)
      || !g_output_stream_close (stream, NULL, &error))
    {
      g_warning ("Could not read the console's text: %s", error->message);
      return g_strdup ("");
    }

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

gboolean
lab_terminal_find (LabTerminal *self,
                   const char  *text,
                   gboolean     backwards)
{
  g_autoptr(VteRegex) regex = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (LAB_IS_TERMINAL (self), FALSE);

  if (text == NULL || *text == '\0')
    {
      vte_terminal_search_set_regex (VTE_TERMINAL (self), NULL, 0);
      return FALSE;
    }

  /* What the user types is text, not a pattern. */
  escaped = g_regex_escape_string (text, -1);
  regex = vte_regex_new_for_search (escaped, -1, PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_UTF,
                                    &error);
  if (regex == NULL)
    {
      g_debug ("search pattern refused: %s", error->message);
      return FALSE;
    }

  vte_terminal_search_set_regex (VTE_TERMINAL (self), regex, 0);
  vte_terminal_search_set_wrap_around (VTE_TERMINAL (self), TRUE);

  return backwards ? vte_terminal_search_find_previous (VTE_TERMINAL (self))
                   : vte_terminal_search_find_next (VTE_TERMINAL (self));
}

static void
lab_terminal_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  LabTerminal *self = LAB_TERMINAL (widget);
  guint columns, rows;

  GTK_WIDGET_CLASS (lab_terminal_parent_class)->size_allocate (widget, width, height, baseline);

  /* VTE has no signal for a new grid size; consoles need one to resize the remote pty. */
  lab_terminal_get_grid_size (self, &columns, &rows);
  if (columns != self->columns || rows != self->rows)
    {
      self->columns = columns;
      self->rows = rows;
      g_signal_emit (self, signals[SIZE_CHANGED], 0, columns, rows);
    }
}

static void
lab_terminal_copy (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  vte_terminal_copy_clipboard_format (VTE_TERMINAL (widget), VTE_FORMAT_TEXT);
}

static void
lab_terminal_paste (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  vte_terminal_paste_clipboard (VTE_TERMINAL (widget));
}

static void
lab_terminal_select_all (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  vte_terminal_select_all (VTE_TERMINAL (widget));
}

static void
lab_terminal_zoom (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  VteTerminal *terminal = VTE_TERMINAL (widget);
  double scale = vte_terminal_get_font_scale (terminal);

  if (g_str_equal (action_name, "term.zoom-in"))
    scale = MIN (ZOOM_MAX, scale * ZOOM_STEP);
  else if (g_str_equal (action_name, "term.zoom-out"))
    scale = MAX (ZOOM_MIN, scale / ZOOM_STEP);
  else
    scale = 1.0;

  vte_terminal_set_font_scale (terminal, scale);
}

static void
lab_terminal_clear (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  /* Only the local view: the domain's console is not told anything. */
  vte_terminal_reset (VTE_TERMINAL (widget), TRUE, TRUE);
}

static void
lab_terminal_update_actions (LabTerminal *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "term.copy",
                                 vte_terminal_get_has_selection (VTE_TERMINAL (self)));
}

static void
lab_terminal_popup_menu (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         LabTerminal     *self)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
lab_terminal_dispose (GObject *object)
{
  LabTerminal *self = LAB_TERMINAL (object);

  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->settings);
  g_clear_object (&self->desktop_settings);
  g_clear_handle_id (&self->pace_id, g_source_remove);
  g_clear_handle_id (&self->starve_id, g_source_remove);
  lab_terminal_set_channel (self, NULL);

  G_OBJECT_CLASS (lab_terminal_parent_class)->dispose (object);
}

static void
lab_terminal_finalize (GObject *object)
{
  LabTerminal *self = LAB_TERMINAL (object);

  g_clear_pointer (&self->backlog, g_byte_array_unref);

  G_OBJECT_CLASS (lab_terminal_parent_class)->finalize (object);
}

static void
lab_terminal_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LabTerminal *self = LAB_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_BACKLOG_FULL:
      g_value_set_boolean (value, self->backlog_full);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The keyboard leaves a terminal as it leaves any widget that takes Tab for itself, with
 * Ctrl+Tab and Ctrl+Shift+Tab: VTE would send them to the program (a console caught the
 * keyboard for good). A terminal that takes no input (a log, kept output) is passed
 * through by Tab and Shift+Tab too, like any other widget. */
static gboolean
lab_terminal_key_pressed_cb (LabTerminal     *self,
                             guint            keyval,
                             guint            keycode,
                             GdkModifierType  state)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  gboolean control = (state & GDK_CONTROL_MASK) != 0;
  GtkDirectionType direction;

  if (root == NULL
      || (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
      || (state & GDK_ALT_MASK) != 0
      || (!control && vte_terminal_get_input_enabled (VTE_TERMINAL (self))))
    return GDK_EVENT_PROPAGATE;
  direction = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0
              ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  /* Past the last widget: round again from the first, as a window does. */
  if (!gtk_widget_child_focus (root, direction))
    {
      gtk_root_set_focus (GTK_ROOT (root), NULL);
      gtk_widget_child_focus (root, direction);
    }
  return GDK_EVENT_STOP;
}

static void
lab_terminal_class_init (LabTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_terminal_dispose;
  object_class->finalize = lab_terminal_finalize;
  object_class->get_property = lab_terminal_get_property;
  widget_class->size_allocate = lab_terminal_size_allocate;

  signals[SIZE_CHANGED] =
    g_signal_new ("size-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /* Output is waiting faster than the terminal takes it: stop reading the console until
   * this turns FALSE again. */
  properties[PROP_BACKLOG_FULL] =
    g_param_spec_boolean ("backlog-full", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "term.copy", NULL, lab_terminal_copy);
  gtk_widget_class_install_action (widget_class, "term.paste", NULL, lab_terminal_paste);
  gtk_widget_class_install_action (widget_class, "term.select-all", NULL,
                                   lab_terminal_select_all);
  gtk_widget_class_install_action (widget_class, "term.zoom-in", NULL, lab_terminal_zoom);
  gtk_widget_class_install_action (widget_class, "term.zoom-out", NULL, lab_terminal_zoom);
  gtk_widget_class_install_action (widget_class, "term.zoom-reset", NULL, lab_terminal_zoom);
  gtk_widget_class_install_action (widget_class, "term.clear", NULL, lab_terminal_clear);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "term.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "term.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "term.select-all",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "term.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "term.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "term.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "term.zoom-reset", NULL);

  gtk_widget_class_set_css_name (widget_class, "labterminal");
}

static void
lab_terminal_init (LabTerminal *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  g_autoptr(GMenu) view = g_menu_new ();
  g_autoptr(GMenu) console = g_menu_new ();
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) desktop = NULL;
  GtkGesture *gesture;

  self->backlog = g_byte_array_new ();
  self->fed_line_end = TRUE;
  g_signal_connect (self, "contents-changed", G_CALLBACK (lab_terminal_contents_changed), NULL);
  g_signal_connect (self, "commit", G_CALLBACK (lab_terminal_commit), NULL);
  g_signal_connect (self, "size-changed", G_CALLBACK (lab_terminal_resized), NULL);

  vte_terminal_set_scroll_unit_is_pixels (VTE_TERMINAL (self), TRUE);
  vte_terminal_set_enable_fallback_scrolling (VTE_TERMINAL (self), FALSE);
  vte_terminal_set_audible_bell (VTE_TERMINAL (self), FALSE);
  vte_terminal_set_scrollback_lines (VTE_TERMINAL (self), 10000);
  vte_terminal_set_size (VTE_TERMINAL (self), 80, 24);

  if (source != NULL)
    desktop = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (desktop != NULL && g_settings_schema_has_key (desktop, "monospace-font-name"))
    {
      self->desktop_settings = g_settings_new ("org.gnome.desktop.interface");
      g_signal_connect_object (self->desktop_settings, "changed::monospace-font-name",
                               G_CALLBACK (lab_terminal_update_font), self, G_CONNECT_SWAPPED);
    }
  lab_terminal_update_font (self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (lab_terminal_update_colors), self, G_CONNECT_SWAPPED);
  lab_terminal_update_colors (self);

  g_signal_connect (self, "selection-changed", G_CALLBACK (lab_terminal_update_actions), NULL);
  lab_terminal_update_actions (self);

  g_menu_append (edit, _("_Copy"), "term.copy");
  g_menu_append (edit, _("_Paste"), "term.paste");
  g_menu_append (edit, _("Select _All"), "term.select-all");
  g_menu_append (view, _("_Find…"), "console.find");
  g_menu_append (view, _("Zoom _In"), "term.zoom-in");
  g_menu_append (view, _("Zoom _Out"), "term.zoom-out");
  g_menu_append (view, _("_Normal Size"), "term.zoom-reset");
  g_menu_append (console, _("_Save Output…"), "console.save");
  g_menu_append (console, _("C_lear"), "term.clear");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (console));

  self->context_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    /* Before VTE's own handler sees the key. */
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (lab_terminal_key_pressed_cb),
                              self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (lab_terminal_popup_menu), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}
