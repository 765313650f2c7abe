/* plm-figure.c: figure description, layout and the views (heatmaps, grid, pair, contacts, HA). */
#include "plm-figure-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM_TO_PT (72.0 / 25.4)
/* smallest residue letter worth printing (journals ask for ≥ 5 pt text; letters are a bonus) */
#define MIN_LETTER_PT 4.5

static void
panel_free (gpointer data)
{
  PlmFigurePanel *p = data;
  g_free (p->label);
  g_free (p->values);
  g_free (p->row_seq);
  g_free (p->col_seq);
  for (int a = 0; a < 2; a++)
    g_array_unref (p->marks[a]);
  g_free (p);
}

PlmFigure *
plm_figure_new (PlmFigureView view)
{
  PlmFigure *f = g_new0 (PlmFigure, 1);
  f->view = view;
  f->panels = g_ptr_array_new_with_free_func (panel_free);
  f->min_separation = 6;
  f->style.unit = PLM_FIGURE_UNIT_MM;
  f->style.dpi = 300;
  f->style.font_family = g_strdup ("Sans");
  f->style.font_size = 8;
  f->style.color_map = PLM_COLOR_MAP_VIRIDIS;
  f->style.scale_kind = PLM_SCALE_LINEAR;
  f->style.percentile_lo = 1;
  f->style.percentile_hi = 99;
  f->style.ticks = TRUE;
  f->style.letters = TRUE;
  return f;
}

static void
ha_clear (PlmFigure *f)
{
  g_clear_pointer (&f->ha_sorted, g_free);
  g_clear_pointer (&f->ha_sequence, g_free);
  g_clear_pointer (&f->ha_sites, g_free);
  for (int t = 0; f->ha_tracks && t < f->ha.n_tracks; t++)
    {
      g_free (f->ha_tracks[t].name);
      g_free (f->ha_tracks[t].start);
      g_free (f->ha_tracks[t].end);
    }
  g_clear_pointer (&f->ha_tracks, g_free);
  f->has_ha = FALSE;
}

void
plm_figure_free (PlmFigure *f)
{
  if (f == NULL)
    return;
  ha_clear (f);
  g_ptr_array_unref (f->panels);
  g_free (f->truth);
  g_free (f->style.title);
  g_free (f->style.font_family);
  g_free (f->style.colorbar_label);
  g_free (f->style.x_label);
  g_free (f->style.y_label);
  g_free (f);
}

PlmFigureView
plm_figure_get_view (PlmFigure *f)
{
  return f->view;
}

PlmFigureStyle *
plm_figure_get_style (PlmFigure *f)
{
  return &f->style;
}

int
plm_figure_add_heatmap (PlmFigure *f, const char *label, const float *values, int rows, int cols,
                        const char *row_seq, const char *col_seq, gboolean has_specials)
{
  g_return_val_if_fail (rows > 0 && cols > 0 && values != NULL, -1);
  PlmFigurePanel *p = g_new0 (PlmFigurePanel, 1);
  p->label = g_strdup (label);
  p->values = g_memdup2 (values, sizeof (float) * rows * cols);
  p->rows = rows;
  p->cols = cols;
  p->row_seq = g_strdup (row_seq);
  p->col_seq = g_strdup (col_seq);
  p->has_specials = has_specials && rows > 2 && cols > 2;
  for (int a = 0; a < 2; a++)
    p->marks[a] = g_array_new (FALSE, FALSE, sizeof (int));
  g_ptr_array_add (f->panels, p);
  return f->panels->len - 1;
}

void
plm_figure_mark_residues (PlmFigure *f, int panel, PlmFigureAxis axis, const int *residues, int n)
{
  g_return_if_fail (panel >= 0 && panel < (int) f->panels->len);
  PlmFigurePanel *p = f->panels->pdata[panel];
  g_array_append_vals (p->marks[axis == PLM_FIGURE_AXIS_COLS], residues, n);
}

void
plm_figure_set_grid_columns (PlmFigure *f, int n_columns)
{
  f->grid_columns = MAX (n_columns, 0);
}

void
plm_figure_set_true_contacts (PlmFigure *f, const guint8 *contacts, int length, int min_separation)
{
  g_clear_pointer (&f->truth, g_free);
  f->truth_len = 0;
  f->min_separation = MAX (min_separation, 1);
  if (contacts != NULL && length > 0)
    {
      f->truth = g_memdup2 (contacts, (gsize) length * length);
      f->truth_len = length;
    }
}

void
plm_figure_set_hasites (PlmFigure *f, const PlmFigureHaData *d)
{
  g_return_if_fail (d->n_layers > 0 && d->length > 0 && d->heatmap != NULL);
  ha_clear (f);
  g_ptr_array_set_size (f->panels, 0);
  int L = d->length;
  f->ha = *d;
  int panel = plm_figure_add_heatmap (f, NULL, d->heatmap, d->n_layers, L, NULL, d->sequence, FALSE);
  f->ha.heatmap = ((PlmFigurePanel *) f->panels->pdata[panel])->values;
  f->ha.sorted = f->ha_sorted = d->sorted ? g_memdup2 (d->sorted, sizeof (float) * L) : NULL;
  f->ha.sequence = f->ha_sequence = d->sequence ? g_strndup (d->sequence, L) : NULL;
  f->ha.sites = f->ha_sites = d->n_sites > 0 ? g_memdup2 (d->sites, sizeof (int) * d->n_sites) : NULL;
  f->ha.n_sites = MAX (d->n_sites, 0);
  f->ha_tracks = g_new0 (PlmFigureOwnedTrack, MAX (d->n_tracks, 1));
  for (int t = 0; t < d->n_tracks; t++)
    {
      f->ha_tracks[t].name = g_strdup (d->tracks[t].name);
      f->ha_tracks[t].n = d->tracks[t].n;
      f->ha_tracks[t].start = g_memdup2 (d->tracks[t].start, sizeof (int) * MAX (d->tracks[t].n, 1));
      f->ha_tracks[t].end = g_memdup2 (d->tracks[t].end, sizeof (int) * MAX (d->tracks[t].n, 1));
    }
  f->ha.n_tracks = MAX (d->n_tracks, 0);
  f->ha.tracks = NULL;
  f->has_ha = TRUE;
}

/* ---- labels and defaults ---- */

