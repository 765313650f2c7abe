/* plm-heatmap-view-geometry.c: PlmHeatmapView's view transform — the visible window, fit, zoom
 * and pan — and hit testing, the one mapping between widget and data coordinates. */
#include "plm-heatmap-view-private.h"

#include <math.h>

#include "plm-heatmap-ruler.h"

/* The data rows/columns shown: all, or without the special tokens around the sequence. */
void
plm_heatmap_view_visible_window (PlmHeatmapView *self, int *r0, int *r1, int *c0, int *c1)
{
  *r0 = 0, *r1 = self->rows, *c0 = 0, *c1 = self->cols;
  if (self->show_special)
    return;
  if (self->row_sequence)
    {
      *r0 = CLAMP (self->row_offset, 0, self->rows);
      *r1 = CLAMP (self->row_offset + (int) strlen (self->row_sequence), *r0, self->rows);
    }
  if (self->col_sequence)
    {
      *c0 = CLAMP (self->col_offset, 0, self->cols);
      *c1 = CLAMP (self->col_offset + (int) strlen (self->col_sequence), *c0, self->cols);
    }
}

void
plm_heatmap_view_map_area (PlmHeatmapView *self, double *w, double *h)
{
  *w = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)) - RULER_LEFT);
  *h = MAX (1, gtk_widget_get_height (GTK_WIDGET (self)) - RULER_TOP);
}

/* Centre the map when it is smaller than the area, otherwise keep the area covered. */
void
plm_heatmap_view_clamp_origin (PlmHeatmapView *self)
{
  int r0, r1, c0, c1;
  double w, h, span;

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  plm_heatmap_view_map_area (self, &w, &h);
  span = w / self->zoom_x;
  if (span >= c1 - c0)
    self->origin_x = c0 - (span - (c1 - c0)) / 2;
  else
    self->origin_x = CLAMP (self->origin_x, c0, c1 - span);
  span = h / self->zoom_y;
  if (span >= r1 - r0)
    self->origin_y = r0 - (span - (r1 - r0)) / 2;
  else
    self->origin_y = CLAMP (self->origin_y, r0, r1 - span);
}

void
plm_heatmap_view_apply_fit (PlmHeatmapView *self)
{
  int r0, r1, c0, c1;
  double w, h;

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  plm_heatmap_view_map_area (self, &w, &h);
  self->zoom_x = w / MAX (1, c1 - c0);
  self->zoom_y = h / MAX (1, r1 - r0);
  if (self->keep_aspect)
    self->zoom_x = self->zoom_y = MIN (self->zoom_x, self->zoom_y);
  self->zoom_x = CLAMP (self->zoom_x, MIN_ZOOM, MAX_ZOOM);
  self->zoom_y = CLAMP (self->zoom_y, MIN_ZOOM, MAX_ZOOM);
  plm_heatmap_view_clamp_origin (self);
}

/* Zoom to (@zx, @zy) pixels per cell keeping the data point under (@x, @y) in place. */
static void
zoom_to (PlmHeatmapView *self, double zx, double zy, double x, double y)
{
  double mx = x - RULER_LEFT, my = y - RULER_TOP;

  zx = CLAMP (zx, MIN_ZOOM, MAX_ZOOM);
  zy = CLAMP (zy, MIN_ZOOM, MAX_ZOOM);
  self->origin_x += mx / self->zoom_x - mx / zx;
  self->origin_y += my / self->zoom_y - my / zy;
  self->zoom_x = zx, self->zoom_y = zy;
  self->fitted = FALSE;
  plm_heatmap_view_clamp_origin (self);
  plm_heatmap_view_update_hover (self);
  plm_heatmap_view_redraw (self);
  plm_heatmap_view_notify_zoom (self);
}

void
plm_heatmap_view_zoom_at (PlmHeatmapView *self, double factor, double x, double y)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (factor > 0);

  zoom_to (self, self->zoom_x * factor, self->zoom_y * factor, x, y);
}

void
plm_heatmap_view_set_zoom (PlmHeatmapView *self, double pixels_per_cell)
{
  double w, h;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  plm_heatmap_view_map_area (self, &w, &h);
  /* rows get @pixels_per_cell; columns keep their aspect ratio to rows */
  zoom_to (self, pixels_per_cell * self->zoom_x / self->zoom_y, pixels_per_cell,
           RULER_LEFT + w / 2, RULER_TOP + h / 2);
}

double
plm_heatmap_view_get_zoom (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), 1.0);
  return self->zoom_y;
}

void
plm_heatmap_view_pan (PlmHeatmapView *self, double dx, double dy)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  self->origin_x -= dx / self->zoom_x;
  self->origin_y -= dy / self->zoom_y;
  self->fitted = FALSE;
  plm_heatmap_view_clamp_origin (self);
  plm_heatmap_view_update_hover (self);
  plm_heatmap_view_redraw (self);
}

void
plm_heatmap_view_zoom_fit (PlmHeatmapView *self)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  self->fitted = TRUE;
  plm_heatmap_view_apply_fit (self);
  plm_heatmap_view_update_hover (self);
  plm_heatmap_view_redraw (self);
  plm_heatmap_view_notify_zoom (self);
}

