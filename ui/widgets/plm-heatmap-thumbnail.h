/* plm-heatmap-thumbnail.h: a small, cheap heatmap for overviews (one layer × head each). */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"

G_BEGIN_DECLS

#define PLM_TYPE_HEATMAP_THUMBNAIL (plm_heatmap_thumbnail_get_type ())
G_DECLARE_FINAL_TYPE (PlmHeatmapThumbnail, plm_heatmap_thumbnail, PLM, HEATMAP_THUMBNAIL, GtkWidget)

GtkWidget *plm_heatmap_thumbnail_new           (int                  size);
/* The side of the square thumbnail in pixels (what it measures). */
void       plm_heatmap_thumbnail_set_size      (PlmHeatmapThumbnail *self,
                                                int                  size);
int        plm_heatmap_thumbnail_get_size      (PlmHeatmapThumbnail *self);
/* Keeps a max-pooled copy of @values (at most 64 cells square); @values is not referenced
 * afterwards. Max, so that a sharp attention peak stays visible. */
void       plm_heatmap_thumbnail_set_data      (PlmHeatmapThumbnail *self,
                                                const float         *values,
                                                int                  rows,
                                                int                  cols);
/* Takes an already pooled @pooled (@rows × @cols, any size, g_malloc'ed) without copying. */
void       plm_heatmap_thumbnail_take_pooled   (PlmHeatmapThumbnail *self,
                                                float               *pooled,
                                                int                  rows,
                                                int                  cols);
void       plm_heatmap_thumbnail_set_color_map (PlmHeatmapThumbnail *self,
                                                PlmColorMap          map);
void       plm_heatmap_thumbnail_set_scale     (PlmHeatmapThumbnail *self,
                                                const PlmScale      *scale);

/* Max-pools @rows × @cols @values into at most @max_cells × @max_cells blocks (NaN ignored);
 * returns a g_malloc'ed array of *@out_rows × *@out_cols. */
float     *plm_heatmap_pool_max                (const float         *values,
                                                int                  rows,
                                                int                  cols,
                                                int                  max_cells,
                                                int                 *out_rows,
                                                int                 *out_cols);

G_END_DECLS
