/* plm-inference-windowed.h: the inference worker's windowed run of one protein (in-tree). */
#pragma once

#include <gio/gio.h>

#include "plm-esm.h"
#include "plm-inference-worker.h"

G_BEGIN_DECLS

/* Runs @model on @tokens (the whole protein's, with <cls>/<eos>) in windows of
 * plm_inference_result_window_size and fills @result (its sizes set): the windowed attention store
 * and thumbnails, logits, embeddings, contacts and HA profiles. @progress_func gets the layers
 * done over all windows. */
gboolean plm_inference_run_windowed (PlmInferenceResult *result,
                                     const PlmModel     *model,
                                     const int32_t      *tokens,
                                     GCancellable       *cancellable,
                                     void              (*progress_func) (int done, int total, gpointer data),
                                     gpointer            progress_data,
                                     GError            **error);

G_END_DECLS
