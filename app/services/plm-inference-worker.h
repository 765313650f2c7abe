/* plm-inference-worker.h: runs ESM-2 off the main thread and caches what it computed. */
#pragma once

#include <gio/gio.h>

#include "plm-attention-store.h"
#include "plm-contact-band.h"
#include "plm-model.h"
#include "plm-windowed.h"

G_BEGIN_DECLS

/* Everything one forward pass produced; immutable once delivered, shared by reference. */
typedef struct
{
  char               *model_path;
  char               *sequence;      /* residues as tokenised */
  int                 n_layers;
  int                 n_heads;
  int                 n_tokens;      /* T = L + 2 */
  int                 n_residues;
  int                 d_model;
  int                 vocab_size;
  PlmAttentionStore  *attention;
  float              *logits;        /* [T, vocab] */
  float              *wt_log_probs;  /* [L, vocab] wild-type-marginal log-probabilities: variant
                                      * score wt → mt at i = [i, mt] − [i, wt] (plm_scan_wt_marginal) */
  float              *embeddings;    /* [T, d] */
  float              *contacts;      /* [L, L] of a whole-length run, or NULL (no contact head,
                                      * or a windowed run) */
  PlmContactBand     *contact_band;  /* a windowed run's contacts, banded: O(L·W), not L² (or NULL);
                                      * read either through plm_inference_result_*_contacts */
  float              *ha_profiles;   /* [n_layers, L] normalised received attention per layer
                                      * (plm_hasites_layer_profile on the fp32 attention), or NULL */
  float              *thumbnails;    /* [n_layers, n_heads + 1, c, c] max-pooled maps for the
                                      * overview, head mean first; c = thumbnail_cells; or NULL */
  int                 thumbnail_cells;
  double              seconds;       /* wall time of the forward pass */
} PlmInferenceResult;
/* A windowed run (plm_inference_worker_run_windowed_async): attention from the windows' maps
 * (NaN where no window holds a pair), contacts NaN there too, logits, embeddings and HA profiles
 * by the per-residue rule. */

/* The overview's thumbnails are pooled to at most this many rows and columns: enough for a
 * ~100 px thumbnail, and 16 KB a map (11 MB for the 33 layers × 21 maps of ESM-2 650M). */
#define PLM_INFERENCE_THUMBNAIL_CELLS 64

PlmInferenceResult *plm_inference_result_ref    (PlmInferenceResult *result);
/* Fills layer @layer's thumbnails (every head and the mean) from the stored attention. */
void                plm_inference_result_pool_layer (PlmInferenceResult *result,
                                                     int                 layer);
void                plm_inference_result_unref  (PlmInferenceResult *result);
/* The windows of a windowed result, NULL for a whole-length one. */
const PlmWindowPlan *plm_inference_result_get_plan (PlmInferenceResult *result);
gboolean            plm_inference_result_is_windowed (PlmInferenceResult *result);
/* The window size a windowed run of @model uses (its maximum residues) and its overlap
 * (256, or a quarter of a smaller test model's window). */
int                 plm_inference_result_window_size (const PlmModel *model,
                                                      int             n_residues,
                                                      int            *overlap);
guint64             plm_inference_result_bytes  (PlmInferenceResult *result);

/* The predicted contacts, whole-length (dense) or windowed (banded) alike (plm-inference-contacts.c). */
gboolean            plm_inference_result_has_contacts   (const PlmInferenceResult *result);
/* P(contact) of residues @i, @j (0-based); NaN for a pair no window computed. */
float               plm_inference_result_get_contact    (const PlmInferenceResult *result,
                                                         int                       i,
                                                         int                       j);
/* Rows [@r0, @r1) × columns [@c0, @c1) of the [L, L] map into @out, row-major. */
void                plm_inference_result_copy_contacts  (const PlmInferenceResult *result,
                                                         int                       r0,
                                                         int                       r1,
                                                         int                       c0,
                                                         int                       c1,
                                                         float                    *out);
