/* test-domain-wait.c — waiting until the domain list shows a domain as an action needs it
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "xen/lab-domain-wait.h"
#include "lab-test-utils.h"

static gboolean
is_busy (LabDomain     *domain,
         gconstpointer  unused)
{
  return lab_domain_get_busy (domain);
}

static GError *
wait_result (LabDomain     *domain,
             GAsyncResult **slot)
{
  GError *error = NULL;

  lab_domain_wait_finish (domain, lab_test_wait_result (slot, 5000), &error);
  return error;
}

/* Ready already: done at once, without a change. */
static void
test_ready_now (void)
{
  g_autoptr(LabDomain) domain = lab_domain_new ("guest");
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_true (lab_domain_is_stopped (domain, NULL));
  lab_domain_wait_async (domain, "running", lab_domain_is_stopped, NULL, 1000, NULL,
                         lab_test_result_cb, &result);
  g_assert_no_error (wait_result (domain, &result));
}

/* Done at the first change that makes it ready; a change that does not is waited past. */
static void
test_ready_on_change (void)
{
  g_autoptr(LabDomain) domain = lab_domain_new ("guest");
  g_autoptr(GAsyncResult) result = NULL;

  lab_domain_wait_async (domain, "busy", is_busy, NULL, 5000, NULL, lab_test_result_cb, &result);
  lab_test_run_for (50);
  g_assert_null (result);
  g_object_notify (G_OBJECT (domain), "busy");   /* a change that is not the one */
  lab_test_run_for (50);
  g_assert_null (result);
  lab_domain_set_busy (domain, TRUE);
  g_assert_no_error (wait_result (domain, &result));
  /* The wait let go of the domain: a later change reaches nobody. */
  lab_domain_set_busy (domain, FALSE);
  lab_domain_set_busy (domain, TRUE);
}

static void
test_timeout (void)
{
  g_autoptr(LabDomain) domain = lab_domain_new ("guest");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lab_domain_wait_async (domain, "busy", is_busy, NULL, 100, NULL, lab_test_result_cb, &result);
  error = wait_result (domain, &result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  lab_domain_set_busy (domain, TRUE);   /* after the end: reaches nobody */
}

static void
test_cancel (void)
{
  g_autoptr(LabDomain) domain = lab_domain_new ("guest");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) early = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) early_error = NULL;

  lab_domain_wait_async (domain, "busy", is_busy, NULL, 5000, cancellable, lab_test_result_cb,
                         &result);
  lab_test_run_for (50);
  g_cancellable_cancel (cancellable);
  error = wait_result (domain, &result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  lab_domain_set_busy (domain, TRUE);
  lab_domain_set_busy (domain, FALSE);

  /* Cancelled before it began. */
  g_cancellable_cancel (cancelled);
  lab_domain_wait_async (domain, "busy", is_busy, NULL, 5000, cancelled, lab_test_result_cb,
                         &early);
  early_error = wait_result (domain, &early);
  g_assert_error (early_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);

  g_test_add_func ("/domain-wait/ready-now", test_ready_now);
  g_test_add_func ("/domain-wait/ready-on-change", test_ready_on_change);
  g_test_add_func ("/domain-wait/timeout", test_timeout);
  g_test_add_func ("/domain-wait/cancel", test_cancel);

  return g_test_run ();
}