static const char *
or_default (const char *s, const char *fallback)
{
  return s != NULL ? s : fallback;
}

static const char *
title_text (PlmFigure *f)
{
  if (f->style.title != NULL)
    return f->style.title;
  if ((f->view == PLM_FIGURE_ATTENTION || f->view == PLM_FIGURE_CONTACTS) && f->panels->len > 0)
    return ((PlmFigurePanel *) f->panels->pdata[0])->label;
  return NULL;
}

static const char *
x_label_text (PlmFigure *f)
{
  switch (f->view)
    {
    case PLM_FIGURE_CONTACTS: return or_default (f->style.x_label, "Residue");
    case PLM_FIGURE_PAIR: return or_default (f->style.x_label, "Partner residue (key)");
    case PLM_FIGURE_HASITES: return or_default (f->style.x_label, "Residue");
    default: return or_default (f->style.x_label, "Key residue");
    }
}

static const char *
y_label_text (PlmFigure *f)
{
  switch (f->view)
    {
    case PLM_FIGURE_CONTACTS: return or_default (f->style.y_label, "Residue");
    case PLM_FIGURE_PAIR: return or_default (f->style.y_label, "Query residue");
    case PLM_FIGURE_HASITES: return or_default (f->style.y_label, "Layer");
    default: return or_default (f->style.y_label, "Query residue");
    }
}

static const char *
colorbar_label_text (PlmFigure *f)
{
  switch (f->view)
    {
    case PLM_FIGURE_CONTACTS: return or_default (f->style.colorbar_label, "Contact probability");
    case PLM_FIGURE_HASITES: return or_default (f->style.colorbar_label, "Attention received");
    case PLM_FIGURE_PAIR: return or_default (f->style.colorbar_label, "Cross-attention");
    default: return or_default (f->style.colorbar_label, "Attention");
    }
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

static double
to_pt (PlmFigure *f, double v)
{
  return f->style.unit == PLM_FIGURE_UNIT_PX ? v * 72.0 / f->style.dpi : v * MM_TO_PT;
}

/* Visible block: <cls>/<eos> rows and columns dropped unless asked for. */
static void
panel_visible (PlmFigure *f, PlmFigurePanel *p)
{
  int trim = p->has_specials && !f->style.specials ? 1 : 0;
  p->r0 = p->c0 = trim;
  p->nr = p->rows - 2 * trim;
  p->nc = p->cols - 2 * trim;
}

/* Residue (0-based) of matrix index @k, or −1 for a special token. */
static int
panel_residue (PlmFigurePanel *p, int k, int n)
{
  int r = p->has_specials ? k - 1 : k;
  int L = p->has_specials ? n - 2 : n;
  return r >= 0 && r < L ? r : -1;
}

static void
fit_scale (PlmFigure *f)
{
  if (f->style.fixed_scale)
    {
      f->scale = f->style.scale;
      return;
    }
  gsize total = 0;
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      total += (gsize) p->nr * p->nc;
    }
  float *all = g_new (float, MAX (total, 1));
  gsize k = 0;
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      for (int r = 0; r < p->nr; r++)
        {
          memcpy (all + k, p->values + (gsize) (p->r0 + r) * p->cols + p->c0, sizeof (float) * p->nc);
          k += p->nc;
        }
    }
  plm_scale_fit (&f->scale, f->style.scale_kind, all, total, f->style.percentile_lo, f->style.percentile_hi);
  g_free (all);
}

static int
max_residues (PlmFigure *f)
{
  int m = 1;
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      m = MAX (m, MAX (p->rows, p->cols));
    }
  return m;
}

static gboolean
any_marks (PlmFigure *f, int axis)
{
  for (guint i = 0; i < f->panels->len; i++)
    if (((PlmFigurePanel *) f->panels->pdata[i])->marks[axis]->len > 0)
      return TRUE;
  return FALSE;
}

/* ---- layout of the matrix views (attention, grid, contacts, pair) ---- */

typedef struct {
  double tick_lw, num_h, mark_rows, mark_cols;
} RulerMetrics;

static double
ydec_width (PlmFigure *f, const RulerMetrics *m, double ls)
{
  double fs = f->style.font_size;
  double w = m->mark_rows + (ls > 0 ? ls + 0.25 * fs : 0);
  if (f->style.ticks)
    w += f->tick_len + 0.2 * fs + m->tick_lw;
  else if (ls > 0 || m->mark_rows > 0)
    w += 0.2 * fs;
  return w;
}

static double
xdec_height (PlmFigure *f, const RulerMetrics *m, double ls)
{
  double fs = f->style.font_size;
  double h = m->mark_cols + (ls > 0 ? ls * 1.25 + 0.1 * fs : 0);
  if (f->style.ticks)
    h += f->tick_len + 0.1 * fs + m->num_h;
  else if (ls > 0 || m->mark_cols > 0)
    h += 0.2 * fs;
  return h;
}

