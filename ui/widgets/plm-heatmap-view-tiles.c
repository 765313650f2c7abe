/* plm-heatmap-view-tiles.c: maps too large to draw whole. Above the display cap the renderers get
 * a tile instead of the map — its max-pooled copy (the whole visible window, at most cap² cells,
 * read in strips) or, once the cells on screen fit within the cap, those cells at full
 * resolution with a margin for panning — so their textures and surfaces stay below cap² cells
 * whatever L. A map given by plm_heatmap_view_set_source is never held whole: values are read
 * from its fill function, the readout's exactly. */
#include "plm-heatmap-view-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STRIP_CELLS (1 << 20)   /* cells read at a time while pooling: 4 MB */

int
plm_heatmap_display_cap (void)
{
  static gsize cap;

  if (g_once_init_enter (&cap))
    {
      const char *env = g_getenv ("PLM_HEATMAP_DISPLAY_CAP");
      int value = env != NULL ? atoi (env) : 0;

      g_once_init_leave (&cap, (gsize) (value > 0 ? value : PLM_HEATMAP_DISPLAY_CAP));
    }
  return (int) cap;
}

gboolean
plm_heatmap_view_has_data (PlmHeatmapView *self)
{
  return self->rows > 0 && self->cols > 0 && (self->values != NULL || self->fill != NULL);
}

/* Cells [r0, r1) × [c0, c1) into @out, from the matrix or the source: a PlmHeatmapFillFunc. */
static void
read_cells (gpointer data, int r0, int r1, int c0, int c1, float *out)
{
  PlmHeatmapView *self = data;

  if (self->values == NULL)
    {
      self->fill (self->fill_data, r0, r1, c0, c1, out);
      return;
    }
  for (int r = r0; r < r1; r++)
    memcpy (out + (gsize) (r - r0) * (c1 - c0), self->values + (gsize) r * self->cols + c0,
            sizeof (float) * (c1 - c0));
}

static void
clear_tile (PlmHeatmapTile *tile)
{
  g_clear_pointer (&tile->buf, g_free);
  tile->rows = tile->cols = 0;
}

void
plm_heatmap_view_clear_tiles (PlmHeatmapView *self)
{
  if (self->fill_destroy)
    self->fill_destroy (self->fill_data);
  self->fill = NULL;
  self->fill_data = NULL;
  self->fill_destroy = NULL;
  clear_tile (&self->pooled);
  clear_tile (&self->region);
  self->drawn_pooled = FALSE;
  self->data_version++;
}

float
plm_heatmap_view_get_value (PlmHeatmapView *self, int row, int col)
{
  const PlmHeatmapTile *t = &self->region;
  float v;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), NAN);

  if (!plm_heatmap_view_has_data (self) || row < 0 || col < 0 || row >= self->rows || col >= self->cols)
    return NAN;
  if (self->values != NULL)
    return self->values[(gsize) row * self->cols + col];
  if (t->buf != NULL && t->version == self->data_version && col >= t->window[0] && row >= t->window[1] &&
      col < t->window[2] && row < t->window[3])
    return t->buf[(gsize) (row - t->window[1]) * t->cols + (col - t->window[0])];
  self->fill (self->fill_data, row, row + 1, col, col + 1, &v);
  return v;
}

float *
plm_heatmap_pool_source (PlmHeatmapFillFunc fill, gpointer user_data, const int w[4], int max_cells,
                         int *out_rows, int *out_cols)
{
  int wc = w[2] - w[0], wr = w[3] - w[1];
  int pc = MIN (wc, max_cells), pr = MIN (wr, max_cells);
  int strip = MAX (1, STRIP_CELLS / wc);
  g_autofree float *buf = g_new (float, (gsize) MIN (strip, wr) * wc);
  g_autofree int *col_start = g_new (int, pc + 1);
  float *out = g_new (float, (gsize) pr * pc);

  g_return_val_if_fail (wc > 0 && wr > 0 && max_cells > 0, NULL);

  for (gsize i = 0; i < (gsize) pr * pc; i++)
    out[i] = -INFINITY;
  for (int b = 0; b <= pc; b++)
    col_start[b] = (int) (((gint64) b * wc + pc - 1) / pc);
  for (int y = 0; y < wr; y += strip)
    {
      int n = MIN (strip, wr - y);

      fill (user_data, w[1] + y, w[1] + y + n, w[0], w[2], buf);
      for (int i = 0; i < n; i++)
        {
          float *o = out + (gsize) ((gint64) (y + i) * pr / wr) * pc;
          const float *v = buf + (gsize) i * wc;

          for (int b = 0; b < pc; b++)
            {
              float m = o[b];
              /* NaN never compares greater */
              for (int c = col_start[b]; c < col_start[b + 1]; c++)
                m = v[c] > m ? v[c] : m;
              o[b] = m;
            }
        }
    }
  for (gsize i = 0; i < (gsize) pr * pc; i++)
    if (out[i] == -INFINITY)
      out[i] = NAN;
  *out_rows = pr;
  *out_cols = pc;
  return out;
}

