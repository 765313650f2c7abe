/* plm-figure-build.c: the views' figures from engine results, shared by the export dialog and
 * `plmlens-cli export`. */
#include "plm-figure-build.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "plm-contacts.h"
#include "plm-error.h"
#include "plm-scan-matrix.h"

const uint32_t plm_contact_mark_colors[PLM_CONTACT_N_MARKS] = {
  0xff2ca02c,   /* true positive */
  0xffd62728,   /* false positive */
  0xffffffff,   /* predicted */
  0xffb4b4b4,   /* true contact */
};

GArray *
plm_contact_marks (const float *values, int L, gsize row_stride, int min_separation, int divisor,
                   const guint8 *truth, int *counts)
{
  int k = MAX (1, L / MAX (divisor, 1));
  g_autofree int *top = g_new (int, k);
  int n = L >= 2 ? plm_contacts_rank (values, L, row_stride, min_separation, k, top) : 0;

  return plm_contact_marks_ranked (top, n, L, min_separation, truth, counts);
}

GArray *
plm_contact_marks_ranked (const int *top, int n, int L, int min_separation, const guint8 *truth, int *counts)
{
  GArray *marks = g_array_new (FALSE, FALSE, sizeof (PlmContactMark));

  if (counts != NULL)
    memset (counts, 0, sizeof (int) * PLM_CONTACT_N_MARKS);
  /* from the last to the best, so that the best is drawn on top */
  for (int t = n - 1; t >= 0; t--)
    {
      PlmContactMark m = { top[t] / L, top[t] % L, PLM_CONTACT_MARK_PREDICTED };

      if (truth != NULL && truth[top[t]] == 1)
        m.kind = PLM_CONTACT_MARK_TRUE_POSITIVE;
      else if (truth != NULL && truth[top[t]] == 0)
        m.kind = PLM_CONTACT_MARK_FALSE_POSITIVE;
      g_array_append_val (marks, m);
    }
  if (truth != NULL)
    for (int i = 0; i < L; i++)
      for (int j = 0; j + min_separation <= i; j++)
        if (truth[(gsize) i * L + j] == 1)
          {
            PlmContactMark m = { i, j, PLM_CONTACT_MARK_TRUE_CONTACT };

            g_array_append_val (marks, m);
          }
  if (counts != NULL)
    for (guint i = 0; i < marks->len; i++)
      counts[g_array_index (marks, PlmContactMark, i).kind]++;
  return marks;
}

char *
plm_contact_mark_label (PlmContactMarkKind kind, int divisor, gboolean has_truth)
{
  g_autofree char *top = divisor <= 1 ? g_strdup (_("top L")) : g_strdup_printf (_("top L/%d"), divisor);

  switch (kind)
    {
    case PLM_CONTACT_MARK_TRUE_POSITIVE:
      /* Translators: legend of a contact map, e.g. "true positive (top L/5)" */
      return g_strdup_printf (_("true positive (%s)"), top);
    case PLM_CONTACT_MARK_FALSE_POSITIVE:
      /* Translators: legend of a contact map, e.g. "false positive (top L/5)" */
      return g_strdup_printf (_("false positive (%s)"), top);
    case PLM_CONTACT_MARK_PREDICTED:
      /* Translators: legend of a contact map: a top prediction with a residue the structure lacks */
      return has_truth ? g_strdup_printf (_("%s, not in the structure"), top) : g_steal_pointer (&top);
    case PLM_CONTACT_MARK_TRUE_CONTACT:
    default:
      /* Translators: legend of a contact map: a contact of the loaded structure */
      return g_strdup (_("true contact"));
    }
}

char *
plm_figure_attention_label (int layer, int head, int n_heads)
{
  if (head < 0)
    /* Translators: a figure panel label, e.g. "layer 3 · mean of 20 heads" */
    return g_strdup_printf (_("layer %d · mean of %d heads"), layer + 1, n_heads);
  /* Translators: a figure panel label, e.g. "layer 3 · head 2" */
  return g_strdup_printf (_("layer %d · head %d"), layer + 1, head + 1);
}

void
plm_figure_build_attention (PlmFigure *f, const char *record, int layer, int head, int n_heads,
                            const float *map, int T, const char *letters)
{
  g_autofree char *label = plm_figure_attention_label (layer, head, n_heads);
  g_autofree char *full = record ? g_strdup_printf ("%s · %s", record, label) : NULL;
  plm_figure_add_heatmap (f, full ? full : label, map, T, T, letters, letters, TRUE);
}

void
plm_figure_build_grid_panel (PlmFigure *f, const char *record, int layer, int head, int n_heads,
                             const float *map, int T, const char *letters)
{
  g_autofree char *label = plm_figure_attention_label (layer, head, n_heads);
  plm_figure_add_heatmap (f, label, map, T, T, letters, letters, TRUE);
  if (record != NULL)
    plm_figure_set_default_title (f, record);
}

void
plm_figure_build_contacts (PlmFigure *f, const char *record, const float *contacts, int L,
                           const char *letters, const guint8 *truth, int min_separation)
{
  /* Translators: a figure title, the protein's name first */
  g_autofree char *label = g_strdup_printf (_("%s · predicted contacts"), record ? record : "");
  plm_figure_add_heatmap (f, record ? label : _("Predicted contacts"), contacts, L, L, letters, letters, FALSE);
  if (truth != NULL)
    plm_figure_set_true_contacts (f, truth, L, min_separation);
}

