/* plm-inference-worker.c: GTask-based inference with progress hand-off to the main loop. */
#include <glib/gi18n.h>
#include <string.h>

#include "plm-compute.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-handoff.h"
#include "plm-hasites.h"
#include "plm-inference-windowed.h"
#include "plm-inference-worker.h"
#include "plm-scan.h"
#include "plm-tokenizer.h"

/* A loaded model shared between the worker and any run still using it. */
struct _PlmModelRef
{
  PlmModel *model;
};
typedef PlmModelRef ModelRef;

static void
model_ref_clear (gpointer data)
{
  ModelRef *ref = data;
  g_clear_pointer (&ref->model, plm_model_free);
}

static ModelRef *
model_ref_new (PlmModel *model)
{
  ModelRef *ref = g_atomic_rc_box_new0 (ModelRef);
  ref->model = model;
  return ref;
}

static void
model_ref_unref (ModelRef *ref)
{
  g_atomic_rc_box_release_full (ref, model_ref_clear);
}

struct _PlmInferenceWorker
{
  GObject       parent_instance;
  ModelRef     *model;
  GHashTable   *cache;       /* "path\nresidues" → PlmInferenceResult */
  GQueue        lru;         /* keys, most recent at the head */
  guint64       cache_bytes;
  guint64       cache_limit;
  int           n_threads;
  PlmPrecision  precision;   /* applied to models loaded from now on */
  guint         n_running;
};

