/* plm-ha-structure.c: Cα distances from a residue to the nearest of a set, through the map. */
#include <math.h>

#include "plm-ha-structure.h"
#include "plm-hastats.h"

double
plm_ha_structure_distance (const PlmStructure    *structure,
                           const PlmStructureMap *map,
                           int                    residue,
                           const int             *targets,
                           int                    n_targets,
                           int                   *nearest)
{
  const PlmResidue *from;
  double best = NAN;
  int which = -1;

  g_return_val_if_fail (structure != NULL && map != NULL, NAN);
  g_return_val_if_fail (targets != NULL || n_targets == 0, NAN);

  from = residue >= 0 && residue < map->length ? plm_structure_map_get (map, structure, residue) : NULL;
  for (int t = 0; from != NULL && t < n_targets; t++)
    {
      const PlmResidue *to;
      double d;

      if (targets[t] < 0 || targets[t] >= map->length)
        continue;
      to = plm_structure_map_get (map, structure, targets[t]);
      if (to == NULL)
        continue;
      d = plm_structure_distance (from->ca, to->ca);
      if (which < 0 || d < best)
        {
          best = d;
          which = targets[t];
        }
    }
  if (nearest != NULL)
    *nearest = which;
  return best;
}

double
plm_ha_structure_feature_distances (const PlmStructure    *structure,
                                    const PlmStructureMap *map,
                                    GPtrArray             *features,
                                    PlmFeatureKind         kind,
                                    const int             *sites,
                                    int                    n_sites,
                                    double                *angstrom,
                                    int                   *nearest)
{
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree double *found = g_new (double, MAX (n_sites, 1));
  int n_found = 0;

  g_return_val_if_fail (structure != NULL && map != NULL && features != NULL, NAN);

  for (guint i = 0; i < features->len; i++)
    {
      const PlmFeature *f = g_ptr_array_index (features, i);

      for (int p = f->start; f->kind == kind && p <= f->end && p <= map->length; p++)
        {
          int t = p - 1;   /* features are 1-based */
          g_array_append_val (targets, t);
        }
    }
  for (int s = 0; s < n_sites; s++)
    {
      angstrom[s] = plm_ha_structure_distance (structure, map, sites[s], (int *) (gpointer) targets->data,
                                               (int) targets->len, nearest != NULL ? &nearest[s] : NULL);
      if (!isnan (angstrom[s]))
        found[n_found++] = angstrom[s];
    }
  return n_found > 0 ? plm_median (found, n_found) : NAN;
}
