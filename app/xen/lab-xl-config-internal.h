/* lab-xl-config-internal.h — the parsed form of an .xl file, shared by its reader and its
 * editor
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-xl-config.h"

G_BEGIN_DECLS

typedef enum
{
  VALUE_STRING,
  VALUE_NUMBER,
  VALUE_LIST,
} ValueKind;

typedef struct
{
  char      *key;
  ValueKind  kind;
  gboolean   append;      /* "key += value" */
  char      *string;      /* string, or the number's text */
  GStrv      list;
  gsize      start;       /* byte range of the whole setting in the text */
  gsize      value_start; /* where its value starts in that range */
  gsize      end;
} Setting;

struct _LabXlConfig
{
  GObject     parent_instance;

  char       *path;
  char       *text;
  gsize       length;
  GPtrArray  *settings;   /* Setting*, in file order; a later one wins */
};

G_END_DECLS
