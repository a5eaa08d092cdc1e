/* lab-vbox.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-vbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-setup-recipe.h"
#include "lab-vbox.h"

struct _LabVbox
{
  GObject parent_instance;

  char *program;
  GMutex lock;              /* failure is set from the worker thread */
  LabSetupFailure *failure;
};

G_DEFINE_FINAL_TYPE (LabVbox, lab_vbox, G_TYPE_OBJECT)

enum { SIGNAL_OUTPUT, N_SIGNALS };
static guint signals[N_SIGNALS];

char *
lab_vbox_result_dup_summary (const LabVboxResult *result)
{
  GString *summary = g_string_new (NULL);

  g_string_append_printf (summary, _("VirtualBox %s: the VM is on host-only network %s and "
                                     "running."), result->version, result->network);
  /* Turning the server off does not stop one that runs: it answers until VirtualBox
   * restarts, and would hand the unikernels addresses before dom0's dnsmasq does. */
  if (result->dhcp_disabled)
    {
      g_string_append_c (summary, ' ');
      g_string_append_printf (summary,
                              _("VirtualBox's DHCP server for %s is turned off, but one that "
                                "already runs keeps answering until VirtualBox restarts: quit "
                                "VirtualBox (every VM) and start it again, or run "
                                "“VBoxManage dhcpserver stop --interface=%s” (VirtualBox 6.1 "
                                "and later)."), result->network, result->network);
    }
  return g_string_free (summary, FALSE);
}

void
lab_vbox_result_free (LabVboxResult *result)
{
  if (result == NULL)
    return;
  g_free (result->version);
  g_free (result->host_os);
  g_free (result->network);
  g_free (result->mac2);
  g_free (result->plan);
  g_free (result);
}

static void
lab_vbox_finalize (GObject *object)
{
  LabVbox *self = LAB_VBOX (object);

  g_free (self->program);
  lab_setup_failure_free (self->failure);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (lab_vbox_parent_class)->finalize (object);
}

static void
lab_vbox_class_init (LabVboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_vbox_finalize;

  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lab_vbox_init (LabVbox *self)
{
  const char *env = g_getenv ("MIRAGE_LAB_VBOXMANAGE");

  g_mutex_init (&self->lock);
  if (env != NULL && *env != '\0')
    self->program = g_strdup (env);
  else
    {
      self->program = g_find_program_in_path ("VBoxManage");
      if (self->program == NULL)
        self->program = g_strdup ("VBoxManage");
    }
}

LabVbox *
lab_vbox_new (void)
{
  return g_object_new (LAB_TYPE_VBOX, NULL);
}

const char *
lab_vbox_get_program (LabVbox *self)
{
  g_return_val_if_fail (LAB_IS_VBOX (self), NULL);
  return self->program;
}

const LabSetupFailure *
lab_vbox_get_failure (LabVbox *self)
{
  g_return_val_if_fail (LAB_IS_VBOX (self), NULL);
  return self->failure;
}

/* ---- parsers ---- */

GHashTable *
lab_vbox_parse_machinereadable (const char *text)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);
      char *eq = strchr (line, '=');
      g_autofree char *key = NULL;
      char *value;
      gsize len;

      if (eq == NULL || eq == line)
        continue;
      key = g_strndup (line, eq - line);
      value = eq + 1;
      len = strlen (value);
      /* Keys with odd characters are quoted too ("Forwarding(0)"="…"). */
      if (key[0] == '"' && g_str_has_suffix (key, "\"") && strlen (key) >= 2)
        {
          char *unquoted = g_strndup (key + 1, strlen (key) - 2);
          g_free (key);
          key = unquoted;
        }
      if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
        g_hash_table_insert (table, g_steal_pointer (&key), g_strndup (value + 1, len - 2));
      else
        g_hash_table_insert (table, g_steal_pointer (&key), g_strdup (value));
    }
  return table;
}

