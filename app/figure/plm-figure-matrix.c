/* plm-figure-matrix.c: layout and drawing of the matrix views: attention, grid, contacts, pair. */
#include "plm-figure-private.h"

#include "plm-contacts.h"
#include "plm-figure-build.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The contacts' marks of panel @p (its residue block, without specials) and the precision at
 * L/5 over the pairs whose truth is known (−1 without a structure). */
static GArray *
contact_state (PlmFigure *f, PlmFigurePanel *p, int *counts, double *precision)
{
  int L = MIN (p->rows, p->cols) - (p->has_specials ? 2 : 0), off = p->has_specials ? 1 : 0;
  const float *values = p->values + (gsize) off * p->cols + off;
  const guint8 *truth = f->truth != NULL && f->truth_len == L ? f->truth : NULL;

  *precision = -1;
  if (L < 2)
    {
      memset (counts, 0, sizeof (int) * PLM_CONTACT_N_MARKS);
      return g_array_new (FALSE, FALSE, sizeof (PlmContactMark));
    }
  if (truth != NULL)
    {
      int k5 = MAX (L / 5, 1);
      g_autofree int *known = g_new (int, k5);
      int n5 = plm_contacts_rank_known (values, L, p->cols, f->min_separation, k5, truth, known);
      *precision = n5 > 0 ? plm_contacts_precision (known, n5, truth, NULL) : -1;
      if (isnan (*precision))
        *precision = -1;
    }
  return plm_contact_marks (values, L, p->cols, f->min_separation, f->contact_divisor, truth, counts);
}

typedef struct {
  char  *text;
  int    kind;      /* a PlmContactMarkKind, LEGEND_TEXT: text only, LEGEND_MISSING: grey swatch */
  double w;
  int    line;
} LegendEntry;

#define LEGEND_TEXT    (-1)
#define LEGEND_MISSING (-2)
#define LEGEND_MAX     (PLM_CONTACT_N_MARKS + 2)

/* A visible cell is NaN: a windowed run's pair that no window computed, drawn grey. */
static gboolean
has_missing (PlmFigure *f)
{
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];

      for (int r = p->r0; r < p->r0 + p->nr; r++)
        for (int c = p->c0; c < p->c0 + p->nc; c++)
          if (isnan (p->values[(gsize) r * p->cols + c]))
            return TRUE;
    }
  return FALSE;
}

/* The legend over the map: for contacts exactly the kinds of marks drawn, then the grey of
 * uncomputed pairs when there are any (any matrix view), then the precision; entries wrap onto
 * further lines within @avail. Returns the number of entries, the number of lines in @lines. */
static int
contact_legend (PlmFigureCtx *ctx, double avail, LegendEntry *e, int *lines)
{
  PlmFigure *f = ctx->figure;
  double fs = f->style.font_size * 0.9, x = 0, precision = -1;
  int counts[PLM_CONTACT_N_MARKS], n = 0;

  if (f->view == PLM_FIGURE_CONTACTS)
    {
      GArray *marks = contact_state (f, f->panels->pdata[0], counts, &precision);

      g_array_unref (marks);
      for (int k = 0; k < PLM_CONTACT_N_MARKS; k++)
        if (counts[k] > 0)
          {
            e[n].kind = k;
            e[n++].text = plm_contact_mark_label (k, f->contact_divisor, f->truth != NULL);
          }
    }
  if (has_missing (f))
    {
      e[n].kind = LEGEND_MISSING;
      /* Translators: figure legend beside a grey swatch: the cells of a long protein's map
       * that no window of the windowed run computed */
      e[n++].text = g_strdup (_("grey: pairs no window computed"));
    }
  if (precision >= 0)
    {
      e[n].kind = LEGEND_TEXT;
      /* Translators: precision of the top L/5 predicted contacts in a figure legend */
      e[n++].text = g_strdup_printf (_("P@L/5 = %.2f"), precision);
    }
  *lines = n > 0 ? 1 : 0;
  for (int i = 0; i < n; i++)
    {
      plm_figure_text_size (ctx, e[i].text, fs, FALSE, &e[i].w, NULL);
      if (e[i].kind != LEGEND_TEXT)
        e[i].w += 1.1 * fs;
      if (x > 0 && x + e[i].w > avail)
        {
          ++*lines;
          x = 0;
        }
      e[i].line = *lines - 1;
      x += e[i].w + 1.0 * fs;
    }
  return n;
}

