/* plm-attention-view.h: one layer's head (or head mean) large, with a colour bar and layer/head stepping. */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"
#include "plm-figure.h"
#include "plm-inference-worker.h"
#include "plm-selection.h"

G_BEGIN_DECLS

#define PLM_TYPE_ATTENTION_VIEW (plm_attention_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmAttentionView, plm_attention_view, PLM, ATTENTION_VIEW, GtkWidget)

GtkWidget          *plm_attention_view_new           (void);
void                plm_attention_view_set_result    (PlmAttentionView   *self,
                                                      PlmInferenceResult *result);
PlmInferenceResult *plm_attention_view_get_result    (PlmAttentionView   *self);
/* 0-based layer; @head -1 is the mean over heads. Out-of-range values are clamped. */
void                plm_attention_view_show          (PlmAttentionView   *self,
                                                      int                 layer,
                                                      int                 head);
int                 plm_attention_view_get_layer     (PlmAttentionView   *self);
int                 plm_attention_view_get_head      (PlmAttentionView   *self);
void                plm_attention_view_step_layer    (PlmAttentionView   *self,
                                                      int                 delta);
/* Steps through mean, head 1, …, head H (the mean counts as the first entry). */
void                plm_attention_view_step_head     (PlmAttentionView   *self,
                                                      int                 delta);
void                plm_attention_view_set_color_map (PlmAttentionView   *self,
                                                      PlmColorMap         map);
PlmColorMap         plm_attention_view_get_color_map (PlmAttentionView   *self);
void                plm_attention_view_set_selection (PlmAttentionView   *self,
                                                      PlmSelection       *selection);
/* The residue highlighted through the linked selection, -1 for none. */
int                 plm_attention_view_get_highlighted (PlmAttentionView *self);
/* The PlmHeatmapView showing the map: data index = token index (0 = <cls>). */
GtkWidget          *plm_attention_view_get_heatmap   (PlmAttentionView   *self);
/* The figure of what is shown (layer, head or mean, colour map, special tokens) for export;
 * NULL without a result. @record names the protein in the title. */
PlmFigure          *plm_attention_view_create_figure (PlmAttentionView   *self,
                                                      const char         *record);

G_END_DECLS
