/* plm-heatmap-sources.h: a long protein's maps as PlmHeatmapView sources — read from the
 * attention store or the contact map region by region, never copied whole. */
#pragma once

#include "plm-heatmap-view.h"
#include "plm-inference-worker.h"

G_BEGIN_DECLS

/* TRUE when an @n × @n map is too large to copy into a view (above PLM_HEATMAP_DISPLAY_CAP). */
gboolean plm_heatmap_sources_is_large       (int                 n);
/* Shows map (@layer, @head) of @result (head −1: the mean), T × T tokens, read from its store. */
void     plm_heatmap_sources_set_attention  (PlmHeatmapView     *view,
                                             PlmInferenceResult *result,
                                             int                 layer,
                                             int                 head);
/* Shows @result's L × L contact probabilities, read in place. */
void     plm_heatmap_sources_set_contacts   (PlmHeatmapView     *view,
                                             PlmInferenceResult *result);

G_END_DECLS