static void
contact_legend_free (LegendEntry *e, int n)
{
  for (int i = 0; i < n; i++)
    g_free (e[i].text);
}

void
plm_figure_layout_matrix (PlmFigure *f, PlmFigureCtx *ctx)
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
      f->width = f->style.width > 0 ? plm_figure_to_pt (f, f->style.width) : 100 * MM_TO_PT;
      f->height = f->style.height > 0 ? plm_figure_to_pt (f, f->style.height) : 80 * MM_TO_PT;
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
      plm_figure_panel_visible (f, p);
      p->y_axis = f->view == PLM_FIGURE_PAIR || c == 0;
      p->x_axis = f->view == PLM_FIGURE_PAIR || r == nrow - 1;
      col_cells[c] = MAX (col_cells[c], p->nc);
      row_cells[r] = MAX (row_cells[r], p->nr);
    }
  plm_figure_fit_scale (f);

  RulerMetrics m = { 0 };
  char buf[32];
  g_snprintf (buf, sizeof buf, "%d", plm_figure_max_residues (f));
  plm_figure_text_size (ctx, buf, fs, FALSE, &m.tick_lw, &m.num_h);
  m.mark_rows = plm_figure_any_marks (f, 0) ? 0.8 * fs : 0;
  m.mark_cols = plm_figure_any_marks (f, 1) ? 0.8 * fs : 0;

  const char *title = plm_figure_title_text (f), *xl = plm_figure_x_label_text (f), *yl = plm_figure_y_label_text (f);
  double title_h = 0, xl_h = 0, yl_h = 0, label_h = 0, legend_h = 0;
  if (plm_figure_has_text (title))
    {
      plm_figure_text_size (ctx, title, fs * 1.1, TRUE, NULL, &title_h);
      title_h += 0.4 * fs;
    }
  if (plm_figure_has_text (xl))
    {
      plm_figure_text_size (ctx, xl, fs, FALSE, NULL, &xl_h);
      xl_h += 0.2 * fs;
    }
  if (plm_figure_has_text (yl))
    {
      plm_figure_text_size (ctx, yl, fs, FALSE, NULL, &yl_h);
      yl_h += 0.3 * fs;
    }
  if (f->view == PLM_FIGURE_GRID || f->view == PLM_FIGURE_PAIR)
    {
      plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &label_h);
      label_h += 0.15 * fs;
    }
  f->legend_lines = 0;
  if (f->view == PLM_FIGURE_CONTACTS || (f->view != PLM_FIGURE_MUTATIONS && has_missing (f)))
    {
      double line_h, page_w = f->style.width > 0 ? plm_figure_to_pt (f, f->style.width) : 100 * MM_TO_PT;
      LegendEntry e[LEGEND_MAX];
      int n_entries = 0;
      plm_figure_text_size (ctx, "Ag", fs * 0.9, FALSE, NULL, &line_h);
      /* entries wrap onto further lines when one line would leave the page */
      f->legend_avail = page_w - 2 * f->pad - yl_h - m.tick_lw - 2 * fs;
      f->legend_lines = 0;
      if (n > 0)
        n_entries = contact_legend (ctx, f->legend_avail, e, &f->legend_lines);
      contact_legend_free (e, n_entries);
      legend_h = f->legend_lines * line_h + 0.3 * fs;
    }
  double cbar_total = plm_figure_colorbar_width (ctx, plm_figure_colorbar_label_text (f));
  double gap_h = f->view == PLM_FIGURE_PAIR ? 1.5 * fs : 0.6 * fs, gap_v = 0.5 * fs;
  double sum_c = 0, sum_r = 0;
  for (int c = 0; c < ncol; c++)
    sum_c += col_cells[c];
  for (int r = 0; r < nrow; r++)
    sum_r += row_cells[r];
  int n_ycols = f->view == PLM_FIGURE_PAIR ? ncol : 1;
  int n_xrows = f->view == PLM_FIGURE_PAIR ? nrow : 1;

  /* mutations: the summary plot above the map, the tracks under its ruler, their names left */
  double sum_h = 0, trk_h = 0, names_w = 0;
  if (f->view == PLM_FIGURE_MUTATIONS)
    {
      int n_rows = (f->sites_row ? 1 : 0) + f->ha.n_tracks;
      f->track_h = 1.3 * fs;
      f->summary_h = 2.6 * fs;
      sum_h = f->summary != NULL ? f->summary_h + 0.6 * fs : 0;
      trk_h = n_rows > 0 ? n_rows * f->track_h + 0.3 * fs : 0;
      names_w = plm_figure_track_names_width (ctx, f->sites_row);
      if (f->summary != NULL)
        {
          double lw;
          plm_figure_text_size (ctx, f->summary_label, fs, FALSE, &lw, NULL);
          names_w = MAX (names_w, lw);
        }
      names_w = names_w > 0 ? names_w + 0.4 * fs : 0;
    }

  double W = f->style.width > 0 ? plm_figure_to_pt (f, f->style.width) : 0;
  double H = f->style.height > 0 ? plm_figure_to_pt (f, f->style.height) : 0;
  if (W <= 0 && H <= 0)
    W = (f->view == PLM_FIGURE_ATTENTION || f->view == PLM_FIGURE_CONTACTS ? 100 : 180) * MM_TO_PT;

  double ls = 0, s = 1, fixed_w = 0, fixed_h = 0, extra_w = 0;
  for (int pass = 0; pass < 2; pass++)
    {
      extra_w = MAX (names_w - yl_h - ydec_width (f, &m, ls), 0.0);
      fixed_w = 2 * f->pad + yl_h + n_ycols * ydec_width (f, &m, ls) + (ncol - 1) * gap_h + cbar_total + extra_w;
      fixed_h = 2 * f->pad + title_h + legend_h + nrow * label_h + n_xrows * xdec_height (f, &m, ls)
                + (nrow - 1) * gap_v + xl_h + sum_h + trk_h;
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
  /* the mutations map's 20 rows stay a text line tall (their letters name them) however long
   * the sequence: cells are square only when that is taller */
  double sr = f->view == PLM_FIGURE_MUTATIONS ? MAX (s, fs) : s;
  if (H > 0)
    sr = MIN (sr, MAX ((H - fixed_h) / sum_r, s));
  if (sr > s)
    fixed_h += (sr - s) * sum_r;
  if (W <= 0)
    W = fixed_w + s * sum_c;
  if (H <= 0)
    {
      /* room for the rotated colour-bar label even when the panels are flat */
      double cbl_w = 0;
      if (plm_figure_has_text (plm_figure_colorbar_label_text (f)))
        plm_figure_text_size (ctx, plm_figure_colorbar_label_text (f), fs, FALSE, &cbl_w, NULL);
      H = MAX (fixed_h + s * sum_r, cbl_w + 2 * f->pad);
    }
  f->width = W;
  f->height = H;

  double off_x = (W - (fixed_w + s * sum_c)) / 2 + f->pad;
  double off_y = (H - (fixed_h + s * sum_r)) / 2 + f->pad;
  f->title_y = off_y;
  f->legend_y = off_y + title_h;
  f->y_label_x = off_x;
  double x = off_x + yl_h + extra_w;
  for (int c = 0; c < ncol; c++)
    {
      if (c == 0 || f->view == PLM_FIGURE_PAIR)
        x += ydec_width (f, &m, ls);
      col_x[c] = x;
      x += col_cells[c] * s + (c + 1 < ncol ? gap_h : 0);
    }
  double y = off_y + title_h + legend_h + sum_h;
  f->summary_y = y - sum_h;
  for (int r = 0; r < nrow; r++)
    {
      y += label_h;
      row_y[r] = y;
      y += row_cells[r] * sr;
      if (f->view == PLM_FIGURE_PAIR || r == nrow - 1)
        y += xdec_height (f, &m, ls);
      y += r + 1 < nrow ? gap_v : 0;
    }
  f->track_y = y + 0.3 * fs;
  y += trk_h;
  f->x_label_y = y + 0.2 * fs;
  for (int i = 0; i < n; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      p->x = col_x[i % ncol];
      p->y = row_y[i / ncol];
      p->cw = s;
      p->ch = sr;
    }
  f->cbar_x = x + 1.2 * fs;
  f->cbar_w = 0.9 * fs;
  f->cbar_y = row_y[0];
  f->cbar_h = row_y[nrow - 1] + row_cells[nrow - 1] * sr - row_y[0];
  g_free (col_cells);
  g_free (row_cells);
  g_free (col_x);
  g_free (row_y);
}