static void
layout_matrix (PlmFigure *f, PlmFigureCtx *ctx)
{
  double fs = f->style.font_size;
  int n = f->panels->len;
  int ncol = 1;
  if (f->view == PLM_FIGURE_PAIR)
    ncol = MAX (n, 1);
  else if (f->view == PLM_FIGURE_GRID)
    ncol = f->grid_columns > 0 ? MIN (f->grid_columns, MAX (n, 1)) : (int) ceil (sqrt (MAX (n, 1)));
  int nrow = MAX ((n + ncol - 1) / ncol, 1);
  if (n == 0)
    {
      /* nothing to show: an empty page of the requested (or default) size */
      f->width = f->style.width > 0 ? to_pt (f, f->style.width) : 100 * MM_TO_PT;
      f->height = f->style.height > 0 ? to_pt (f, f->style.height) : 80 * MM_TO_PT;
      f->scale = (PlmScale) { PLM_SCALE_LINEAR, 0, 1 };
      f->cbar_h = 0;
      return;
    }
  double *col_cells = g_new0 (double, ncol), *row_cells = g_new0 (double, nrow);
  double *col_x = g_new0 (double, ncol), *row_y = g_new0 (double, nrow);

  for (int i = 0; i < n; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      int c = i % ncol, r = i / ncol;
      panel_visible (f, p);
      p->y_axis = f->view == PLM_FIGURE_PAIR || c == 0;
      p->x_axis = f->view == PLM_FIGURE_PAIR || r == nrow - 1;
      col_cells[c] = MAX (col_cells[c], p->nc);
      row_cells[r] = MAX (row_cells[r], p->nr);
    }
  fit_scale (f);

  RulerMetrics m = { 0 };
  char buf[32];
  g_snprintf (buf, sizeof buf, "%d", max_residues (f));
  plm_figure_text_size (ctx, buf, fs, FALSE, &m.tick_lw, &m.num_h);
  m.mark_rows = any_marks (f, 0) ? 0.8 * fs : 0;
  m.mark_cols = any_marks (f, 1) ? 0.8 * fs : 0;

  const char *title = title_text (f), *xl = x_label_text (f), *yl = y_label_text (f);
  double title_h = 0, xl_h = 0, yl_h = 0, label_h = 0, legend_h = 0;
  if (has_text (title))
    {
      plm_figure_text_size (ctx, title, fs * 1.1, TRUE, NULL, &title_h);
      title_h += 0.4 * fs;
    }
  if (has_text (xl))
    {
      plm_figure_text_size (ctx, xl, fs, FALSE, NULL, &xl_h);
      xl_h += 0.2 * fs;
    }
  if (has_text (yl))
    {
      plm_figure_text_size (ctx, yl, fs, FALSE, NULL, &yl_h);
      yl_h += 0.3 * fs;
    }
  if (f->view == PLM_FIGURE_GRID || f->view == PLM_FIGURE_PAIR)
    {
      plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &label_h);
      label_h += 0.15 * fs;
    }
  if (f->view == PLM_FIGURE_CONTACTS)
    {
      plm_figure_text_size (ctx, "Ag", fs * 0.9, FALSE, NULL, &legend_h);
      legend_h += 0.3 * fs;
    }
  double cbar_total = plm_figure_colorbar_width (ctx, colorbar_label_text (f));
  double gap_h = f->view == PLM_FIGURE_PAIR ? 1.5 * fs : 0.6 * fs, gap_v = 0.5 * fs;
  double sum_c = 0, sum_r = 0;
  for (int c = 0; c < ncol; c++)
    sum_c += col_cells[c];
  for (int r = 0; r < nrow; r++)
    sum_r += row_cells[r];
  int n_ycols = f->view == PLM_FIGURE_PAIR ? ncol : 1;
  int n_xrows = f->view == PLM_FIGURE_PAIR ? nrow : 1;

  double W = f->style.width > 0 ? to_pt (f, f->style.width) : 0;
  double H = f->style.height > 0 ? to_pt (f, f->style.height) : 0;
  if (W <= 0 && H <= 0)
    W = (f->view == PLM_FIGURE_ATTENTION || f->view == PLM_FIGURE_CONTACTS ? 100 : 180) * MM_TO_PT;

  double ls = 0, s = 1, fixed_w = 0, fixed_h = 0;
  for (int pass = 0; pass < 2; pass++)
    {
      fixed_w = 2 * f->pad + yl_h + n_ycols * ydec_width (f, &m, ls) + (ncol - 1) * gap_h + cbar_total;
      fixed_h = 2 * f->pad + title_h + legend_h + nrow * label_h + n_xrows * xdec_height (f, &m, ls)
                + (nrow - 1) * gap_v + xl_h;
      if (W > 0 && H > 0)
        s = MIN ((W - fixed_w) / sum_c, (H - fixed_h) / sum_r);
      else if (W > 0)
        s = (W - fixed_w) / sum_c;
      else
        s = (H - fixed_h) / sum_r;
      s = MAX (s, 0.01);
      double want = MIN (fs, 0.8 * s);
      if (pass == 0 && f->style.letters && want >= MIN_LETTER_PT)
        ls = want;
      else
        break;
    }
  if (ls > 0)
    ls = MIN (fs, 0.8 * s) >= MIN_LETTER_PT - 0.5 ? MIN (fs, 0.8 * s) : 0;
  f->letter_size = ls;
  if (W <= 0)
    W = fixed_w + s * sum_c;
  if (H <= 0)
    {
      /* room for the rotated colour-bar label even when the panels are flat */
      double cbl_w = 0;
      if (has_text (colorbar_label_text (f)))
        plm_figure_text_size (ctx, colorbar_label_text (f), fs, FALSE, &cbl_w, NULL);
      H = MAX (fixed_h + s * sum_r, cbl_w + 2 * f->pad);
    }
  f->width = W;
  f->height = H;

  double off_x = (W - (fixed_w + s * sum_c)) / 2 + f->pad;
  double off_y = (H - (fixed_h + s * sum_r)) / 2 + f->pad;
  f->title_y = off_y;
  f->legend_y = off_y + title_h;
  f->y_label_x = off_x;
  double x = off_x + yl_h;
  for (int c = 0; c < ncol; c++)
    {
      if (c == 0 || f->view == PLM_FIGURE_PAIR)
        x += ydec_width (f, &m, ls);
      col_x[c] = x;
      x += col_cells[c] * s + (c + 1 < ncol ? gap_h : 0);
    }
  double y = off_y + title_h + legend_h;
  for (int r = 0; r < nrow; r++)
    {
      y += label_h;
      row_y[r] = y;
      y += row_cells[r] * s;
      if (f->view == PLM_FIGURE_PAIR || r == nrow - 1)
        y += xdec_height (f, &m, ls);
      y += r + 1 < nrow ? gap_v : 0;
    }
  f->x_label_y = y + 0.2 * fs;
  for (int i = 0; i < n; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      p->x = col_x[i % ncol];
      p->y = row_y[i / ncol];
      p->cw = p->ch = s;
    }
  f->cbar_x = x + 1.2 * fs;
  f->cbar_w = 0.9 * fs;
  f->cbar_y = row_y[0];
  f->cbar_h = row_y[nrow - 1] + row_cells[nrow - 1] * s - row_y[0];
  g_free (col_cells);
  g_free (row_cells);
  g_free (col_x);
  g_free (row_y);
}

/* ---- layout of the HA-site figure ---- */