GPtrArray *
lab_vbox_parse_blocks (const char *text)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  GHashTable *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *colon;

      if (*line == '\0')
        {
          current = NULL;
          continue;
        }
      colon = strchr (line, ':');
      if (colon == NULL)
        continue;
      if (current == NULL)
        {
          current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_ptr_array_add (blocks, current);
        }
      *colon = '\0';
      g_hash_table_insert (current, g_strdup (g_strstrip (line)),
                           g_strdup (g_strstrip (colon + 1)));
    }
  return blocks;
}

char **
lab_vbox_parse_vm_list (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *end;

      /* "NAME" {uuid}: the name may itself contain quotes, so cut at the last '" {'. */
      if (line[0] != '"' || (end = g_strrstr (line, "\" {")) == NULL || end == line)
        continue;
      {
        g_autofree char *name = g_strndup (line + 1, end - line - 1);
        g_strv_builder_add (builder, name);
      }
    }
  return g_strv_builder_end (builder);
}

char *
lab_vbox_parse_promisc (const char *text,
                        guint       nic)
{
  g_autofree char *prefix = g_strdup_printf ("NIC %u:", nic);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        const char *p = strstr (lines[i], "Promisc Policy:");
        const char *end;

        if (p == NULL)
          return NULL;
        p += strlen ("Promisc Policy:");
        while (*p == ' ')
          p++;
        end = strchr (p, ',');
        return end != NULL ? g_strndup (p, end - p) : g_strstrip (g_strdup (p));
      }
  return NULL;
}

/* ---- running VBoxManage (worker thread) ---- */

typedef struct
{
  LabVbox *self;
  char *text;
} OutputData;

static gboolean
emit_output_idle (gpointer user_data)
{
  OutputData *data = user_data;

  g_signal_emit (data->self, signals[SIGNAL_OUTPUT], 0, data->text);
  g_object_unref (data->self);
  g_free (data->text);
  g_free (data);
  return G_SOURCE_REMOVE;
}

static void
emit_output (LabVbox    *self,
             const char *text)
{
  OutputData *data = g_new0 (OutputData, 1);

  data->self = g_object_ref (self);
  data->text = g_strdup (text);
  g_main_context_invoke (NULL, emit_output_idle, data);
}

static void
set_failure (LabVbox    *self,
             const char *command,
             const char *output,
             const char *meaning,
             const char *fix)
{
  g_mutex_lock (&self->lock);
  lab_setup_failure_free (self->failure);
  self->failure = lab_setup_failure_new (command, output, meaning, fix);
  g_mutex_unlock (&self->lock);
}

static char *
command_line (LabVbox            *self,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "VBoxManage");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return lab_setup_format_argv ((const char * const *) argv->pdata);
}

/* Runs VBoxManage @args. Returns stdout, or NULL with @error set; @err_out receives stderr
 * (always, when not NULL) so callers can tell errors apart. */
static char *
vbox_run (LabVbox            *self,
          const char * const *args,
          char              **err_out,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = command_line (self, args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *note = NULL;
  int status;

  g_ptr_array_add (argv, self->program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  note = g_strdup_printf ("$ %s\n", line);
  emit_output (self, note);
  g_debug ("running %s", line);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &local_error);
  if (process == NULL)
    {
      set_failure (self, line, local_error->message,
                   _("VirtualBox does not seem to be installed: its command-line tool "
                     "VBoxManage was not found. Install VirtualBox 7 from "
                     "https://www.virtualbox.org and retry."), NULL);
      /* The detail is in the failure's output; the message stays short for a title. */
      g_set_error_literal (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_NOT_FOUND,
                           _("VirtualBox was not found"));
      return NULL;
    }
  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, &out, &err, &local_error))
    {
      g_subprocess_force_exit (process);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (out != NULL && *out != '\0')
    emit_output (self, out);
  if (err != NULL && *err != '\0')
    emit_output (self, err);
  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (err_out != NULL)
    *err_out = g_strdup (err != NULL ? err : "");
  if (status != 0)
    {
      g_autofree char *both = g_strconcat (out != NULL ? out : "", err != NULL ? err : "",
                                           NULL);
      g_autofree char *meaning = g_strdup_printf (_("VBoxManage failed (exit status %d). "
                                                    "Its output says why."), status);

      set_failure (self, line, both, meaning, line);
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                   _("“%s” failed (exit status %d)"), line, status);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* ---- list VMs ---- */

static void
list_vms_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *args[] = { "list", "vms", NULL };
  GError *error = NULL;
  g_autofree char *out = vbox_run (source, args, NULL, cancellable, &error);

  if (out == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lab_vbox_parse_vm_list (out), (GDestroyNotify) g_strfreev);
}

