/* test-setup-recipes.c — the dom0 steps of the shipped recipes (issue 10), without a host
 *
 * The classic recipe's file edits are checked byte for byte against the 2015 blog post
 * (tests/fixtures/classic-2015/blog.html); the text functions behind ensure-line with
 * "replaces" and ensure-block; the new action kinds and their errors; the network settings.
 * The netplan file is parsed back as YAML by check-netplan.py (same suite).
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "setup/lab-setup-diff.h"
#include "setup/lab-setup-recipe.h"
#include "setup/lab-setup-runner.h"
#include "setup-test-util.h"

/* The <pre> blocks of the blog post, as text (tags removed, entities decoded). */
static GPtrArray *
blog_blocks (void)
{
  g_autofree char *html = lab_test_read_fixture ("classic-2015", "blog.html", NULL);
  g_autoptr(GRegex) pre = g_regex_new ("<pre>(.*?)</pre>", G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) tag = g_regex_new ("<[^>]+>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *blocks = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (pre, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *inner = g_match_info_fetch (match, 1);
      g_autofree char *text = g_regex_replace_literal (tag, inner, -1, 0, "", 0, NULL);
      GString *decoded = g_string_new (text);

      g_string_replace (decoded, "&quot;", "\"", 0);
      g_string_replace (decoded, "&#39;", "'", 0);
      g_string_replace (decoded, "&lt;", "<", 0);
      g_string_replace (decoded, "&gt;", ">", 0);
      g_string_replace (decoded, "&amp;", "&", 0);
      g_ptr_array_add (blocks, g_string_free (decoded, FALSE));
      g_match_info_next (match, NULL);
    }
  return blocks;
}

static const char *
block_starting (GPtrArray  *blocks,
                const char *prefix)
{
  for (guint i = 0; i < blocks->len; i++)
    if (g_str_has_prefix (blocks->pdata[i], prefix))
      return blocks->pdata[i];
  g_error ("the blog has no block starting with “%s”", prefix);
  return NULL;
}

#define shipped setup_test_load_recipe

static const LabSetupStep *
step_of (LabSetupRecipe *recipe,
         const char     *id)
{
  int index = lab_setup_recipe_find_step (recipe, id);

  g_assert_cmpint (index, >=, 0);
  return lab_setup_recipe_get_step (recipe, index);
}

/* The first action of @actions of @kind whose path ends in @path_suffix. */
static const LabSetupAction *
file_action (GPtrArray          *actions,
             LabSetupActionKind  kind,
             const char         *path_suffix)
{
  for (guint i = 0; i < actions->len; i++)
    {
      const LabSetupAction *action = actions->pdata[i];

      if (action->kind == kind && g_str_has_suffix (action->path, path_suffix))
        return action;
    }
  g_error ("no action for %s", path_suffix);
  return NULL;
}

/* A runner without a host, with the classic recipe's VM: the host-only adapter is eth1. */
static LabSetupRunner *
classic_runner (void)
{
  LabSetupRunner *runner = lab_setup_runner_new (NULL);

  lab_setup_runner_set_variable (runner, "nic", "eth1");
  lab_setup_runner_set_variable (runner, "user", "mirage");
  lab_setup_runner_set_variable (runner, "home", "/home/mirage");
  return runner;
}

/* What a classic-recipe test looks at: the blog's blocks, one action of the shipped recipe
 * and a runner to expand its text. */
typedef struct
{
  GPtrArray            *blocks;
  LabSetupRecipe       *recipe;
  LabSetupRunner       *runner;
  const LabSetupAction *action;
} ClassicAction;

/* The classic recipe's action of @kind on @path_suffix in step @step_id. */
static ClassicAction
classic_action (const char         *step_id,
                LabSetupActionKind  kind,
                const char         *path_suffix)
{
  ClassicAction classic = { blog_blocks (), shipped ("classic"), classic_runner (), NULL };

  classic.action = file_action (step_of (classic.recipe, step_id)->apply, kind, path_suffix);
  return classic;
}