static void
layout_ha (PlmFigure *f, PlmFigureCtx *ctx)
{
  double fs = f->style.font_size;
  PlmFigurePanel *p = f->panels->pdata[0];
  int L = f->ha.length, NL = f->ha.n_layers;
  panel_visible (f, p);
  p->y_axis = p->x_axis = TRUE;
  fit_scale (f);

  double W = f->style.width > 0 ? to_pt (f, f->style.width) : 180 * MM_TO_PT;
  double H = f->style.height > 0 ? to_pt (f, f->style.height) : 0;
  const char *title = title_text (f);
  double title_h = 0, yl_h = 0, xl_h = 0, num_w, num_h, name_w = 0, tw;
  char buf[32];
  if (has_text (title))
    {
      plm_figure_text_size (ctx, title, fs * 1.1, TRUE, NULL, &title_h);
      title_h += 0.4 * fs;
    }
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &yl_h);
  yl_h += 0.3 * fs;
  xl_h = yl_h;
  g_snprintf (buf, sizeof buf, "%d", MAX (L, NL));
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, &num_h);
  plm_figure_text_size (ctx, "HA sites", fs, FALSE, &name_w, NULL);
  for (int t = 0; t < f->ha.n_tracks; t++)
    {
      plm_figure_text_size (ctx, or_default (f->ha_tracks[t].name, ""), fs, FALSE, &tw, NULL);
      name_w = MAX (name_w, tw);
    }
  double ydec = MAX (f->tick_len + 0.2 * fs + MAX (num_w, 2.4 * fs), name_w + 0.4 * fs - yl_h);
  double cbar_total = plm_figure_colorbar_width (ctx, colorbar_label_text (f));
  double heat_x = f->pad + yl_h + ydec;
  double heat_w = MAX (W - heat_x - cbar_total - f->pad, 10.0);
  double cw = heat_w / L;
  double ls = f->style.letters && MIN (fs, 0.8 * cw) >= MIN_LETTER_PT ? MIN (fs, 0.8 * cw) : 0;
  f->letter_size = ls;
  f->track_h = 1.3 * fs;
  int n_tracks = 1 + f->ha.n_tracks;
  double below = (ls > 0 ? ls * 1.3 : 0) + 0.3 * fs + n_tracks * f->track_h
                 + f->tick_len + 0.1 * fs + num_h + xl_h + 1.0 * fs;
  double curve_dec = f->tick_len + 0.1 * fs + num_h + xl_h;
  double heat_h = CLAMP (NL * cw, 0.14 * W, 0.28 * W), cbar_label_w = 0;
  /* the rotated colour-bar label must fit beside the heatmap */
  if (has_text (colorbar_label_text (f)))
    plm_figure_text_size (ctx, colorbar_label_text (f), fs, FALSE, &cbar_label_w, NULL);
  heat_h = MAX (heat_h, cbar_label_w + 0.5 * fs);
  double curve_h = 0.24 * W;
  double fixed = 2 * f->pad + title_h + below + curve_dec;
  if (H > 0)
    {
      double avail = H - fixed;
      heat_h = MIN (heat_h, avail * 0.55);
      curve_h = MAX (avail - heat_h, 2.0 * fs);
    }
  else
    H = fixed + heat_h + curve_h;
  f->width = W;
  f->height = H;

  f->title_y = f->pad;
  f->y_label_x = f->pad;
  p->x = heat_x;
  p->y = f->pad + title_h;
  p->cw = cw;
  p->ch = heat_h / NL;
  f->cbar_x = heat_x + heat_w + 1.2 * fs;
  f->cbar_w = 0.9 * fs;
  f->cbar_y = p->y;
  f->cbar_h = heat_h;
  f->track_y = p->y + heat_h + (ls > 0 ? ls * 1.3 : 0) + 0.3 * fs;
  f->ruler_y = f->track_y + n_tracks * f->track_h;
  f->x_label_y = f->ruler_y + f->tick_len + 0.1 * fs + num_h + 0.1 * fs;
  f->curve_x = heat_x;
  f->curve_y = f->x_label_y + xl_h + 1.0 * fs;
  f->curve_w = heat_w * 0.62;
  f->curve_h = curve_h;
}

void
plm_figure_layout (PlmFigure *f, PlmFigureCtx *ctx)
{
  double fs = f->style.font_size = f->style.font_size > 0 ? f->style.font_size : 8;
  if (!(f->style.dpi > 0))
    f->style.dpi = 300;
  f->pad = 0.5 * fs;
  f->tick_len = 0.3 * fs;
  f->line_w = 0.06 * fs;
  if (f->view == PLM_FIGURE_HASITES && f->has_ha && f->panels->len > 0)
    layout_ha (f, ctx);
  else
    layout_matrix (f, ctx);
}

static void
with_layout (PlmFigure *f)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);
  PlmFigureCtx ctx;
  plm_figure_ctx_init (&ctx, f, cr);
  plm_figure_layout (f, &ctx);
  plm_figure_ctx_clear (&ctx);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

void
plm_figure_get_size (PlmFigure *f, double *width_pt, double *height_pt)
{
  with_layout (f);
  *width_pt = f->width;
  *height_pt = f->height;
}

void
plm_figure_get_pixel_size (PlmFigure *f, int *width_px, int *height_px)
{
  with_layout (f);
  *width_px = MAX ((int) lround (f->width * f->style.dpi / 72.0), 1);
  *height_px = MAX ((int) lround (f->height * f->style.dpi / 72.0), 1);
}

void
plm_figure_get_scale (PlmFigure *f, PlmScale *scale)
{
  with_layout (f);
  *scale = f->scale;
}

gboolean
plm_figure_cell_rect (PlmFigure *f, int panel, int row, int col, double *x, double *y, double *w, double *h)
{
  if (panel < 0 || panel >= (int) f->panels->len)
    return FALSE;
  with_layout (f);
  PlmFigurePanel *p = f->panels->pdata[panel];
  if (row < p->r0 || row >= p->r0 + p->nr || col < p->c0 || col >= p->c0 + p->nc)
    return FALSE;
  *x = p->x + (col - p->c0) * p->cw;
  *y = p->y + (row - p->r0) * p->ch;
  *w = p->cw;
  *h = p->ch;
  return TRUE;
}

/* ---- drawing ---- */

static const uint32_t mark_color = 0xffd62728;

static gboolean
is_marked (GArray *marks, int residue)
{
  for (guint i = 0; i < marks->len; i++)
    if (g_array_index (marks, int, i) == residue)
      return TRUE;
  return FALSE;
}

