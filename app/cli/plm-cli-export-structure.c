/* plm-cli-export-structure.c: the Structure view's figure for `plmlens-cli export`, through the
 * renderer the GUI's cairo fallback uses (app/figure/plm-structure-*.c). */
#include "plm-cli-export-structure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-contacts.h"
#include "plm-error.h"
#include "plm-hadata.h"
#include "plm-nm-train.h"
#include "plm-structure-color.h"
#include "plm-structure-map.h"

gboolean
plm_cli_parse_rotation (const char *text, double *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  for (int k = 0; k < 3; k++)
    {
      char *end;
      out[k] = g_ascii_strtod (g_strstrip (parts[k]), &end);
      if (end == parts[k] || *end != '\0' || !isfinite (out[k]))
        return FALSE;
    }
  return TRUE;
}

static PlmStructureMap *
map_chain (const PlmStructure *st, const char *path, const char *chain, const char *letters, int L, gboolean force,
           GError **error)
{
  PlmStructureMap *map = plm_structure_map_align (st, chain, letters, L, force, error);
  if (map == NULL)
    return NULL;
  char id[G_ASCII_DTOSTR_BUF_SIZE], cov[G_ASCII_DTOSTR_BUF_SIZE];
  g_printerr ("plmlens-cli: %s chain %s (aligned): identity %s%%, coverage %s%% (%d of %d residues observed)\n", path,
              map->chain, isnan (map->identity) ? "NA" : g_ascii_formatd (id, sizeof id, "%.1f", 100.0 * map->identity),
              g_ascii_formatd (cov, sizeof cov, "%.1f", 100.0 * map->coverage), map->aligned, L);
  return map;
}

static void
finish (PlmFigure *fig, PlmStructureScene *scene, const PlmCliStructure *o, const PlmScale *scale)
{
  PlmCamera cam;
  plm_camera_fit (&cam, scene, 1, 1);
  plm_camera_rotate (&cam, o->rotate[0], o->rotate[1], o->rotate[2]);
  plm_figure_set_structure (fig, scene, cam.rot, scale);
}

gboolean
plm_cli_structure_figure (PlmFigure *fig, const PlmCliStructure *o, const char *name, const char *letters, int L,
                          const char *attention_label, const float *attention, const PlmHaResult *ha,
                          const float *contacts, GError **error)
{
  g_autoptr(PlmStructure) st = plm_structure_read (o->structure, error);
  if (st == NULL)
    return FALSE;
  g_autoptr(PlmStructureMap) map = map_chain (st, o->structure, o->chain, letters, L, o->force, error);
  if (map == NULL)
    return FALSE;
  const PlmStructureMap *maps[] = { map };
  const char *only[] = { map->chain, NULL };
  PlmStructureScene *scene = plm_structure_scene_new (st, o->coloring == PLM_STRUCTURE_COLOR_CHAIN ? NULL : only, maps, 1);
  PlmFigureStyle *style = plm_figure_get_style (fig);
  PlmScale scale;
  gboolean values = FALSE;
  g_autofree char *title = NULL;
  int loc = -1;

  switch ((PlmStructureColoring) o->coloring)
    {
    case PLM_STRUCTURE_COLOR_ATTENTION:
      plm_structure_paint_attention (scene, 0, attention, L + 2, style->color_map, style->scale_kind, o->top_links, &scale);
      values = TRUE;
      title = g_strdup_printf ("%s · %s", name, attention_label);
      printf ("%u attention links drawn\n", scene->links->len);
      break;
    case PLM_STRUCTURE_COLOR_HASITES:
      plm_structure_paint_hasites (scene, 0, ha, style->color_map, &scale);
      values = TRUE;
      loc = ha->loc;
      title = g_strdup_printf ("%s · HA sites, layer %d", name, ha->loc + 1);
      break;
    case PLM_STRUCTURE_COLOR_ACTIVE:
      {
        g_autoptr(GArray) pos = g_array_new (FALSE, FALSE, sizeof (int));
        if (o->active_sites != NULL)
          {
            g_autoptr(GHashTable) sites = plm_active_sites_read (o->active_sites, error);
            if (sites == NULL)
              {
                plm_structure_scene_free (scene);
                return FALSE;
              }
            g_autofree char *acc = plm_ha_protein_id (name);
            GArray *p = g_hash_table_lookup (sites, acc);
            for (guint k = 0; p && k < p->len; k++)
              if (g_array_index (p, int, k) >= 1 && g_array_index (p, int, k) <= L)   /* 1-based in the file */
                {
                  int r = g_array_index (p, int, k) - 1;
                  g_array_append_val (pos, r);
                }
          }
        plm_structure_paint_sites (scene, 0, (const int *) (void *) pos->data, (int) pos->len);
        title = g_strdup_printf ("%s · active sites", name);
        break;
      }
    case PLM_STRUCTURE_COLOR_CONTACTS:
      {
        g_autofree guint8 *truth = plm_contacts_from_structure (st, map);
        int counts[3];
        plm_structure_paint_contacts (scene, 0, contacts, L, truth, 6, 5, counts);
        printf ("top L/5 contacts: %d in contact, %d not, %d unobserved\n", counts[0], counts[1], counts[2]);
        title = g_strdup_printf ("%s · predicted contacts (top L/5)", name);
        break;
      }
    case PLM_STRUCTURE_COLOR_CHAIN:
    case PLM_STRUCTURE_COLOR_PAIR:   /* with --pair-with: plm_cli_structure_pair_figure */
    default:
      plm_structure_scene_color_chains (scene);
      title = g_strdup_printf ("%s · chains", name);
      break;
    }
  plm_figure_set_default_title (fig, title);
  plm_structure_figure_legend (fig, scene, o->coloring, loc);
  finish (fig, scene, o, values ? &scale : NULL);
  return TRUE;
}