/* plm_contacts_rank_known of the map (@truth [L, L] or NULL), without a dense copy. */
int                 plm_inference_result_rank_contacts  (const PlmInferenceResult *result,
                                                         int                       min_separation,
                                                         int                       k,
                                                         const guint8             *truth,
                                                         int                      *pairs);
/* Pairs i < j, j − i ≥ @min_separation that have a value (all of them unless windowed). */
gint64              plm_inference_result_count_contacts (const PlmInferenceResult *result,
                                                         int                       min_separation);

#define PLM_TYPE_INFERENCE_WORKER (plm_inference_worker_get_type ())
G_DECLARE_FINAL_TYPE (PlmInferenceWorker, plm_inference_worker, PLM, INFERENCE_WORKER, GObject)

PlmInferenceWorker *plm_inference_worker_new              (void);
void                plm_inference_worker_set_threads      (PlmInferenceWorker   *self,
                                                           int                   n_threads);
/* --precision of the models loaded from now on (plm_model_set_precision ()); fp32 by default. */
void                plm_inference_worker_set_precision    (PlmInferenceWorker   *self,
                                                           PlmPrecision          precision);
/* Bytes of results kept in the cache before the least recently used are dropped. */
void                plm_inference_worker_set_cache_limit  (PlmInferenceWorker   *self,
                                                           guint64               bytes);
/* Loads a checkpoint in a worker thread; it becomes the current model on success. */
void                plm_inference_worker_load_model_async (PlmInferenceWorker   *self,
                                                           const char           *path,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            plm_inference_worker_load_model_finish (PlmInferenceWorker  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* The current model (owned by the worker), or NULL. */
const PlmModel     *plm_inference_worker_get_model        (PlmInferenceWorker   *self);
const char         *plm_inference_worker_get_model_path   (PlmInferenceWorker   *self);
/* The current model kept loaded until the handle is released, for other work on it (a variant
 * scan), and the worker's thread count (0 = automatic) in @n_threads (may be NULL); NULL
 * without a model. */
typedef struct _PlmModelRef PlmModelRef;
PlmModelRef        *plm_inference_worker_ref_model        (PlmInferenceWorker   *self,
                                                           int                  *n_threads);
const PlmModel     *plm_model_ref_get                     (PlmModelRef          *ref);
void                plm_model_ref_unref                   (PlmModelRef          *ref);
gboolean            plm_inference_worker_get_busy         (PlmInferenceWorker   *self);
/* A cached result for @residues with the current model, or NULL (transfer full). */
PlmInferenceResult *plm_inference_worker_lookup           (PlmInferenceWorker   *self,
                                                           const char           *residues);
/* Layers done of @total, on the main context of the thread that started the run. */
typedef void (*PlmInferenceProgressFunc) (int      done,
                                          int      total,
                                          gpointer user_data);

/* Runs the current model on @residues once the engine is free (plm-compute.h). This run's
 * @progress_func (may be NULL) is called after every layer, never after @cancellable fires or
 * the run completes; a cached result completes at once, without progress. */
void                plm_inference_worker_run_async        (PlmInferenceWorker   *self,
                                                           const char           *residues,
                                                           PlmInferenceProgressFunc progress_func,
                                                           gpointer              progress_data,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* The same in overlapping windows of the model's maximum residues (plm-windowed.h), for a protein
 * longer than the model; memory grows with the number of windows, not with L². */
void                plm_inference_worker_run_windowed_async (PlmInferenceWorker *self,
                                                           const char           *residues,
                                                           PlmInferenceProgressFunc progress_func,
                                                           gpointer              progress_data,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
PlmInferenceResult *plm_inference_worker_run_finish       (PlmInferenceWorker   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmInferenceResult, plm_inference_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmModelRef, plm_model_ref_unref)

G_END_DECLS
