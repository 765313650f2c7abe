/* plm-ha-structure.h: how far HA sites lie from other residues in space (the HA-sites paper's
 * distance to active sites), through the sequence → structure map. */
#pragma once

#include <glib.h>

#include "plm-annotations.h"
#include "plm-structure-map.h"

G_BEGIN_DECLS

/* The Cα–Cα distance in Å from sequence residue @residue (0-based) to the nearest of @targets
 * (@n_targets 0-based sequence residues) that @map places in @structure. Targets outside the
 * sequence or not observed are skipped; NaN when @residue is not observed or no target is.
 * @nearest (may be NULL) gets the nearest target, or −1. The first of equally near targets
 * wins. */
double plm_ha_structure_distance (const PlmStructure    *structure,
                                  const PlmStructureMap *map,
                                  int                    residue,
                                  const int             *targets,
                                  int                    n_targets,
                                  int                   *nearest);

/* For each of @n_sites sequence residues @sites (0-based): the Cα distance in Å to the nearest
 * residue of the @features (PlmFeature) of @kind, every residue of a range counted, into
 * @angstrom[s] (NaN: not observed), and that residue into @nearest[s] (may be NULL; −1).
 * Returns the median over the sites with a distance, NaN when none has one. */
double plm_ha_structure_feature_distances (const PlmStructure    *structure,
                                           const PlmStructureMap *map,
                                           GPtrArray             *features,
                                           PlmFeatureKind         kind,
                                           const int             *sites,
                                           int                    n_sites,
                                           double                *angstrom,
                                           int                   *nearest);

G_END_DECLS
