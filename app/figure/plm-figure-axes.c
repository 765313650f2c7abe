/* plm-figure-axes.c: the figure's typography, heatmap images and colour bar. */
#include "plm-figure-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
plm_figure_ctx_init (PlmFigureCtx *ctx, PlmFigure *figure, cairo_t *cr)
{
  ctx->cr = cr;
  ctx->figure = figure;
  PangoContext *pc = pango_cairo_create_context (cr);
  /* 1 pt = 1 user unit; unhinted metrics so the layout does not depend on the surface */
  pango_cairo_context_set_resolution (pc, 72.0);
  cairo_font_options_t *opts = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (opts, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (opts, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pc, opts);
  cairo_font_options_destroy (opts);
  ctx->layout = pango_layout_new (pc);
  g_object_unref (pc);
  const char *family = figure->style.font_family && *figure->style.font_family ? figure->style.font_family : "Sans";
  ctx->font = pango_font_description_from_string (family);
}

void
plm_figure_ctx_clear (PlmFigureCtx *ctx)
{
  g_clear_object (&ctx->layout);
  g_clear_pointer (&ctx->font, pango_font_description_free);
}

static void
set_text (PlmFigureCtx *ctx, const char *text, double size, gboolean bold)
{
  pango_font_description_set_size (ctx->font, (int) (size * PANGO_SCALE + 0.5));
  pango_font_description_set_weight (ctx->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (ctx->layout, ctx->font);
  pango_layout_set_text (ctx->layout, text, -1);
}

void
plm_figure_text_size (PlmFigureCtx *ctx, const char *text, double size, gboolean bold,
                      double *width, double *height)
{
  PangoRectangle logical;
  set_text (ctx, text, size, bold);
  pango_layout_get_extents (ctx->layout, NULL, &logical);
  if (width)
    *width = (double) logical.width / PANGO_SCALE;
  if (height)
    *height = (double) logical.height / PANGO_SCALE;
}

/* SVG output: text as an editable <text> element (cairo's SVG surface would turn every glyph
 * into an outline), placed exactly where pango would have drawn it. */
static void
svg_text (PlmFigureCtx *ctx, const char *text, double size, gboolean bold, double x, double y,
          double ax, double ay, double angle, double w, double h)
{
  PlmFigure *f = ctx->figure;
  double r = 0, g = 0, b = 0, a = 1, baseline;
  char num[6][G_ASCII_DTOSTR_BUF_SIZE];
  cairo_pattern_get_rgba (cairo_get_source (ctx->cr), &r, &g, &b, &a);
  cairo_user_to_device (ctx->cr, &x, &y);
  baseline = (double) pango_layout_get_baseline (ctx->layout) / PANGO_SCALE;
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *family = g_markup_escape_text (f->svg_font_family ? f->svg_font_family : "sans-serif", -1);
  g_string_append_printf (f->svg_text,
                          "<text transform=\"translate(%s %s) rotate(%s)\" x=\"%s\" y=\"%s\" "
                          "font-family=\"%s, sans-serif\" font-size=\"%s\"%s text-anchor=\"%s\" "
                          "fill=\"#%02x%02x%02x\" xml:space=\"preserve\">%s</text>\n",
                          g_ascii_formatd (num[0], sizeof num[0], "%.3f", x),
                          g_ascii_formatd (num[1], sizeof num[1], "%.3f", y),
                          g_ascii_formatd (num[2], sizeof num[2], "%.3f", angle * 180.0 / G_PI),
                          g_ascii_formatd (num[3], sizeof num[3], "%.3f", 0.0),
                          g_ascii_formatd (num[4], sizeof num[4], "%.3f", -ay * h + baseline),
                          family,
                          g_ascii_formatd (num[5], sizeof num[5], "%.2f", size),
                          bold ? " font-weight=\"bold\"" : "",
                          ax < 0.25 ? "start" : ax > 0.75 ? "end" : "middle",
                          (int) lround (r * 255), (int) lround (g * 255), (int) lround (b * 255), escaped);
}

void
plm_figure_text_draw (PlmFigureCtx *ctx, const char *text, double size, gboolean bold,
                      double x, double y, double ax, double ay, double angle)
{
  double w, h;
  plm_figure_text_size (ctx, text, size, bold, &w, &h);
  if (ctx->figure->svg_text != NULL)
    {
      svg_text (ctx, text, size, bold, x, y, ax, ay, angle, w, h);
      return;
    }
  cairo_save (ctx->cr);
  cairo_translate (ctx->cr, x, y);
  cairo_rotate (ctx->cr, angle);
  cairo_move_to (ctx->cr, -ax * w, -ay * h);
  pango_cairo_update_layout (ctx->cr, ctx->layout);
  pango_cairo_show_layout (ctx->cr, ctx->layout);
  cairo_restore (ctx->cr);
}

int
plm_figure_tick_step (double cell, double label_w)
{
  static const int steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * cell >= label_w * 1.6)
      return steps[i];
  return 20000;
}

void
plm_figure_set_rgb (cairo_t *cr, uint32_t argb)
{
  cairo_set_source_rgb (cr, ((argb >> 16) & 0xff) / 255.0, ((argb >> 8) & 0xff) / 255.0, (argb & 0xff) / 255.0);
}

void
plm_figure_draw_cells (PlmFigureCtx *ctx, const float *values, int stride, int r0, int nr,
                       int c0, int nc, double x, double y, double cw, double ch)
{
  if (nr <= 0 || nc <= 0)
    return;
  /* k × k image pixels per cell: 1 for raster output; for SVG/PDF enough to cover a cell at
   * the oversampling resolution, at most 4 M pixels per panel */
  int k = 1;
  if (ctx->figure->oversample_dpi > 0)
    {
      k = CLAMP ((int) ceil (MAX (cw, ch) * ctx->figure->oversample_dpi / 72.0), 1, 64);
      while (k > 1 && (double) nr * nc * k * k > 4e6)
        k--;
    }
  const uint32_t *lut = plm_color_map_get_lut (ctx->figure->style.color_map);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, nc * k, nr * k);
  uint8_t *data = cairo_image_surface_get_data (img);
  int img_stride = cairo_image_surface_get_stride (img);
  cairo_surface_flush (img);
  for (int i = 0; i < nr; i++)
    {
      uint32_t *row = (uint32_t *) (data + (gsize) i * k * img_stride);
      const float *v = values + (gsize) (r0 + i) * stride + c0;
      for (int j = 0; j < nc; j++)
        {
          uint32_t c = plm_scale_color (&ctx->figure->scale, lut, v[j]);
          for (int b = 0; b < k; b++)
            row[j * k + b] = c;
        }
      for (int b = 1; b < k; b++)
        memcpy (data + ((gsize) i * k + b) * img_stride, row, sizeof (uint32_t) * nc * k);
    }
  cairo_surface_mark_dirty (img);

  cairo_t *cr = ctx->cr;
  cairo_save (cr);
  cairo_rectangle (cr, x, y, nc * cw, nr * ch);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, cw / k, ch / k);
  cairo_set_source_surface (cr, img, 0, 0);
  /* never interpolated (PDF: /Interpolate false; SVG: image-rendering, see export) */
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

