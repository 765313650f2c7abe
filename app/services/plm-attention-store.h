/* plm-attention-store.h: every attention map of one forward pass, kept as fp16 (in RAM, or on
 * disk for a windowed run). */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-half.h"
#include "plm-windowed.h"

G_BEGIN_DECLS

/* fp16 halves the memory of fp32 with ≤ 2⁻¹¹ relative error, far below what a colour map
 * shows: 650M (33 layers × 20 heads) at L = 1,000 takes 1.33 GB. */
typedef struct _PlmAttentionStore PlmAttentionStore;

PlmAttentionStore *plm_attention_store_new          (int                 n_layers,
                                                     int                 n_heads,
                                                     int                 n_tokens,
                                                     GError            **error);
/* A windowed run's store (plm-windowed.h): each window's maps of plan->size + 2 tokens, kept in
 * an unlinked file in the user cache dir (plm-spill-file.h), so memory stays at about one
 * window's map whatever L; the file's size grows with the number of windows, not with L².
 * Every reader below sees the assembled [L + 2, L + 2] map by the pair rule, NaN where no
 * window holds the pair, and reads one window's map at a time. */
PlmAttentionStore *plm_attention_store_new_windowed (int                  n_layers,
                                                     int                  n_heads,
                                                     const PlmWindowPlan *plan,
                                                     GError             **error);
guint64            plm_attention_store_estimate_windowed (int             n_layers,
                                                     int                 n_heads,
                                                     int                 n_windows,
                                                     int                 window_tokens);
void               plm_attention_store_free         (PlmAttentionStore  *self);
/* Bytes @n_layers × @n_heads maps of @n_tokens² (plus the head means) will take. */
guint64            plm_attention_store_estimate     (int                 n_layers,
                                                     int                 n_heads,
                                                     int                 n_tokens);
/* Stores layer @layer from the engine's [n_heads, T, T] probabilities. Thread-safe for
 * distinct layers; readers must wait until the layer is complete. */
void               plm_attention_store_add_layer    (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     const float        *probs);
/* Window @window's layer @layer, [n_heads, m, m] with m = plan->size + 2, written to the store's
 * file as it comes (FALSE with the reason when the disk cannot take it). A layer is complete
 * once every window added it. */
gboolean           plm_attention_store_add_window_layer (PlmAttentionStore *self,
                                                     int                 window,
                                                     int                 layer,
                                                     const float        *probs,
                                                     GError            **error);
/* The plan of a windowed store, NULL for a whole-length one. */
const PlmWindowPlan *plm_attention_store_get_plan   (PlmAttentionStore  *self);
/* The window token pair (@query, @key) comes from: −1 when none holds it, 0 when not windowed. */
int                plm_attention_store_get_window   (PlmAttentionStore  *self,
                                                     int                 query,
                                                     int                 key);
gboolean           plm_attention_store_has_layer    (PlmAttentionStore  *self,
                                                     int                 layer);
int                plm_attention_store_get_n_layers (PlmAttentionStore  *self);
int                plm_attention_store_get_n_heads  (PlmAttentionStore  *self);
int                plm_attention_store_get_n_tokens (PlmAttentionStore  *self);
guint64            plm_attention_store_get_bytes    (PlmAttentionStore  *self);
/* One value; @head = -1 is the mean over heads; NaN for a pair no window holds. */
float              plm_attention_store_get          (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     int                 head,
                                                     int                 query,
                                                     int                 key);
/* The raw fp16 map [T, T] of (@layer, @head), -1 for the head mean; not for a windowed store. */
const uint16_t    *plm_attention_store_peek_map     (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     int                 head);
/* Decodes map (@layer, @head) into @out [T, T]. */
void               plm_attention_store_copy_map     (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     int                 head,
                                                     float              *out);
/* Decodes rows @r0 … @r1 − 1, columns @c0 … @c1 − 1 of map (@layer, @head) into @out
 * [(r1 − r0) × (c1 − c0)], NaN where no window holds the pair: a windowed store reads only the
 * windows that hold some of those tokens, so a view shows a region of a long protein without
 * the whole L × L map. Thread-safe. */
void               plm_attention_store_copy_region  (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     int                 head,
                                                     int                 r0,
                                                     int                 r1,
                                                     int                 c0,
                                                     int                 c1,
                                                     float              *out);
/* Max-pools the residue block (tokens 1 … T − 2) of map (@layer, @head) into at most
 * @max_cells² blocks, the blocks of plm_heatmap_pool_max; g_malloc'ed *@out_rows × *@out_cols.
 * Attention is ≥ 0, and non-negative halves order like their bit patterns, so the max runs on
 * integers and only the pooled cells are decoded: the overview's thumbnails cost one pass. */
float             *plm_attention_store_pool_max     (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     int                 head,
                                                     int                 max_cells,
                                                     int                *out_rows,
                                                     int                *out_cols);

/* plm_attention_store_pool_max of every map of @layer into @out [n_heads + 1, n, n] (n =
 * MIN (L, @max_cells)), the head mean first; a windowed store finds each row's windows once. */
void               plm_attention_store_pool_layer   (PlmAttentionStore  *self,
                                                     int                 layer,
                                                     int                 max_cells,
                                                     float              *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmAttentionStore, plm_attention_store_free)

G_END_DECLS
