/* plm-figure-hasites.c: the HA-site figure: layers × residues heatmap, HA-site and annotation
 * tracks, and the sorted profile with its two-segment fit. */
#include "plm-figure-private.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The four caption lines of the sorted-profile plot (the first is drawn bold). */
static void
caption_lines (PlmFigure *f, char lines[4][96])
{
  g_snprintf (lines[0], 96, f->ha.layer == f->ha.loc ? _("Sorted profile, layer %d (LoC)") : _("Sorted profile, layer %d"),
              f->ha.layer + 1);
  g_snprintf (lines[1], 96, _("Breakpoint b = %.3f"), f->ha.breakpoint);
  g_snprintf (lines[2], 96, _("Angle \xce\xb8 = %.1f\xc2\xb0"), f->ha.theta);
  g_snprintf (lines[3], 96, g_dngettext (GETTEXT_PACKAGE, "%d HA site (LoC layer %d)", "%d HA sites (LoC layer %d)", f->ha.n_sites),
              f->ha.n_sites, f->ha.loc + 1);
}

void
plm_figure_layout_hasites (PlmFigure *f, PlmFigureCtx *ctx)
{
  double fs = f->style.font_size;
  PlmFigurePanel *p = f->panels->pdata[0];
  int L = f->ha.length, NL = f->ha.n_layers;
  plm_figure_panel_visible (f, p);
  p->y_axis = p->x_axis = TRUE;
  plm_figure_fit_scale (f);

  double W = f->style.width > 0 ? plm_figure_to_pt (f, f->style.width) : 180 * MM_TO_PT;
  double H = f->style.height > 0 ? plm_figure_to_pt (f, f->style.height) : 0;
  const char *title = plm_figure_title_text (f);
  double title_h = 0, yl_h = 0, xl_h = 0, num_w, num_h, name_w = 0;
  char buf[32];
  if (plm_figure_has_text (title))
    {
      plm_figure_text_size (ctx, title, fs * 1.1, TRUE, NULL, &title_h);
      title_h += 0.4 * fs;
    }
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &yl_h);
  yl_h += 0.3 * fs;
  xl_h = yl_h;
  g_snprintf (buf, sizeof buf, "%d", MAX (L, NL));
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, &num_h);
  name_w = plm_figure_track_names_width (ctx, TRUE);
  double ydec = MAX (f->tick_len + 0.2 * fs + MAX (num_w, 2.4 * fs), name_w + 0.4 * fs - yl_h);
  double cbar_total = plm_figure_colorbar_width (ctx, plm_figure_colorbar_label_text (f));
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
  if (plm_figure_has_text (plm_figure_colorbar_label_text (f)))
    plm_figure_text_size (ctx, plm_figure_colorbar_label_text (f), fs, FALSE, &cbar_label_w, NULL);
  heat_h = MAX (heat_h, cbar_label_w + 0.5 * fs);
  double curve_h = 0.24 * W;
  /* the caption goes right of the curve when it fits there beside a curve of ≥ 35 % of the
   * heatmap's width, else under the curve */
  char lines[4][96];
  double cap_w = 0, cap_h, lw;
  caption_lines (f, lines);
  for (int k = 0; k < 4; k++)
    {
      plm_figure_text_size (ctx, lines[k], fs, k == 0, &lw, NULL);
      cap_w = MAX (cap_w, lw);
    }
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &cap_h);
  cap_h *= 4 * 1.2;
  double curve_w = MIN (heat_w * 0.62, W - f->pad - heat_x - 2.0 * fs - cap_w);
  gboolean caption_below = curve_w < 0.35 * heat_w;
  if (caption_below)
    curve_w = heat_w * 0.62;
  double fixed = 2 * f->pad + title_h + below + curve_dec + (caption_below ? cap_h + 1.0 * fs : 0);
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
  f->curve_w = curve_w;
  f->curve_h = curve_h;
  f->caption_x = caption_below ? heat_x + 1.5 * fs : heat_x + curve_w + 2.0 * fs;
  f->caption_y = caption_below ? f->curve_y + curve_h + curve_dec + 0.6 * fs : f->curve_y;
}

/* tracks: HA sites, then annotations */
void
plm_figure_draw_tracks (PlmFigureCtx *ctx, gboolean sites_row, double x, double cw, int L)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size, heat_w = L * cw;
  static const uint32_t track_colors[] = { 0xff1f77b4, 0xff2ca02c, 0xff9467bd, 0xffff7f0e, 0xff8c564b };
  int first = sites_row ? 0 : 1;

  for (int t = first; t < 1 + f->ha.n_tracks; t++)
    {
      double ty = f->track_y + (t - first) * f->track_h, tc = ty + f->track_h / 2, bh = 0.6 * f->track_h;
      const char *name = t == 0 ? _("HA sites") : plm_figure_or_default (f->ha_tracks[t - 1].name, "");
      cairo_set_source_rgb (cr, 0, 0, 0);
      plm_figure_text_draw (ctx, name, fs, FALSE, x - 0.4 * fs, tc, 1.0, 0.5, 0);
      cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      cairo_set_line_width (cr, f->line_w);
      cairo_move_to (cr, x, tc);
      cairo_line_to (cr, x + heat_w, tc);
      cairo_stroke (cr);
      double minw = MAX (cw, 0.6);
      if (t == 0)
        {
          plm_figure_set_rgb (cr, PLM_FIGURE_MARK_COLOR);
          for (int k = 0; k < f->ha.n_sites; k++)
            if (f->ha.sites[k] >= 0 && f->ha.sites[k] < L)
              cairo_rectangle (cr, x + f->ha.sites[k] * cw + (cw - minw) / 2, tc - bh / 2, minw, bh);
          cairo_fill (cr);
          continue;
        }
      PlmFigureOwnedTrack *tr = &f->ha_tracks[t - 1];
      plm_figure_set_rgb (cr, track_colors[(t - 1) % G_N_ELEMENTS (track_colors)]);
      for (int k = 0; k < tr->n; k++)
        {
          int a = CLAMP (tr->start[k], 0, L - 1), b = CLAMP (tr->end[k], a, L - 1);
          double w = MAX ((b - a + 1) * cw, minw);
          cairo_rectangle (cr, x + a * cw + ((b - a + 1) * cw - w) / 2, tc - bh / 2, w, bh);
        }
      cairo_fill (cr);
    }
}

