/* plm-structure-chains.c: a sequence aligned to every chain of a structure, for picking one. */
#include <math.h>

#include "plm-error.h"
#include "plm-structure-chains.h"
#include "plm-structure-map.h"

static gboolean
has_amino_acids (const PlmStructure *structure,
                 const char         *chain)
{
  for (guint i = 0; i < structure->residues->len; i++)
    if (g_str_equal (g_array_index (structure->residues, PlmResidue, i).chain, chain))
      return TRUE;
  return FALSE;
}

GArray *
plm_structure_chain_fits (const PlmStructure  *structure,
                          const char          *sequence,
                          int                  length,
                          GError             **error)
{
  g_autoptr(GArray) fits = g_array_new (FALSE, TRUE, sizeof (PlmChainFit));

  g_return_val_if_fail (structure != NULL && sequence != NULL, NULL);

  for (guint c = 0; c < structure->chains->len; c++)
    {
      const char *chain = structure->chains->pdata[c];
      g_autoptr(PlmStructureMap) map = NULL;
      PlmChainFit fit = { { 0 } };

      if (!has_amino_acids (structure, chain))
        continue;
      map = plm_structure_map_align (structure, chain, sequence, length, TRUE, error);
      if (map == NULL)
        return NULL;
      g_strlcpy (fit.chain, map->chain, sizeof fit.chain);
      fit.n_observed = map->n_observed;
      fit.aligned = map->aligned;
      fit.identical = map->identical;
      fit.identity = map->identity;
      fit.coverage = map->coverage;
      g_array_append_val (fits, fit);
    }
  if (fits->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no chain has amino-acid residues with a C-alpha",
                   structure->path);
      return NULL;
    }
  return g_steal_pointer (&fits);
}

int
plm_structure_chain_best (const GArray *fits)
{
  int best = -1;
  gboolean best_passes = FALSE;

  g_return_val_if_fail (fits != NULL, -1);

  for (guint i = 0; i < fits->len; i++)
    {
      const PlmChainFit *f = &g_array_index (fits, PlmChainFit, i);
      const PlmChainFit *b = best >= 0 ? &g_array_index (fits, PlmChainFit, best) : NULL;
      gboolean passes = !isnan (f->identity) && f->identity >= PLM_STRUCTURE_MIN_IDENTITY;

      if (b == NULL)
        ;
      else if (passes != best_passes)
        {
          if (!passes)
            continue;
        }
      else if (passes ? f->identical <= b->identical
                      : isnan (f->identity) || (!isnan (b->identity) && f->identity <= b->identity))
        continue;
      best = (int) i;
      best_passes = passes;
    }
  return best;
}
