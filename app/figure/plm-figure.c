/* plm-figure.c: the figure description (style, panels, HA data), default labels, the scale,
 * size and cell geometry; the views are drawn by plm-figure-matrix.c and plm-figure-hasites.c. */
#include "plm-figure-private.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  f->contact_divisor = 5;
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

/* HA sites and annotation tracks, owned by the figure (the HA and mutations figures) */
static void
copy_tracks (PlmFigure *f, const int *sites, int n_sites, const PlmFigureTrack *tracks, int n_tracks)
{
  f->ha.sites = f->ha_sites = n_sites > 0 ? g_memdup2 (sites, sizeof (int) * n_sites) : NULL;
  f->ha.n_sites = MAX (n_sites, 0);
  f->ha_tracks = g_new0 (PlmFigureOwnedTrack, MAX (n_tracks, 1));
  for (int t = 0; t < n_tracks; t++)
    {
      f->ha_tracks[t].name = g_strdup (tracks[t].name);
      f->ha_tracks[t].n = tracks[t].n;
      f->ha_tracks[t].start = g_memdup2 (tracks[t].start, sizeof (int) * MAX (tracks[t].n, 1));
      f->ha_tracks[t].end = g_memdup2 (tracks[t].end, sizeof (int) * MAX (tracks[t].n, 1));
    }
  f->ha.n_tracks = MAX (n_tracks, 0);
  f->ha.tracks = NULL;
}

void
plm_figure_free (PlmFigure *f)
{
  if (f == NULL)
    return;
  ha_clear (f);
  plm_figure_structure_clear (f);
  g_ptr_array_unref (f->panels);
  g_free (f->truth);
  g_free (f->wt_rows);
  g_free (f->summary);
  g_free (f->summary_label);
  g_free (f->default_title);
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
plm_figure_set_contact_top (PlmFigure *f, int divisor)
{
  f->contact_divisor = MAX (divisor, 1);
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
  copy_tracks (f, d->sites, d->n_sites, d->tracks, d->n_tracks);
  f->has_ha = TRUE;
}

void
plm_figure_set_residue_tracks (PlmFigure *f, const float *summary, int length, const char *label, const int *sites,
                               int n_sites, const PlmFigureTrack *tracks, int n_tracks)
{
  g_clear_pointer (&f->summary, g_free);
  g_clear_pointer (&f->summary_label, g_free);
  f->summary_len = 0;
  if (summary != NULL && label != NULL && length > 0)
    {
      f->summary = g_memdup2 (summary, sizeof (float) * length);
      f->summary_len = length;
      f->summary_label = g_strdup (label);
    }
  ha_clear (f);
  copy_tracks (f, sites, n_sites, tracks, n_tracks);
  f->sites_row = n_sites >= 0;
}

/* ---- labels and defaults ---- */

const char *
plm_figure_or_default (const char *s, const char *fallback)
{
  return s != NULL ? s : fallback;
}

void
plm_figure_set_wild_type (PlmFigure *f, const int *rows, int length)
{
  g_free (f->wt_rows);
  f->wt_rows = length > 0 ? g_memdup2 (rows, sizeof (int) * length) : NULL;
  f->wt_len = MAX (length, 0);
}

const char *
plm_figure_title_text (PlmFigure *f)
{
  if (f->style.title != NULL)
    return f->style.title;
  if (f->default_title != NULL)
    return f->default_title;
  if ((f->view == PLM_FIGURE_ATTENTION || f->view == PLM_FIGURE_CONTACTS) && f->panels->len > 0)
    return ((PlmFigurePanel *) f->panels->pdata[0])->label;
  return NULL;
}

const char *
plm_figure_x_label_text (PlmFigure *f)
{
  switch (f->view)
    {
    case PLM_FIGURE_CONTACTS: return plm_figure_or_default (f->style.x_label, _("Residue"));
    case PLM_FIGURE_PAIR: return plm_figure_or_default (f->style.x_label, _("Partner residue (key)"));
    case PLM_FIGURE_HASITES: return plm_figure_or_default (f->style.x_label, _("Residue"));
    case PLM_FIGURE_MUTATIONS: return plm_figure_or_default (f->style.x_label, _("Residue"));
    default: return plm_figure_or_default (f->style.x_label, _("Key residue"));
    }
}

const char *
plm_figure_y_label_text (PlmFigure *f)
{
  switch (f->view)
    {
    case PLM_FIGURE_CONTACTS: return plm_figure_or_default (f->style.y_label, _("Residue"));
    case PLM_FIGURE_PAIR: return plm_figure_or_default (f->style.y_label, _("Query residue"));
    case PLM_FIGURE_HASITES: return plm_figure_or_default (f->style.y_label, _("Layer"));
    case PLM_FIGURE_MUTATIONS: return plm_figure_or_default (f->style.y_label, _("Substitution"));
    default: return plm_figure_or_default (f->style.y_label, _("Query residue"));
    }
}

const char *
plm_figure_colorbar_label_text (PlmFigure *f)
{
  switch (f->view)
    {
    case PLM_FIGURE_CONTACTS: return plm_figure_or_default (f->style.colorbar_label, _("Contact probability"));
    case PLM_FIGURE_HASITES: return plm_figure_or_default (f->style.colorbar_label, _("Attention received"));
    case PLM_FIGURE_PAIR: return plm_figure_or_default (f->style.colorbar_label, _("Cross-attention"));
    case PLM_FIGURE_MUTATIONS: return plm_figure_or_default (f->style.colorbar_label, _("Score (log-odds)"));
    case PLM_FIGURE_STRUCTURE: return plm_figure_or_default (f->style.colorbar_label, _("Attention received"));
    default: return plm_figure_or_default (f->style.colorbar_label, _("Attention"));
    }
}

void
plm_figure_set_default_title (PlmFigure *f, const char *title)
{
  g_free (f->default_title);
  f->default_title = g_strdup (title);
}

const char *
plm_figure_get_text (PlmFigure *f, PlmFigureText which)
{
  switch (which)
    {
    case PLM_FIGURE_TEXT_TITLE: return plm_figure_title_text (f);
    case PLM_FIGURE_TEXT_X_LABEL: return plm_figure_x_label_text (f);
    case PLM_FIGURE_TEXT_Y_LABEL: return plm_figure_y_label_text (f);
    case PLM_FIGURE_TEXT_COLORBAR_LABEL: return plm_figure_colorbar_label_text (f);
    default: g_return_val_if_reached (NULL);
    }
}

gboolean
plm_figure_has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

double
plm_figure_to_pt (PlmFigure *f, double v)
{
  return f->style.unit == PLM_FIGURE_UNIT_PX ? v * 72.0 / f->style.dpi : v * MM_TO_PT;
}

/* Visible block: <cls>/<eos> rows and columns dropped unless asked for. */
void
plm_figure_panel_visible (PlmFigure *f, PlmFigurePanel *p)
{
  int trim = p->has_specials && !f->style.specials ? 1 : 0;
  p->r0 = p->c0 = trim;
  p->nr = p->rows - 2 * trim;
  p->nc = p->cols - 2 * trim;
}

/* Residue (0-based) of matrix index @k, or −1 for a special token. */
int
plm_figure_panel_residue (PlmFigurePanel *p, int k, int n)
{
  int r = p->has_specials ? k - 1 : k;
  int L = p->has_specials ? n - 2 : n;
  return r >= 0 && r < L ? r : -1;
}

void
plm_figure_fit_scale (PlmFigure *f)
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
  if (f->view == PLM_FIGURE_MUTATIONS)
    {
      /* scores are signed: a symmetric linear scale keeps 0 at the diverging map's centre */
      float m = MAX (fabsf (f->scale.vmin), fabsf (f->scale.vmax));
      f->scale = (PlmScale) { PLM_SCALE_LINEAR, -MAX (m, 1e-6f), MAX (m, 1e-6f) };
    }
  g_free (all);
}