/* ---- layout of the HA-site figure ---- */

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
  g_snprintf (buf, sizeof buf, "%d", plm_figure_max_residues (f));
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, &num_h);
  GArray *marks = p->marks[rows ? 0 : 1];
  double mark_w = plm_figure_any_marks (f, rows ? 0 : 1) ? 0.8 * fs : 0;
  int n = rows ? p->rows : p->cols, k0 = rows ? p->r0 : p->c0, nk = rows ? p->nr : p->nc;
  double cell = rows ? p->ch : p->cw;
  const char *seq = rows ? p->row_seq : p->col_seq;
  int step = plm_figure_tick_step (cell, rows ? num_h * 0.9 : num_w + 0.3 * fs);
  /* the mutations map's rows are amino acids: their letters, never numbers */
  gboolean aa_rows = rows && f->view == PLM_FIGURE_MUTATIONS;
  if (aa_rows)
    ls = f->style.letters && MIN (fs, 0.8 * cell) >= MIN_LETTER_PT ? MIN (fs, 0.8 * cell) : 0;
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
      int res = plm_figure_panel_residue (p, k, n);
      double c = (rows ? p->y : p->x) + (k - k0 + 0.5) * cell;
      if (res < 0)
        continue;
      gboolean marked = is_marked (marks, res);
      gboolean numbered = !aa_rows && f->style.ticks && ((res + 1) % step == 0 || (step >= 5 && res == 0 && (step - 1) * cell >= (rows ? num_h : num_w) * 1.3));
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
          plm_figure_set_rgb (cr, PLM_FIGURE_MARK_COLOR);
          if (rows)
            triangle (cr, mark_c, c, MIN (0.7 * fs, MAX (cell, 0.45 * fs)), TRUE);
          else
            triangle (cr, c, mark_c, MIN (0.7 * fs, MAX (cell, 0.45 * fs)), FALSE);
        }
      if (ls > 0 && seq != NULL && res < (int) strlen (seq))
        {
          char letter[2] = { seq[res], 0 };
          if (marked)
            plm_figure_set_rgb (cr, PLM_FIGURE_MARK_COLOR);
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

/* The top L/k predicted contacts (|i − j| ≥ min separation) above the diagonal, as true or false
 * positives against a structure, and its true contacts below it (plm_contact_marks). */
static void
draw_contact_marks (PlmFigureCtx *ctx, PlmFigurePanel *p)
{
  PlmFigure *f = ctx->figure;
  int off = p->has_specials ? 1 : 0, counts[PLM_CONTACT_N_MARKS];
  double precision;
  GArray *marks = contact_state (f, p, counts, &precision);
  cairo_t *cr = ctx->cr;
  double s = p->cw, lw = CLAMP (0.12 * s, 0.25, 1.0), r = MAX (0.38 * s - lw / 2, 0.3);
  double x0 = p->x + (off - p->c0) * s, y0 = p->y + (off - p->r0) * s;

  cairo_set_line_width (cr, lw);
  for (int kind = 0; kind < PLM_CONTACT_N_MARKS; kind++)
    {
      if (counts[kind] == 0)
        continue;
      for (guint i = 0; i < marks->len; i++)
        {
          const PlmContactMark *m = &g_array_index (marks, PlmContactMark, i);
          double cx = x0 + (m->col + 0.5) * s, cy = y0 + (m->row + 0.5) * s;

          if ((int) m->kind != kind)
            continue;
          cairo_new_sub_path (cr);
          if (kind == PLM_CONTACT_MARK_TRUE_CONTACT)
            cairo_rectangle (cr, cx - 0.25 * s, cy - 0.25 * s, 0.5 * s, 0.5 * s);
          else
            cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
        }
      plm_figure_set_rgb (cr, plm_contact_mark_colors[kind]);
      if (kind == PLM_CONTACT_MARK_TRUE_CONTACT)
        cairo_fill (cr);
      else if (kind == PLM_CONTACT_MARK_TRUE_POSITIVE)
        {
          /* a disc with a thin white outline, as the view draws it */
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, lw / 2);
          cairo_stroke (cr);
          cairo_set_line_width (cr, lw);
        }
      else
        cairo_stroke (cr);
    }
  g_array_unref (marks);
}