void
lab_vbox_list_vms_async (LabVbox             *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lab_vbox_list_vms_async);
  g_task_run_in_thread (task, list_vms_thread);
}

char **
lab_vbox_list_vms_finish (LabVbox       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the VM's address, for the connect step ---- */

char *
lab_vbox_parse_guest_property (const char *text)
{
  /* `VBoxManage guestproperty get VM PROP` prints "Value: 192.168.56.5", or "No value set!"
   * when the guest additions do not report it. */
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Value: "))
      {
        char *value = g_strstrip (g_strdup (lines[i] + strlen ("Value: ")));

        if (*value != '\0')
          return value;
        g_free (value);
      }
  return NULL;
}

static void
guest_ip_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  /* Adapter 2 (Net/1) is the host-only one the app reaches dom0 on. */
  const char *args[] = { "guestproperty", "get", task_data,
                         "/VirtualBox/GuestInfo/Net/1/V4/IP", NULL };
  GError *error = NULL;
  g_autofree char *out = vbox_run (source, args, NULL, cancellable, &error);

  if (out == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lab_vbox_parse_guest_property (out), g_free);
}

void
lab_vbox_guest_ip_async (LabVbox             *self,
                         const char          *vm,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (vm != NULL);

  g_task_set_source_tag (task, lab_vbox_guest_ip_async);
  g_task_set_task_data (task, g_strdup (vm), g_free);
  g_task_run_in_thread (task, guest_ip_thread);
}