/* The next chain after @chain (NULL: after the first) whose residues include amino acids. */
static const char *
partner_chain (const PlmStructure *st, const char *chain)
{
  const char *first = NULL;
  for (guint i = 0; i < st->residues->len; i++)
    {
      const char *c = g_array_index (st->residues, PlmResidue, i).chain;
      if (first == NULL)
        first = c;
      if (strcmp (c, chain ? chain : first) != 0)
        return c;
    }
  return NULL;
}

gboolean
plm_cli_structure_pair_figure (PlmFigure *fig, const PlmCliStructure *o, PlmEsmState *state, PlmNmHead *head,
                               int max_len, const char *name_a, const char *seq_a, const char *name_b,
                               const char *seq_b, int top, GError **error)
{
  g_autoptr(PlmStructure) st = plm_structure_read (o->structure, error);
  if (st == NULL)
    return FALSE;
  g_autoptr(PlmStructureMap) map_a = map_chain (st, o->structure, o->chain, seq_a, (int) strlen (seq_a), o->force, error);
  if (map_a == NULL)
    return FALSE;
  const char *chain_b = o->partner_chain ? o->partner_chain : partner_chain (st, map_a->chain);
  if (chain_b == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no second chain for the partner", o->structure);
      return FALSE;
    }
  g_autoptr(PlmStructureMap) map_b = map_chain (st, o->structure, chain_b, seq_b, (int) strlen (seq_b), o->force, error);
  if (map_b == NULL)
    return FALSE;

  int Ta, Tb;
  g_autofree float *ea = plm_nm_embed_sequence (state, seq_a, max_len, &Ta, NULL, error);
  if (ea == NULL)
    return FALSE;
  g_autofree float *eb = plm_nm_embed_sequence (state, seq_b, max_len, &Tb, NULL, error);
  if (eb == NULL)
    return FALSE;
  g_autofree float *p_ab = g_new (float, (gsize) Ta * Tb);
  g_autofree float *p_ba = g_new (float, (gsize) Tb * Ta);
  plm_nm_head_cross_attention (head, ea, Ta, eb, Tb, p_ab);
  plm_nm_head_cross_attention (head, eb, Tb, ea, Ta, p_ba);
  g_autofree int *ta = g_new (int, MAX (top, 1)), *tb = g_new (int, MAX (top, 1));
  /* chain A's residues most attended by chain B's queries, and the other way round (the Pair view's marks) */
  int na = plm_nm_rank_keys (p_ba, Tb, Ta, top, ta, NULL), nb = plm_nm_rank_keys (p_ab, Ta, Tb, top, tb, NULL);

  const PlmStructureMap *maps[] = { map_a, map_b };
  const char *chains[] = { map_a->chain, map_b->chain, NULL };
  PlmStructureScene *scene = plm_structure_scene_new (st, chains, maps, 2);
  plm_structure_paint_pair (scene, ta, na, tb, nb);
  for (int side = 0; side < 2; side++)
    {
      const int *t = side == 0 ? ta : tb;
      const PlmStructureMap *m = side == 0 ? map_a : map_b;
      printf ("chain %s top %d:", m->chain, side == 0 ? na : nb);
      for (int k = 0; k < (side == 0 ? na : nb); k++)
        {
          const PlmResidue *r = plm_structure_map_get (m, st, t[k]);
          const char *seq = side == 0 ? seq_a : seq_b;
          if (r != NULL)
            printf (" %c%d (%s %d%s)", seq[t[k]], t[k] + 1, r->chain, r->number, r->icode != ' ' ? "*" : "");
          else
            printf (" %c%d (not in the structure)", seq[t[k]], t[k] + 1);
        }
      printf ("\n");
    }
  g_autofree char *title = g_strdup_printf ("%s × %s · top %d cross-attention residues", name_a, name_b, top);
  plm_figure_set_default_title (fig, title);
  plm_structure_figure_legend (fig, scene, PLM_STRUCTURE_COLOR_PAIR, -1);
  finish (fig, scene, o, NULL);
  return TRUE;
}
