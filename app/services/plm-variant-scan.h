/* plm-variant-scan.h: the Mutations view's masked-marginal scan (plm_scan_log_probs) of an
 * inference result, in a worker thread under the engine lease, with progress and cancel; the
 * log-probabilities are cached per model and sequence with the inference worker. */
#pragma once

#include <gio/gio.h>

#include "plm-inference-worker.h"

G_BEGIN_DECLS

/* Masked-marginal log-probabilities [L, vocab] of @result's sequence under its model, which
 * must still be @worker's current model. @progress_func (may be NULL) receives positions done
 * of L on the caller's main context, never after @cancellable fired or the task completed. A
 * cached scan completes at once. */
void    plm_variant_scan_async  (PlmInferenceWorker       *worker,
                                 PlmInferenceResult       *result,
                                 PlmInferenceProgressFunc  progress_func,
                                 gpointer                  progress_data,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data);
/* The log-probabilities as L × vocab floats; G_IO_ERROR_CANCELLED when cancelled. */
GBytes *plm_variant_scan_finish (PlmInferenceWorker       *worker,
                                 GAsyncResult             *result,
                                 GError                  **error);
/* A cached scan of @result, or NULL (transfer full). */
GBytes *plm_variant_scan_lookup (PlmInferenceWorker       *worker,
                                 PlmInferenceResult       *result);

G_END_DECLS