int
plm_figure_nice_ticks (double lo, double hi, int max_ticks, double *ticks)
{
  if (!(hi > lo) || !isfinite (lo) || !isfinite (hi))
    {
      ticks[0] = lo;
      return 1;
    }
  double raw = (hi - lo) / MAX (max_ticks - 1, 1);
  double mag = pow (10.0, floor (log10 (raw)));
  double step = mag;
  for (int k = 0; k < 4; k++)
    {
      static const double mult[] = { 1, 2, 2.5, 5 };
      step = mult[k] * mag;
      if ((hi - lo) / step <= max_ticks - 1)
        break;
      step = 10 * mag;
    }
  int n = 0;
  for (double t = ceil (lo / step - 1e-9) * step; t <= hi + step * 1e-9 && n < max_ticks + 1; t += step)
    ticks[n++] = fabs (t) < step * 1e-9 ? 0.0 : t;
  return n;
}

/* Tick labels: "0.25"; on a log scale every decade as a typeset power, "10⁻⁵" (not "1e-05"). */
static void
format_tick (char *buf, gsize len, double v, gboolean log_scale)
{
  static const char *const sup[] = { "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4",
                                     "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9" };
  double e = v > 0 ? log10 (v) : 0;
  if (log_scale && v > 0 && fabs (e - round (e)) < 1e-9)
    {
      int k = (int) round (e);
      GString *s = g_string_new ("10");
      if (k < 0)
        g_string_append (s, "\xe2\x81\xbb");   /* superscript minus */
      g_autofree char *digits = g_strdup_printf ("%d", ABS (k));
      for (const char *d = digits; *d; d++)
        g_string_append (s, sup[*d - '0']);
      g_strlcpy (buf, s->str, len);
      g_string_free (s, TRUE);
      return;
    }
  g_snprintf (buf, len, "%.3g", v);
}

/* Tick values along the colour bar: decades for a log scale, nice numbers otherwise. */
static int
colorbar_ticks (const PlmScale *s, double *ticks)
{
  if (s->kind == PLM_SCALE_LOG && s->vmin > 0 && s->vmax > s->vmin)
    {
      int n = 0;
      for (double e = ceil (log10 (s->vmin) - 1e-9); e <= log10 (s->vmax) + 1e-9 && n < 12; e += 1)
        ticks[n++] = pow (10.0, e);
      if (n >= 2)
        return n;
    }
  return plm_figure_nice_ticks (s->vmin, s->vmax, 5, ticks);
}

