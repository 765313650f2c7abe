/* plm-heatmap-cairo.c: the visible cells are coloured once into an ARGB32 image surface at data
 * resolution (only when data, visible window, scale or colour map change), then every frame
 * paints that surface scaled to the view with NEAREST filtering. */
#include "plm-heatmap-cairo-private.h"

#include <string.h>

struct _PlmHeatmapCairo
{
  cairo_surface_t *surface;       /* one pixel per visible cell */
  guint            serial;        /* what surface shows */
  int              window[4];
  PlmScale         colored_scale;
  PlmColorMap      colored_map;
};

PlmHeatmapCairo *
plm_heatmap_cairo_new (void)
{
  return g_new0 (PlmHeatmapCairo, 1);
}

void
plm_heatmap_cairo_free (PlmHeatmapCairo *renderer)
{
  if (!renderer)
    return;
  g_clear_pointer (&renderer->surface, cairo_surface_destroy);
  g_free (renderer);
}

/* The visible window at one pixel per cell, coloured by plm_scale_index. */
static cairo_surface_t *
ensure_surface (PlmHeatmapCairo *renderer, const PlmHeatmapFrame *f)
{
  int c0 = f->window[0], r0 = f->window[1], c1 = f->window[2], r1 = f->window[3];
  const guint32 *lut;
  guint8 *pixels;
  int stride;

  if (renderer->surface && renderer->serial == f->serial && renderer->colored_map == f->color_map &&
      memcmp (renderer->window, f->window, sizeof f->window) == 0 &&
      memcmp (&renderer->colored_scale, &f->scale, sizeof f->scale) == 0)
    return renderer->surface;
  g_clear_pointer (&renderer->surface, cairo_surface_destroy);
  if (r1 <= r0 || c1 <= c0)
    return NULL;
  lut = plm_color_map_get_lut (f->color_map);
  renderer->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, c1 - c0, r1 - r0);
  cairo_surface_flush (renderer->surface);
  pixels = cairo_image_surface_get_data (renderer->surface);
  stride = cairo_image_surface_get_stride (renderer->surface);
  for (int r = r0; r < r1; r++)
    {
      guint32 *line = (guint32 *) (pixels + (gsize) (r - r0) * stride);
      const float *v = f->values + (gsize) r * f->cols;
      for (int c = c0; c < c1; c++)
        line[c - c0] = plm_scale_color (&f->scale, lut, v[c]);
    }
  cairo_surface_mark_dirty (renderer->surface);
  renderer->serial = f->serial;
  memcpy (renderer->window, f->window, sizeof f->window);
  renderer->colored_scale = f->scale;
  renderer->colored_map = f->color_map;
  return renderer->surface;
}

void
plm_heatmap_cairo_draw (PlmHeatmapCairo *renderer, cairo_t *cr, const PlmHeatmapFrame *f)
{
  int c0 = f->window[0], r0 = f->window[1], c1 = f->window[2], r1 = f->window[3];
  cairo_surface_t *surface;
  cairo_pattern_t *pattern;

  if (!f->values || !(surface = ensure_surface (renderer, f)))
    return;
  cairo_save (cr);
  cairo_rectangle (cr, (c0 - f->origin_x) * f->zoom_x, (r0 - f->origin_y) * f->zoom_y,
                   (c1 - c0) * f->zoom_x, (r1 - r0) * f->zoom_y);
  cairo_clip (cr);
  cairo_scale (cr, f->zoom_x, f->zoom_y);
  cairo_translate (cr, c0 - f->origin_x, r0 - f->origin_y);
  cairo_set_source_surface (cr, surface, 0, 0);
  pattern = cairo_get_source (cr);
  /* one cell = one flat rectangle, never interpolated */
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
}