char *
lab_vbox_guest_ip_finish (LabVbox       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the setup step ---- */

typedef struct
{
  char *vm;
  char *host_ip;
  gboolean nested;
  gboolean dry_run;
  guint timeout_s;
} SetupData;

static void
setup_data_free (SetupData *data)
{
  g_free (data->vm);
  g_free (data->host_ip);
  g_free (data);
}

/* A command that changes something: run it, or only note it in a dry run. */
static char *
vbox_change (LabVbox            *self,
             SetupData          *data,
             LabVboxResult      *result,
             GString            *plan,
             const char * const *args,
             char              **err_out,
             GCancellable       *cancellable,
             GError            **error)
{
  result->n_changes++;
  if (data->dry_run)
    {
      g_autofree char *line = command_line (self, args);

      g_string_append_printf (plan, "$ %s\n", line);
      return g_strdup ("");
    }
  return vbox_run (self, args, err_out, cancellable, error);
}

static const char *
block_lookup (GHashTable *block,
              const char *key)
{
  return block != NULL ? g_hash_table_lookup (block, key) : NULL;
}

static GHashTable *
find_block (GPtrArray  *blocks,
            const char *key,
            const char *value)
{
  for (guint i = 0; i < blocks->len; i++)
    if (g_strcmp0 (g_hash_table_lookup (blocks->pdata[i], key), value) == 0)
      return blocks->pdata[i];
  return NULL;
}

/* 192.168.56.1 → 192.168.56.199: the top of a /24 for the macOS network's range. */
static char *
upper_ip (const char *host_ip)
{
  const char *dot = strrchr (host_ip, '.');

  return dot != NULL ? g_strdup_printf ("%.*s.199", (int) (dot - host_ip), host_ip)
                     : g_strdup (host_ip);
}

static gboolean
setup_network_hostonlyif (LabVbox       *self,
                          SetupData     *data,
                          LabVboxResult *result,
                          GString       *plan,
                          GCancellable  *cancellable,
                          GError       **error)
{
  const char *list_ifs[] = { "list", "hostonlyifs", NULL };
  const char *list_dhcp[] = { "list", "dhcpservers", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) ifs = NULL;
  g_autoptr(GPtrArray) dhcps = NULL;
  g_autofree char *network_name = NULL;
  GHashTable *iface, *dhcp;

  if ((out = vbox_run (self, list_ifs, NULL, cancellable, error)) == NULL)
    return FALSE;
  ifs = lab_vbox_parse_blocks (out);
  iface = find_block (ifs, "IPAddress", data->host_ip);
  if (iface != NULL)
    result->network = g_strdup (g_hash_table_lookup (iface, "Name"));
  else
    {
      const char *create[] = { "hostonlyif", "create", NULL };
      g_autofree char *ip_arg = g_strconcat ("--ip=", data->host_ip, NULL);
      g_autofree char *created = NULL;
      g_autofree char *err = NULL;
      const char *start, *end;

      created = vbox_change (self, data, result, plan, create, NULL, cancellable, error);
      if (created == NULL)
        return FALSE;
      if (data->dry_run)
        result->network = g_strdup ("vboxnetN");
      else if ((start = strstr (created, "Interface '")) != NULL
               && (end = strstr (start += strlen ("Interface '"), "'")) != NULL)
        result->network = g_strndup (start, end - start);
      else
        {
          set_failure (self, "VBoxManage hostonlyif create", created,
                       _("VirtualBox created a host-only interface but did not say its "
                         "name."), "VBoxManage list hostonlyifs");
          g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                       _("Unexpected output from VBoxManage hostonlyif create"));
          return FALSE;
        }
      {
        const char *ipconfig[] = { "hostonlyif", "ipconfig", result->network, ip_arg,
                                   "--netmask=255.255.255.0", NULL };
        g_autofree char *done = vbox_change (self, data, result, plan, ipconfig, &err,
                                             cancellable, error);

        if (done == NULL)
          {
            if (err != NULL && strstr (err, "E_ACCESSDENIED") != NULL)
              {
                g_autofree char *line = command_line (self, ipconfig);
                g_autofree char *meaning = g_strdup_printf (
                  _("VirtualBox refused the address %s: since 6.1.28 host-only networks "
                    "must be in 192.168.56.0/21 unless /etc/vbox/networks.conf allows more. "
                    "Use an address in 192.168.56.0/21, or add a line such as "
                    "“* 10.0.0.0/8 192.168.0.0/16” to /etc/vbox/networks.conf (as root) and "
                    "retry."), data->host_ip);

                set_failure (self, line, err, meaning, line);
              }
            return FALSE;
          }
      }
    }

  /* VirtualBox's own DHCP server would answer the unikernels before dom0's dnsmasq. */
  if ((out = (g_free (out), vbox_run (self, list_dhcp, NULL, cancellable, error))) == NULL)
    return FALSE;
  dhcps = lab_vbox_parse_blocks (out);
  network_name = g_strconcat ("HostInterfaceNetworking-", result->network, NULL);
  dhcp = find_block (dhcps, "NetworkName", network_name);
  if (dhcp != NULL && g_strcmp0 (block_lookup (dhcp, "Enabled"), "No") != 0)
    {
      g_autofree char *iface_arg = g_strconcat ("--interface=", result->network, NULL);
      const char *disable[] = { "dhcpserver", "modify", iface_arg, "--disable", NULL };
      g_autofree char *done = vbox_change (self, data, result, plan, disable, NULL,
                                           cancellable, error);

      if (done == NULL)
        return FALSE;
      result->dhcp_disabled = TRUE;
    }
  return TRUE;
}