double
plm_figure_contact_precision (PlmFigure *f)
{
  int counts[PLM_CONTACT_N_MARKS];
  double precision;

  if (f->view != PLM_FIGURE_CONTACTS || f->panels->len == 0 || f->truth == NULL)
    return -1;
  plm_figure_panel_visible (f, f->panels->pdata[0]);
  g_array_unref (contact_state (f, f->panels->pdata[0], counts, &precision));
  return precision;
}

/* Each mark on a swatch of the colour map's lowest colour, as it appears on the map. */
static void
draw_contact_legend (PlmFigureCtx *ctx)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size * 0.9, x0 = ((PlmFigurePanel *) f->panels->pdata[0])->x, x = x0, y, line_h;
  LegendEntry e[LEGEND_MAX];
  int lines, n = contact_legend (ctx, f->legend_avail, e, &lines), line = 0;

  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &line_h);
  y = f->legend_y + line_h / 2;
  for (int i = 0; i < n; i++)
    {
      if (e[i].line != line)
        {
          line = e[i].line;
          x = x0;
          y += line_h;
        }
      if (e[i].kind == LEGEND_MISSING)
        {
          plm_figure_set_rgb (cr, PLM_COLOR_MISSING);
          cairo_rectangle (cr, x, y - 0.4 * fs, 0.8 * fs, 0.8 * fs);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
          plm_figure_text_draw (ctx, e[i].text, fs, FALSE, x + 1.1 * fs, y, 0, 0.5, 0);
        }
      else if (e[i].kind >= 0)
        {
          double cx = x + 0.4 * fs, r = 0.26 * fs;

          plm_figure_set_rgb (cr, plm_color_map_get_lut (f->style.color_map)[0]);
          cairo_rectangle (cr, x, y - 0.4 * fs, 0.8 * fs, 0.8 * fs);
          cairo_fill (cr);
          plm_figure_set_rgb (cr, plm_contact_mark_colors[e[i].kind]);
          cairo_set_line_width (cr, 0.09 * fs);
          cairo_new_path (cr);
          if (e[i].kind == PLM_CONTACT_MARK_TRUE_CONTACT)
            {
              cairo_rectangle (cr, cx - 0.18 * fs, y - 0.18 * fs, 0.36 * fs, 0.36 * fs);
              cairo_fill (cr);
            }
          else
            {
              cairo_arc (cr, cx, y, r, 0, 2 * G_PI);
              if (e[i].kind == PLM_CONTACT_MARK_TRUE_POSITIVE)
                {
                  cairo_fill_preserve (cr);
                  cairo_set_source_rgb (cr, 1, 1, 1);
                  cairo_set_line_width (cr, 0.045 * fs);
                }
              cairo_stroke (cr);
            }
          cairo_set_source_rgb (cr, 0, 0, 0);
          plm_figure_text_draw (ctx, e[i].text, fs, FALSE, x + 1.1 * fs, y, 0, 0.5, 0);
        }
      else
        {
          cairo_set_source_rgb (cr, 0, 0, 0);
          plm_figure_text_draw (ctx, e[i].text, fs, FALSE, x, y, 0, 0.5, 0);
        }
      x += e[i].w + 1.0 * fs;
    }
  contact_legend_free (e, n);
}

