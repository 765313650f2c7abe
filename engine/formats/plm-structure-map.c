/* plm-structure-map.c: see plm-structure-map.h. */
#include "plm-structure-map.h"

#include <math.h>
#include <string.h>

#include "plm-align.h"
#include "plm-error.h"
#include "plm-structure-chains.h"

void
plm_structure_map_free (PlmStructureMap *map)
{
  if (map == NULL)
    return;
  g_free (map->residue);
  g_free (map);
}

const PlmResidue *
plm_structure_map_get (const PlmStructureMap *map,
                       const PlmStructure    *structure,
                       int                    i)
{
  if (i < 0 || i >= map->length || map->residue[i] < 0)
    return NULL;
  return &g_array_index (structure->residues, PlmResidue, map->residue[i]);
}

/* The chain to map: @chain, or the first with amino acids; its residue indices in file order. */
static GArray *
chain_residues (const PlmStructure  *structure,
                const char          *chain,
                const char         **chosen,
                GError             **error)
{
  GArray *idx;
  gboolean known = FALSE;

  if (chain == NULL)
    chain = g_array_index (structure->residues, PlmResidue, 0).chain;   /* never empty, see parse */
  for (guint i = 0; i < structure->chains->len && !known; i++)
    known = strcmp (structure->chains->pdata[i], chain) == 0;
  if (!known)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      for (guint i = 0; i < structure->chains->len; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "",
                                *(char *) structure->chains->pdata[i] ? (char *) structure->chains->pdata[i] : "' '");
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no chain '%s' (chains: %s)", structure->path, chain,
                   list->str);
      return NULL;
    }
  idx = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < structure->residues->len; i++)
    if (strcmp (g_array_index (structure->residues, PlmResidue, i).chain, chain) == 0)
      {
        int k = (int) i;
        g_array_append_val (idx, k);
      }
  if (idx->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: chain '%s' has no amino-acid residues with a C-alpha",
                   structure->path, chain);
      g_array_unref (idx);
      return NULL;
    }
  *chosen = chain;
  return idx;
}

static PlmStructureMap *
map_new (const char *chain,
         int         length,
         int         n_observed)
{
  PlmStructureMap *map = g_new0 (PlmStructureMap, 1);

  g_strlcpy (map->chain, chain, sizeof map->chain);
  map->length = length;
  map->n_observed = n_observed;
  map->residue = g_new (int, MAX (length, 1));
  for (int i = 0; i < length; i++)
    map->residue[i] = -1;
  return map;
}

/* Counts, and refuses a map below the identity threshold unless @force. */
static gboolean
finish_map (PlmStructureMap     *map,
            const PlmStructure  *structure,
            const char          *sequence,
            gboolean             force,
            GError             **error)
{
  map->aligned = map->identical = 0;
  for (int i = 0; i < map->length; i++)
    {
      const PlmResidue *r = plm_structure_map_get (map, structure, i);
      if (r == NULL)
        continue;
      map->aligned++;
      map->identical += g_ascii_toupper (sequence[i]) == r->letter && r->letter != 'X';
    }
  map->identity = map->aligned > 0 ? (double) map->identical / map->aligned : NAN;
  map->coverage = map->length > 0 ? (double) map->aligned / map->length : 0.0;
  if (force)
    return TRUE;
  if (map->aligned == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no residue of the sequence maps to chain '%s'",
                   structure->path, map->chain);
      return FALSE;
    }
  if (map->identity < PLM_STRUCTURE_MIN_IDENTITY)
    {
      char pct[G_ASCII_DTOSTR_BUF_SIZE];
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   "%s: chain '%s' is %s%% identical to the sequence over %d residues, below the %d%% required",
                   structure->path, map->chain, g_ascii_formatd (pct, sizeof pct, "%.1f", 100.0 * map->identity),
                   map->aligned, (int) (100 * PLM_STRUCTURE_MIN_IDENTITY + 0.5));
      return FALSE;
    }
  return TRUE;
}

PlmStructureMap *
plm_structure_map_align (const PlmStructure  *structure,
                         const char          *chain,
                         const char          *sequence,
                         int                  length,
                         gboolean             force,
                         GError             **error)
{
  g_autoptr(GArray) idx = NULL;
  g_autoptr(PlmAlignment) al = NULL;
  g_autoptr(PlmStructureMap) map = NULL;
  g_autofree char *observed = NULL, *best = NULL;
  const char *chosen = NULL;

  g_return_val_if_fail (structure != NULL && sequence != NULL, NULL);
  if (chain == NULL && structure->chains->len > 1)
    {
      /* no chain named: the one the sequence fits (plm_structure_chain_best), as the app picks
       * it, not the first in the file (a complex's first chain is often the partner) */
      g_autoptr(GArray) fits = plm_structure_chain_fits (structure, sequence, length, error);
      if (fits == NULL)
        return NULL;
      int k = plm_structure_chain_best (fits);
      if (k >= 0)
        chain = best = g_strdup (g_array_index (fits, PlmChainFit, k).chain);
    }
  idx = chain_residues (structure, chain, &chosen, error);
  if (idx == NULL)
    return NULL;
  observed = g_new0 (char, idx->len + 1);
  for (guint k = 0; k < idx->len; k++)
    observed[k] = g_array_index (structure->residues, PlmResidue, g_array_index (idx, int, k)).letter;
  al = plm_align_global (sequence, length, observed, (int) idx->len, error);
  if (al == NULL)
    return NULL;
  map = map_new (chosen, length, (int) idx->len);
  for (int i = 0; i < length; i++)
    if (al->seq_to_observed[i] >= 0)
      map->residue[i] = g_array_index (idx, int, al->seq_to_observed[i]);
  if (!finish_map (map, structure, sequence, force, error))
    return NULL;
  return g_steal_pointer (&map);
}

PlmStructureMap *
plm_structure_map_numbered (const PlmStructure  *structure,
                            const char          *chain,
                            const char          *sequence,
                            int                  length,
                            int                  start,
                            gboolean             force,
                            GError             **error)
{
  g_autoptr(GArray) idx = NULL;
  g_autoptr(PlmStructureMap) map = NULL;
  const char *chosen = NULL;

  g_return_val_if_fail (structure != NULL && sequence != NULL, NULL);
  idx = chain_residues (structure, chain, &chosen, error);
  if (idx == NULL)
    return NULL;
  map = map_new (chosen, length, (int) idx->len);
  for (guint k = 0; k < idx->len; k++)
    {
      int r = g_array_index (idx, int, k);
      const PlmResidue *res = &g_array_index (structure->residues, PlmResidue, r);
      gint64 i = (gint64) res->number - start;
      if (res->icode == ' ' && i >= 0 && i < length && map->residue[i] < 0)
        map->residue[i] = r;
    }
  if (!finish_map (map, structure, sequence, force, error))
    return NULL;
  return g_steal_pointer (&map);
}
