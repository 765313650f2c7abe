/* plm-loaded-structure.c: one structure file aligned to the sequence on show, and its chain. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-loaded-structure.h"

struct _PlmLoadedStructure
{
  GObject          parent_instance;

  char            *sequence;
  int              length;
  PlmStructure    *structure;
  PlmStructureMap *map;
  GArray          *fits;
  int              chain;
  char            *path;
  char            *name;
};

G_DEFINE_FINAL_TYPE (PlmLoadedStructure, plm_loaded_structure, G_TYPE_OBJECT)
G_DEFINE_QUARK (plm-loaded-structure-error-quark, plm_loaded_structure_error)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
plm_loaded_structure_finalize (GObject *object)
{
  PlmLoadedStructure *self = PLM_LOADED_STRUCTURE (object);

  g_clear_pointer (&self->structure, plm_structure_free);
  g_clear_pointer (&self->map, plm_structure_map_free);
  g_clear_pointer (&self->fits, g_array_unref);
  g_free (self->sequence);
  g_free (self->path);
  g_free (self->name);
  G_OBJECT_CLASS (plm_loaded_structure_parent_class)->finalize (object);
}

static void
plm_loaded_structure_class_init (PlmLoadedStructureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = plm_loaded_structure_finalize;

  /* the structure, its chain or the sequence changed: the views read it again */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
plm_loaded_structure_init (PlmLoadedStructure *self)
{
  self->chain = -1;
}

PlmLoadedStructure *
plm_loaded_structure_new (void)
{
  return g_object_new (PLM_TYPE_LOADED_STRUCTURE, NULL);
}

static const char *
chain_name (const char *chain)
{
  return *chain ? chain : "' '";
}

/* The fit of @chain in @fits (NULL: the best), with a translated error when there is none or
 * (unless @force) it is below the identity required. */
static int
pick_chain (GArray      *fits,
            const char  *name,
            const char  *chain,
            gboolean     force,
            GError     **error)
{
  int k = -1;
  const PlmChainFit *f;

  if (chain == NULL)
    k = plm_structure_chain_best (fits);
  for (guint i = 0; chain != NULL && i < fits->len; i++)
    if (g_str_equal (g_array_index (fits, PlmChainFit, i).chain, chain))
      k = (int) i;
  if (k < 0)
    {
      /* Translators: a structure file name and a chain id */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s has no chain %s with amino acids."), name,
                   chain != NULL ? chain_name (chain) : "");
      return -1;
    }
  f = &g_array_index (fits, PlmChainFit, k);
  if (!force && (isnan (f->identity) || f->identity < PLM_STRUCTURE_MIN_IDENTITY))
    {
      /* Translators: file name, chain id, identity in percent, residues aligned; "Use Anyway" is a button */
      g_set_error (error, PLM_LOADED_STRUCTURE_ERROR, PLM_LOADED_STRUCTURE_ERROR_IDENTITY,
                   _("%s chain %s is %.0f%% identical to the sequence over %d residues, below the 90%% required: "
                     "another protein or the wrong chain? Use Anyway to compare it all the same."),
                   name, chain_name (f->chain), isnan (f->identity) ? 0.0 : 100.0 * f->identity, f->aligned);
      return -1;
    }
  return k;
}

gboolean
plm_loaded_structure_load (PlmLoadedStructure  *self,
                           const char          *path,
                           const char          *chain,
                           gboolean             force,
                           GError             **error)
{
  g_autoptr(PlmStructure) structure = NULL;
  g_autoptr(PlmStructureMap) map = NULL;
  g_autoptr(GArray) fits = NULL;
  g_autofree char *name = NULL;
  int k;

  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->sequence == NULL)
    {
      g_set_error_literal (error, PLM_LOADED_STRUCTURE_ERROR, PLM_LOADED_STRUCTURE_ERROR_NO_SEQUENCE,
                           _("A structure is compared with a sequence's results: run one first."));
      return FALSE;
    }
  structure = plm_structure_read (path, error);
  if (structure == NULL)
    return FALSE;
  fits = plm_structure_chain_fits (structure, self->sequence, self->length, error);
  if (fits == NULL)
    return FALSE;
  name = g_path_get_basename (path);
  k = pick_chain (fits, name, chain, force, error);
  if (k < 0)
    return FALSE;
  map = plm_structure_map_align (structure, g_array_index (fits, PlmChainFit, k).chain, self->sequence,
                                 self->length, TRUE, error);
  if (map == NULL)
    return FALSE;

  g_clear_pointer (&self->structure, plm_structure_free);
  g_clear_pointer (&self->map, plm_structure_map_free);
  g_clear_pointer (&self->fits, g_array_unref);
  self->structure = g_steal_pointer (&structure);
  self->map = g_steal_pointer (&map);
  self->fits = g_steal_pointer (&fits);
  self->chain = k;
  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->name);
  self->name = g_steal_pointer (&name);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
