/* lab-domain-store.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-domain-store"

#include "config.h"

#include <string.h>

#include "lab-domain-store.h"

struct _LabDomainStore
{
  GObject     parent_instance;

  GPtrArray  *domains;   /* LabDomain*, in the order they were first seen */
  GPtrArray  *configs;   /* LabXlConfig*, from the last update that had them */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LabDomainStore, lab_domain_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  DOMAIN_CRASHED,
  DOMAIN_VANISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
lab_domain_store_get_item_type (GListModel *model)
{
  return LAB_TYPE_DOMAIN;
}

static guint
lab_domain_store_get_n_items (GListModel *model)
{
  return LAB_DOMAIN_STORE (model)->domains->len;
}

static gpointer
lab_domain_store_get_item (GListModel *model,
                           guint       position)
{
  LabDomainStore *self = LAB_DOMAIN_STORE (model);

  if (position >= self->domains->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->domains, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = lab_domain_store_get_item_type;
  iface->get_n_items = lab_domain_store_get_n_items;
  iface->get_item = lab_domain_store_get_item;
}

LabDomainStore *
lab_domain_store_new (void)
{
  return g_object_new (LAB_TYPE_DOMAIN_STORE, NULL);
}

static gboolean
find_domain (LabDomainStore *self,
             const char     *name,
             guint          *position)
{
  for (guint i = 0; i < self->domains->len; i++)
    {
      LabDomain *domain = g_ptr_array_index (self->domains, i);

      if (g_strcmp0 (lab_domain_get_name (domain), name) == 0)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

LabDomain *
lab_domain_store_lookup (LabDomainStore *self,
                         const char     *name)
{
  guint position;

  g_return_val_if_fail (LAB_IS_DOMAIN_STORE (self), NULL);

  return find_domain (self, name, &position) ? g_ptr_array_index (self->domains, position) : NULL;
}

static void
add_macs (GPtrArray          *macs,
          const char * const *more)
{
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    {
      char *mac = g_ascii_strdown (more[i], -1);

      if (g_ptr_array_find_with_equal_func (macs, mac, g_str_equal, NULL))
        g_free (mac);
      else
        g_ptr_array_add (macs, mac);
    }
}

GStrv
lab_domain_store_dup_macs (LabDomainStore *self)
{
  g_autoptr(GPtrArray) macs = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (LAB_IS_DOMAIN_STORE (self), NULL);

  for (guint i = 0; i < self->domains->len; i++)
    {
      LabDomain *domain = g_ptr_array_index (self->domains, i);
      LabXlConfig *config = lab_domain_get_config (domain);
      g_auto(GStrv) named = config != NULL ? lab_xl_config_dup_macs (config) : NULL;

      add_macs (macs, lab_domain_get_macs (domain));
      add_macs (macs, (const char * const *) named);
    }
  g_ptr_array_add (macs, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&macs), FALSE);
}

/* The name a config's domain will have: its `name`, else the file name without ".xl"
 * (so a config without a name still has a row; xl itself would refuse to start it). */
static char *
config_domain_name (LabXlConfig *config)
{
  const char *name = lab_xl_config_get_name (config);
  g_autofree char *base = NULL;

  if (name != NULL && *name != '\0')
    return g_strdup (name);

  base = g_path_get_basename (lab_xl_config_get_path (config) ? lab_xl_config_get_path (config)
                                                             : "unnamed");
  if (g_str_has_suffix (base, ".xl"))
    base[strlen (base) - 3] = '\0';
  return g_steal_pointer (&base);
}

/* The config for @name, and when several declare that name, all their paths: which one a
 * start means is the user's to say, never the order of the paths. */
static LabXlConfig *
assign_config (LabDomain  *domain,
               GPtrArray  *configs,
               const char *name)
{
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto(GStrv) conflicts = NULL;
  LabXlConfig *first = NULL;
  guint count = 0;

  for (guint i = 0; configs != NULL && i < configs->len; i++)
    {
      LabXlConfig *config = g_ptr_array_index (configs, i);
      g_autofree char *config_name = config_domain_name (config);

      if (g_strcmp0 (config_name, name) != 0)
        continue;
      if (first == NULL)
        first = config;
      count++;
      g_strv_builder_add (paths, lab_xl_config_get_path (config));
    }
  conflicts = g_strv_builder_end (paths);
  lab_domain_set_config (domain, first);
  lab_domain_set_config_conflicts (domain, count > 1 ? (const char * const *) conflicts : NULL);
  return first;
}

static const LabXlDomainInfo *
find_info (GPtrArray  *running,
           const char *name)
{
  for (guint i = 0; running != NULL && i < running->len; i++)
    {
      const LabXlDomainInfo *info = g_ptr_array_index (running, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }

  return NULL;
}

void
lab_domain_store_update (LabDomainStore *self,
                         GPtrArray      *running,
                         GPtrArray      *configs,
                         gint64          now_us)
{
  guint old_len;

  g_return_if_fail (LAB_IS_DOMAIN_STORE (self));

  if (configs != NULL)
    {
      g_clear_pointer (&self->configs, g_ptr_array_unref);
      self->configs = g_ptr_array_ref (configs);
    }

  /* 1. Domains we already show: update, stop, or drop. Walk backwards to remove. */
  for (guint i = self->domains->len; i > 0; i--)
    {
      g_autoptr(LabDomain) domain = g_object_ref (g_ptr_array_index (self->domains, i - 1));
      const char *name = lab_domain_get_name (domain);
      const LabXlDomainInfo *info = find_info (running, name);
      LabDomainState before = lab_domain_get_state (domain);
      LabXlConfig *config = assign_config (domain, self->configs, name);

      if (info != NULL)
        {
          lab_domain_update_from_info (domain, info, now_us);
          if (lab_domain_get_state (domain) == LAB_DOMAIN_STATE_CRASHED
              && before != LAB_DOMAIN_STATE_CRASHED)
            g_signal_emit (self, signals[DOMAIN_CRASHED], 0, domain);
          continue;
        }

      if (lab_domain_get_running (domain))
        {
          lab_domain_set_stopped (domain);
          g_signal_emit (self, signals[DOMAIN_VANISHED], 0, domain);
        }

      if (config == NULL)
        {
          g_ptr_array_remove_index (self->domains, i - 1);
          g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
        }
    }

  /* 2. Newly listed domains, then configs nobody runs yet. */
  old_len = self->domains->len;
  for (guint i = 0; running != NULL && i < running->len; i++)
    {
      const LabXlDomainInfo *info = g_ptr_array_index (running, i);
      LabDomain *domain;

      if (info->name == NULL || find_domain (self, info->name, NULL))
        continue;

      domain = lab_domain_new (info->name);
      assign_config (domain, self->configs, info->name);
      lab_domain_update_from_info (domain, info, now_us);
      g_ptr_array_add (self->domains, domain);
    }

  for (guint i = 0; self->configs != NULL && i < self->configs->len; i++)
    {
      LabXlConfig *config = g_ptr_array_index (self->configs, i);
      g_autofree char *name = config_domain_name (config);
      LabDomain *domain;

      if (find_domain (self, name, NULL))
        continue;

      domain = lab_domain_new (name);
      assign_config (domain, self->configs, name);
      g_ptr_array_add (self->domains, domain);
    }

  if (self->domains->len > old_len)
    g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, self->domains->len - old_len);
}

static void
lab_domain_store_finalize (GObject *object)
{
  LabDomainStore *self = LAB_DOMAIN_STORE (object);

  g_clear_pointer (&self->domains, g_ptr_array_unref);
  g_clear_pointer (&self->configs, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_domain_store_parent_class)->finalize (object);
}

static void
lab_domain_store_class_init (LabDomainStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_domain_store_finalize;

  signals[DOMAIN_CRASHED] =
    g_signal_new ("domain-crashed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
  signals[DOMAIN_VANISHED] =
    g_signal_new ("domain-vanished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
}

static void
lab_domain_store_init (LabDomainStore *self)
{
  self->domains = g_ptr_array_new_with_free_func (g_object_unref);
}
