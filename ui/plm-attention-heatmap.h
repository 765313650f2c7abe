/* plm-attention-heatmap.h: a cairo heatmap of one attention map (a layer's head or head mean). */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"
#include "plm-inference-worker.h"

G_BEGIN_DECLS

#define PLM_TYPE_ATTENTION_HEATMAP (plm_attention_heatmap_get_type ())
G_DECLARE_FINAL_TYPE (PlmAttentionHeatmap, plm_attention_heatmap, PLM, ATTENTION_HEATMAP, GtkDrawingArea)

GtkWidget          *plm_attention_heatmap_new            (void);
void                plm_attention_heatmap_set_result     (PlmAttentionHeatmap *self,
                                                          PlmInferenceResult  *result);
PlmInferenceResult *plm_attention_heatmap_get_result     (PlmAttentionHeatmap *self);
void                plm_attention_heatmap_set_layer      (PlmAttentionHeatmap *self,
                                                          int                  layer);
int                 plm_attention_heatmap_get_layer      (PlmAttentionHeatmap *self);
/* -1 is the mean over heads. */
void                plm_attention_heatmap_set_head       (PlmAttentionHeatmap *self,
                                                          int                  head);
int                 plm_attention_heatmap_get_head       (PlmAttentionHeatmap *self);
void                plm_attention_heatmap_set_color_map  (PlmAttentionHeatmap *self,
                                                          PlmColorMap          map);
PlmColorMap         plm_attention_heatmap_get_color_map  (PlmAttentionHeatmap *self);
/* Residue cell (0-based query, key) under widget point (@x, @y); FALSE outside the map. */
gboolean            plm_attention_heatmap_lookup_cell    (PlmAttentionHeatmap *self,
                                                          double               x,
                                                          double               y,
                                                          int                 *query,
                                                          int                 *key);

G_END_DECLS