void
plm_heatmap_view_zoom_one_to_one (PlmHeatmapView *self)
{
  double w, h, z;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  /* one cell per device pixel */
  z = 1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (self));
  plm_heatmap_view_map_area (self, &w, &h);
  zoom_to (self, z, z, RULER_LEFT + w / 2, RULER_TOP + h / 2);
}

gboolean
plm_heatmap_view_lookup (PlmHeatmapView *self, double x, double y, int *row, int *col,
                         float *value)
{
  int r0, r1, c0, c1, r, c;
  double w, h, dx, dy;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);

  if (!plm_heatmap_view_has_data (self))
    return FALSE;
  plm_heatmap_view_map_area (self, &w, &h);
  x -= RULER_LEFT, y -= RULER_TOP;
  if (x < 0 || y < 0 || x >= w || y >= h)
    return FALSE;
  /* the same mapping as the shader and the cairo transform: floor (origin + x / zoom) */
  dx = self->origin_x + x / self->zoom_x;
  dy = self->origin_y + y / self->zoom_y;
  if (dx < 0 || dy < 0)
    return FALSE;
  c = (int) floor (dx);
  r = (int) floor (dy);
  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  if (r < r0 || r >= r1 || c < c0 || c >= c1)
    return FALSE;
  if (row)
    *row = r;
  if (col)
    *col = c;
  if (value)
    *value = plm_heatmap_view_get_value (self, r, c);
  return TRUE;
}

gboolean
plm_heatmap_view_get_cell_center (PlmHeatmapView *self, int row, int col, double *x, double *y)
{
  double w, h, cx, cy;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);

  plm_heatmap_view_map_area (self, &w, &h);
  cx = (col + 0.5 - self->origin_x) * self->zoom_x;
  cy = (row + 0.5 - self->origin_y) * self->zoom_y;
  if (x)
    *x = cx + RULER_LEFT;
  if (y)
    *y = cy + RULER_TOP;
  return row >= 0 && row < self->rows && col >= 0 && col < self->cols &&
         cx >= 0 && cy >= 0 && cx < w && cy < h;
}

void
plm_heatmap_view_set_highlight (PlmHeatmapView *self, int row, int col)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  self->highlight_row = row >= 0 && row < self->rows ? row : -1;
  self->highlight_col = col >= 0 && col < self->cols ? col : -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_heatmap_view_map_rect (PlmHeatmapView *self, double *x, double *y, double *w, double *h)
{
  int r0, r1, c0, c1;
  double aw, ah, x0, x1, y0, y1;

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  plm_heatmap_view_map_area (self, &aw, &ah);
  x0 = CLAMP ((c0 - self->origin_x) * self->zoom_x, 0, aw);
  x1 = CLAMP ((c1 - self->origin_x) * self->zoom_x, 0, aw);
  y0 = CLAMP ((r0 - self->origin_y) * self->zoom_y, 0, ah);
  y1 = CLAMP ((r1 - self->origin_y) * self->zoom_y, 0, ah);
  *x = x0, *y = y0, *w = x1 - x0, *h = y1 - y0;
}

gboolean
plm_heatmap_view_get_map_bounds (PlmHeatmapView *self, graphene_rect_t *bounds)
{
  double x, y, w, h;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  plm_heatmap_view_map_rect (self, &x, &y, &w, &h);
  graphene_rect_init (bounds, RULER_LEFT + x, RULER_TOP + y, w, h);
  return plm_heatmap_view_has_data (self);
}

gboolean
plm_heatmap_view_get_zoomed (PlmHeatmapView *self)
{
  int r0, r1, c0, c1;
  double w, h, zx, zy;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);

  if (!plm_heatmap_view_has_data (self) || self->fitted)
    return FALSE;
  /* the zoom plm_heatmap_view_apply_fit would choose; the fitted map cannot be panned */
  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  plm_heatmap_view_map_area (self, &w, &h);
  zx = w / MAX (1, c1 - c0);
  zy = h / MAX (1, r1 - r0);
  if (self->keep_aspect)
    zx = zy = MIN (zx, zy);
  zx = CLAMP (zx, MIN_ZOOM, MAX_ZOOM);
  zy = CLAMP (zy, MIN_ZOOM, MAX_ZOOM);
  return fabs (self->zoom_x - zx) > 1e-6 * zx || fabs (self->zoom_y - zy) > 1e-6 * zy;
}

void
plm_heatmap_view_get_ruler_steps (PlmHeatmapView *self, double *row_step, double *col_step)
{
  int r0, r1, c0, c1;

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  *row_step = plm_heatmap_ruler_step (self->zoom_y, GTK_ORIENTATION_VERTICAL);
  *col_step = plm_heatmap_ruler_step (self->zoom_x, GTK_ORIENTATION_HORIZONTAL);
  /* a square map with square cells reads as one grid: one step on both axes, the wider one */
  if (r1 - r0 == c1 - c0 && fabs (self->zoom_x - self->zoom_y) <= 1e-6 * self->zoom_y)
    *row_step = *col_step = MAX (*row_step, *col_step);
}

void
plm_heatmap_view_get_highlight (PlmHeatmapView *self, int *row, int *col)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  if (row)
    *row = self->highlight_row;
  if (col)
    *col = self->highlight_col;
}