double
plm_figure_colorbar_width (PlmFigureCtx *ctx, const char *label)
{
  PlmFigure *f = ctx->figure;
  double fs = f->style.font_size, ticks[16], w = 0, h = 0;
  int n = colorbar_ticks (&f->scale, ticks);
  for (int i = 0; i < n; i++)
    {
      char buf[32];
      double tw;
      format_tick (buf, sizeof buf, ticks[i], f->scale.kind == PLM_SCALE_LOG);
      plm_figure_text_size (ctx, buf, fs, FALSE, &tw, NULL);
      w = MAX (w, tw);
    }
  if (label && *label)
    plm_figure_text_size (ctx, label, fs, FALSE, NULL, &h);
  return 1.2 * fs + 0.9 * fs + f->tick_len + 0.25 * fs + w + (h > 0 ? 0.35 * fs + h : 0);
}

void
plm_figure_draw_colorbar (PlmFigureCtx *ctx, const char *label)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size;
  double x = f->cbar_x, y = f->cbar_y, w = f->cbar_w, h = f->cbar_h;
  if (h <= 0)
    return;

  /* 256 colours as a 1 × 256 image, top = last colour */
  const uint32_t *lut = plm_color_map_get_lut (f->style.color_map);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 256);
  uint8_t *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  cairo_surface_flush (img);
  for (int i = 0; i < 256; i++)
    *(uint32_t *) (data + (gsize) i * stride) = lut[255 - i];
  cairo_surface_mark_dirty (img);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, w, h / 256.0);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, f->line_w);
  cairo_rectangle (cr, x, y, w, h);
  cairo_stroke (cr);

  double ticks[16], max_w = 0;
  int n = colorbar_ticks (&f->scale, ticks);
  for (int i = 0; i < n; i++)
    {
      char buf[32];
      double tw;
      /* same mapping as the cells: t = normalise(v) */
      double ty = y + h - plm_scale_normalise (&f->scale, (float) ticks[i]) * h;
      cairo_move_to (cr, x + w, ty);
      cairo_line_to (cr, x + w + f->tick_len, ty);
      cairo_stroke (cr);
      format_tick (buf, sizeof buf, ticks[i], f->scale.kind == PLM_SCALE_LOG);
      plm_figure_text_draw (ctx, buf, fs, FALSE, x + w + f->tick_len + 0.25 * fs, ty, 0.0, 0.5, 0);
      plm_figure_text_size (ctx, buf, fs, FALSE, &tw, NULL);
      max_w = MAX (max_w, tw);
    }
  if (label && *label)
    {
      /* centred on the bar, but kept on the page when the bar is shorter than the label */
      double lw, cy = y + h / 2;
      plm_figure_text_size (ctx, label, fs, FALSE, &lw, NULL);
      cy = MIN (MAX (cy, f->pad + lw / 2), f->height - f->pad - lw / 2);
      plm_figure_text_draw (ctx, label, fs, FALSE, x + w + f->tick_len + 0.6 * fs + max_w, cy,
                            0.5, 0.0, -G_PI / 2);
    }
}

void
plm_figure_frame (PlmFigureCtx *ctx, double x, double y, double w, double h)
{
  cairo_set_source_rgb (ctx->cr, 0, 0, 0);
  cairo_set_line_width (ctx->cr, ctx->figure->line_w);
  cairo_rectangle (ctx->cr, x, y, w, h);
  cairo_stroke (ctx->cr);
}

void
plm_figure_text_draw_fit (PlmFigureCtx *ctx, const char *text, double size, gboolean bold, double x, double y,
                          double ax, double ay, double avail)
{
  double w, fitted = size;
  plm_figure_text_size (ctx, text, size, bold, &w, NULL);
  if (w > avail)
    fitted = MAX (size * avail / w, MIN (size, MAX (0.7 * size, 5.0)));
  g_autofree char *s = g_strdup (text);
  plm_figure_text_size (ctx, s, fitted, bold, &w, NULL);
  while (w > avail && g_utf8_strlen (s, -1) > 2)
    {
      /* drop the last character before the ellipsis */
      glong n = g_utf8_strlen (s, -1) - (g_str_has_suffix (s, "\xe2\x80\xa6") ? 2 : 1);
      *g_utf8_offset_to_pointer (s, n) = '\0';
      char *shorter = g_strconcat (g_strchomp (s), "\xe2\x80\xa6", NULL);
      g_free (s);
      s = shorter;
      plm_figure_text_size (ctx, s, fitted, bold, &w, NULL);
    }
  plm_figure_text_draw (ctx, s, fitted, bold, x, y, ax, ay, 0);
}
