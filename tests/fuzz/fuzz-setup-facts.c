/* fuzz-setup-facts.c — what the guided setup reads from command output: versions,
 * `ip -o link`, and the causes of a failed command
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the output; after a NUL byte, if any, comes the MAC to look for.
 */

#include "config.h"

#include <gio/gio.h>

#include "fuzz-common.h"
#include "setup/lab-setup-facts.h"

FUZZ_DEFINE_INITIALIZE ()

static void
check_text (const char *input,
            const char *text)
{
  /* Sentences for GTK: valid UTF-8 whenever what they quote was. */
  if (text != NULL && g_utf8_validate (input, -1, NULL))
    FUZZ_ASSERT (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *output = NULL;
  g_autofree char *mac = NULL;
  LabVersion version;

  fuzz_split2 (data, size, &output, &mac);

  if (lab_version_parse (output, &version))
    {
      g_autofree char *text = lab_version_to_string (&version);
      g_autofree char *why = NULL;
      g_auto(GStrv) argv = lab_mirage_configure_argv (&version, &why);
      LabVersion again;

      FUZZ_ASSERT (lab_version_parse (text, &again));
      FUZZ_ASSERT (lab_version_compare (&again, version.major, version.minor,
                                        version.patch) == 0);
      FUZZ_ASSERT (argv != NULL && argv[0] != NULL);
      FUZZ_ASSERT (why != NULL && g_utf8_validate (why, -1, NULL));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *nic = lab_interface_for_mac (output,
                                                  *mac != '\0' ? mac : "08:00:27:aa:bb:cc",
                                                  &error);

    FUZZ_ASSERT ((nic == NULL) != (error == NULL));
    if (error != NULL)
      {
        FUZZ_ASSERT (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                     || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
        if (g_utf8_validate (mac, -1, NULL))
          check_text (output, error->message);
      }
    else
      {
        FUZZ_ASSERT (*nic != '\0' && strstr (output, nic) != NULL);
        check_text (output, nic);
      }
  }

  {
    g_autofree char *meaning = NULL;
    g_autofree char *fix = NULL;
    LabSetupCause cause = lab_setup_diagnose_output (output, &meaning, &fix);

    FUZZ_ASSERT ((cause == LAB_SETUP_CAUSE_NONE) == (meaning == NULL));
    check_text (output, meaning);
    check_text (output, fix);
  }
  return 0;
}