G_DEFINE_FINAL_TYPE (PlmInferenceWorker, plm_inference_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_MODEL_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
result_clear (gpointer data)
{
  PlmInferenceResult *r = data;

  g_free (r->model_path);
  g_free (r->sequence);
  g_clear_pointer (&r->attention, plm_attention_store_free);
  g_free (r->logits);
  g_free (r->wt_log_probs);
  g_free (r->embeddings);
  g_free (r->contacts);
  g_clear_pointer (&r->contact_band, plm_contact_band_free);
  g_free (r->ha_profiles);
  g_free (r->thumbnails);
}

PlmInferenceResult *
plm_inference_result_ref (PlmInferenceResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

void
plm_inference_result_unref (PlmInferenceResult *result)
{
  g_atomic_rc_box_release_full (result, result_clear);
}

guint64
plm_inference_result_bytes (PlmInferenceResult *r)
{
  guint64 T = r->n_tokens, L = r->n_residues;

  return plm_attention_store_get_bytes (r->attention) +
         4u * (T * r->vocab_size + (r->wt_log_probs ? L * r->vocab_size : 0) + T * r->d_model + (r->contacts ? L * L : 0) +
               (r->contact_band ? plm_contact_band_n_values (r->contact_band) : 0) +
               (r->ha_profiles ? (guint64) r->n_layers * L : 0) +
               (r->thumbnails ? (guint64) r->n_layers * (r->n_heads + 1) * r->thumbnail_cells * r->thumbnail_cells : 0));
}

/* A windowed result has a key of its own: the same residues may also run whole. */
static char *
cache_key (const char *model_path,
           const char *residues,
           gboolean    windowed)
{
  return g_strconcat (model_path, windowed ? "\nwindowed\n" : "\n", residues, NULL);
}

static void
plm_inference_worker_finalize (GObject *object)
{
  PlmInferenceWorker *self = (PlmInferenceWorker *) object;

  g_clear_pointer (&self->model, model_ref_unref);
  g_queue_clear_full (&self->lru, g_free);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (plm_inference_worker_parent_class)->finalize (object);
}

static void
plm_inference_worker_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PlmInferenceWorker *self = PLM_INFERENCE_WORKER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, plm_inference_worker_get_busy (self));
      break;
    case PROP_MODEL_PATH:
      g_value_set_string (value, plm_inference_worker_get_model_path (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_inference_worker_class_init (PlmInferenceWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = plm_inference_worker_finalize;
  object_class->get_property = plm_inference_worker_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_PATH] = g_param_spec_string ("model-path", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
plm_inference_worker_init (PlmInferenceWorker *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) plm_inference_result_unref);
  g_queue_init (&self->lru);
  /* Enough for several 650M results at L = 1,000 on a 16 GB machine. */
  self->cache_limit = G_GUINT64_CONSTANT (4) << 30;
}

PlmInferenceWorker *
plm_inference_worker_new (void)
{
  return g_object_new (PLM_TYPE_INFERENCE_WORKER, NULL);
}

void
plm_inference_worker_set_threads (PlmInferenceWorker *self,
                                  int                 n_threads)
{
  g_return_if_fail (PLM_IS_INFERENCE_WORKER (self));
  self->n_threads = MAX (0, n_threads);
}

void
plm_inference_worker_set_precision (PlmInferenceWorker *self,
                                    PlmPrecision        precision)
{
  g_return_if_fail (PLM_IS_INFERENCE_WORKER (self));
  self->precision = precision;
}

static void
cache_evict (PlmInferenceWorker *self)
{
  /* Keep at least the newest result even when it alone exceeds the limit. */
  while (self->cache_bytes > self->cache_limit && self->lru.length > 1)
    {
      char *key = g_queue_pop_tail (&self->lru);
      PlmInferenceResult *r = g_hash_table_lookup (self->cache, key);

      if (r != NULL)
        {
          self->cache_bytes -= plm_inference_result_bytes (r);
          g_hash_table_remove (self->cache, key);
        }
      g_free (key);
    }
}

void
plm_inference_worker_set_cache_limit (PlmInferenceWorker *self,
                                      guint64             bytes)
{
  g_return_if_fail (PLM_IS_INFERENCE_WORKER (self));
  self->cache_limit = bytes;
  cache_evict (self);
}

const PlmModel *
plm_inference_worker_get_model (PlmInferenceWorker *self)
{
  g_return_val_if_fail (PLM_IS_INFERENCE_WORKER (self), NULL);
  return self->model ? self->model->model : NULL;
}

const char *
plm_inference_worker_get_model_path (PlmInferenceWorker *self)
{
  g_return_val_if_fail (PLM_IS_INFERENCE_WORKER (self), NULL);
  return self->model ? self->model->model->path : NULL;
}

gboolean
plm_inference_worker_get_busy (PlmInferenceWorker *self)
{
  g_return_val_if_fail (PLM_IS_INFERENCE_WORKER (self), FALSE);
  return self->n_running > 0;
}

static void
set_running (PlmInferenceWorker *self,
             int                 delta)
{
  gboolean was_busy = self->n_running > 0;

  self->n_running += delta;
  if (was_busy != (self->n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Model loading */

static void
load_model_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  PlmInferenceWorker *self = source_object;
  GError *error = NULL;
  PlmModel *model = plm_model_load (path, &error);

  if (model == NULL)
    g_task_return_error (task, error);
  else
    {
      /* read once here: set on the main thread only between loads */
      plm_model_set_precision (model, self->precision, PLM_ISA_AVX512);
      g_task_return_pointer (task, model_ref_new (model), (GDestroyNotify) model_ref_unref);
    }
}

void
plm_inference_worker_load_model_async (PlmInferenceWorker  *self,
                                       const char          *path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PLM_IS_INFERENCE_WORKER (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, plm_inference_worker_load_model_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  set_running (self, +1);
  g_task_run_in_thread (task, load_model_thread);
}

gboolean
plm_inference_worker_load_model_finish (PlmInferenceWorker  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  ModelRef *ref;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  set_running (self, -1);
  ref = g_task_propagate_pointer (G_TASK (result), error);
  if (ref == NULL)
    return FALSE;

  /* results of the same checkpoint in another precision are not the ones cached */
  if (self->model != NULL && plm_lowp_precision (self->model->model->lowp) != plm_lowp_precision (ref->model->lowp))
    {
      g_hash_table_remove_all (self->cache);
      g_queue_clear_full (&self->lru, g_free);
      self->cache_bytes = 0;
    }
  g_clear_pointer (&self->model, model_ref_unref);
  self->model = ref;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PATH]);
  return TRUE;
}

/* Inference */

typedef struct
{
  PlmInferenceWorker *worker;      /* only touched on the main context */
  ModelRef           *model;
  char               *residues;
  int                 n_threads;
  PlmInferenceResult *result;      /* built in the thread */
  PlmInferenceProgressFunc progress_func;  /* this run's, called on the caller's context */
  gpointer            progress_data;
  PlmHandoffProgress  progress;
  gboolean            windowed;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *rd = data;

  g_clear_object (&rd->worker);
  g_clear_pointer (&rd->model, model_ref_unref);
  g_free (rd->residues);
  g_clear_pointer (&rd->result, plm_inference_result_unref);
  plm_handoff_progress_clear (&rd->progress);
  g_free (rd);
}

static void
emit_progress (gint64   done,
               gint64   total,
               gpointer data)
{
  RunData *rd = data;

  rd->progress_func ((int) done, (int) total, rd->progress_data);
}

static void
on_progress (int      done,
             int      total,
             gpointer user_data)
{
  GTask *task = user_data;
  RunData *rd = g_task_get_task_data (task);

  plm_handoff_progress_post (&rd->progress, done, total);
}

static gboolean
on_attention (int          layer,
              const float *probs,
              int          n_heads,
              int          n_tokens,
              gpointer     user_data)
{
  GTask *task = user_data;
  RunData *rd = g_task_get_task_data (task);

  /* Returning FALSE makes the engine stop and fail with PLM_ERROR_CANCELLED. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  g_return_val_if_fail (n_heads == rd->result->n_heads && n_tokens == rd->result->n_tokens, FALSE);
  plm_attention_store_add_layer (rd->result->attention, layer, probs);
  /* The HA view needs the fp32 head mean (the store's is fp16); one column sum per layer here
   * costs T² adds against the layer's T²·d multiply-adds. */
  if (rd->result->ha_profiles != NULL)
    plm_hasites_layer_profile (probs, n_heads, n_tokens,
                               rd->result->ha_profiles + (gsize) layer * rd->result->n_residues);
  /* Pooled here, once per layer, so that opening the overview costs only its widgets. */
  if (rd->result->thumbnails != NULL)
    plm_inference_result_pool_layer (rd->result, layer);
  return TRUE;
}

void
plm_inference_result_pool_layer (PlmInferenceResult *r,
                                  int                 layer)
{
  gsize cells = (gsize) r->thumbnail_cells * r->thumbnail_cells;

  plm_attention_store_pool_layer (r->attention, layer, r->thumbnail_cells,
                                  r->thumbnails + (gsize) layer * (r->n_heads + 1) * cells);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *rd = task_data;
  const PlmModel *model = rd->model->model;
  g_autoptr(PlmEsmState) state = NULL;
  g_autofree int32_t *tokens = NULL;
  PlmForwardOutput out = { 0 };
  PlmForwardOptions options = { 0 };
  PlmInferenceResult *r;
  g_autoptr(PlmComputeLease) lease = NULL;
  GError *error = NULL;
  gint64 start;
  int n_tokens = 0;

  /* The engine first, then the memory: a run waiting in the queue holds no attention store,
   * and one cancelled while it waited allocates nothing. */
  lease = plm_compute_acquire (rd->n_threads, cancellable, &error);
  if (lease == NULL || g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  tokens = plm_tokenize (rd->residues, &n_tokens);

  r = g_atomic_rc_box_new0 (PlmInferenceResult);
  rd->result = r;
  r->model_path = g_strdup (model->path);
  r->sequence = g_strdup (rd->residues);
  r->n_layers = model->config.n_layers;
  r->n_heads = model->config.n_heads;
  r->n_tokens = n_tokens;
  r->n_residues = n_tokens - 2;
  r->d_model = model->config.d_model;
  r->vocab_size = model->config.vocab_size;
  if (rd->windowed)
    {
      if (!plm_inference_run_windowed (r, model, tokens, cancellable, on_progress, task, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_pointer (&lease, plm_compute_release);
      r->wt_log_probs = g_new (float, (gsize) r->n_residues * r->vocab_size);
      plm_scan_wt_marginal (r->logits, r->n_tokens, r->vocab_size, r->wt_log_probs);
      g_task_return_pointer (task, plm_inference_result_ref (r), (GDestroyNotify) plm_inference_result_unref);
      return;
    }
  r->attention = plm_attention_store_new (r->n_layers, r->n_heads, n_tokens, &error);
  if (r->attention == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (r->n_residues > 0)
    {
      r->ha_profiles = g_new0 (float, (gsize) r->n_layers * r->n_residues);
      r->thumbnail_cells = MIN (r->n_residues, PLM_INFERENCE_THUMBNAIL_CELLS);
      r->thumbnails = g_new0 (float, (gsize) r->n_layers * (r->n_heads + 1) *
                                     r->thumbnail_cells * r->thumbnail_cells);
    }

  options.attention_func = on_attention;
  options.attention_data = task;
  options.progress_func = on_progress;
  options.progress_data = task;
  options.cancellable = cancellable;
  options.want_logits = TRUE;
  options.want_embeddings = TRUE;
  options.want_contacts = model->has_contact_head;

  state = plm_esm_state_new (model);
  start = g_get_monotonic_time ();
  if (!plm_esm_forward (state, tokens, n_tokens, &options, &out, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&lease, plm_compute_release);

  r->seconds = (g_get_monotonic_time () - start) / 1e6;
  r->logits = g_steal_pointer (&out.logits);
  r->wt_log_probs = g_new (float, (gsize) r->n_residues * r->vocab_size);
  plm_scan_wt_marginal (r->logits, r->n_tokens, r->vocab_size, r->wt_log_probs);
  r->embeddings = g_steal_pointer (&out.embeddings);
  r->contacts = g_steal_pointer (&out.contacts);
  plm_forward_output_clear (&out);

  g_task_return_pointer (task, plm_inference_result_ref (r), (GDestroyNotify) plm_inference_result_unref);
}

/* A thread of its own rather than GTask's pool: its lowered priority must not outlive the run. */
static gpointer
inference_thread (gpointer data)
{
  g_autoptr(GTask) task = data;

  plm_compute_thread_init ();
  run_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
              g_task_get_cancellable (task));
  return NULL;
}

PlmModelRef *
plm_inference_worker_ref_model (PlmInferenceWorker *self,
                                int                *n_threads)
{
  g_return_val_if_fail (PLM_IS_INFERENCE_WORKER (self), NULL);
  if (n_threads != NULL)
    *n_threads = self->n_threads;
  return self->model != NULL ? g_atomic_rc_box_acquire (self->model) : NULL;
}

const PlmModel *
plm_model_ref_get (PlmModelRef *ref)
{
  return ref->model;
}

void
plm_model_ref_unref (PlmModelRef *ref)
{
  model_ref_unref (ref);
}

PlmInferenceResult *
plm_inference_worker_lookup (PlmInferenceWorker *self,
                             const char         *residues)
{
  g_autofree char *key = NULL;
  PlmInferenceResult *r = NULL;
  GList *link;

  g_return_val_if_fail (PLM_IS_INFERENCE_WORKER (self), NULL);
  g_return_val_if_fail (residues != NULL, NULL);

  if (self->model == NULL)
    return NULL;
  /* the whole-length result first, else the windowed one */
  for (int windowed = 0; windowed < 2 && r == NULL; windowed++)
    {
      g_free (key);
      key = cache_key (self->model->model->path, residues, windowed);
      r = g_hash_table_lookup (self->cache, key);
    }
  if (r == NULL)
    return NULL;

  /* Move to the front of the LRU order. */
  link = g_queue_find_custom (&self->lru, key, (GCompareFunc) g_strcmp0);
  if (link != NULL)
    {
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
    }
  return plm_inference_result_ref (r);
}

static void
run_async (PlmInferenceWorker      *self,
           const char              *residues,
           gboolean                 windowed,
           PlmInferenceProgressFunc progress_func,
           gpointer                 progress_data,
           GCancellable            *cancellable,
           GAsyncReadyCallback      callback,
           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PlmInferenceResult) cached = NULL;
  RunData *rd;

  g_return_if_fail (PLM_IS_INFERENCE_WORKER (self));
  g_return_if_fail (residues != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, plm_inference_worker_run_async);
  /* Errors and cancellation are checked explicitly in the thread. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, TRUE);

  if (self->model == NULL)
    {
      g_task_return_new_error (task, PLM_ERROR, PLM_ERROR_INPUT, _("No model is loaded"));
      return;
    }
  if (residues[0] == '\0')
    {
      g_task_return_new_error (task, PLM_ERROR, PLM_ERROR_INPUT, _("The sequence is empty"));
      return;
    }
  if ((cached = plm_inference_worker_lookup (self, residues)) && plm_inference_result_is_windowed (cached) == windowed)
    {
      g_task_return_pointer (task, g_steal_pointer (&cached), (GDestroyNotify) plm_inference_result_unref);
      return;
    }

  rd = g_new0 (RunData, 1);
  rd->windowed = windowed;
  rd->worker = g_object_ref (self);
  rd->model = g_atomic_rc_box_acquire (self->model);
  rd->residues = g_strdup (residues);
  rd->n_threads = self->n_threads;
  rd->progress_func = progress_func;
  rd->progress_data = progress_data;
  plm_handoff_progress_init (&rd->progress, task, progress_func != NULL ? emit_progress : NULL, rd);
  g_task_set_task_data (task, rd, run_data_free);

  set_running (self, +1);
  g_thread_unref (g_thread_new ("plm-inference", inference_thread, g_object_ref (task)));
}

void
plm_inference_worker_run_async (PlmInferenceWorker      *self,
                                const char              *residues,
                                PlmInferenceProgressFunc progress_func,
                                gpointer                 progress_data,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  run_async (self, residues, FALSE, progress_func, progress_data, cancellable, callback, user_data);
}

void
plm_inference_worker_run_windowed_async (PlmInferenceWorker      *self,
                                         const char              *residues,
                                         PlmInferenceProgressFunc progress_func,
                                         gpointer                 progress_data,
                                         GCancellable            *cancellable,
                                         GAsyncReadyCallback      callback,
                                         gpointer                 user_data)
{
  run_async (self, residues, TRUE, progress_func, progress_data, cancellable, callback, user_data);
}

PlmInferenceResult *
plm_inference_worker_run_finish (PlmInferenceWorker  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  PlmInferenceResult *r;
  RunData *rd;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  rd = g_task_get_task_data (G_TASK (result));
  if (rd != NULL)
    set_running (self, -1);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r != NULL && rd != NULL)
    {
      char *key = cache_key (r->model_path, r->sequence, plm_inference_result_is_windowed (r));

      if (!g_hash_table_contains (self->cache, key))
        {
          g_hash_table_insert (self->cache, g_strdup (key), plm_inference_result_ref (r));
          g_queue_push_head (&self->lru, key);
          self->cache_bytes += plm_inference_result_bytes (r);
          cache_evict (self);
        }
      else
        g_free (key);
    }
  return r;
}