static void
triangle (cairo_t *cr, double x, double y, double size, gboolean pointing_right)
{
  if (pointing_right)
    {
      cairo_move_to (cr, x + size / 2, y);
      cairo_line_to (cr, x - size / 2, y - size / 2);
      cairo_line_to (cr, x - size / 2, y + size / 2);
    }
  else /* pointing up */
    {
      cairo_move_to (cr, x, y - size / 2);
      cairo_line_to (cr, x - size / 2, y + size / 2);
      cairo_line_to (cr, x + size / 2, y + size / 2);
    }
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* Row ruler left of a panel (@rows TRUE) or column ruler under it: ticks, marks, letters,
 * numbers, outward from the edge. */
static void
draw_ruler (PlmFigureCtx *ctx, PlmFigurePanel *p, gboolean rows)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size, ls = f->letter_size, num_w, num_h;
  char buf[32];
  g_snprintf (buf, sizeof buf, "%d", max_residues (f));
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, &num_h);
  GArray *marks = p->marks[rows ? 0 : 1];
  double mark_w = any_marks (f, rows ? 0 : 1) ? 0.8 * fs : 0;
  int n = rows ? p->rows : p->cols, k0 = rows ? p->r0 : p->c0, nk = rows ? p->nr : p->nc;
  double cell = rows ? p->ch : p->cw;
  const char *seq = rows ? p->row_seq : p->col_seq;
  int step = plm_figure_tick_step (cell, rows ? num_h * 0.9 : num_w + 0.3 * fs);
  double edge = rows ? p->x : p->y + p->nr * p->ch;
  double t_end = edge + (rows ? -1 : 1) * (f->style.ticks ? f->tick_len : 0);
  double mark_c = t_end + (rows ? -1 : 1) * (mark_w / 2 + (mark_w > 0 ? 0.05 * fs : 0));
  double let_c = t_end + (rows ? -1 : 1) * (mark_w + (ls > 0 ? (rows ? ls / 2 + 0.15 * fs : ls * 0.6 + 0.05 * fs) : 0));
  double num_at = t_end + (rows ? -1 : 1) * (mark_w + (ls > 0 ? (rows ? ls + 0.25 * fs : ls * 1.25 + 0.1 * fs) : 0) + 0.1 * fs);
  if (rows)
    num_at -= 0.1 * fs;

  cairo_set_line_width (cr, f->line_w);
  for (int k = k0; k < k0 + nk; k++)
    {
      int res = panel_residue (p, k, n);
      double c = (rows ? p->y : p->x) + (k - k0 + 0.5) * cell;
      if (res < 0)
        continue;
      gboolean marked = is_marked (marks, res);
      gboolean numbered = f->style.ticks && ((res + 1) % step == 0 || (step >= 5 && res == 0 && (step - 1) * cell >= (rows ? num_h : num_w) * 1.3));
      if (numbered)
        {
          cairo_set_source_rgb (cr, 0, 0, 0);
          if (rows)
            {
              cairo_move_to (cr, edge, c);
              cairo_line_to (cr, edge - f->tick_len, c);
            }
          else
            {
              cairo_move_to (cr, c, edge);
              cairo_line_to (cr, c, edge + f->tick_len);
            }
          cairo_stroke (cr);
          g_snprintf (buf, sizeof buf, "%d", res + 1);
          double lw, lh;
          plm_figure_text_size (ctx, buf, fs, FALSE, &lw, &lh);
          /* in a grid, a number may not reach into the neighbouring panel's numbers */
          double half = rows ? lh / 2 : lw / 2, lo = rows ? p->y : p->x;
          double hi = lo + nk * cell, slack = f->view == PLM_FIGURE_GRID ? 0.2 * fs : half;
          if (c - half >= lo - slack && c + half <= hi + slack)
            {
              if (rows)
                plm_figure_text_draw (ctx, buf, fs, FALSE, num_at, c, 1.0, 0.5, 0);
              else
                plm_figure_text_draw (ctx, buf, fs, FALSE, c, num_at, 0.5, 0.0, 0);
            }
        }
      if (marked)
        {
          plm_figure_set_rgb (cr, mark_color);
          if (rows)
            triangle (cr, mark_c, c, MIN (0.7 * fs, MAX (cell, 0.45 * fs)), TRUE);
          else
            triangle (cr, c, mark_c, MIN (0.7 * fs, MAX (cell, 0.45 * fs)), FALSE);
        }
      if (ls > 0 && seq != NULL && res < (int) strlen (seq))
        {
          char letter[2] = { seq[res], 0 };
          if (marked)
            plm_figure_set_rgb (cr, mark_color);
          else
            cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
          if (rows)
            plm_figure_text_draw (ctx, letter, ls, marked, let_c, c, 0.5, 0.5, 0);
          else
            plm_figure_text_draw (ctx, letter, ls, marked, c, let_c, 0.5, 0.5, 0);
        }
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
}

static void
frame (PlmFigureCtx *ctx, double x, double y, double w, double h)
{
  cairo_set_source_rgb (ctx->cr, 0, 0, 0);
  cairo_set_line_width (ctx->cr, ctx->figure->line_w);
  cairo_rectangle (ctx->cr, x, y, w, h);
  cairo_stroke (ctx->cr);
}

typedef struct { int i, j; float v; } Ranked;

static int
compare_ranked (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;
  if (x->v != y->v)
    return x->v < y->v ? 1 : -1;
  return x->i != y->i ? x->i - y->i : x->j - y->j;
}

/* Top L, L/2, L/5 predicted contacts (|i − j| ≥ min separation) as rings in the upper
 * triangle; true contacts as squares in the lower one. Returns precision at L/5 (or −1). */