static void
classic_action_clear (ClassicAction *classic)
{
  g_clear_pointer (&classic->blocks, g_ptr_array_unref);
  g_clear_object (&classic->recipe);
  g_clear_object (&classic->runner);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClassicAction, classic_action_clear)

static void
test_classic_interfaces (void)
{
  g_auto(ClassicAction) classic = classic_action ("network", LAB_SETUP_ACTION_ENSURE_BLOCK,
                                                  "/etc/network/interfaces");
  const char *blog = block_starting (classic.blocks, "# /etc/network/interfaces\n");
  /* The blog shows the whole file after the edit; before it, Ubuntu 14.04's installer had
   * written the loopback and eth0 stanzas (the part before "auto eth1"). */
  const char *file = blog + strlen ("# /etc/network/interfaces\n");
  g_autofree char *before = g_strndup (file, strstr (file, "auto eth1") - file - 1);
  g_autofree char *block = lab_setup_runner_expand (classic.runner, classic.action->text);
  g_autofree char *after = lab_setup_ensure_block (before, block);
  g_autofree char *again = NULL;

  g_assert_cmpstr (before, ==, "auto lo\niface lo inet loopback\n\nauto eth0\n"
                               "iface eth0 inet dhcp\n");
  g_assert_cmpstr (after, ==, file);
  /* Idempotent: the second run changes nothing. */
  again = lab_setup_ensure_block (after, block);
  g_assert_null (again);
}

static void
test_classic_dnsmasq (void)
{
  g_auto(ClassicAction) classic = classic_action ("network", LAB_SETUP_ACTION_ENSURE_BLOCK,
                                                  "/etc/dnsmasq.conf");
  const char *blog = block_starting (classic.blocks, "interface=br0\n");
  g_autofree char *block = lab_setup_runner_expand (classic.runner, classic.action->text);
  /* Ubuntu's /etc/dnsmasq.conf is all comments; the lines go at its end. */
  const char *shipped_conf = "# Configuration file for dnsmasq.\n#\n#interface=\n";
  g_autofree char *after = lab_setup_ensure_block (shipped_conf, block);
  g_autofree char *expected = g_strconcat (shipped_conf, "\n", blog, NULL);

  g_assert_cmpstr (block, ==, blog);
  g_assert_cmpstr (after, ==, expected);
  g_assert_null (lab_setup_ensure_block (after, block));
}

static void
test_classic_vif (void)
{
  g_auto(ClassicAction) classic = classic_action ("build", LAB_SETUP_ACTION_ENSURE_LINE,
                                                  "/www.xl");
  const LabSetupAction *action = classic.action;
  const char *edited = block_starting (classic.blocks, "name = 'www'\n");
  g_autofree char *line = lab_setup_runner_expand (classic.runner, action->text);
  g_autofree char *path = lab_setup_runner_expand (classic.runner, action->path);
  g_autofree char *generated = NULL;
  g_autofree char *after = NULL;
  GString *commented = g_string_new (edited);

  /* What mirage 2.0 generated: the same file with the vif line commented out ("Remove the #
   * in front of the line that begins with 'vif = ...'"). */
  g_assert_cmpuint (g_string_replace (commented, "\nvif = [", "\n# vif = [", 0), ==, 1);
  generated = g_string_free (commented, FALSE);

  g_assert_cmpstr (path, ==, "/home/mirage/mirage-skeleton/static_website/www.xl");
  after = lab_setup_ensure_setting (generated, line, action->replaces);
  g_assert_cmpstr (after, ==, edited);
  g_assert_null (lab_setup_ensure_setting (after, line, action->replaces));
}

/* The shell text of every RUN action of @step (check and apply) that runs opam or mirage
 * (not the one that installs opam with 0install). */