/* The wild type of each visible column: a dark dot with a white rim in its row, as on screen. */
static void
draw_wild_type (PlmFigureCtx *ctx, PlmFigurePanel *p)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double r = 0.3 * MIN (p->cw, p->ch);

  for (int c = p->c0; c < p->c0 + p->nc && c < f->wt_len; c++)
    {
      int row = f->wt_rows[c];
      if (row < p->r0 || row >= p->r0 + p->nr)
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, p->x + (c - p->c0 + 0.5) * p->cw, p->y + (row - p->r0 + 0.5) * p->ch, r, 0, 2 * G_PI);
    }
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, MIN (f->line_w, r * 0.4));
  cairo_stroke (cr);
}

/* The mutations figure's summary: a bar per residue from 0, in grey, its name to the left. */
static void
draw_summary (PlmFigureCtx *ctx, PlmFigurePanel *p)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size, lo = 0, hi = 0;
  int n = MIN (f->summary_len, p->cols);

  if (f->summary == NULL)
    return;
  for (int i = 0; i < n; i++)
    if (isfinite (f->summary[i]))
      lo = MIN (lo, f->summary[i]), hi = MAX (hi, f->summary[i]);
  if (!(hi > lo))
    hi = lo + 1;
  double unit = f->summary_h / (hi - lo), zero = f->summary_y + hi * unit;
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  for (int c = p->c0; c < p->c0 + p->nc && c < n; c++)
    if (isfinite (f->summary[c]))
      {
        double v = f->summary[c];
        cairo_rectangle (cr, p->x + (c - p->c0) * p->cw, v >= 0 ? zero - v * unit : zero, p->cw, fabs (v) * unit);
      }
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, f->line_w);
  cairo_move_to (cr, p->x, zero);
  cairo_line_to (cr, p->x + p->nc * p->cw, zero);
  cairo_stroke (cr);
  plm_figure_text_draw (ctx, f->summary_label, fs, FALSE, p->x - 0.4 * fs, f->summary_y + f->summary_h / 2, 1.0, 0.5, 0);
}