static gboolean
setup_network_hostonlynet (LabVbox       *self,
                           SetupData     *data,
                           LabVboxResult *result,
                           GString       *plan,
                           GCancellable  *cancellable,
                           GError       **error)
{
  const char *list_nets[] = { "list", "hostonlynets", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) nets = NULL;
  GHashTable *net;

  if ((out = vbox_run (self, list_nets, NULL, cancellable, error)) == NULL)
    return FALSE;
  nets = lab_vbox_parse_blocks (out);
  /* The host takes the lower address of a hostonlynet's range. */
  net = find_block (nets, "LowerIP", data->host_ip);
  if (net != NULL)
    result->network = g_strdup (g_hash_table_lookup (net, "Name"));
  else
    {
      g_autofree char *lower = g_strconcat ("--lower-ip=", data->host_ip, NULL);
      g_autofree char *upper_addr = upper_ip (data->host_ip);
      g_autofree char *upper = g_strconcat ("--upper-ip=", upper_addr, NULL);
      const char *add[] = { "hostonlynet", "add", "--name=mirage-lab",
                            "--netmask=255.255.255.0", lower, upper, "--enable", NULL };
      g_autofree char *done = vbox_change (self, data, result, plan, add, NULL, cancellable,
                                           error);

      if (done == NULL)
        return FALSE;
      result->network = g_strdup ("mirage-lab");
    }
  result->dhcp_competes = TRUE;
  emit_output (self, _("Note: on macOS the host-only network's DHCP server (macOS vmnet) "
                       "cannot be turned off, so unikernels may get addresses from it; "
                       "Mirage Lab then reads their address from their console.\n"));
  return TRUE;
}

/* VBoxManage's version, and the host's system and processor. */
static gboolean
lab_vbox_setup_read_host (LabVbox        *self,
                          LabVboxResult  *result,
                          GCancellable   *cancellable,
                          GError        **error)
{
  const char *version[] = { "--version", NULL };
  const char *list_hostinfo[] = { "list", "hostinfo", NULL };
  g_autoptr(GPtrArray) hostinfo = NULL;
  g_autofree char *out = NULL;

  if ((out = vbox_run (self, version, NULL, cancellable, error)) == NULL)
    return FALSE;
  result->version = g_strstrip (g_steal_pointer (&out));

  if ((out = vbox_run (self, list_hostinfo, NULL, cancellable, error)) == NULL)
    return FALSE;
  hostinfo = lab_vbox_parse_blocks (out);
  /* hostinfo is one block after its "Host Information:" title line. */
  for (guint i = 0; i < hostinfo->len; i++)
    {
      GHashTable *block = hostinfo->pdata[i];
      const char *os = g_hash_table_lookup (block, "Operating system");
      const char *nested = g_hash_table_lookup (block,
                                                "Processor supports nested HW virtualization");
      if (os != NULL)
        result->host_os = g_strdup (os);
      if (nested != NULL)
        result->host_nested = g_ascii_strcasecmp (nested, "yes") == 0;
    }
  return TRUE;
}

/* The VM's settings (showvminfo --machinereadable), or NULL; a VM that does not exist is
 * LAB_SETUP_ERROR_NOT_FOUND. */
static GHashTable *
lab_vbox_setup_read_vm (LabVbox       *self,
                        SetupData     *data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  const char *showvminfo[] = { "showvminfo", data->vm, "--machinereadable", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if ((out = vbox_run (self, showvminfo, &err, cancellable, error)) == NULL)
    {
      if (err != NULL && strstr (err, "VBOX_E_OBJECT_NOT_FOUND") != NULL)
        {
          g_autofree char *meaning = g_strdup_printf (
            _("VirtualBox has no VM named “%s”. Pick another one, or create a VM for "
              "Ubuntu Server or Debian with at least 2 GB of memory, a 20 GB disk and the "
              "OpenSSH server, install the system, then retry."), data->vm);

          set_failure (self, NULL, err, meaning, "VBoxManage list vms");
          g_clear_error (error);
          g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_NOT_FOUND,
                       _("No VM named “%s”"), data->vm);
        }
      return NULL;
    }
  return lab_vbox_parse_machinereadable (out);
}

/* The modifyvm options the VM still needs (adapter 2 host-only on the network, promiscuous;
 * nested virtualization when asked for and the processor has it), or NULL. */