double
plm_figure_track_names_width (PlmFigureCtx *ctx, gboolean sites_row)
{
  PlmFigure *f = ctx->figure;
  double name_w = 0, tw;

  if (sites_row)
    plm_figure_text_size (ctx, _("HA sites"), f->style.font_size, FALSE, &name_w, NULL);
  for (int t = 0; t < f->ha.n_tracks; t++)
    {
      plm_figure_text_size (ctx, plm_figure_or_default (f->ha_tracks[t].name, ""), f->style.font_size, FALSE, &tw, NULL);
      name_w = MAX (name_w, tw);
    }
  return name_w;
}

void
plm_figure_draw_hasites (PlmFigureCtx *ctx)
{
  PlmFigure *f = ctx->figure;
  PlmFigurePanel *p = f->panels->pdata[0];
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size, num_w, num_h;
  int L = f->ha.length, NL = f->ha.n_layers;
  double heat_w = L * p->cw, heat_h = NL * p->ch;
  char buf[96];

  plm_figure_draw_cells (ctx, p->values, p->cols, 0, NL, 0, L, p->x, p->y, p->cw, p->ch);
  plm_figure_frame (ctx, p->x, p->y, heat_w, heat_h);

  /* layer ruler (numbered from 1, as the views do); the layer of convergence outlined and its
   * number in bold */
  g_snprintf (buf, sizeof buf, "%d", NL);
  plm_figure_text_size (ctx, buf, fs, FALSE, &num_w, &num_h);
  int lstep = plm_figure_tick_step (p->ch, num_h * 0.9);
  for (int l = 0; l < NL; l++)
    {
      gboolean is_loc = l == f->ha.loc;
      /* multiples of the step and the last layer, unless they would touch the LoC label */
      gboolean near_loc = f->ha.loc >= 0 && fabs ((double) (l - f->ha.loc)) * p->ch < num_h * 1.05;
      gboolean last_ok = l == NL - 1 && ((l + 1) % lstep) * p->ch >= num_h * 1.05;
      if (!is_loc && (near_loc || ((l + 1) % lstep != 0 && !last_ok)))
        continue;
      double c = p->y + (l + 0.5) * p->ch;
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_line_width (cr, f->line_w);
      cairo_move_to (cr, p->x, c);
      cairo_line_to (cr, p->x - f->tick_len, c);
      cairo_stroke (cr);
      if (is_loc)
        /* Translators: LoC = layer of convergence, a layer number follows */
        g_snprintf (buf, sizeof buf, _("LoC %d"), l + 1);
      else
        g_snprintf (buf, sizeof buf, "%d", l + 1);
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
  plm_figure_text_draw (ctx, plm_figure_y_label_text (f), fs, FALSE, f->y_label_x, p->y + heat_h / 2, 0.5, 0.0, -G_PI / 2);

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
          plm_figure_set_rgb (cr, PLM_FIGURE_MARK_COLOR);
        else
          cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
        plm_figure_text_draw (ctx, letter, ls, site, p->x + (j + 0.5) * p->cw, p->y + heat_h + 0.15 * fs, 0.5, 0.0, 0);
      }

  plm_figure_draw_tracks (ctx, TRUE, p->x, p->cw, L);

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
  plm_figure_text_draw (ctx, plm_figure_x_label_text (f), fs, FALSE, p->x + heat_w / 2, f->x_label_y, 0.5, 0.0, 0);
  plm_figure_draw_colorbar (ctx, plm_figure_colorbar_label_text (f));

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
  double ticks[16], w025;
  /* 0, 0.25 … 1 when the labels have room, else 0, 0.5, 1 */
  plm_figure_text_size (ctx, "0.25", fs, FALSE, &w025, NULL);
  int nt = plm_figure_nice_ticks (0, 1, cw / 4 >= 1.5 * w025 ? 5 : 3, ticks);
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
  plm_figure_text_draw (ctx, _("Rank (fraction of residues)"), fs, FALSE, cx + cw / 2,
                        cy + ch + f->tick_len + 0.2 * fs + num_h, 0.5, 0, 0);
  double tick_w = 0, tw;
  for (int k = 0; k < nt; k++)
    {
      g_snprintf (buf, sizeof buf, "%g", ticks[k]);
      plm_figure_text_size (ctx, buf, fs, FALSE, &tw, NULL);
      tick_w = MAX (tick_w, tw);
    }
  plm_figure_text_draw (ctx, _("Attention"), fs, FALSE, cx - f->tick_len - 0.5 * fs - tick_w - num_h,
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

  /* caption lines right of (or under) the curve */
  double tx = f->caption_x, ty = f->caption_y, lh;
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &lh);
  char lines[4][96];
  caption_lines (f, lines);
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
