/* lab-console-log.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-console-log"

#include "config.h"

#include <string.h>

#include "lab-console-log.h"

struct _LabConsoleLog
{
  GObject  parent_instance;

  char    *domain_name;
  /* A ring: @length bytes starting at @start, wrapping at @capacity. Allocated as it
   * fills, so a quiet domain costs little. */
  guint8  *ring;
  gsize    allocated;
  gsize    capacity;
  gsize    start;
  gsize    length;
  guint64  dropped;
  gint64   last_append;
};

G_DEFINE_FINAL_TYPE (LabConsoleLog, lab_console_log, G_TYPE_OBJECT)

enum {
  APPENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

LabConsoleLog *
lab_console_log_new (const char *domain_name,
                     gsize       capacity)
{
  LabConsoleLog *self;

  g_return_val_if_fail (domain_name != NULL, NULL);
  g_return_val_if_fail (capacity > 0, NULL);

  self = g_object_new (LAB_TYPE_CONSOLE_LOG, NULL);
  self->domain_name = g_strdup (domain_name);
  self->capacity = capacity;
  return self;
}

const char *
lab_console_log_get_domain_name (LabConsoleLog *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), NULL);
  return self->domain_name;
}

gsize
lab_console_log_get_capacity (LabConsoleLog *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), 0);
  return self->capacity;
}

gsize
lab_console_log_get_length (LabConsoleLog *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), 0);
  return self->length;
}

guint64
lab_console_log_get_dropped (LabConsoleLog *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), 0);
  return self->dropped;
}

gint64
lab_console_log_get_last_append (LabConsoleLog *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), 0);
  return self->last_append;
}

/* Unwraps the ring into a buffer of @size bytes (size >= length), start at 0. */
static void
relocate (LabConsoleLog *self,
          gsize          size)
{
  guint8 *buffer = g_malloc (size);
  gsize first = MIN (self->length, self->allocated - self->start);

  if (self->length > 0)
    {
      memcpy (buffer, self->ring + self->start, first);
      memcpy (buffer + first, self->ring, self->length - first);
    }
  g_free (self->ring);
  self->ring = buffer;
  self->allocated = size;
  self->start = 0;
}

static void
append_bytes (LabConsoleLog *self,
              const guint8  *data,
              gsize          len)
{
  /* More than fits: only its end matters. */
  if (len >= self->capacity)
    {
      self->dropped += self->length + (len - self->capacity);
      data += len - self->capacity;
      len = self->capacity;
      self->start = 0;
      self->length = 0;
    }

  if (self->allocated < self->capacity && self->length + len > self->allocated)
    relocate (self, MIN (self->capacity, MAX (self->allocated * 2, self->length + len)));

  if (self->length + len > self->allocated)
    {
      gsize excess = self->length + len - self->allocated;

      self->start = (self->start + excess) % self->allocated;
      self->length -= excess;
      self->dropped += excess;
    }

  for (gsize done = 0; done < len;)
    {
      gsize end = (self->start + self->length) % self->allocated;
      gsize chunk = MIN (len - done, self->allocated - end);

      memcpy (self->ring + end, data + done, chunk);
      self->length += chunk;
      done += chunk;
    }
}

void
lab_console_log_append (LabConsoleLog *self,
                        const guint8  *data,
                        gsize          len)
{
  g_return_if_fail (LAB_IS_CONSOLE_LOG (self));
  g_return_if_fail (data != NULL || len == 0);

  if (len == 0)
    return;
  append_bytes (self, data, len);
  self->last_append = g_get_real_time ();
  g_signal_emit (self, signals[APPENDED], 0, data, (guint64) len);
}

void
lab_console_log_append_note (LabConsoleLog *self,
                             const char    *text)
{
  g_autofree char *line = NULL;
  gboolean at_line_start;

  g_return_if_fail (LAB_IS_CONSOLE_LOG (self));
  g_return_if_fail (text != NULL);

  at_line_start = self->length == 0
                  || self->ring[(self->start + self->length - 1) % self->allocated] == '\n';
  /* Dim, between brackets, on a line of its own: not to be mistaken for the guest's. */
  line = g_strdup_printf ("%s\033[2m[%s]\033[0m\r\n", at_line_start ? "" : "\r\n", text);
  append_bytes (self, (const guint8 *) line, strlen (line));
  g_signal_emit (self, signals[APPENDED], 0, line, (guint64) strlen (line));
}

GBytes *
lab_console_log_dup_bytes (LabConsoleLog *self)
{
  guint8 *copy;
  gsize first;

  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), NULL);

  copy = g_malloc (MAX (self->length, 1));
  first = self->length > 0 ? MIN (self->length, self->allocated - self->start) : 0;
  if (self->length > 0)
    {
      memcpy (copy, self->ring + self->start, first);
      memcpy (copy + first, self->ring, self->length - first);
    }
  return g_bytes_new_take (copy, self->length);
}

char *
lab_console_log_dup_tail (LabConsoleLog *self,
                          guint          n_lines)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) clean = NULL;
  const char *data;
  gsize len;
  const char *p;
  guint lines = 0;

  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (self), NULL);

  bytes = lab_console_log_dup_bytes (self);
  data = g_bytes_get_data (bytes, &len);
  text = g_utf8_make_valid (data ? data : "", len);
  clean = g_string_new (NULL);
  /* Without CRs and escape sequences: the tail goes into a notification or a label. */
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\033')
        {
          if (p[1] == '[')
            {
              p += 2;
              while (*p != '\0' && !(*p >= '@' && *p <= '~'))
                p++;
              if (*p == '\0')
                break;
            }
          continue;
        }
      g_string_append_c (clean, *p);
    }
  while (clean->len > 0 && (clean->str[clean->len - 1] == '\n'
                            || clean->str[clean->len - 1] == ' '))
    g_string_truncate (clean, clean->len - 1);

  for (p = clean->str + clean->len; p > clean->str; p--)
    if (p[-1] == '\n' && ++lines == n_lines)
      break;
  return g_strdup (p);
}

void
lab_console_log_clear (LabConsoleLog *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_LOG (self));

  g_clear_pointer (&self->ring, g_free);
  self->allocated = 0;
  self->start = 0;
  self->length = 0;
}

static void
lab_console_log_finalize (GObject *object)
{
  LabConsoleLog *self = LAB_CONSOLE_LOG (object);

  g_clear_pointer (&self->ring, g_free);
  g_clear_pointer (&self->domain_name, g_free);

  G_OBJECT_CLASS (lab_console_log_parent_class)->finalize (object);
}

static void
lab_console_log_class_init (LabConsoleLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_console_log_finalize;

  /* (data, length): bytes just kept, for a view that shows the log as it grows. */
  signals[APPENDED] =
    g_signal_new ("appended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT64);
}

static void
lab_console_log_init (LabConsoleLog *self)
{
}
