/* plm-structure-color.c: the Structure view's colourings (see the header). */
#include "plm-structure-color.h"

#include <math.h>
#include <string.h>

#include "plm-figure-build.h"
#include "plm-figure.h"
#include <glib/gi18n-lib.h>

static const char *const coloring_names[PLM_STRUCTURE_N_COLORS] = { "attention", "hasites", "active", "contacts",
                                                                    "chain", "pair" };

const char *
plm_structure_coloring_name (PlmStructureColoring c)
{
  return (guint) c < PLM_STRUCTURE_N_COLORS ? coloring_names[c] : NULL;
}

gboolean
plm_structure_coloring_from_name (const char *name, PlmStructureColoring *c)
{
  for (int i = 0; i < PLM_STRUCTURE_N_COLORS; i++)
    if (g_strcmp0 (name, coloring_names[i]) == 0)
      {
        *c = (PlmStructureColoring) i;
        return TRUE;
      }
  return FALSE;
}

void
plm_structure_received (const float *A, int T, float *received)
{
  int L = T - 2;
  for (int j = 0; j < L; j++)
    received[j] = 0;
  for (int i = 1; i <= L; i++)
    for (int j = 0; j < L; j++)
      received[j] += A[(gsize) i * T + j + 1];
}

/* The scale of @values [L] over the residues of @seq that the scene has. */
static void
fit_observed (const PlmStructureScene *s, int seq, const float *values, int L, PlmScaleKind kind, PlmScale *scale)
{
  g_autofree float *obs = g_new (float, MAX (L, 1));
  gsize n = 0;
  for (int i = 0; i < L; i++)
    if (plm_structure_scene_lookup (s, seq, i) >= 0 && !isnan (values[i]))
      obs[n++] = values[i];
  plm_scale_fit (scale, kind, obs, n, 1, 99);
  if (!(scale->vmax > scale->vmin))
    scale->vmax = scale->vmin + 1e-6f;
}

void
plm_structure_paint_attention (PlmStructureScene *s, int seq, const float *A, int T, PlmColorMap map,
                               PlmScaleKind kind, int k, PlmScale *scale)
{
  int L = T - 2;
  g_autofree float *received = g_new (float, MAX (L, 1));
  plm_structure_received (A, T, received);
  fit_observed (s, seq, received, L, kind, scale);
  plm_structure_scene_color_values (s, seq, received, L, map, scale);
  plm_structure_scene_clear_spheres (s);
  plm_structure_scene_clear_links (s);
  plm_structure_scene_top_links (s, seq, A, T, k, 0, 1, PLM_STRUCTURE_LINK_COLOR);
}

void
plm_structure_paint_hasites (PlmStructureScene *s, int seq, const PlmHaResult *r, PlmColorMap map, PlmScale *scale)
{
  *scale = (PlmScale) { PLM_SCALE_LINEAR, 0, 1 };
  plm_structure_scene_color_values (s, seq, r->heatmap + (gsize) r->loc * r->length, r->length, map, scale);
  plm_structure_scene_clear_spheres (s);
  plm_structure_scene_clear_links (s);
  plm_structure_scene_add_spheres (s, seq, r->sites, r->n_sites, PLM_STRUCTURE_HA_COLOR);
}

void
plm_structure_paint_sites (PlmStructureScene *s, int seq, const int *residues, int n)
{
  plm_structure_scene_color_uniform (s, PLM_SCENE_NEUTRAL_COLOR);
  plm_structure_scene_clear_spheres (s);
  plm_structure_scene_clear_links (s);
  plm_structure_scene_add_spheres (s, seq, residues, n, PLM_STRUCTURE_ACTIVE_COLOR);
}

void
plm_structure_paint_contacts (PlmStructureScene *s, int seq, const int *top, int n, int L, const guint8 *truth,
                              int min_separation, int *counts)
{
  int kinds[PLM_CONTACT_N_MARKS] = { 0 };
  plm_structure_scene_color_uniform (s, PLM_SCENE_NEUTRAL_COLOR);
  plm_structure_scene_clear_spheres (s);
  plm_structure_scene_clear_links (s);
  g_autoptr(GArray) marks = plm_contact_marks_ranked (top, n, L, min_separation, truth, kinds);
  for (guint m = 0; m < marks->len; m++)
    {
      const PlmContactMark *mk = &g_array_index (marks, PlmContactMark, m);
      if (mk->kind == PLM_CONTACT_MARK_TRUE_CONTACT)
        continue;
      gboolean known = mk->kind != PLM_CONTACT_MARK_PREDICTED;
      plm_structure_scene_add_link (s, seq, mk->row, seq, mk->col, known ? 1.0f : 0.4f,
                                    mk->kind == PLM_CONTACT_MARK_TRUE_POSITIVE ? 0xff2ca02cu
                                    : mk->kind == PLM_CONTACT_MARK_FALSE_POSITIVE ? 0xffd62728u : 0xff7f7f7fu);
    }
  if (counts != NULL)
    {
      counts[0] = kinds[PLM_CONTACT_MARK_TRUE_POSITIVE];
      counts[1] = kinds[PLM_CONTACT_MARK_FALSE_POSITIVE];
      counts[2] = kinds[PLM_CONTACT_MARK_PREDICTED];
    }
}