static GPtrArray *
opam_commands (const LabSetupStep *step)
{
  g_autoptr(GPtrArray) check = lab_setup_step_get_check (step);
  GPtrArray *found = g_ptr_array_new ();
  GPtrArray *lists[] = { check, step->apply };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const LabSetupAction *action = lists[l]->pdata[i];

        if (action->kind == LAB_SETUP_ACTION_RUN && g_str_equal (action->argv[0], "sh")
            && strstr (action->argv[2], "0install") == NULL
            && (strstr (action->argv[2], "opam") != NULL
                || strstr (action->argv[2], "exec \"$@\"") != NULL))
          g_ptr_array_add (found, action->argv[2]);
      }
  return found;
}

/* The 2015 recipe today: opam 1.2 from 0install is in ~/bin, which an SSH command's PATH
 * lacks, so every command that runs opam or mirage puts it first; mirage is pinned to 2.6.1
 * (a newer one cannot read the 2015 examples) and the check wants a 2.x; the skeleton is
 * checked out at mirage-v2.6.1, the last tag with static_website; and what cannot work today
 * is said before any step runs. */
static void
test_classic_opam_and_build (void)
{
  g_autoptr(LabSetupRecipe) recipe = shipped ("classic");
  g_autoptr(LabSetupRecipe) modern = shipped ("modern");
  const LabSetupStep *opam = step_of (recipe, "opam");
  const LabSetupStep *build = step_of (recipe, "build");
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  g_autoptr(GPtrArray) opam_runs = opam_commands (opam);
  g_autoptr(GPtrArray) build_runs = opam_commands (build);
  g_autoptr(GPtrArray) check = lab_setup_step_get_check (opam);
  const LabSetupAction *clone = build->apply->pdata[0];
  gboolean pinned = FALSE;

  g_ptr_array_extend (commands, opam_runs, NULL, NULL);
  g_ptr_array_extend (commands, build_runs, NULL, NULL);
  /* The check, opam init, the install; the configure and build commands. */
  g_assert_cmpuint (opam_runs->len, ==, 3);
  g_assert_cmpuint (build_runs->len, ==, 2);
  for (guint i = 0; i < commands->len; i++)
    {
      const char *text = commands->pdata[i];

      g_test_message ("%s", text);
      g_assert_true (g_str_has_prefix (text, "PATH=\"$HOME/bin:$PATH\"; "));
      pinned |= strstr (text, "opam install -y mirage.2.6.1 ") != NULL;
      g_assert_null (strstr (text, "opam install -y mirage "));
    }
  g_assert_true (pinned);
  g_assert_nonnull (strstr (((LabSetupAction *) check->pdata[0])->argv[2],
                            "mirage --version | grep -q '^2\\.'"));

  g_assert_cmpint (clone->kind, ==, LAB_SETUP_ACTION_RUN);
  g_assert_nonnull (strstr (clone->argv[2], "git clone"));
  g_assert_nonnull (strstr (clone->argv[2], "git checkout -q \"$3\""));
  g_assert_cmpstr (clone->argv[6], ==, "mirage-v2.6.1");
  g_assert_null (clone->argv[7]);

  g_assert_nonnull (lab_setup_recipe_get_caveat (recipe));
  g_assert_nonnull (strstr (lab_setup_recipe_get_caveat (recipe), "opam 1.2"));
  g_assert_null (lab_setup_recipe_get_caveat (modern));
}

static void
test_ensure_setting (void)
{
  const char *xen_cfg = "#GRUB_CMDLINE_XEN_DEFAULT=\"\"\n#GRUB_CMDLINE_XEN=\"\"\n"
                        "#XEN_OVERRIDE_GRUB_DEFAULT=\nif [ \"$X\" = \"\" ]; then\n  X=1\nfi\n";
  const char *regex = "^#?\\s*GRUB_CMDLINE_XEN_DEFAULT=";
  const char *line = "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"";
  g_autofree char *once = lab_setup_ensure_setting (xen_cfg, line, regex);
  g_autofree char *other = NULL;
  g_autofree char *appended = NULL;

  /* In place of the commented example, not at the end (after the file's own logic). */
  g_assert_cmpstr (once, ==, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"\n"
                             "#GRUB_CMDLINE_XEN=\"\"\n#XEN_OVERRIDE_GRUB_DEFAULT=\n"
                             "if [ \"$X\" = \"\" ]; then\n  X=1\nfi\n");
  g_assert_null (lab_setup_ensure_setting (once, line, regex));
  /* A different value is replaced, not added to. */
  other = lab_setup_ensure_setting ("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=512M\"\n", line, regex);
  g_assert_cmpstr (other, ==, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"\n");
  /* No such setting: appended; a missing file is created with it. */
  appended = lab_setup_ensure_setting ("# nothing\n", line, regex);
  g_assert_cmpstr (appended, ==, "# nothing\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:"
                                 "1024M\"\n");
  g_free (appended);
  appended = lab_setup_ensure_setting (NULL, line, regex);
  g_assert_cmpstr (appended, ==, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"\n");
}