static double
draw_contact_marks (PlmFigureCtx *ctx, PlmFigurePanel *p, gboolean draw)
{
  PlmFigure *f = ctx->figure;
  int L = MIN (p->rows, p->cols) - (p->has_specials ? 2 : 0), off = p->has_specials ? 1 : 0;
  int sep = f->min_separation;
  if (L < 2)
    return -1;
  Ranked *r = g_new (Ranked, (gsize) L * L / 2 + 1);
  int n = 0;
  for (int i = 0; i < L; i++)
    for (int j = i + sep; j < L; j++)
      r[n++] = (Ranked) { i, j, p->values[(gsize) (i + off) * p->cols + j + off] };
  qsort (r, n, sizeof (Ranked), compare_ranked);
  static const uint32_t colors[3] = { 0xff9ecae1, 0xffff7f0e, 0xffd62728 };
  int counts[3] = { MIN (L, n), MIN (MAX (L / 2, 1), n), MIN (MAX (L / 5, 1), n) };
  cairo_t *cr = ctx->cr;
  double s = p->cw, lw = CLAMP (0.12 * s, 0.25, 1.0);
  double x0 = p->x + (off - p->c0) * s, y0 = p->y + (off - p->r0) * s;
  if (draw)
    {
      cairo_set_line_width (cr, lw);
      for (int level = 0; level < 3; level++)
        {
          plm_figure_set_rgb (cr, colors[level]);
          for (int k = 0; k < counts[level]; k++)
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, x0 + (r[k].j + 0.5) * s, y0 + (r[k].i + 0.5) * s, MAX (0.38 * s - lw / 2, 0.3), 0, 2 * G_PI);
            }
          cairo_stroke (cr);
        }
    }
  double precision = -1;
  if (f->truth != NULL && f->truth_len == L)
    {
      int hits = 0;
      for (int k = 0; k < counts[2]; k++)
        hits += f->truth[(gsize) r[k].i * L + r[k].j] != 0;
      precision = counts[2] > 0 ? (double) hits / counts[2] : 0;
      if (draw)
        {
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, lw);
          for (int i = 0; i < L; i++)
            for (int j = 0; j + sep <= i; j++)
              if (f->truth[(gsize) i * L + j])
                cairo_rectangle (cr, x0 + (j + 0.12) * s + lw / 2, y0 + (i + 0.12) * s + lw / 2,
                                 0.76 * s - lw, 0.76 * s - lw);
          cairo_stroke (cr);
        }
    }
  g_free (r);
  return precision;
}

static void
draw_contact_legend (PlmFigureCtx *ctx, double precision)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size * 0.9, x = ((PlmFigurePanel *) f->panels->pdata[0])->x, y, w;
  static const char *names[3] = { "top L/5", "top L/2", "top L" };
  static const uint32_t colors[3] = { 0xffd62728, 0xffff7f0e, 0xff9ecae1 };
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &y);
  y = f->legend_y + y / 2;
  cairo_set_line_width (cr, 0.1 * fs);
  for (int k = 0; k < 3; k++)
    {
      plm_figure_set_rgb (cr, colors[k]);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + 0.35 * fs, y, 0.3 * fs, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      plm_figure_text_draw (ctx, names[k], fs, FALSE, x + 0.85 * fs, y, 0, 0.5, 0);
      plm_figure_text_size (ctx, names[k], fs, FALSE, &w, NULL);
      x += 0.85 * fs + w + 0.9 * fs;
    }
  if (precision >= 0)
    {
      char buf[64];
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_rectangle (cr, x + 0.1 * fs, y - 0.3 * fs, 0.6 * fs, 0.6 * fs);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      g_snprintf (buf, sizeof buf, "true contact   P@L/5 = %.2f", precision);
      plm_figure_text_draw (ctx, buf, fs, FALSE, x + 0.9 * fs, y, 0, 0.5, 0);
    }
}

static void
draw_matrix_view (PlmFigureCtx *ctx)
{
  PlmFigure *f = ctx->figure;
  double fs = f->style.font_size;
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      plm_figure_draw_cells (ctx, p->values, p->cols, p->r0, p->nr, p->c0, p->nc, p->x, p->y, p->cw, p->ch);
      if (f->view == PLM_FIGURE_CONTACTS)
        draw_contact_marks (ctx, p, TRUE);
      frame (ctx, p->x, p->y, p->nc * p->cw, p->nr * p->ch);
      if (p->y_axis)
        draw_ruler (ctx, p, TRUE);
      if (p->x_axis)
        draw_ruler (ctx, p, FALSE);
      if ((f->view == PLM_FIGURE_GRID || f->view == PLM_FIGURE_PAIR) && has_text (p->label))
        plm_figure_text_draw (ctx, p->label, fs, FALSE, p->x + p->nc * p->cw / 2, p->y - 0.1 * fs, 0.5, 1.0, 0);
    }
  if (f->view == PLM_FIGURE_CONTACTS && f->panels->len > 0)
    draw_contact_legend (ctx, draw_contact_marks (ctx, f->panels->pdata[0], FALSE));
  const char *xl = x_label_text (f), *yl = y_label_text (f);
  if (f->panels->len > 0)
    {
      PlmFigurePanel *first = f->panels->pdata[0], *last = f->panels->pdata[f->panels->len - 1];
      double left = first->x, right = last->x + last->nc * last->cw;
      if (f->view == PLM_FIGURE_GRID)
        {
          int ncol = f->grid_columns > 0 ? MIN (f->grid_columns, (int) f->panels->len) : (int) ceil (sqrt (f->panels->len));
          PlmFigurePanel *end = f->panels->pdata[MIN (ncol, (int) f->panels->len) - 1];
          right = end->x + end->nc * end->cw;
        }
      if (has_text (xl))
        plm_figure_text_draw (ctx, xl, fs, FALSE, (left + right) / 2, f->x_label_y, 0.5, 0.0, 0);
      if (has_text (yl))
        plm_figure_text_draw (ctx, yl, fs, FALSE, f->y_label_x, f->cbar_y + f->cbar_h / 2, 0.5, 0.0, -G_PI / 2);
    }
  plm_figure_draw_colorbar (ctx, colorbar_label_text (f));
}

