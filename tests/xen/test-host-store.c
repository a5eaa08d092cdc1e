/* test-host-store.c — saved hosts: round trip, autosave, broken files kept
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "xen/lab-host-store.h"
#include "lab-test-utils.h"

typedef struct
{
  char  *dir;
  GFile *file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("lab-host-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->file = g_file_new_build_filename (fixture->dir, "sub", "hosts.json", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_object_unref (fixture->file);
}

static void
saved (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_host_store_save_finish (LAB_HOST_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
save_and_wait (LabHostStore *store)
{
  gboolean done = FALSE;

  lab_host_store_save_async (store, NULL, saved, &done);
  lab_test_wait_flag (&done, 0);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LabHostStore) store = lab_host_store_new (fixture->file);
  g_autoptr(LabHostStore) again = lab_host_store_new (fixture->file);
  g_autoptr(LabHost) host = lab_host_new ("VirtualXen", "virtualxen.local");
  const char *folders[] = { "~/src/unikernels", NULL };
  g_autofree char *path = g_file_get_path (fixture->file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  LabHost *loaded;
  GStatBuf st;

  g_assert_true (lab_host_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  lab_host_set_user (host, "mirage");
  lab_host_set_port (host, 2222);
  lab_host_set_auth (host, LAB_HOST_AUTH_KEY);
  lab_host_set_identity_file (host, "~/.ssh/id_ed25519");
  lab_host_set_config_folders (host, folders);
  lab_host_set_leases_path (host, "/var/lib/dnsmasq/dnsmasq.leases");
  lab_host_set_web_through_ssh (host, TRUE);
  lab_host_set_bridge (host, "xenbr0");
  lab_host_set_probe_any_address (host, TRUE);
  lab_host_store_add (store, host);
  save_and_wait (store);

  /* Private to the user, and no secret ever written. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "password\":"));
  g_assert_null (strstr (contents, "passphrase"));

  g_assert_true (lab_host_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  loaded = lab_host_store_lookup (again, lab_host_get_id (host));
  g_assert_nonnull (loaded);
  g_assert_cmpstr (lab_host_get_name (loaded), ==, "VirtualXen");
  g_assert_cmpstr (lab_host_get_address (loaded), ==, "virtualxen.local");
  g_assert_cmpstr (lab_host_get_user (loaded), ==, "mirage");
  g_assert_cmpuint (lab_host_get_port (loaded), ==, 2222);
  g_assert_cmpint (lab_host_get_auth (loaded), ==, LAB_HOST_AUTH_KEY);
  g_assert_cmpstr (lab_host_get_identity_file (loaded), ==, "~/.ssh/id_ed25519");
  g_assert_cmpstr (lab_host_get_leases_path (loaded), ==, "/var/lib/dnsmasq/dnsmasq.leases");
  g_assert_true (g_strv_equal (lab_host_get_config_folders (loaded), folders));
  g_assert_true (lab_host_get_web_through_ssh (loaded));
  g_assert_cmpstr (lab_host_get_bridge (loaded), ==, "xenbr0");
  g_assert_true (lab_host_get_probe_any_address (loaded));
}

static gboolean
saved_with_name (gpointer user_data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (user_data, &contents, NULL, NULL) && strstr (contents, "Lab dom0")
         && g_str_has_suffix (contents, "}");
}

static void
test_autosave (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LabHostStore) store = lab_host_store_new (fixture->file);
  g_autoptr(LabHost) host = lab_host_new (NULL, "192.168.56.5");
  g_autofree char *path = g_file_get_path (fixture->file);

  /* A host without a name is named after its address. */
  g_assert_cmpstr (lab_host_get_name (host), ==, "192.168.56.5");
  lab_host_store_add (store, host);
  lab_host_set_name (host, "Lab dom0");

  /* Saved by itself shortly after the change (bounded wait for the whole write). */
  g_assert_true (lab_test_wait_for (saved_with_name, path, 3000));

  {
    g_autoptr(LabHostStore) again = lab_host_store_new (fixture->file);
    g_autoptr(GError) error = NULL;

    lab_host_store_load (again, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (lab_host_get_name (g_list_model_get_item (G_LIST_MODEL (again), 0)), ==,
                     "Lab dom0");
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (again), 0));
  }

  lab_host_store_remove (store, host);
  save_and_wait (store);
  {
    g_autoptr(LabHostStore) again = lab_host_store_new (fixture->file);

    g_assert_true (lab_host_store_load (again, NULL));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
  }
}

static void
test_broken_file_kept (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *broken[] = {
    "{ this is not json",
    "[1, 2, 3]",
    "{\"hosts\": [ { \"name\": \"no address\" } ]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(LabHostStore) store = lab_host_store_new (fixture->file);
      g_autofree char *path = g_file_get_path (fixture->file);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) listing = NULL;
      const char *name;
      gboolean kept = FALSE;

      g_mkdir_with_parents (dir, 0700);
      g_assert_true (g_file_set_contents (path, broken[i], -1, NULL));
      g_assert_false (lab_host_store_load (store, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, ".broken-"));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

      listing = g_dir_open (dir, 0, NULL);
      while ((name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *aside = g_build_filename (dir, name, NULL);
          g_autofree char *contents = NULL;

          if (!g_str_has_prefix (name, "hosts.json.broken-"))
            continue;
          g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
          if (g_strcmp0 (contents, broken[i]) == 0)
            kept = TRUE;
          g_unlink (aside);
        }
      g_assert_true (kept);
    }
}

static void
test_unknown_members (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(LabHostStore) store = lab_host_store_new (fixture->file);
  g_autofree char *path = g_file_get_path (fixture->file);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabHost) host = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path,
    "{\"version\": 9, \"future\": true, \"hosts\": [ {\"address\": \"h\", \"port\": 99999,"
    " \"auth\": \"telepathy\", \"colour\": \"blue\"}, 7 ]}", -1, NULL));
  g_assert_true (lab_host_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  host = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpuint (lab_host_get_port (host), ==, 22);
  g_assert_cmpint (lab_host_get_auth (host), ==, LAB_HOST_AUTH_AUTOMATIC);
  g_assert_nonnull (lab_host_get_config_folders (host));
  g_assert_cmpstr (lab_host_get_config_folders (host)[0], ==, "~/mirage-skeleton");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/host-store/round-trip", Fixture, NULL,
              fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/host-store/autosave", Fixture, NULL,
              fixture_set_up, test_autosave, fixture_tear_down);
  g_test_add ("/host-store/broken-file-kept", Fixture, NULL,
              fixture_set_up, test_broken_file_kept, fixture_tear_down);
  g_test_add ("/host-store/unknown-members", Fixture, NULL,
              fixture_set_up, test_unknown_members, fixture_tear_down);

  return g_test_run ();
}