static void
test_ensure_block (void)
{
  g_autofree char *empty = lab_setup_ensure_block (NULL, "a\nb\n");
  g_autofree char *no_newline = lab_setup_ensure_block ("x", "a\nb\n");
  g_autofree char *blank_end = lab_setup_ensure_block ("x\n\n", "a\nb\n");
  g_autofree char *split = lab_setup_ensure_block ("a\nc\nb\n", "a\nb\n");
  g_autofree char *partial = lab_setup_ensure_block ("xa\nb\n", "a\nb\n");

  g_assert_cmpstr (empty, ==, "a\nb\n");
  g_assert_cmpstr (no_newline, ==, "x\n\na\nb\n");
  g_assert_cmpstr (blank_end, ==, "x\n\na\nb\n");
  /* Only whole, adjacent lines count. */
  g_assert_cmpstr (split, ==, "a\nc\nb\n\na\nb\n");
  g_assert_null (lab_setup_ensure_block ("x\na\nb\ny\n", "a\nb\n"));
  /* "xa" is not "a": the block is not there yet. */
  g_assert_cmpstr (partial, ==, "xa\nb\n\na\nb\n");
}

static void
test_shipped_steps (void)
{
  const char *names[] = { "classic", "modern" };
  const char *ids[] = { "virtualbox", "connect", "xen", "network", "avahi", "sudoers", "opam",
                        "build", "run" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(LabSetupRecipe) recipe = shipped (names[n]);
      const LabSetupStep *xen = step_of (recipe, "xen");
      const LabSetupStep *sudoers = step_of (recipe, "sudoers");
      const LabSetupAction *sudoers_file;
      const LabSetupAction *last;
      g_autoptr(GPtrArray) network_check = NULL;

      g_assert_cmpuint (lab_setup_recipe_get_n_steps (recipe), ==, G_N_ELEMENTS (ids));
      for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
        g_assert_cmpstr (lab_setup_recipe_get_step (recipe, i)->id, ==, ids[i]);
      /* Xen: the last thing is the reboot, and the step says so. */
      g_assert_true (xen->reboot_after);
      last = xen->apply->pdata[xen->apply->len - 1];
      g_assert_cmpint (last->kind, ==, LAB_SETUP_ACTION_REBOOT);
      g_assert_true (last->root);
      /* Network: its files are part of its check, before the runtime checks. */
      network_check = lab_setup_step_get_check (step_of (recipe, "network"));
      g_assert_true (lab_setup_action_is_file (network_check->pdata[0]));
      g_assert_cmpint (((LabSetupAction *) network_check->pdata[network_check->len - 1])->kind,
                       ==, LAB_SETUP_ACTION_RUN);
      /* sudoers: checked by visudo, 0440 as sudo wants. */
      sudoers_file = file_action (sudoers->apply, LAB_SETUP_ACTION_ENSURE_FILE,
                                  "/etc/sudoers.d/mirage-lab-xl");
      g_assert_cmpint (sudoers_file->validate, ==, LAB_REMOTE_FILE_CHECK_SUDOERS);
      /* netplan: the whole folder with the new file must pass `netplan generate` before
       * the file is written (modern recipe, Ubuntu). */
      if (g_str_equal (names[n], "modern"))
        {
          const LabSetupAction *netplan =
            file_action (step_of (recipe, "network")->apply, LAB_SETUP_ACTION_ENSURE_FILE,
                         "/etc/netplan/60-mirage-lab-${bridge}.yaml");

          g_assert_cmpint (netplan->validate, ==, LAB_REMOTE_FILE_CHECK_NETPLAN);
          g_assert_cmpuint (netplan->mode, ==, 0600);
        }
      g_assert_cmpuint (sudoers_file->mode, ==, 0440);
      /* Passwordless xl is root for whatever runs as the user: the step says so plainly. */
      g_assert_nonnull (strstr (sudoers->explanation, "bootloader="));
      g_assert_nonnull (strstr (sudoers->explanation, "script="));
      g_assert_nonnull (strstr (sudoers->explanation, "can become root"));
      g_assert_cmpstr (step_of (recipe, "run")->builtin, ==, "first-unikernel");
    }
}

