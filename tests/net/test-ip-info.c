/* test-ip-info.c — combining the address sources: precedence and change notification
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ip-info"

#include "config.h"

#include "lab-core.h"
#include "net/lab-ip-info.h"

typedef struct
{
  guint ip;
  guint source;
  guint description;
  guint console_ip;
  guint lease_ip;
  guint static_ip;
} Notifies;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Notifies   *n)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "ip"))
    n->ip++;
  else if (g_str_equal (name, "source"))
    n->source++;
  else if (g_str_equal (name, "description"))
    n->description++;
  else if (g_str_equal (name, "console-ip"))
    n->console_ip++;
  else if (g_str_equal (name, "lease-ip"))
    n->lease_ip++;
  else if (g_str_equal (name, "static-ip"))
    n->static_ip++;
  else if (g_str_equal (name, "conflict"))
    ;
  else
    g_assert_not_reached ();
}

#define assert_notifies(n, i, s, d) \
  G_STMT_START { \
    g_assert_cmpuint ((n)->ip, ==, (i)); \
    g_assert_cmpuint ((n)->source, ==, (s)); \
    g_assert_cmpuint ((n)->description, ==, (d)); \
  } G_STMT_END

static void
assert_state (LabIpInfo   *info,
              const char  *ip,
              LabIpSource  source,
              const char  *description)
{
  g_autofree char *prop_ip = NULL;
  g_autofree char *prop_description = NULL;
  LabIpSource prop_source;

  g_assert_cmpstr (lab_ip_info_get_ip (info), ==, ip);
  g_assert_cmpint (lab_ip_info_get_source (info), ==, source);
  g_assert_cmpstr (lab_ip_info_get_description (info), ==, description);

  g_object_get (info, "ip", &prop_ip, "source", &prop_source,
                "description", &prop_description, NULL);
  g_assert_cmpstr (prop_ip, ==, ip);
  g_assert_cmpint (prop_source, ==, source);
  g_assert_cmpstr (prop_description, ==, description);
}

/* console > lease > static, walked up and back down */
static void
test_ip_info_precedence (void)
{
  g_autoptr(LabIpInfo) info = lab_ip_info_new ();

  assert_state (info, NULL, LAB_IP_SOURCE_NONE, NULL);

  lab_ip_info_update_static (info, "192.168.56.20");
  assert_state (info, "192.168.56.20", LAB_IP_SOURCE_STATIC, "static, from config");

  lab_ip_info_update_lease (info, "192.168.56.150");
  assert_state (info, "192.168.56.150", LAB_IP_SOURCE_LEASE, "from DHCP lease");

  /* The console agreeing with the lease */
  lab_ip_info_update_console (info, "192.168.56.150");
  assert_state (info, "192.168.56.150", LAB_IP_SOURCE_CONSOLE, "from console");
  lab_ip_info_update_lease (info, NULL);
  lab_ip_info_update_console (info, "192.168.56.151");
  assert_state (info, "192.168.56.151", LAB_IP_SOURCE_CONSOLE, "from console");

  /* A losing source changing does not change the answer */
  lab_ip_info_update_static (info, "192.168.56.21");
  assert_state (info, "192.168.56.151", LAB_IP_SOURCE_CONSOLE, "from console");
  lab_ip_info_update_lease (info, "192.168.56.152");
  lab_ip_info_update_console (info, "192.168.56.152");
  g_assert_cmpstr (lab_ip_info_get_candidate (info, LAB_IP_SOURCE_LEASE), ==, "192.168.56.152");
  g_assert_cmpstr (lab_ip_info_get_candidate (info, LAB_IP_SOURCE_STATIC), ==, "192.168.56.21");
  g_assert_cmpstr (lab_ip_info_get_candidate (info, LAB_IP_SOURCE_CONSOLE), ==, "192.168.56.152");
  g_assert_null (lab_ip_info_get_candidate (info, LAB_IP_SOURCE_NONE));

  lab_ip_info_update_console (info, NULL);    /* e.g. boot-detected */
  assert_state (info, "192.168.56.152", LAB_IP_SOURCE_LEASE, "from DHCP lease");

  lab_ip_info_update_lease (info, NULL);      /* lease expired */
  assert_state (info, "192.168.56.21", LAB_IP_SOURCE_STATIC, "static, from config");

  lab_ip_info_update_static (info, NULL);
  assert_state (info, NULL, LAB_IP_SOURCE_NONE, NULL);

  /* Console alone, then a static candidate below it */
  lab_ip_info_update_console (info, "10.0.0.2");
  assert_state (info, "10.0.0.2", LAB_IP_SOURCE_CONSOLE, "from console");
  lab_ip_info_update_static (info, "10.0.0.3");
  assert_state (info, "10.0.0.2", LAB_IP_SOURCE_CONSOLE, "from console");

  lab_ip_info_clear (info);
  assert_state (info, NULL, LAB_IP_SOURCE_NONE, NULL);
  g_assert_null (lab_ip_info_get_candidate (info, LAB_IP_SOURCE_STATIC));
}