static void
draw_ha_view (PlmFigureCtx *ctx)
{
  PlmFigure *f = ctx->figure;
  PlmFigurePanel *p = f->panels->pdata[0];
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size, num_w, num_h;
  int L = f->ha.length, NL = f->ha.n_layers;
  double heat_w = L * p->cw, heat_h = NL * p->ch;
  char buf[96];

  plm_figure_draw_cells (ctx, p->values, p->cols, 0, NL, 0, L, p->x, p->y, p->cw, p->ch);
  frame (ctx, p->x, p->y, heat_w, heat_h);

  /* layer ruler; the layer of convergence outlined and its number in bold */
  g_snprintf (buf, sizeof buf, "%d", NL);
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, &num_h);
  int lstep = plm_figure_tick_step (p->ch, num_h * 0.9);
  for (int l = 0; l < NL; l++)
    {
      gboolean is_loc = l == f->ha.loc;
      /* multiples of the step and the last layer, unless they would touch the LoC label */
      gboolean near_loc = f->ha.loc >= 0 && fabs ((double) (l - f->ha.loc)) * p->ch < num_h * 1.05;
      gboolean last_ok = l == NL - 1 && (l % lstep) * p->ch >= num_h * 1.05;
      if (!is_loc && (near_loc || (l % lstep != 0 && !last_ok)))
        continue;
      double c = p->y + (l + 0.5) * p->ch;
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_line_width (cr, f->line_w);
      cairo_move_to (cr, p->x, c);
      cairo_line_to (cr, p->x - f->tick_len, c);
      cairo_stroke (cr);
      g_snprintf (buf, sizeof buf, is_loc ? "LoC %d" : "%d", l);
      plm_figure_text_draw (ctx, buf, fs, is_loc, p->x - f->tick_len - 0.2 * fs, c, 1.0, 0.5, 0);
    }
  if (f->ha.loc >= 0 && f->ha.loc < NL)
    {
      double y = p->y + f->ha.loc * p->ch;
      cairo_set_line_width (cr, 2.0 * f->line_w + 0.8);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_rectangle (cr, p->x, y, heat_w, p->ch);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 0.8);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_rectangle (cr, p->x, y, heat_w, p->ch);
      cairo_stroke (cr);
    }
  plm_figure_text_draw (ctx, y_label_text (f), fs, FALSE, f->y_label_x, p->y + heat_h / 2, 0.5, 0.0, -G_PI / 2);

  /* residue letters under the heatmap */
  double ls = f->letter_size;
  if (ls > 0 && f->ha.sequence)
    for (int j = 0; j < L; j++)
      {
        char letter[2] = { f->ha.sequence[j], 0 };
        gboolean site = FALSE;
        for (int k = 0; k < f->ha.n_sites; k++)
          site |= f->ha.sites[k] == j;
        if (site)
          plm_figure_set_rgb (cr, mark_color);
        else
          cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
        plm_figure_text_draw (ctx, letter, ls, site, p->x + (j + 0.5) * p->cw, p->y + heat_h + 0.15 * fs, 0.5, 0.0, 0);
      }

  /* tracks: HA sites, then annotations */
  static const uint32_t track_colors[] = { 0xff1f77b4, 0xff2ca02c, 0xff9467bd, 0xffff7f0e, 0xff8c564b };
  for (int t = 0; t < 1 + f->ha.n_tracks; t++)
    {
      double ty = f->track_y + t * f->track_h, tc = ty + f->track_h / 2, bh = 0.6 * f->track_h;
      const char *name = t == 0 ? "HA sites" : or_default (f->ha_tracks[t - 1].name, "");
      cairo_set_source_rgb (cr, 0, 0, 0);
      plm_figure_text_draw (ctx, name, fs, FALSE, p->x - 0.4 * fs, tc, 1.0, 0.5, 0);
      cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      cairo_set_line_width (cr, f->line_w);
      cairo_move_to (cr, p->x, tc);
      cairo_line_to (cr, p->x + heat_w, tc);
      cairo_stroke (cr);
      double minw = MAX (p->cw, 0.6);
      if (t == 0)
        {
          plm_figure_set_rgb (cr, mark_color);
          for (int k = 0; k < f->ha.n_sites; k++)
            if (f->ha.sites[k] >= 0 && f->ha.sites[k] < L)
              cairo_rectangle (cr, p->x + f->ha.sites[k] * p->cw + (p->cw - minw) / 2, tc - bh / 2, minw, bh);
          cairo_fill (cr);
          continue;
        }
      PlmFigureOwnedTrack *tr = &f->ha_tracks[t - 1];
      plm_figure_set_rgb (cr, track_colors[(t - 1) % G_N_ELEMENTS (track_colors)]);
      for (int k = 0; k < tr->n; k++)
        {
          int a = CLAMP (tr->start[k], 0, L - 1), b = CLAMP (tr->end[k], a, L - 1);
          double w = MAX ((b - a + 1) * p->cw, minw);
          cairo_rectangle (cr, p->x + a * p->cw + ((b - a + 1) * p->cw - w) / 2, tc - bh / 2, w, bh);
        }
      cairo_fill (cr);
    }

  /* residue ruler under the tracks */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, f->line_w);
  cairo_move_to (cr, p->x, f->ruler_y);
  cairo_line_to (cr, p->x + heat_w, f->ruler_y);
  cairo_stroke (cr);
  g_snprintf (buf, sizeof buf, "%d", L);
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, NULL);
  int step = plm_figure_tick_step (p->cw, num_w + 0.3 * fs);
  for (int j = 0; j < L; j++)
    if ((j + 1) % step == 0 || (j == 0 && step >= 5 && (step - 1) * p->cw >= num_w * 1.3))
      {
        double c = p->x + (j + 0.5) * p->cw;
        cairo_move_to (cr, c, f->ruler_y);
        cairo_line_to (cr, c, f->ruler_y + f->tick_len);
        cairo_stroke (cr);
        g_snprintf (buf, sizeof buf, "%d", j + 1);
        plm_figure_text_draw (ctx, buf, fs, FALSE, c, f->ruler_y + f->tick_len + 0.1 * fs, 0.5, 0.0, 0);
      }
  plm_figure_text_draw (ctx, x_label_text (f), fs, FALSE, p->x + heat_w / 2, f->x_label_y, 0.5, 0.0, 0);
  plm_figure_draw_colorbar (ctx, colorbar_label_text (f));

  /* sorted curve with both fitted segments and the breakpoint */
  double cx = f->curve_x, cy = f->curve_y, cw = f->curve_w, ch = f->curve_h;
  if (ch <= 0 || f->ha.sorted == NULL)
    return;
  double ymax = 1.0;
  for (int k = 0; k < L; k++)
    ymax = MAX (ymax, f->ha.sorted[k]);