int
plm_figure_max_residues (PlmFigure *f)
{
  int m = 1;
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      m = MAX (m, MAX (p->rows, p->cols));
    }
  return m;
}

gboolean
plm_figure_any_marks (PlmFigure *f, int axis)
{
  for (guint i = 0; i < f->panels->len; i++)
    if (((PlmFigurePanel *) f->panels->pdata[i])->marks[axis]->len > 0)
      return TRUE;
  return FALSE;
}

/* ---- layout of the matrix views (attention, grid, contacts, pair) ---- */

void
plm_figure_layout (PlmFigure *f, PlmFigureCtx *ctx)
{
  double fs = f->style.font_size = f->style.font_size > 0 ? f->style.font_size : 8;
  if (!(f->style.dpi > 0))
    f->style.dpi = 300;
  f->pad = 0.5 * fs;
  f->tick_len = 0.3 * fs;
  f->line_w = 0.06 * fs;
  if (f->view == PLM_FIGURE_STRUCTURE)
    plm_figure_layout_structure (f, ctx);
  else if (f->view == PLM_FIGURE_HASITES && f->has_ha && f->panels->len > 0)
    plm_figure_layout_hasites (f, ctx);
  else
    plm_figure_layout_matrix (f, ctx);
}

void
plm_figure_ensure_layout (PlmFigure *f)
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
  plm_figure_ensure_layout (f);
  *width_pt = f->width;
  *height_pt = f->height;
}

void
plm_figure_get_pixel_size (PlmFigure *f, int *width_px, int *height_px)
{
  plm_figure_ensure_layout (f);
  *width_px = MAX ((int) lround (f->width * f->style.dpi / 72.0), 1);
  *height_px = MAX ((int) lround (f->height * f->style.dpi / 72.0), 1);
}

void
plm_figure_get_scale (PlmFigure *f, PlmScale *scale)
{
  plm_figure_ensure_layout (f);
  *scale = f->scale;
}

gboolean
plm_figure_cell_rect (PlmFigure *f, int panel, int row, int col, double *x, double *y, double *w, double *h)
{
  if (panel < 0 || panel >= (int) f->panels->len)
    return FALSE;
  plm_figure_ensure_layout (f);
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
  const char *title = plm_figure_title_text (f);
  if (plm_figure_has_text (title))
    plm_figure_text_draw_fit (&ctx, title, f->style.font_size * 1.1, TRUE, f->width / 2, f->title_y, 0.5, 0.0,
                              f->width - 2 * f->pad);
  if (f->view == PLM_FIGURE_STRUCTURE)
    plm_figure_draw_structure (&ctx);
  else if (f->view == PLM_FIGURE_HASITES && f->has_ha)
    plm_figure_draw_hasites (&ctx);
  else if (f->panels->len > 0)
    plm_figure_draw_matrix (&ctx);
  cairo_restore (cr);
  plm_figure_ctx_clear (&ctx);
}