static void
take_pooled (PlmHeatmapView *self, const int w[4], float *pooled, int rows, int cols, PlmHeatmapTile *tile)
{
  clear_tile (tile);
  tile->buf = pooled;
  tile->rows = rows;
  tile->cols = cols;
  memcpy (tile->window, w, sizeof tile->window);
  tile->version = self->data_version;
  tile->serial = ++self->serial;
}

static void
pool_window (PlmHeatmapView *self, const int w[4], PlmHeatmapTile *tile)
{
  int rows, cols;
  float *pooled = plm_heatmap_pool_source (read_cells, self, w, self->display_cap, &rows, &cols);

  take_pooled (self, w, pooled, rows, cols, tile);
}

void
plm_heatmap_view_set_source_pooled (PlmHeatmapView *self, int rows, int cols, PlmHeatmapFillFunc fill,
                                    gpointer user_data, GDestroyNotify destroy, float *pooled,
                                    int pooled_rows, int pooled_cols, const int window[4])
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (pooled != NULL && window != NULL);

  plm_heatmap_view_set_source (self, rows, cols, fill, user_data, destroy);
  if (pooled_rows == MIN (window[3] - window[1], self->display_cap) &&
      pooled_cols == MIN (window[2] - window[0], self->display_cap))
    take_pooled (self, window, pooled, pooled_rows, pooled_cols, &self->pooled);
  else
    g_free (pooled);   /* made for another cap: pooled again when drawn */
}

/* The cells [c0, c1) × [r0, r1) at full resolution, with up to their own size again around them
 * (within the cap and window @w) so that panning reads again only every screenful or so. */
static void
read_region (PlmHeatmapView *self, const int w[4], int c0, int r0, int c1, int r1, PlmHeatmapTile *tile)
{
  int cap = self->display_cap;
  int mx = MIN (c1 - c0, (cap - (c1 - c0)) / 2), my = MIN (r1 - r0, (cap - (r1 - r0)) / 2);
  int nc0 = MAX (w[0], c0 - mx), nc1 = MIN (w[2], c1 + mx);
  int nr0 = MAX (w[1], r0 - my), nr1 = MIN (w[3], r1 + my);

  clear_tile (tile);
  tile->buf = g_new (float, (gsize) (nr1 - nr0) * (nc1 - nc0));
  read_cells (self, nr0, nr1, nc0, nc1, tile->buf);
  tile->rows = nr1 - nr0;
  tile->cols = nc1 - nc0;
  tile->window[0] = nc0, tile->window[1] = nr0, tile->window[2] = nc1, tile->window[3] = nr1;
  tile->version = self->data_version;
  tile->serial = ++self->serial;
}

void
plm_heatmap_view_tile_frame (PlmHeatmapView *self, PlmHeatmapFrame *f)
{
  int cap = self->display_cap, w[4];
  int sc0, sr0, sc1, sr1;
  PlmHeatmapTile *tile;
  double sx, sy;

  self->drawn_pooled = FALSE;
  /* a matrix of at most cap² cells is drawn as it is, unless a side is too long for a texture
   * (an HA map of 6 layers × 5,000 residues is drawn whole; of 10,000, tiled) */
  if (!plm_heatmap_view_has_data (self) ||
      (self->values != NULL && (gsize) self->rows * self->cols <= (gsize) cap * cap &&
       self->rows <= 4 * cap && self->cols <= 4 * cap))
    return;
  memcpy (w, f->window, sizeof w);
  if (w[2] <= w[0] || w[3] <= w[1])
    {
      f->values = NULL;
      return;
    }
  /* the cells on screen */
  sc0 = CLAMP ((int) floor (f->origin_x), w[0], w[2]);
  sr0 = CLAMP ((int) floor (f->origin_y), w[1], w[3]);
  sc1 = CLAMP ((int) ceil (f->origin_x + f->width / f->zoom_x), w[0], w[2]);
  sr1 = CLAMP ((int) ceil (f->origin_y + f->height / f->zoom_y), w[1], w[3]);
  if (sc1 > sc0 && sr1 > sr0 && sc1 - sc0 <= cap && sr1 - sr0 <= cap)
    {
      tile = &self->region;
      if (tile->buf == NULL || tile->version != self->data_version ||
          sc0 < tile->window[0] || sr0 < tile->window[1] || sc1 > tile->window[2] || sr1 > tile->window[3] ||
          tile->window[0] < w[0] || tile->window[1] < w[1] || tile->window[2] > w[2] || tile->window[3] > w[3])
        read_region (self, w, sc0, sr0, sc1, sr1, tile);
    }
  else
    {
      tile = &self->pooled;
      if (tile->buf == NULL || tile->version != self->data_version || memcmp (tile->window, w, sizeof w) != 0)
        pool_window (self, w, tile);
      self->drawn_pooled = tile->rows < w[3] - w[1] || tile->cols < w[2] - w[0];
    }
  /* the tile's cell (x, y) covers data columns window[0] + x / sx … */
  sx = (double) tile->cols / (tile->window[2] - tile->window[0]);
  sy = (double) tile->rows / (tile->window[3] - tile->window[1]);
  f->values = tile->buf;
  f->rows = tile->rows;
  f->cols = tile->cols;
  f->serial = tile->serial;
  f->origin_x = (f->origin_x - tile->window[0]) * sx;
  f->origin_y = (f->origin_y - tile->window[1]) * sy;
  f->zoom_x /= sx;
  f->zoom_y /= sy;
  f->window[0] = CLAMP ((int) floor ((w[0] - tile->window[0]) * sx), 0, tile->cols);
  f->window[1] = CLAMP ((int) floor ((w[1] - tile->window[1]) * sy), 0, tile->rows);
  f->window[2] = CLAMP ((int) ceil ((w[2] - tile->window[0]) * sx), 0, tile->cols);
  f->window[3] = CLAMP ((int) ceil ((w[3] - tile->window[1]) * sy), 0, tile->rows);
}