static GPtrArray *
lab_vbox_setup_vm_changes (LabVbox        *self,
                           SetupData      *data,
                           LabVboxResult  *result,
                           GHashTable     *info,
                           gboolean        macos,
                           GCancellable   *cancellable,
                           GError        **error)
{
  const char *showvminfo_human[] = { "showvminfo", data->vm, NULL };
  g_autoptr(GPtrArray) modify = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *human = NULL;
  g_autofree char *promisc = NULL;
  const char *nic2, *attached;

  /* The promiscuous policy is only in the human-readable output. */
  if ((human = vbox_run (self, showvminfo_human, NULL, cancellable, error)) == NULL)
    return NULL;
  promisc = lab_vbox_parse_promisc (human, 2);
  nic2 = g_hash_table_lookup (info, "nic2");
  attached = g_hash_table_lookup (info, macos ? "hostonly-network2" : "hostonlyadapter2");
  if (g_strcmp0 (nic2, macos ? "hostonlynetwork" : "hostonly") != 0
      || g_strcmp0 (attached, result->network) != 0)
    {
      g_ptr_array_add (modify, g_strdup (macos ? "--nic2=hostonlynet" : "--nic2=hostonly"));
      g_ptr_array_add (modify, g_strdup_printf (macos ? "--host-only-net2=%s"
                                                      : "--host-only-adapter2=%s",
                                                result->network));
    }
  if (g_strcmp0 (promisc, "allow-all") != 0)
    g_ptr_array_add (modify, g_strdup ("--nic-promisc2=allow-all"));
  if (data->nested && result->host_nested
      && g_strcmp0 (g_hash_table_lookup (info, "nested-hw-virt"), "on") != 0)
    g_ptr_array_add (modify, g_strdup ("--nested-hw-virt=on"));
  if (data->nested && !result->host_nested)
    emit_output (self, _("Note: this processor cannot pass hardware virtualization to the "
                         "VM, so Xen in it cannot run PVH guests.\n"));
  return g_steal_pointer (&modify);
}

/* modifyvm with @modify, on a VM that is powered off (a running one is refused). A dry run
 * plans the shutdown first, and *@state becomes the state the VM will then be in. */
static gboolean
lab_vbox_setup_modify_vm (LabVbox        *self,
                          SetupData      *data,
                          LabVboxResult  *result,
                          GString        *plan,
                          GPtrArray      *modify,
                          const char    **state,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;

  if (data->dry_run && g_strcmp0 (*state, "poweroff") != 0
      && g_strcmp0 (*state, "aborted") != 0)
    {
      const char *stop[] = { "controlvm", data->vm, "acpipowerbutton", NULL };
      g_autofree char *line = command_line (self, stop);

      /* The plan says what Apply will ask for: shut down first, then change. */
      g_string_append_printf (plan, _("# The VM is %s: it must be shut down first:\n"),
                              *state != NULL ? *state : "?");
      g_string_append_printf (plan, "$ %s\n", line);
      *state = "poweroff";
    }
  if (g_strcmp0 (*state, "poweroff") != 0 && g_strcmp0 (*state, "aborted") != 0)
    {
      g_autofree char *meaning = g_strdup_printf (
        _("The VM “%s” is %s: VirtualBox only changes network and processor settings of "
          "a VM that is powered off. Shut it down (Mirage Lab can do it for you), then "
          "retry."), data->vm, *state != NULL ? *state : "?");
      const char *stop[] = { "controlvm", data->vm, "acpipowerbutton", NULL };
      g_autofree char *fix = command_line (self, stop);

      set_failure (self, NULL, "", meaning, fix);
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_VM_RUNNING,
                   _("The VM “%s” must be powered off"), data->vm);
      return FALSE;
    }
  g_ptr_array_add (args, (gpointer) "modifyvm");
  g_ptr_array_add (args, data->vm);
  for (guint i = 0; i < modify->len; i++)
    g_ptr_array_add (args, modify->pdata[i]);
  g_ptr_array_add (args, NULL);
  out = vbox_change (self, data, result, plan, (const char * const *) args->pdata, NULL,
                     cancellable, error);
  return out != NULL;
}