plm_loaded_structure_set_chain (PlmLoadedStructure  *self,
                                const char          *chain,
                                gboolean             force,
                                GError             **error)
{
  PlmStructureMap *map;
  int k;

  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), FALSE);
  g_return_val_if_fail (chain != NULL, FALSE);

  if (self->structure == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No structure is loaded."));
      return FALSE;
    }
  k = pick_chain (self->fits, self->name, chain, force, error);
  if (k < 0)
    return FALSE;
  if (k == self->chain)
    return TRUE;
  map = plm_structure_map_align (self->structure, chain, self->sequence, self->length, TRUE, error);
  if (map == NULL)
    return FALSE;
  g_clear_pointer (&self->map, plm_structure_map_free);
  self->map = map;
  self->chain = k;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
plm_loaded_structure_clear (PlmLoadedStructure *self)
{
  g_return_if_fail (PLM_IS_LOADED_STRUCTURE (self));

  if (self->structure == NULL)
    return;
  g_clear_pointer (&self->structure, plm_structure_free);
  g_clear_pointer (&self->map, plm_structure_map_free);
  g_clear_pointer (&self->fits, g_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);
  self->chain = -1;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
plm_loaded_structure_set_sequence (PlmLoadedStructure *self,
                                   const char         *sequence,
                                   int                 length)
{
  g_return_if_fail (PLM_IS_LOADED_STRUCTURE (self));
  g_return_if_fail (sequence != NULL || length == 0);

  if (self->sequence != NULL && self->length == length && memcmp (self->sequence, sequence, length) == 0)
    return;
  g_free (self->sequence);
  self->sequence = sequence != NULL ? g_strndup (sequence, length) : NULL;
  self->length = length;
  plm_loaded_structure_clear (self);
}

void
plm_loaded_structure_bind (PlmLoadedStructure **slot,
                           gulong              *handler,
                           PlmLoadedStructure  *structure,
                           GCallback            changed,
                           gpointer             data)
{
  g_return_if_fail (slot != NULL && handler != NULL);
  g_return_if_fail (structure == NULL || PLM_IS_LOADED_STRUCTURE (structure));

  if (*slot != NULL)
    {
      g_clear_signal_handler (handler, *slot);
      g_clear_object (slot);
    }
  if (structure != NULL)
    {
      *slot = g_object_ref (structure);
      *handler = g_signal_connect_swapped (structure, "changed", changed, data);
    }
}

const PlmStructure *
plm_loaded_structure_get_structure (PlmLoadedStructure *self)
{
  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), NULL);
  return self->structure;
}

const PlmStructureMap *
plm_loaded_structure_get_map (PlmLoadedStructure *self)
{
  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), NULL);
  return self->map;
}

const char *
plm_loaded_structure_get_name (PlmLoadedStructure *self)
{
  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), NULL);
  return self->name;
}

const char *
plm_loaded_structure_get_path (PlmLoadedStructure *self)
{
  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), NULL);
  return self->path;
}

GArray *
plm_loaded_structure_get_fits (PlmLoadedStructure *self)
{
  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), NULL);
  return self->fits;
}

int
plm_loaded_structure_get_chain (PlmLoadedStructure *self)
{
  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), -1);
  return self->chain;
}

gboolean
plm_loaded_structure_get_forced (PlmLoadedStructure *self)
{
  const PlmChainFit *f;

  g_return_val_if_fail (PLM_IS_LOADED_STRUCTURE (self), FALSE);
  if (self->chain < 0)
    return FALSE;
  f = &g_array_index (self->fits, PlmChainFit, self->chain);
  return isnan (f->identity) || f->identity < PLM_STRUCTURE_MIN_IDENTITY;
}