void
plm_figure_build_hasites (PlmFigure *f, const char *record, const PlmHaResult *r, int layer,
                          const char *letters, const PlmFigureTrack *tracks, int n_tracks)
{
  int L = r->length, cl = layer >= 0 && layer < r->n_layers ? layer : r->loc;
  cl = CLAMP (cl, 0, r->n_layers - 1);
  g_autofree float *sorted = g_new (float, L);
  for (int k = 0; k < L; k++)
    sorted[k] = r->heatmap[(gsize) cl * L + r->layers[cl].order[k]];
  PlmFigureHaData d = {
    .n_layers = r->n_layers, .length = L, .heatmap = r->heatmap, .sequence = letters,
    .layer = cl, .sorted = sorted, .breakpoint = r->layers[cl].fit.breakpoint,
    .intercept = r->layers[cl].fit.intercept, .m1 = r->layers[cl].fit.m1, .m2 = r->layers[cl].fit.m2,
    .theta = r->layers[cl].fit.theta, .loc = r->loc, .n_sites = r->n_sites, .sites = r->sites,
    .n_tracks = n_tracks, .tracks = tracks,
  };
  plm_figure_set_hasites (f, &d);
  g_autofree char *title = NULL;
  if (r->loc >= 0)
    /* Translators: a figure title, the protein's name first */
    title = g_strdup_printf (_("%s · HA sites (layer of convergence %d)"), record ? record : "", r->loc + 1);
  else
    title = g_strdup_printf (_("%s · HA sites (no layer of convergence)"), record ? record : "");
  plm_figure_set_default_title (f, title);
}

void
plm_figure_build_pair_panel (PlmFigure *f, gboolean positive, const char *name_a, const char *name_b,
                             const float *block, int la, int lb, const char *seq_a, const char *seq_b,
                             const int *top_a, int n_top_a, const int *top_b, int n_top_b)
{
  const char *a = name_a ? name_a : _("chain A"), *b = name_b ? name_b : _("chain B");
  g_autofree char *label = NULL;
  if (name_a == NULL && name_b == NULL)
    label = g_strdup (positive ? _("positive pair") : _("negative pair"));
  else
    /* Translators: figure panel labels: the pair's two chains */
    label = g_strdup_printf (positive ? _("positive: %s × %s") : _("negative: %s × %s"), a, b);
  int panel = plm_figure_add_heatmap (f, label, block, la, lb, seq_a, seq_b, FALSE);
  plm_figure_mark_residues (f, panel, PLM_FIGURE_AXIS_ROWS, top_a, n_top_a);
  plm_figure_mark_residues (f, panel, PLM_FIGURE_AXIS_COLS, top_b, n_top_b);
}

void
plm_figure_build_mutations (PlmFigure *f, const char *record, const float *scores, int L, const char *order,
                            const char *letters, const char *mode)
{
  g_autofree int *wt = g_new (int, MAX (L, 1));
  for (int i = 0; i < L; i++)
    wt[i] = plm_scan_order_row (order, letters[i]);
  plm_figure_add_heatmap (f, NULL, scores, 20, L, order, letters, FALSE);
  plm_figure_set_wild_type (f, wt, L);
  plm_figure_get_style (f)->color_map = PLM_COLOR_MAP_DIVERGING;
  /* Translators: a figure title, the protein's name, then "masked-marginal" or "wt-marginal" */
  g_autofree char *title = g_strdup_printf (_("%s · variant effects (%s)"), record ? record : "", mode);
  plm_figure_set_default_title (f, title);
}

static gboolean
parse_index (const char *s, int base, int limit, int *out)
{
  char *end;
  if (!g_ascii_isdigit (*s))
    return FALSE;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  if (*end != '\0' || v < base || v >= (gint64) limit + base)
    return FALSE;
  *out = (int) v - base;
  return TRUE;
}

GArray *
plm_figure_parse_indices (const char *text, int base, int limit, GError **error)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));
  if (*trimmed == '\0')
    {
      for (int i = 0; i < limit; i++)
        g_array_append_val (a, i);
      return a;
    }
  g_auto(GStrv) parts = g_strsplit (trimmed, ",", -1);
  for (int i = 0; parts[i]; i++)
    {
      char *item = g_strstrip (parts[i]);
      char *dash = strchr (item, '-');
      int lo, hi;
      gboolean ok;
      if (dash != NULL)
        {
          *dash = '\0';
          ok = parse_index (g_strstrip (item), base, limit, &lo) && parse_index (g_strstrip (dash + 1), base, limit, &hi)
               && lo <= hi;
          *dash = '-';
        }
      else
        ok = parse_index (item, base, limit, &lo) && (hi = lo, TRUE);
      if (!ok)
        {
          /* Translators: e.g. "'9' is not a number or range in 1…6" */
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, _("'%s' is not a number or range in %d…%d"), item, base,
                       limit - 1 + base);
          g_array_unref (a);
          return NULL;
        }
      for (int k = lo; k <= hi; k++)
        g_array_append_val (a, k);
    }
  return a;
}