void
plm_structure_paint_pair (PlmStructureScene *s, const int *top_a, int na, const int *top_b, int nb)
{
  for (guint i = 0; i < s->residues->len; i++)
    {
      PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, i);
      r->color = r->seq == 0 ? PLM_STRUCTURE_PAIR_TUBE_A : r->seq == 1 ? PLM_STRUCTURE_PAIR_TUBE_B : PLM_SCENE_NEUTRAL_COLOR;
      r->value = NAN;
    }
  plm_structure_scene_clear_spheres (s);
  plm_structure_scene_clear_links (s);
  plm_structure_scene_add_spheres (s, 0, top_a, na, PLM_STRUCTURE_PAIR_A_COLOR);
  plm_structure_scene_add_spheres (s, 1, top_b, nb, PLM_STRUCTURE_PAIR_B_COLOR);
}

void
plm_structure_figure_legend (PlmFigure *fig, const PlmStructureScene *s, int coloring, int loc)
{
  switch (coloring)
    {
    case PLM_STRUCTURE_COLOR_HASITES:
      {
        /* Translators: figure legend; %d is the layer of convergence (from 1) */
        g_autofree char *t = g_strdup_printf (_("HA site (layer %d)"), loc + 1);
        plm_figure_add_legend_entry (fig, PLM_STRUCTURE_HA_COLOR, t);
        break;
      }
    case PLM_STRUCTURE_COLOR_ACTIVE:
      plm_figure_add_legend_entry (fig, PLM_STRUCTURE_ACTIVE_COLOR, _("Active site"));
      break;
    case PLM_STRUCTURE_COLOR_CONTACTS:
      plm_figure_add_legend_entry (fig, 0xff2ca02cu, _("predicted, in contact"));
      plm_figure_add_legend_entry (fig, 0xffd62728u, _("predicted, not in contact"));
      break;
    case PLM_STRUCTURE_COLOR_CHAIN:
      for (guint c = 0; c < s->chains->len; c++)
        {
          /* Translators: figure legend: a chain of the structure, e.g. "chain A" */
          g_autofree char *t = g_strdup_printf (_("chain %s"), (const char *) s->chains->pdata[c]);
          plm_figure_add_legend_entry (fig, plm_structure_scene_chain_color ((int) c), t);
        }
      break;
    case PLM_STRUCTURE_COLOR_PAIR:
      for (int k = 0; k < 2; k++)
        {
          const char *chain = "?";
          for (guint i = 0; i < s->residues->len; i++)
            if (g_array_index (s->residues, PlmSceneResidue, i).seq == k)
              {
                chain = s->chains->pdata[g_array_index (s->residues, PlmSceneResidue, i).chain];
                break;
              }
          /* Translators: figure legend of the NM pair mode: chain A's or B's top cross-attention residues */
          g_autofree char *t = g_strdup_printf (_("top cross-attention, chain %s"), chain);
          plm_figure_add_legend_entry (fig, k == 0 ? PLM_STRUCTURE_PAIR_A_COLOR : PLM_STRUCTURE_PAIR_B_COLOR, t);
        }
      break;
    default:
      break;
    }
}

PlmStructureScene *
plm_structure_scene_new_pair (const PlmStructure *st_a, const PlmStructureMap *map_a, const PlmStructure *st_b,
                              const PlmStructureMap *map_b)
{
  if (st_a == st_b)
    {
      const PlmStructureMap *maps[] = { map_a, map_b };
      const char *chains[] = { map_a->chain, map_b->chain, NULL };
      return plm_structure_scene_new (st_a, chains, maps, 2);
    }
  const PlmStructureMap *ma[] = { map_a }, *mb[] = { map_b };
  const char *ca[] = { map_a->chain, NULL }, *cb[] = { map_b->chain, NULL };
  PlmStructureScene *scene = plm_structure_scene_new (st_a, ca, ma, 1);
  PlmStructureScene *partner = plm_structure_scene_new (st_b, cb, mb, 1);
  float offset[3];
  for (int d = 0; d < 3; d++)
    offset[d] = scene->center[d] - partner->center[d];
  offset[0] += scene->radius + partner->radius + 6.0f;
  plm_structure_scene_append (scene, partner, offset);
  plm_structure_scene_free (partner);
  return scene;
}

void
plm_structure_figure_pairs (PlmFigure *fig, PlmStructureScene *positive, const float *positive_rot,
                            PlmStructureScene *negative, const float *negative_rot, const char *positive_title,
                            const char *negative_title)
{
  plm_figure_set_structure (fig, positive, positive_rot, NULL);
  plm_figure_set_structure_right (fig, positive_title, negative, negative_rot, negative_title);
}

static gpointer
copy_string (gconstpointer src, gpointer data)
{
  return g_strdup (src);
}

PlmStructureScene *
plm_structure_scene_copy (const PlmStructureScene *s)
{
  PlmStructureScene *c = g_new0 (PlmStructureScene, 1);
  *c = *s;
  c->residues = g_array_copy (s->residues);
  c->links = g_array_copy (s->links);
  c->chains = g_ptr_array_copy (s->chains, copy_string, NULL);
  g_ptr_array_set_free_func (c->chains, g_free);
  c->seq_length = g_memdup2 (s->seq_length, sizeof (int) * MAX (s->n_seqs, 1));
  c->seq_residue = g_new0 (int *, MAX (s->n_seqs, 1));
  for (int k = 0; k < s->n_seqs; k++)
    c->seq_residue[k] = g_memdup2 (s->seq_residue[k], sizeof (int) * MAX (s->seq_length[k], 1));
  return c;
}