#define CX(v) (cx + (v) * cw)
#define CY(v) (cy + ch - (v) / ymax * ch)
  double b = CLAMP (f->ha.breakpoint, 0, 1);
  cairo_set_source_rgba (cr, 0.84, 0.15, 0.16, 0.08);
  cairo_rectangle (cr, cx, cy, b * cw, ch);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, f->line_w);
  cairo_move_to (cr, cx, cy);
  cairo_line_to (cr, cx, cy + ch);
  cairo_line_to (cr, cx + cw, cy + ch);
  cairo_stroke (cr);
  double ticks[16];
  int nt = plm_figure_nice_ticks (0, 1, 5, ticks);
  for (int k = 0; k < nt; k++)
    {
      g_snprintf (buf, sizeof buf, "%g", ticks[k]);
      cairo_move_to (cr, CX (ticks[k]), cy + ch);
      cairo_line_to (cr, CX (ticks[k]), cy + ch + f->tick_len);
      cairo_stroke (cr);
      plm_figure_text_draw (ctx, buf, fs, FALSE, CX (ticks[k]), cy + ch + f->tick_len + 0.1 * fs, 0.5, 0, 0);
    }
  nt = plm_figure_nice_ticks (0, ymax, 3, ticks);
  for (int k = 0; k < nt; k++)
    {
      g_snprintf (buf, sizeof buf, "%g", ticks[k]);
      cairo_move_to (cr, cx, CY (ticks[k]));
      cairo_line_to (cr, cx - f->tick_len, CY (ticks[k]));
      cairo_stroke (cr);
      plm_figure_text_draw (ctx, buf, fs, FALSE, cx - f->tick_len - 0.2 * fs, CY (ticks[k]), 1.0, 0.5, 0);
    }
  plm_figure_text_draw (ctx, "Rank (fraction of residues)", fs, FALSE, cx + cw / 2,
                        cy + ch + f->tick_len + 0.2 * fs + num_h, 0.5, 0, 0);
  double tick_w = 0, tw;
  for (int k = 0; k < nt; k++)
    {
      g_snprintf (buf, sizeof buf, "%g", ticks[k]);
      plm_figure_text_size (ctx, buf, fs, FALSE, &tw, NULL);
      tick_w = MAX (tick_w, tw);
    }
  plm_figure_text_draw (ctx, "Attention", fs, FALSE, cx - f->tick_len - 0.5 * fs - tick_w - num_h,
                        cy + ch / 2, 0.5, 0.0, -G_PI / 2);

  double r = CLAMP (0.3 * cw / L, 0.4, 0.16 * fs);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  for (int k = 0; k < L; k++)
    {
      double x = L > 1 ? (double) k / (L - 1) : 0;
      cairo_new_sub_path (cr);
      cairo_arc (cr, CX (x), CY (f->ha.sorted[k]), r, 0, 2 * G_PI);
    }
  cairo_fill (cr);
  double yb = f->ha.intercept + f->ha.m1 * b;
  cairo_save (cr);
  cairo_rectangle (cr, cx, cy, cw, ch);
  cairo_clip (cr);
  cairo_set_line_width (cr, 0.12 * fs);
  cairo_set_source_rgb (cr, 0.84, 0.15, 0.16);
  cairo_move_to (cr, CX (0), CY (f->ha.intercept));
  cairo_line_to (cr, CX (b), CY (yb));
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.12, 0.47, 0.71);
  cairo_move_to (cr, CX (b), CY (yb));
  cairo_line_to (cr, CX (1), CY (yb + f->ha.m2 * (1 - b)));
  cairo_stroke (cr);
  cairo_restore (cr);
  double dash[2] = { 0.3 * fs, 0.2 * fs };
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, f->line_w);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, CX (b), cy);
  cairo_line_to (cr, CX (b), cy + ch);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
#undef CX
#undef CY

  /* caption lines right of the curve */
  double tx = cx + cw + 2.0 * fs, ty = cy, lh;
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &lh);
  const char *lines[5];
  char l0[96], l1[96], l2[96], l3[96];
  g_snprintf (l0, sizeof l0, "Sorted profile, layer %d%s", f->ha.layer, f->ha.layer == f->ha.loc ? " (LoC)" : "");
  g_snprintf (l1, sizeof l1, "Breakpoint b = %.3f", f->ha.breakpoint);
  g_snprintf (l2, sizeof l2, "Angle \xce\xb8 = %.1f\xc2\xb0", f->ha.theta);
  g_snprintf (l3, sizeof l3, "%d HA site%s (LoC layer %d)", f->ha.n_sites, f->ha.n_sites == 1 ? "" : "s", f->ha.loc);
  lines[0] = l0; lines[1] = l1; lines[2] = l2; lines[3] = l3;
  for (int k = 0; k < 4; k++)
    {
      if (k == 1)
        {
          cairo_set_source_rgb (cr, 0.84, 0.15, 0.16);
          cairo_rectangle (cr, tx - 1.4 * fs, ty + (k + 0.5) * lh * 1.2 - 0.06 * fs, 0.5 * fs, 0.12 * fs);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0.12, 0.47, 0.71);
          cairo_rectangle (cr, tx - 0.85 * fs, ty + (k + 0.5) * lh * 1.2 - 0.06 * fs, 0.5 * fs, 0.12 * fs);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      plm_figure_text_draw (ctx, lines[k], fs, k == 0, tx, ty + k * lh * 1.2, 0, 0, 0);
    }
}

void
plm_figure_draw (PlmFigure *f, cairo_t *cr)
{
  PlmFigureCtx ctx;
  plm_figure_ctx_init (&ctx, f, cr);
  plm_figure_layout (f, &ctx);
  cairo_save (cr);
  if (!f->style.transparent)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_rectangle (cr, 0, 0, f->width, f->height);
      cairo_fill (cr);
    }
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_source_rgb (cr, 0, 0, 0);
  const char *title = title_text (f);
  if (has_text (title))
    plm_figure_text_draw (&ctx, title, f->style.font_size * 1.1, TRUE, f->width / 2, f->title_y, 0.5, 0.0, 0);
  if (f->view == PLM_FIGURE_HASITES && f->has_ha)
    draw_ha_view (&ctx);
  else if (f->panels->len > 0)
    draw_matrix_view (&ctx);
  cairo_restore (cr);
  plm_figure_ctx_clear (&ctx);
}
