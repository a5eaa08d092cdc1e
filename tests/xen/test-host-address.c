/* test-host-address.c — the one host:port parser the setup wizard and the host dialog share
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <string.h>

#include "xen/lab-host.h"

typedef struct
{
  const char *text;
  const char *host;   /* NULL: refused */
  guint       port;
  const char *words;  /* a piece of the refusal's message */
} AddressCase;

/* A host accepted as typed, without a port. */
#define AS_IS(text) { text, text, 0, NULL }

static const AddressCase cases[] = {
  /* accepted */
  AS_IS ("virtualxen.local"),
  AS_IS ("192.168.56.5"),
  { "127.0.0.1:2222", "127.0.0.1", 2222, NULL },
  { "dom0:22", "dom0", 22, NULL },
  { "my_host-1.example.org:65535", "my_host-1.example.org", 65535, NULL },
  { "host:1", "host", 1, NULL },
  AS_IS ("fe80::1"),
  AS_IS ("::1"),
  AS_IS ("fe80::1%eth0"),
  { "[::1]", "::1", 0, NULL },
  { "[fe80::1]:2222", "fe80::1", 2222, NULL },
  { "[2001:db8::5]:22", "2001:db8::5", 22, NULL },
  /* empty host */
  { "", NULL, 0, "Enter the host" },
  { ":22", NULL, 0, "Enter the host" },
  /* ports */
  { "host:0", NULL, 0, "1 to 65535" },
  { "host:65536", NULL, 0, "1 to 65535" },
  { "host:99999999999999999999", NULL, 0, "1 to 65535" },
  { "host:", NULL, 0, "1 to 65535" },
  { "host:22a", NULL, 0, "1 to 65535" },
  { "host:0x16", NULL, 0, "1 to 65535" },
  { "host:-22", NULL, 0, "1 to 65535" },
  { "[::1]:0", NULL, 0, "1 to 65535" },
  { "[::1]:", NULL, 0, "1 to 65535" },
  /* characters */
  { "my host", NULL, 0, "no spaces" },
  { " host", NULL, 0, "no spaces" },
  { "host ", NULL, 0, "no spaces" },
  { "host: 22", NULL, 0, "no spaces" },
  { "host:+22", NULL, 0, "no spaces" },
  { "a,b", NULL, 0, "no spaces" },
  { "host\t", NULL, 0, "no spaces" },
  { "host\n", NULL, 0, "no spaces" },
  { "ho\033st", NULL, 0, "no spaces" },
  { "host;rm -rf /", NULL, 0, "no spaces" },
  { "$(reboot)", NULL, 0, "no spaces" },
  { "bücher.example", NULL, 0, "no spaces" },
  { "bad\xff\xfe", NULL, 0, "no spaces" },
  { "host%", NULL, 0, "no spaces" },
  { "ho[st", NULL, 0, "no spaces" },
  /* options */
  { "-oProxyCommand=x", NULL, 0, "no spaces" },
  { "-host", NULL, 0, "“-”" },
  { "-host:22", NULL, 0, "“-”" },
  /* a user part: the UIs have a user field */
  { "root@host", NULL, 0, "user@" },
  { "root@host:22", NULL, 0, "user@" },
  /* IPv6 */
  { "[::1", NULL, 0, "IPv6" },
  { "[::1]x", NULL, 0, "IPv6" },
  { "[::1]]", NULL, 0, "IPv6" },
  { "[host]", NULL, 0, "IPv6" },
  { "[192.168.56.5]", NULL, 0, "IPv6" },
  { "[]", NULL, 0, "IPv6" },
  { "fe80::1:22:zz", NULL, 0, "IPv6" },
  { "a:b:c", NULL, 0, "IPv6" },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AddressCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint port = 12345;
      gboolean ok = lab_host_parse_address (c->text, &host, &port, &error);
      g_autofree char *shown = g_strescape (c->text, NULL);

      g_test_message ("case %u: “%s”", i, shown);
      if (c->host != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (host, ==, c->host);
          g_assert_cmpuint (port, ==, c->port);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_null (host);
          g_assert_cmpuint (port, ==, 12345);
          g_assert_nonnull (strstr (error->message, c->words));
        }
    }
}

static void
test_null_and_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *long_name = g_strnfill (254, 'a');
  guint port = 0;

  g_assert_false (lab_host_parse_address (NULL, &host, &port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lab_host_parse_address (long_name, &host, &port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  long_name[253] = '\0';
  g_assert_true (lab_host_parse_address (long_name, &host, &port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (host), ==, 253);
}

static void
test_port (void)
{
  const struct { const char *text; guint port; } good[] = {
    { "1", 1 }, { "22", 22 }, { "02222", 2222 }, { "65535", 65535 },
  };
  const char *bad[] = { "", "0", "65536", "-1", "+22", " 22", "22 ", "2 2", "0x16", "٣",
                        "100000", "22,", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint port = 0;

      g_assert_true (lab_host_parse_port (good[i].text, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (port, ==, good[i].port);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      guint port = 7;
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("port “%s”", shown);
      g_assert_false (lab_host_parse_port (bad[i], &port, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpuint (port, ==, 7);
    }
}

/* Bridge names as Linux takes them; anything else never reaches a command on dom0. */
static void
test_bridge (void)
{
  static const char * const good[] = { "br0", "xenbr0", "virbr0-nic", "a", "br.56",
                                       "fifteen-chars15" };
  static const char * const bad[] = { "", "-br0", "br 0", "br/0", "br:0", ".", "..",
                                      "sixteen-chars-16", "br\n0", "br\x7f", "br\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (lab_host_parse_bridge (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (lab_host_parse_bridge (bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  g_assert_false (lab_host_parse_bridge (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/host-address/table", test_table);
  g_test_add_func ("/host-address/null-and-long", test_null_and_long);
  g_test_add_func ("/host-address/port", test_port);
  g_test_add_func ("/host-address/bridge", test_bridge);

  return g_test_run ();
}