/* Notifications only for what changed, never for a no-op. */
static void
test_ip_info_notify (void)
{
  g_autoptr(LabIpInfo) info = lab_ip_info_new ();
  Notifies n = { 0 };

  g_signal_connect (info, "notify", G_CALLBACK (on_notify), &n);

  lab_ip_info_update_static (info, "10.0.0.2");
  assert_notifies (&n, 1, 1, 1);
  g_assert_cmpuint (n.static_ip, ==, 1);

  /* Same value again: nothing */
  lab_ip_info_update_static (info, "10.0.0.2");
  assert_notifies (&n, 1, 1, 1);
  g_assert_cmpuint (n.static_ip, ==, 1);

  /* The lease gives the same address: the source changes, the address does not */
  lab_ip_info_update_lease (info, "10.0.0.2");
  assert_notifies (&n, 1, 2, 2);
  g_assert_cmpuint (n.lease_ip, ==, 1);

  /* The lease goes (a console that disagreed with it would be a conflict): the source
   * goes back to the config, the address stays */
  lab_ip_info_update_lease (info, NULL);
  assert_notifies (&n, 1, 3, 3);

  /* The console gives a new address: address, source and description */
  lab_ip_info_update_console (info, "10.0.0.9");
  assert_notifies (&n, 2, 4, 4);

  /* A losing candidate changes: only its own property */
  lab_ip_info_update_static (info, "10.0.0.3");
  assert_notifies (&n, 2, 4, 4);
  g_assert_cmpuint (n.static_ip, ==, 2);

  /* The winning candidate changes its address: address only */
  lab_ip_info_update_console (info, "10.0.0.10");
  assert_notifies (&n, 3, 4, 4);
  g_assert_cmpuint (n.console_ip, ==, 2);

  /* Writable candidate properties go through the same path */
  g_object_set (info, "console-ip", "10.0.0.10", NULL);
  assert_notifies (&n, 3, 4, 4);
  g_object_set (info, "console-ip", NULL, NULL);
  assert_notifies (&n, 4, 5, 5);
  g_assert_cmpstr (lab_ip_info_get_ip (info), ==, "10.0.0.3");

  /* Clearing notifies once per property even though three candidates go */
  lab_ip_info_clear (info);
  assert_notifies (&n, 5, 6, 6);
  lab_ip_info_clear (info);
  assert_notifies (&n, 5, 6, 6);
}

static void
test_ip_info_invalid (void)
{
  g_autoptr(LabIpInfo) info = lab_ip_info_new ();

  lab_ip_info_update_lease (info, "10.0.0.2");

  g_test_expect_message ("lab-ip-info", G_LOG_LEVEL_CRITICAL, "*not a dotted-quad*");
  lab_ip_info_update_lease (info, "10.0.0.300");
  g_test_assert_expected_messages ();

  g_test_expect_message ("lab-ip-info", G_LOG_LEVEL_CRITICAL, "*not a dotted-quad*");
  lab_ip_info_update_console (info, "fe80::1");
  g_test_assert_expected_messages ();

  assert_state (info, "10.0.0.2", LAB_IP_SOURCE_LEASE, "from DHCP lease");
}

static void
test_ip_info_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LAB_TYPE_IP_SOURCE);

  g_assert_true (G_TYPE_IS_ENUM (LAB_TYPE_IP_SOURCE));
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "none")->value, ==, LAB_IP_SOURCE_NONE);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "lease")->value, ==, LAB_IP_SOURCE_LEASE);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "console")->value, ==, LAB_IP_SOURCE_CONSOLE);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "static")->value, ==, LAB_IP_SOURCE_STATIC);

  g_assert_null (lab_ip_source_get_description (LAB_IP_SOURCE_NONE));
  g_assert_cmpstr (lab_ip_source_get_description (LAB_IP_SOURCE_LEASE), ==, "from DHCP lease");
  g_assert_cmpstr (lab_ip_source_get_description (LAB_IP_SOURCE_CONSOLE), ==, "from console");
  g_assert_cmpstr (lab_ip_source_get_description (LAB_IP_SOURCE_STATIC), ==,
                   "static, from config");
}

/* The guest's console disagreeing with dnsmasq's lease is shown, not settled silently:
 * no effective address, both candidates with their sources. */
static void
test_ip_info_conflict (void)
{
  g_autoptr(LabIpInfo) info = lab_ip_info_new ();
  gboolean conflict = FALSE;

  lab_ip_info_update_lease (info, "192.168.56.150");
  lab_ip_info_update_console (info, "192.0.2.7");
  assert_state (info, NULL, LAB_IP_SOURCE_NONE,
                "conflict: 192.168.56.150 from DHCP lease, 192.0.2.7 from console");
  g_assert_true (lab_ip_info_get_conflict (info));
  g_object_get (info, "conflict", &conflict, NULL);
  g_assert_true (conflict);

  /* A static address does not settle it either */
  lab_ip_info_update_static (info, "192.168.56.20");
  assert_state (info, NULL, LAB_IP_SOURCE_NONE,
                "conflict: 192.168.56.150 from DHCP lease, 192.0.2.7 from console");

  /* The console comes round to the lease */
  lab_ip_info_update_console (info, "192.168.56.150");
  assert_state (info, "192.168.56.150", LAB_IP_SOURCE_CONSOLE, "from console");
  g_assert_false (lab_ip_info_get_conflict (info));

  /* The lease goes away: the console alone is not a conflict */
  lab_ip_info_update_console (info, "192.0.2.7");
  g_assert_true (lab_ip_info_get_conflict (info));
  lab_ip_info_update_lease (info, NULL);
  assert_state (info, "192.0.2.7", LAB_IP_SOURCE_CONSOLE, "from console");
  g_assert_false (lab_ip_info_get_conflict (info));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  lab_core_init ();

  g_test_add_func ("/net/ip-info/precedence", test_ip_info_precedence);
  g_test_add_func ("/net/ip-info/notify", test_ip_info_notify);
  g_test_add_func ("/net/ip-info/conflict", test_ip_info_conflict);
  g_test_add_func ("/net/ip-info/invalid", test_ip_info_invalid);
  g_test_add_func ("/net/ip-info/enum", test_ip_info_enum);

  return g_test_run ();
}
