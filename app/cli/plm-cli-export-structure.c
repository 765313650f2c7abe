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
        int counts[3], k = MAX (1, L / 5);
        g_autofree int *top = g_new (int, k);
        int n = L >= 2 ? plm_contacts_rank (contacts, L, L, 6, k, top) : 0;
        plm_structure_paint_contacts (scene, 0, top, n, L, truth, 6, counts);
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

/* The @top residues of @seq_a most attended by @seq_b's queries (@ta, count @na) and the other
 * way round (@tb, @nb): the Pair view's marks. */
static gboolean
pair_tops (PlmEsmState *state, PlmNmHead *head, int max_len, const char *seq_a, const char *seq_b, int top, int *ta,
           int *na, int *tb, int *nb, GError **error)
{
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
  *na = plm_nm_rank_keys (p_ba, Tb, Ta, top, ta, NULL);
  *nb = plm_nm_rank_keys (p_ab, Ta, Tb, top, tb, NULL);
  return TRUE;
}

static void
print_tops (const char *what, const PlmStructure *st, const PlmStructureMap *m, const char *seq, const int *t, int n)
{
  printf ("%schain %s top %d:", what, m->chain, n);
  for (int k = 0; k < n; k++)
    {
      const PlmResidue *r = plm_structure_map_get (m, st, t[k]);
      if (r != NULL)
        printf (" %c%d (%s %d%s)", seq[t[k]], t[k] + 1, r->chain, r->number, r->icode != ' ' ? "*" : "");
      else
        printf (" %c%d (not in the structure)", seq[t[k]], t[k] + 1);
    }
  printf ("\n");
}

gboolean
plm_cli_structure_pair_figure (PlmFigure *fig, const PlmCliStructure *o, PlmEsmState *state, PlmNmHead *head,
                               int max_len, const char *name_a, const char *seq_a, const char *name_b,
                               const char *seq_b, const char *name_n, const char *seq_n, int top, GError **error)
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
  g_autoptr(PlmStructure) st_n = NULL;
  g_autoptr(PlmStructureMap) map_n = NULL;
  if (seq_n != NULL)
    {
      st_n = plm_structure_read (o->negative_structure, error);
      if (st_n == NULL)
        return FALSE;
      map_n = map_chain (st_n, o->negative_structure, o->negative_chain, seq_n, (int) strlen (seq_n), o->force, error);
      if (map_n == NULL)
        return FALSE;
    }

  int n = MAX (top, 1), na, nb, nna = 0, nnb = 0;
  g_autofree int *ta = g_new (int, n), *tb = g_new (int, n), *tna = g_new (int, n), *tnb = g_new (int, n);
  if (!pair_tops (state, head, max_len, seq_a, seq_b, top, ta, &na, tb, &nb, error))
    return FALSE;
  if (seq_n != NULL && !pair_tops (state, head, max_len, seq_a, seq_n, top, tna, &nna, tnb, &nnb, error))
    return FALSE;

  PlmStructureScene *scene = plm_structure_scene_new_pair (st, map_a, st, map_b);
  plm_structure_paint_pair (scene, ta, na, tb, nb);
  const char *pos = seq_n != NULL ? "positive " : "";
  print_tops (pos, st, map_a, seq_a, ta, na);
  print_tops (pos, st, map_b, seq_b, tb, nb);
  g_autofree char *title = NULL;
  if (seq_n == NULL)
    {
      title = g_strdup_printf ("%s × %s · top %d cross-attention residues", name_a, name_b, top);
      plm_structure_figure_legend (fig, scene, PLM_STRUCTURE_COLOR_PAIR, -1);
    }
  else
    {
      print_tops ("negative ", st, map_a, seq_a, tna, nna);
      print_tops ("negative partner ", st_n, map_n, seq_n, tnb, nnb);
      title = g_strdup_printf ("%s × %s vs %s × %s · top %d cross-attention residues", name_a, name_b,
                               name_a, name_n, top);
      g_autofree char *la = g_strdup_printf ("top cross-attention, %s (chain %s)", name_a, map_a->chain);
      g_autofree char *lb = g_strdup_printf ("top cross-attention, partner (chain %s; negative: %s chain %s)",
                                             map_b->chain, name_n, map_n->chain);
      plm_figure_add_legend_entry (fig, PLM_STRUCTURE_PAIR_A_COLOR, la);
      plm_figure_add_legend_entry (fig, PLM_STRUCTURE_PAIR_B_COLOR, lb);
    }
  plm_figure_set_default_title (fig, title);
  if (seq_n == NULL)
    {
      finish (fig, scene, o, NULL);
      return TRUE;
    }
  /* the positive and the negative pair side by side, each fitted and turned as asked */
  PlmStructureScene *neg = plm_structure_scene_new_pair (st, map_a, st_n, map_n);
  plm_structure_paint_pair (neg, tna, nna, tnb, nnb);
  PlmCamera cam, cam_n;
  plm_camera_fit (&cam, scene, 1, 1);
  plm_camera_rotate (&cam, o->rotate[0], o->rotate[1], o->rotate[2]);
  plm_camera_fit (&cam_n, neg, 1, 1);
  plm_camera_rotate (&cam_n, o->rotate[0], o->rotate[1], o->rotate[2]);
  plm_structure_figure_pairs (fig, scene, cam.rot, neg, cam_n.rot, "Positive pair", "Negative pair");
  return TRUE;
}
