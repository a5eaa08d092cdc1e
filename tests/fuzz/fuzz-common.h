/* fuzz-common.h — what the libFuzzer harnesses share
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static inline void
fuzz_trap_handler (int signum)
{
  abort ();
}

/* A GLib critical or warning is a bug the fuzzer must stop at, as the unit tests do with
 * G_DEBUG=fatal-warnings. GLib stops with SIGTRAP, which libFuzzer does not catch: turned
 * into an abort, it saves the input that did it. */
static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGTRAP, fuzz_trap_handler);
}

/* libFuzzer's start-up hook for a harness that needs nothing but fuzz_init(). */
#define FUZZ_DEFINE_INITIALIZE()                                                       \
  int LLVMFuzzerInitialize (int *argc, char ***argv);                                  \
  int                                                                                  \
  LLVMFuzzerInitialize (int    *argc,                                                  \
                        char ***argv)                                                  \
  {                                                                                    \
    fuzz_init ();                                                                      \
    return 0;                                                                          \
  }

/* The input as a NUL-terminated string (an embedded NUL ends it, as it would end a C string
 * the app got from the same bytes). */
static inline char *
fuzz_strdup (const uint8_t *data,
             size_t         size)
{
  char *text = g_malloc (size + 1);

  memcpy (text, data, size);
  text[size] = '\0';
  return text;
}

/* The exact bytes in a buffer of their own, so that a read past the end is an ASan error. */
static inline char *
fuzz_memdup (const uint8_t *data,
             size_t         size)
{
  return size > 0 ? g_memdup2 (data, size) : NULL;
}

/* Splits the input at the first NUL byte: @first gets what comes before, @second what
 * comes after (both NUL-terminated). Harnesses with two inputs use it. */
static inline void
fuzz_split2 (const uint8_t  *data,
             size_t          size,
             char          **first,
             char          **second)
{
  const uint8_t *nul = memchr (data, '\0', size);
  size_t n = nul != NULL ? (size_t) (nul - data) : size;

  *first = fuzz_strdup (data, n);
  *second = nul != NULL ? fuzz_strdup (nul + 1, size - n - 1) : g_strdup ("");
}

#define FUZZ_ASSERT(cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        g_printerr ("%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END