static void
test_modern_xen (void)
{
  g_autoptr(LabSetupRecipe) recipe = shipped ("modern");
  const LabSetupStep *xen = step_of (recipe, "xen");
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (NULL);
  g_autoptr(GPtrArray) verify = lab_setup_step_get_verify (xen);
  const LabSetupAction *grub = file_action (xen->apply, LAB_SETUP_ACTION_ENSURE_LINE,
                                            "/etc/default/grub.d/xen.cfg");
  g_autofree char *line = lab_setup_runner_expand (runner, grub->text);
  const LabSetupAction *packages = xen->apply->pdata[0];
  const LabSetupAction *hvm = verify->pdata[verify->len - 2];
  const LabSetupAction *hap = verify->pdata[verify->len - 1];

  g_assert_cmpint (packages->kind, ==, LAB_SETUP_ACTION_ENSURE_PACKAGES);
  g_assert_cmpstr (packages->argv[0], ==, "xen-system-amd64");
  g_assert_cmpstr (line, ==, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"");
  g_assert_nonnull (grub->replaces);
  /* PVH needs hvm; the failure explains nested virtualization. */
  g_assert_nonnull (strstr (hvm->argv[2], "hvm"));
  g_assert_nonnull (strstr (hvm->description, "nested-hw-virt"));
  /* mirage-xen wants HAP as well (EPT/NPT); the failure explains nested paging, in
   * VirtualBox and under KVM. */
  g_assert_nonnull (strstr (hap->argv[2], "hap"));
  g_assert_nonnull (strstr (hap->description, "--nested-paging on"));
  g_assert_nonnull (strstr (hap->description, "nested=1"));
}

static const char *
parse_error (const char *json)
{
  static char message[512];
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSetupRecipe) recipe = lab_setup_recipe_new_from_data (json, -1, &error);

  g_assert_null (recipe);
  g_assert_nonnull (error);
  g_strlcpy (message, error->message, sizeof message);
  return message;
}

#define STEP(actions) \
  "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"s\", \"title\": \"S\", " \
  "\"explanation\": \"e\", \"apply\": [ " actions " ] } ] }"

/* Actions the recipe parser refuses, and words its message must hold. */
typedef struct
{
  const char *action;
  const char *words;
} ActionError;

static const ActionError action_errors[] = {
  { "{ \"ensure-line\": \"x=1\", \"path\": \"/f\", \"replaces\": \"(\" }", "replaces" },
  { "{ \"ensure-block\": \"no end\", \"path\": \"/f\" }", "whole lines" },
  { "{ \"ensure-packages\": [ \"ok\", \"rm -rf\" ] }", "package names" },
  { "{ \"ensure-file\": \"x\", \"path\": \"/f\", \"mode\": \"999\" }", "octal" },
  { "{ \"ensure-line\": \"x\", \"path\": \"/f\", \"mode\": \"0600\" }", "ensure-file" },
  { "{ \"ensure-file\": \"x\", \"path\": \"/f\", \"validate\": \"yaml\" }", "netplan" },
  { "{ \"reboot\": false }", "reboot" },
  { "{ \"run\": [ \"true\" ], \"when\": [] }", "when" },
  /* A reboot is not its own check. */
  { "{ \"reboot\": true }", "check" },
  /* Two bad keys in one action: the first is reported, and only once (a second
   * g_set_error on the same GError is a programming error). */
  { "{ \"ensure-file\": \"x\", \"path\": \"/f\", \"mode\": \"\", \"validate\": 3 }", "“mode”" },
  { "{ \"ensure-file\": \"x\", \"path\": \"/f\", \"mode\": \"0600\", \"validate\": [] }",
    "“validate”" },
};