static void
setup_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LabVbox *self = source;
  SetupData *data = task_data;
  g_autoptr(LabVboxResult) result = g_new0 (LabVboxResult, 1);
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(GHashTable) info = NULL;
  g_autoptr(GPtrArray) modify = NULL;
  const char *state;
  gboolean macos;
  GError *error = NULL;

  if (!lab_vbox_setup_read_host (self, result, cancellable, &error))
    goto fail;
  macos = g_strcmp0 (result->host_os, "Darwin") == 0;

  if ((info = lab_vbox_setup_read_vm (self, data, cancellable, &error)) == NULL)
    goto fail;
  state = g_hash_table_lookup (info, "VMState");
  result->mac2 = g_strdup (g_hash_table_lookup (info, "macaddress2"));

  if (macos)
    {
      if (!setup_network_hostonlynet (self, data, result, plan, cancellable, &error))
        goto fail;
    }
  else if (!setup_network_hostonlyif (self, data, result, plan, cancellable, &error))
    goto fail;

  modify = lab_vbox_setup_vm_changes (self, data, result, info, macos, cancellable, &error);
  if (modify == NULL)
    goto fail;
  if (modify->len > 0
      && !lab_vbox_setup_modify_vm (self, data, result, plan, modify, &state, cancellable,
                                    &error))
    goto fail;

  if (g_strcmp0 (state, "running") != 0)
    {
      const char *start[] = { "startvm", data->vm, "--type=headless", NULL };
      g_autofree char *out = vbox_change (self, data, result, plan, start, NULL, cancellable,
                                          &error);

      if (out == NULL)
        goto fail;
    }

  result->plan = g_string_free (g_steal_pointer (&plan), FALSE);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) lab_vbox_result_free);
  return;

fail:
  g_task_return_error (task, error);
}

void
lab_vbox_setup_async (LabVbox             *self,
                      const char          *vm,
                      const char          *host_ip,
                      gboolean             nested,
                      gboolean             dry_run,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SetupData *data = g_new0 (SetupData, 1);

  g_return_if_fail (vm != NULL && host_ip != NULL);
  data->vm = g_strdup (vm);
  data->host_ip = g_strdup (host_ip);
  data->nested = nested;
  data->dry_run = dry_run;
  g_task_set_source_tag (task, lab_vbox_setup_async);
  g_task_set_task_data (task, data, (GDestroyNotify) setup_data_free);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  g_mutex_unlock (&self->lock);
  g_task_run_in_thread (task, setup_thread);
}

LabVboxResult *
lab_vbox_setup_finish (LabVbox       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- shutdown ---- */

static void
shutdown_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LabVbox *self = source;
  SetupData *data = task_data;
  const char *stop[] = { "controlvm", data->vm, "acpipowerbutton", NULL };
  const char *show[] = { "showvminfo", data->vm, "--machinereadable", NULL };
  g_autofree char *out = NULL;
  GError *error = NULL;
  gint64 deadline;

  if ((out = vbox_run (self, stop, NULL, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  deadline = g_get_monotonic_time () + (gint64) data->timeout_s * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GHashTable) info = NULL;

      g_free (out);
      if ((out = vbox_run (self, show, NULL, cancellable, &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      info = lab_vbox_parse_machinereadable (out);
      if (g_strcmp0 (g_hash_table_lookup (info, "VMState"), "poweroff") == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        {
          const char *off[] = { "controlvm", data->vm, "poweroff", NULL };
          g_autofree char *fix = command_line (self, off);

          set_failure (self, NULL, "",
                       _("The VM did not shut down in time. Shut it down from inside, or "
                         "force it off (like pulling the plug)."), fix);
          g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_VM_RUNNING,
                                   _("The VM “%s” did not shut down"), data->vm);
          return;
        }
      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_usleep (G_USEC_PER_SEC / 2);
    }
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

void
lab_vbox_shutdown_vm_async (LabVbox             *self,
                            const char          *vm,
                            guint                timeout_s,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SetupData *data = g_new0 (SetupData, 1);

  data->vm = g_strdup (vm);
  data->timeout_s = timeout_s;
  g_task_set_source_tag (task, lab_vbox_shutdown_vm_async);
  g_task_set_task_data (task, data, (GDestroyNotify) setup_data_free);
  g_task_run_in_thread (task, shutdown_thread);
}

gboolean
lab_vbox_shutdown_vm_finish (LabVbox       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
