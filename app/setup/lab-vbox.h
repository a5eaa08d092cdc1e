/* lab-vbox.h — VirtualBox on the desktop, through VBoxManage
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lab-setup-error.h"

G_BEGIN_DECLS

/* VBoxManage is found as $MIRAGE_LAB_VBOXMANAGE when set (tests point it at their
 * stand-in), else as "VBoxManage" on PATH. Every call is an argv run with GSubprocess;
 * --machinereadable output is parsed, never shown to a shell.
 *
 * The VirtualBox setup step (lab_vbox_setup_async) makes, for one VM: a host-only network
 * with the host at @host_ip/24 and VirtualBox's DHCP server off (Linux/Windows: hostonlyif
 * + dhcpserver; macOS: a hostonlynet, whose DHCP cannot be turned off), adapter 2 attached
 * to it with promiscuous mode allow-all, nested hardware virtualization on when @nested is
 * TRUE and the processor supports it, then starts the VM headless. What is already right is
 * left alone, so a second run only reads. A VM that is not powered off cannot be changed:
 * LAB_SETUP_ERROR_VM_RUNNING (offer lab_vbox_shutdown_vm_async).
 *
 * Signal output (const char *text): every command run and its output, for the log. */
#define LAB_TYPE_VBOX (lab_vbox_get_type ())
G_DECLARE_FINAL_TYPE (LabVbox, lab_vbox, LAB, VBOX, GObject)

typedef struct
{
  char *version;        /* "7.0.14r161095" */
  char *host_os;        /* "Linux", "Darwin", "Windows…" */
  gboolean host_nested; /* the processor supports nested HW virtualization */
  char *network;        /* vboxnet0 / the hostonlynet's name */
  char *mac2;           /* adapter 2's MAC, "080027AABBCC" */
  gboolean dhcp_competes; /* macOS: a DHCP server we cannot turn off serves the network */
  gboolean dhcp_disabled; /* VirtualBox's DHCP server of the network was turned off now */
  char *plan;           /* dry run: the commands that would change something, one a line */
  guint n_changes;      /* commands run (or planned) that change something */
} LabVboxResult;

void           lab_vbox_result_free         (LabVboxResult *result);
/* What the step did, for the person: the VM's network, and what they must still do. */
char          *lab_vbox_result_dup_summary  (const LabVboxResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabVboxResult, lab_vbox_result_free)

LabVbox       *lab_vbox_new                 (void);
const char    *lab_vbox_get_program         (LabVbox             *self);
const LabSetupFailure *lab_vbox_get_failure (LabVbox             *self);

/* The VM names, in VirtualBox's order. */
void           lab_vbox_list_vms_async      (LabVbox             *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char         **lab_vbox_list_vms_finish     (LabVbox             *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* @dry_run: only read, and put what would be changed in the result's plan. */
/* The VM's IPv4 address on its host-only adapter as the guest additions report it
 * (`guestproperty get VM /VirtualBox/GuestInfo/Net/1/V4/IP`); NULL without error when the
 * guest does not report one. */
void           lab_vbox_guest_ip_async      (LabVbox             *self,
                                             const char          *vm,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char          *lab_vbox_guest_ip_finish     (LabVbox             *self,
                                             GAsyncResult        *result,
                                             GError             **error);
char          *lab_vbox_parse_guest_property (const char         *text);
void           lab_vbox_setup_async         (LabVbox             *self,
                                             const char          *vm,
                                             const char          *host_ip,
                                             gboolean             nested,
                                             gboolean             dry_run,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
LabVboxResult *lab_vbox_setup_finish        (LabVbox             *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* ACPI shutdown, waiting up to @timeout_s for "poweroff". */
void           lab_vbox_shutdown_vm_async   (LabVbox             *self,
                                             const char          *vm,
                                             guint                timeout_s,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       lab_vbox_shutdown_vm_finish  (LabVbox             *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Parsers (exposed for the tests). */
/* key="value" / key=value lines → table of unquoted values. */
GHashTable    *lab_vbox_parse_machinereadable (const char *text);
/* "Key:   value" blocks separated by blank lines (list hostonlyifs, dhcpservers,
 * hostonlynets, hostinfo as one block) → GPtrArray of GHashTable. */
GPtrArray     *lab_vbox_parse_blocks          (const char *text);
/* `list vms` lines "NAME" {uuid} → names. */
char         **lab_vbox_parse_vm_list         (const char *text);
/* The "Promisc Policy:" of NIC @nic in human-readable showvminfo; NULL if absent. */
char          *lab_vbox_parse_promisc         (const char *text,
                                               guint       nic);

G_END_DECLS