void
plm_heatmap_view_set_display_cap (PlmHeatmapView *self, int cap)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (cap >= 1);

  self->display_cap = cap;
  clear_tile (&self->pooled);
  clear_tile (&self->region);
  plm_heatmap_view_redraw (self);
}

gboolean
plm_heatmap_view_get_pooled (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);
  return self->drawn_pooled;
}

void
plm_heatmap_view_fit_scale (PlmHeatmapView *self, PlmScaleKind kind, double lo, double hi)
{
  int w[4], r0, r1, c0, c1, stride;
  g_autofree float *window = NULL;
  const float *src;
  gsize n = 0;
  PlmScale scale;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  src = self->values;
  stride = self->cols;
  if (src == NULL && self->fill != NULL && r1 > r0 && c1 > c0)
    {
      /* a map read from a source: the pooled copy, whose maximum is the map's */
      w[0] = c0, w[1] = r0, w[2] = c1, w[3] = r1;
      if (self->pooled.buf == NULL || self->pooled.version != self->data_version ||
          memcmp (self->pooled.window, w, sizeof w) != 0)
        pool_window (self, w, &self->pooled);
      src = self->pooled.buf;
      stride = self->pooled.cols;
      r0 = c0 = 0, r1 = self->pooled.rows, c1 = self->pooled.cols;
    }
  if (src == NULL)
    r1 = r0;
  if (kind != PLM_SCALE_PERCENTILE)
    {
      /* plm_scale_fit's min and max, in place: a copy of the window can be L² floats */
      float mn = INFINITY, mx = -INFINITY;

      for (int r = r0; r < r1; r++)
        for (const float *v = src + (gsize) r * stride + c0, *end = v + MAX (0, c1 - c0); v < end; v++)
          {
            if (isnan (*v) || (kind == PLM_SCALE_LOG && *v <= 0))
              continue;
            mn = *v < mn ? *v : mn;
            mx = *v > mx ? *v : mx;
          }
      plm_scale_fit (&scale, kind, NULL, 0, lo, hi);
      scale.kind = kind;
      if (mn <= mx)
        {
          scale.vmin = mn;
          scale.vmax = mx;
        }
      plm_heatmap_view_set_scale (self, &scale);
      return;
    }
  window = g_new (float, (gsize) MAX (0, r1 - r0) * MAX (0, c1 - c0) + 1);
  for (int r = r0; r < r1; r++)
    for (int c = c0; c < c1; c++)
      window[n++] = src[(gsize) r * stride + c];
  plm_scale_fit (&scale, kind, window, n, lo, hi);
  plm_heatmap_view_set_scale (self, &scale);
}

char *
plm_heatmap_view_dup_pooled_note (PlmHeatmapView *self, gboolean brief)
{
  const PlmHeatmapTile *t = &self->pooled;
  int rows, cols;

  if (!self->drawn_pooled || t->buf == NULL || t->rows < 1 || t->cols < 1)
    return NULL;
  rows = (t->window[3] - t->window[1] + t->rows - 1) / t->rows;
  cols = (t->window[2] - t->window[0] + t->cols - 1) / t->cols;
  if (brief)
    /* Translators: a long protein's map drawn pooled, where the longer note does not fit */
    return g_strdup_printf (_("Pooled: max of %d × %d"), rows, cols);
  /* Translators: the map of a long protein is drawn pooled: one drawn cell is the largest of
   * up to rows × columns pairs */
  return g_strdup_printf (_("Pooled: each cell is the maximum of up to %d × %d pairs; zoom in for single pairs"),
                          rows, cols);
}