void
plm_figure_draw_matrix (PlmFigureCtx *ctx)
{
  PlmFigure *f = ctx->figure;
  double fs = f->style.font_size;
  for (guint i = 0; i < f->panels->len; i++)
    {
      PlmFigurePanel *p = f->panels->pdata[i];
      plm_figure_draw_cells (ctx, p->values, p->cols, p->r0, p->nr, p->c0, p->nc, p->x, p->y, p->cw, p->ch);
      if (f->view == PLM_FIGURE_CONTACTS)
        draw_contact_marks (ctx, p);
      if (f->view == PLM_FIGURE_MUTATIONS)
        {
          draw_wild_type (ctx, p);
          draw_summary (ctx, p);
          plm_figure_draw_tracks (ctx, f->sites_row, p->x, p->cw, p->cols);
        }
      plm_figure_frame (ctx, p->x, p->y, p->nc * p->cw, p->nr * p->ch);
      if (p->y_axis)
        draw_ruler (ctx, p, TRUE);
      if (p->x_axis)
        draw_ruler (ctx, p, FALSE);
      if ((f->view == PLM_FIGURE_GRID || f->view == PLM_FIGURE_PAIR) && plm_figure_has_text (p->label))
        plm_figure_text_draw_fit (ctx, p->label, fs, FALSE, p->x + p->nc * p->cw / 2, p->y - 0.1 * fs, 0.5, 1.0,
                                  p->nc * p->cw);
    }
  if (f->legend_lines > 0 && f->panels->len > 0)
    draw_contact_legend (ctx);
  const char *xl = plm_figure_x_label_text (f), *yl = plm_figure_y_label_text (f);
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
      if (plm_figure_has_text (xl))
        plm_figure_text_draw (ctx, xl, fs, FALSE, (left + right) / 2, f->x_label_y, 0.5, 0.0, 0);
      if (plm_figure_has_text (yl))
        plm_figure_text_draw (ctx, yl, fs, FALSE, f->y_label_x, f->cbar_y + f->cbar_h / 2, 0.5, 0.0, -G_PI / 2);
    }
  plm_figure_draw_colorbar (ctx, plm_figure_colorbar_label_text (f));
}