static void
test_new_kinds_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_errors); i++)
    {
      const ActionError *c = &action_errors[i];
      g_autofree char *json = g_strdup_printf (STEP ("%s"), c->action);

      g_test_message ("%s", c->action);
      g_assert_nonnull (strstr (parse_error (json), c->words));
    }
}

/* Network settings lab_setup_runner_set_network() refuses, and words its error must hold
 * (NULL: not looked at). */
typedef struct
{
  const char *bridge, *address;
  guint       prefix;
  const char *dhcp_start, *dhcp_end, *lease;
  const char *words;
} RefusedNetwork;

static const RefusedNetwork refused_networks[] = {
  { "br0", "192.168.56.5", 24, "192.168.57.150", "192.168.57.200", "1h", "192.168.57.150" },
  { "br0", "192.168.56.160", 24, "192.168.56.150", "192.168.56.200", "1h", NULL },
  { "br0; reboot", "192.168.56.5", 24, "192.168.56.150", "192.168.56.200", "1h", NULL },
  { "br0", "192.168.56.5", 24, "192.168.56.150", "192.168.56.200", "1 hour", NULL },
  { "br0", "fe80::1", 64, "192.168.56.150", "192.168.56.200", "1h", NULL },
};

static void
test_network_settings (void)
{
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (NULL);
  g_autoptr(GError) error = NULL;

  /* The defaults are the 2015 recipe's. */
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "bridge"), ==, "br0");
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "bridge-netmask"), ==,
                   "255.255.255.0");
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "bridge-broadcast"), ==,
                   "192.168.56.255");
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "dhcp-lease"), ==, "1h");

  g_assert_true (lab_setup_runner_set_network (runner, "xenbr0", "10.11.0.1", 16, "10.11.3.1",
                                               "10.11.3.99", "45m", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "bridge-netmask"), ==, "255.255.0.0");
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "bridge-broadcast"), ==,
                   "10.11.255.255");

  /* Bad input: a clear error, and nothing of it is taken. */
  for (guint i = 0; i < G_N_ELEMENTS (refused_networks); i++)
    {
      const RefusedNetwork *n = &refused_networks[i];
      g_autoptr(GError) refused = NULL;

      g_assert_false (lab_setup_runner_set_network (runner, n->bridge, n->address, n->prefix,
                                                    n->dhcp_start, n->dhcp_end, n->lease,
                                                    &refused));
      if (n->words != NULL)
        {
          g_assert_error (refused, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED);
          g_assert_nonnull (strstr (refused->message, n->words));
        }
    }
  g_assert_cmpstr (lab_setup_runner_get_variable (runner, "bridge"), ==, "xenbr0");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup-recipes/classic/interfaces", test_classic_interfaces);
  g_test_add_func ("/setup-recipes/classic/dnsmasq", test_classic_dnsmasq);
  g_test_add_func ("/setup-recipes/classic/vif", test_classic_vif);
  g_test_add_func ("/setup-recipes/classic/opam-and-build", test_classic_opam_and_build);
  g_test_add_func ("/setup-recipes/ensure-setting", test_ensure_setting);
  g_test_add_func ("/setup-recipes/ensure-block", test_ensure_block);
  g_test_add_func ("/setup-recipes/shipped-steps", test_shipped_steps);
  g_test_add_func ("/setup-recipes/modern-xen", test_modern_xen);
  g_test_add_func ("/setup-recipes/new-kinds-errors", test_new_kinds_errors);
  g_test_add_func ("/setup-recipes/network-settings", test_network_settings);
  return g_test_run ();
}
