/* plm-ha-view-structure.c: how far the HA view's sites lie from the active sites in space, through
 * the shared structure's sequence → structure map (the HA-sites paper: median 9 Å). */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-ha-structure.h"
#include "plm-hastats.h"
#include "plm-ha-view-private.h"

static gboolean
has_kind (GPtrArray      *features,
          PlmFeatureKind  kind)
{
  for (guint i = 0; features != NULL && i < features->len; i++)
    if (((PlmFeature *) g_ptr_array_index (features, i))->kind == kind)
      return TRUE;
  return FALSE;
}

void
plm_ha_view_update_angstrom (PlmHaView *self)
{
  const PlmStructureMap *map = self->structure != NULL ? plm_loaded_structure_get_map (self->structure) : NULL;

  g_clear_pointer (&self->angstrom, g_free);
  g_clear_pointer (&self->nearest, g_free);
  self->median_angstrom = NAN;
  if (!self->has_ha || self->result == NULL || self->ha.length != self->result->n_residues || map == NULL ||
      map->length != self->result->n_residues ||
      !has_kind (self->features, PLM_FEATURE_ACTIVE_SITE))
    return;
  self->angstrom = g_new (double, MAX (self->ha.n_sites, 1));
  self->nearest = g_new (int, MAX (self->ha.n_sites, 1));
  self->median_angstrom = plm_ha_structure_feature_distances (plm_loaded_structure_get_structure (self->structure),
                                                              map, self->features, PLM_FEATURE_ACTIVE_SITE,
                                                              self->ha.sites, self->ha.n_sites, self->angstrom,
                                                              self->nearest);
}

void
plm_ha_view_append_angstrom_summary (PlmHaView *self,
                                     GString   *text)
{
  const PlmStructureMap *map;
  g_autofree double *along = NULL;
  int n_along = 0, n_space = 0;

  if (self->angstrom == NULL)
    return;
  map = plm_loaded_structure_get_map (self->structure);
  along = g_new (double, MAX (self->ha.n_sites, 1));
  for (int s = 0; s < self->ha.n_sites; s++)
    {
      int d = plm_features_distance (self->features, PLM_FEATURE_ACTIVE_SITE, self->ha.sites[s]);

      if (d >= 0)
        along[n_along++] = d;
      n_space += !isnan (self->angstrom[s]);
    }
  g_string_append_c (text, '\n');
  if (n_space == 0)
    /* Translators: a structure file name and a chain id */
    g_string_append_printf (text, _("In %s chain %s: no HA site and active site are both in the structure."),
                            plm_loaded_structure_get_name (self->structure), *map->chain ? map->chain : "' '");
  else
    {
      /* Translators: a structure file name and a chain id */
      g_string_append_printf (text, _("In space (%s chain %s, Cα):"), plm_loaded_structure_get_name (self->structure),
                              *map->chain ? map->chain : "' '");
      g_string_append_c (text, '\n');
      /* Translators: median distance in Å from the HA sites to the nearest active site, over how many HA sites */
      g_string_append_printf (text, _("median %.1f Å to an active site (%d of %d HA sites),"), self->median_angstrom,
                              n_space, self->ha.n_sites);
      g_string_append_c (text, '\n');
      /* Translators: the same median along the sequence, for comparison */
      g_string_append_printf (text, _("along the sequence %.0f residues; paper (ESM-2 650M): 9 Å."),
                              plm_median (along, n_along));
    }
}

void
plm_ha_view_append_angstrom (PlmHaView *self,
                             GString   *text,
                             int        s)
{
  if (self->angstrom == NULL)
    return;
  if (isnan (self->angstrom[s]))
    /* Translators: the HA site (or every active site) is missing from the loaded structure */
    g_string_append (text, _(", — (not in the structure)"));
  else
    {
      int n = self->nearest[s];

      /* Translators: Cα distance in space to the nearest active-site residue, e.g. ", 7.2 Å to H93" */
      g_string_append_printf (text, _(", %.1f Å to %c%d"), self->angstrom[s], self->result->sequence[n], n + 1);
    }
}

int
plm_ha_view_near_sites (PlmHaView *self,
                        double     angstrom,
                        int       *sites)
{
  int n = 0;

  for (int s = 0; self->angstrom != NULL && s < self->ha.n_sites; s++)
    if (!isnan (self->angstrom[s]) && self->angstrom[s] <= angstrom)
      sites[n++] = self->ha.sites[s];
  return n;
}

const char *
plm_ha_view_near_title (void)
{
  /* Translators: a figure track under "Active sites": the HA sites whose Cα lies within 8 Å of an active site’s */
  return _("HA sites ≤ 8 Å");
}
