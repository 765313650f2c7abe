/* plm-hasites-windowed.h: HA sites of proteins longer than the model, in windowed mode.
 * Per layer, the attention each residue receives (the column sum of the head-mean attention,
 * <cls>/<eos> excluded) is taken inside the residue's own window — the window the per-residue
 * rule of plm-windowed.h picks — then the method runs unchanged on the whole protein's profile
 * (normalise by the maximum, round, fit). With one window this is exactly plm_ha_accumulator. */
#pragma once

#include <glib.h>

#include "plm-hasites.h"
#include "plm-windowed.h"

G_BEGIN_DECLS

typedef struct _PlmHaWindowed PlmHaWindowed;

/* @plan must outlive the accumulator. */
PlmHaWindowed *plm_ha_windowed_new       (const PlmWindowPlan *plan,
                                          int                  n_layers);
void           plm_ha_windowed_free      (PlmHaWindowed       *acc);
/* Layer @layer's attention [n_heads, T, T] of window @window (T = plan->size + 2). FALSE when
 * the shape does not match. */
gboolean       plm_ha_windowed_add_layer (PlmHaWindowed       *acc,
                                          int                  window,
                                          int                  layer,
                                          const float         *probs,
                                          int                  n_heads,
                                          int                  n_tokens);
/* Fails with PLM_ERROR_INPUT if some window's layer was never added. */
gboolean       plm_ha_windowed_finish    (PlmHaWindowed       *acc,
                                          PlmHaResult         *result,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmHaWindowed, plm_ha_windowed_free)

G_END_DECLS
