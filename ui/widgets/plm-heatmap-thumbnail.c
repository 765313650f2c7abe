/* plm-heatmap-thumbnail.c: a pooled copy coloured once into a texture of the displayed size, so
 * hundreds of thumbnails cost one texture upload each and nothing per frame. */
#include "plm-heatmap-thumbnail.h"

#include <math.h>

#define POOLED_CELLS 64   /* what set_data pools to: enough for a ~100 px thumbnail */

struct _PlmHeatmapThumbnail
{
  GtkWidget    parent_instance;
  float       *pooled;
  int          rows;
  int          cols;
  int          size;
  PlmColorMap  color_map;
  PlmScale     scale;
  GdkTexture  *texture;        /* at device resolution, rebuilt on size/colour changes */
  int          texture_width;
  int          texture_height;
};

G_DEFINE_FINAL_TYPE (PlmHeatmapThumbnail, plm_heatmap_thumbnail, GTK_TYPE_WIDGET)

float *
plm_heatmap_pool_max (const float *values, int rows, int cols, int max_cells,
                      int *out_rows, int *out_cols)
{
  int orows = MIN (rows, max_cells), ocols = MIN (cols, max_cells);
  float *out = g_new (float, (gsize) MAX (orows, 1) * MAX (ocols, 1));
  g_autofree int *col_start = g_new (int, ocols + 1);

  for (int i = 0; i < orows * ocols; i++)
    out[i] = -INFINITY;
  /* block b holds the columns c with floor (c × ocols / cols) = b */
  for (int b = 0; b <= ocols; b++)
    col_start[b] = (int) (((gint64) b * cols + ocols - 1) / ocols);
  for (int r = 0; r < rows; r++)
    {
      float *o = out + (gsize) ((gint64) r * orows / rows) * ocols;
      const float *v = values + (gsize) r * cols;
      for (int b = 0; b < ocols; b++)
        {
          float m = o[b];
          /* NaN never compares greater: ignored */
          for (int c = col_start[b]; c < col_start[b + 1]; c++)
            m = v[c] > m ? v[c] : m;
          o[b] = m;
        }
    }
  /* blocks of NaN only stay NaN */
  for (int i = 0; i < orows * ocols; i++)
    if (out[i] == -INFINITY)
      {
        int r0 = (int) (((gint64) (i / ocols) * rows + orows - 1) / orows);
        int r1 = (int) (((gint64) (i / ocols + 1) * rows + orows - 1) / orows);
        gboolean all_nan = TRUE;
        for (int r = r0; r < r1 && all_nan; r++)
          for (int c = col_start[i % ocols]; c < col_start[i % ocols + 1] && all_nan; c++)
            all_nan = isnan (values[(gsize) r * cols + c]);
        if (all_nan)
          out[i] = NAN;
      }
  *out_rows = orows;
  *out_cols = ocols;
  return out;
}

static void
plm_heatmap_thumbnail_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PlmHeatmapThumbnail *self = PLM_HEATMAP_THUMBNAIL (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  int tw = w * scale, th = h * scale;

  if (!self->pooled || tw <= 0 || th <= 0)
    return;
  if (!self->texture || self->texture_width != tw || self->texture_height != th)
    {
      const guint32 *lut = plm_color_map_get_lut (self->color_map);
      g_autofree int *col_of = g_new (int, tw);
      guint32 *pixels = g_new (guint32, (gsize) tw * th);
      g_autoptr(GBytes) bytes = NULL;

      /* nearest-neighbour upscaling on the CPU: the texture is drawn 1:1, never blurred */
      for (int x = 0; x < tw; x++)
        col_of[x] = (int) ((gint64) x * self->cols / tw);
      for (int y = 0; y < th; y++)
        {
          const float *row = self->pooled + (gsize) ((gint64) y * self->rows / th) * self->cols;
          for (int x = 0; x < tw; x++)
            pixels[(gsize) y * tw + x] = plm_scale_color (&self->scale, lut, row[col_of[x]]);
        }
      bytes = g_bytes_new_take (pixels, (gsize) tw * th * 4);
      g_clear_object (&self->texture);
      self->texture = gdk_memory_texture_new (tw, th, GDK_MEMORY_DEFAULT, bytes, (gsize) tw * 4);
      self->texture_width = tw;
      self->texture_height = th;
    }
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

static void
plm_heatmap_thumbnail_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                               int *minimum, int *natural, int *minimum_baseline,
                               int *natural_baseline)
{
  *minimum = *natural = PLM_HEATMAP_THUMBNAIL (widget)->size;
}

static void
plm_heatmap_thumbnail_finalize (GObject *object)
{
  PlmHeatmapThumbnail *self = PLM_HEATMAP_THUMBNAIL (object);

  g_clear_object (&self->texture);
  g_free (self->pooled);
  G_OBJECT_CLASS (plm_heatmap_thumbnail_parent_class)->finalize (object);
}

static void
plm_heatmap_thumbnail_class_init (PlmHeatmapThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = plm_heatmap_thumbnail_finalize;
  widget_class->snapshot = plm_heatmap_thumbnail_snapshot;
  widget_class->measure = plm_heatmap_thumbnail_measure;
  gtk_widget_class_set_css_name (widget_class, "plmheatmapthumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_heatmap_thumbnail_init (PlmHeatmapThumbnail *self)
{
  self->scale = (PlmScale) { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  self->size = 64;
}

GtkWidget *
plm_heatmap_thumbnail_new (int size)
{
  PlmHeatmapThumbnail *self = g_object_new (PLM_TYPE_HEATMAP_THUMBNAIL, NULL);
  self->size = MAX (1, size);
  return GTK_WIDGET (self);
}

void
plm_heatmap_thumbnail_set_size (PlmHeatmapThumbnail *self, int size)
{
  g_return_if_fail (PLM_IS_HEATMAP_THUMBNAIL (self));

  size = MAX (1, size);
  if (size == self->size)
    return;
  self->size = size;
  /* the texture is rebuilt at the new size when it is next drawn */
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
plm_heatmap_thumbnail_get_size (PlmHeatmapThumbnail *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_THUMBNAIL (self), 0);
  return self->size;
}

void
plm_heatmap_thumbnail_take_pooled (PlmHeatmapThumbnail *self, float *pooled, int rows, int cols)
{
  g_return_if_fail (PLM_IS_HEATMAP_THUMBNAIL (self));

  g_free (self->pooled);
  self->pooled = pooled;
  self->rows = pooled ? rows : 0;
  self->cols = pooled ? cols : 0;
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_heatmap_thumbnail_set_data (PlmHeatmapThumbnail *self, const float *values, int rows, int cols)
{
  int pr, pc;

  g_return_if_fail (PLM_IS_HEATMAP_THUMBNAIL (self));

  if (!values || rows <= 0 || cols <= 0)
    {
      plm_heatmap_thumbnail_take_pooled (self, NULL, 0, 0);
      return;
    }
  float *pooled = plm_heatmap_pool_max (values, rows, cols, POOLED_CELLS, &pr, &pc);
  plm_heatmap_thumbnail_take_pooled (self, pooled, pr, pc);
}

void
plm_heatmap_thumbnail_set_color_map (PlmHeatmapThumbnail *self, PlmColorMap map)
{
  g_return_if_fail (PLM_IS_HEATMAP_THUMBNAIL (self));
  self->color_map = map;
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_heatmap_thumbnail_set_scale (PlmHeatmapThumbnail *self, const PlmScale *scale)
{
  g_return_if_fail (PLM_IS_HEATMAP_THUMBNAIL (self));
  self->scale = *scale;
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
