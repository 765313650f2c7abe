/* plm-heatmap-sources.h: a long protein's maps as PlmHeatmapView sources — read from the
 * attention store or the contact map region by region, never copied whole. */
#pragma once

#include "plm-heatmap-view.h"
#include "plm-inference-worker.h"

G_BEGIN_DECLS

/* TRUE when an @n × @n map is too large to copy into a view (above plm_heatmap_display_cap ()). */
gboolean plm_heatmap_sources_is_large       (int                 n);
/* Shows map (@layer, @head) of @result (head −1: the mean), T × T tokens, read from its store. */
void     plm_heatmap_sources_set_attention  (PlmHeatmapView     *view,
                                             PlmInferenceResult *result,
                                             int                 layer,
                                             int                 head);
/* The cells an attention map of @result shows (c0, r0, c1, r1): every token, or the residues
 * without <cls>/<eos> when @show_special is FALSE. */
void     plm_heatmap_sources_attention_window (PlmInferenceResult *result,
                                             gboolean            show_special,
                                             int                 window[4]);
/* The pooled copy of @window of map (@layer, @head), as the view would make it: for a thread
 * (the store's reads are thread-safe). */
float   *plm_heatmap_sources_pool_attention (PlmInferenceResult *result,
                                             int                 layer,
                                             int                 head,
                                             const int           window[4],
                                             int                *out_rows,
                                             int                *out_cols);
/* plm_heatmap_sources_set_attention with the pooled copy made already (taken). */
void     plm_heatmap_sources_set_attention_pooled (PlmHeatmapView *view,
                                             PlmInferenceResult *result,
                                             int                 layer,
                                             int                 head,
                                             float              *pooled,
                                             int                 pooled_rows,
                                             int                 pooled_cols,
                                             const int           window[4]);
typedef void (*PlmHeatmapSourcesReady) (gpointer user_data);
/* plm_heatmap_sources_set_attention with the pooled copy of the cells @view shows made in a
 * thread; then @ready (@user_data) on the main thread. The previous map stays on show until then;
 * a newer call cancels an older one through *@pending, as does cancelling it (then no @ready). */
void     plm_heatmap_sources_set_attention_async (PlmHeatmapView *view,
                                             PlmInferenceResult *result,
                                             int                 layer,
                                             int                 head,
                                             GCancellable      **pending,
                                             PlmHeatmapSourcesReady ready,
                                             gpointer            user_data);
/* Shows @result's L × L contact probabilities, read in place. */
void     plm_heatmap_sources_set_contacts   (PlmHeatmapView     *view,
                                             PlmInferenceResult *result);

G_END_DECLS
