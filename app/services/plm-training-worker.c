/* plm-training-worker.c: a PlmNmTrainer in a thread, its reports handed to the main loop. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-compute.h"
#include "plm-error.h"
#include "plm-handoff.h"
#include "plm-nm-session.h"
#include "plm-training-worker.h"

/* Settings */

PlmTrainingSettings *
plm_training_settings_new (void)
{
  PlmTrainingSettings *s = g_new0 (PlmTrainingSettings, 1);

  plm_nm_train_config_init (&s->config);
  return s;
}

PlmTrainingSettings *
plm_training_settings_copy (const PlmTrainingSettings *settings)
{
  PlmTrainingSettings *s = g_memdup2 (settings, sizeof *settings);

  s->train = g_strdup (settings->train);
  s->valid = g_strdup (settings->valid);
  s->test = g_strdup (settings->test);
  s->dictionary = g_strdup (settings->dictionary);
  s->model_path = g_strdup (settings->model_path);
  s->out_path = g_strdup (settings->out_path);
  return s;
}

void
plm_training_settings_free (PlmTrainingSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->train);
  g_free (s->valid);
  g_free (s->test);
  g_free (s->dictionary);
  g_free (s->model_path);
  g_free (s->out_path);
  g_free (s);
}

G_DEFINE_BOXED_TYPE (PlmTrainingSettings, plm_training_settings,
                     plm_training_settings_copy, plm_training_settings_free)

/* Worker */

struct _PlmTrainingWorker
{
  GObject              parent_instance;
  PlmTrainingSettings *settings;
  PlmTrainingState     state;
  GArray              *history;           /* PlmNmEpochReport */
  PlmTrainingResults   results;
  gboolean             have_results;
  char                *last_path;
  GTask               *task;              /* while running */
  GMainContext        *context;

  /* elapsed time, main thread only */
  gint64               active_since;      /* 0 while not counting */
  gint64               active_us;
  gint64               train_start_us;    /* active_us when the first batch began, or -1 */
  int                  train_start_unit;  /* batches already done then */

  /* shared with the thread */
  GMutex               lock;
  GCond                cond;
  gboolean             paused;            /* requested */
  GCancellable        *cancellable;
  int                  phase;             /* PLM_TRAINING_* (atomic) */
  int                  done, total;       /* embedding: sequences; training: batches over all epochs */
  gint                 progress_pending;
};

G_DEFINE_FINAL_TYPE (PlmTrainingWorker, plm_training_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  EPOCH,
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
plm_training_worker_finalize (GObject *object)
{
  PlmTrainingWorker *self = (PlmTrainingWorker *) object;

  g_clear_pointer (&self->settings, plm_training_settings_free);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_free (self->last_path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (plm_training_worker_parent_class)->finalize (object);
}

static void
plm_training_worker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PlmTrainingWorker *self = PLM_TRAINING_WORKER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_training_worker_class_init (PlmTrainingWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = plm_training_worker_finalize;
  object_class->get_property = plm_training_worker_get_property;

  /* A PlmTrainingState. */
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, PLM_TRAINING_IDLE, PLM_TRAINING_FAILED,
                                             PLM_TRAINING_IDLE,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (const PlmNmEpochReport *report): valid during the emission only. */
  signals[EPOCH] = g_signal_new ("epoch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* Coalesced: read fraction, elapsed and ETA from the getters. */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
plm_training_worker_init (PlmTrainingWorker *self)
{
  self->history = g_array_new (FALSE, TRUE, sizeof (PlmNmEpochReport));
  self->train_start_us = -1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

PlmTrainingWorker *
plm_training_worker_new (const PlmTrainingSettings *settings)
{
  PlmTrainingWorker *self;

  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (PLM_TYPE_TRAINING_WORKER, NULL);
  self->settings = plm_training_settings_copy (settings);
  if (settings->out_path != NULL)
    self->last_path = g_strdup_printf ("%s.last.safetensors", settings->out_path);
  return self;
}

const PlmTrainingSettings *
plm_training_worker_get_settings (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), NULL);
  return self->settings;
}

const char *
plm_training_worker_get_last_path (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), NULL);
  return self->last_path;
}

static void
set_state (PlmTrainingWorker *self,
           PlmTrainingState   state)
{
  gboolean counting = state == PLM_TRAINING_LOADING || state == PLM_TRAINING_EMBEDDING
                      || state == PLM_TRAINING_TRAINING;
  gint64 now = g_get_monotonic_time ();

  if (counting && self->active_since == 0)
    self->active_since = now;
  else if (!counting && self->active_since != 0)
    {
      self->active_us += now - self->active_since;
      self->active_since = 0;
    }
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

PlmTrainingState
plm_training_worker_get_state (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), PLM_TRAINING_IDLE);
  return self->state;
}

GArray *
plm_training_worker_get_history (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), NULL);
  return self->history;
}

double
plm_training_worker_get_fraction (PlmTrainingWorker *self)
{
  int done = g_atomic_int_get (&self->done), total = g_atomic_int_get (&self->total);

  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), 0.0);
  return total > 0 ? CLAMP ((double) done / total, 0.0, 1.0) : 0.0;
}

static gint64
active_us (PlmTrainingWorker *self)
{
  return self->active_us + (self->active_since != 0 ? g_get_monotonic_time () - self->active_since : 0);
}

double
plm_training_worker_get_elapsed (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), 0.0);
  return active_us (self) / 1e6;
}

double
plm_training_worker_get_eta (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), -1.0);

  if (g_atomic_int_get (&self->phase) != PLM_TRAINING_TRAINING || self->train_start_us < 0)
    return -1.0;
  /* The pace of the batches done in this session (a resumed run starts counting anew). */
  int done = g_atomic_int_get (&self->done), total = g_atomic_int_get (&self->total);
  int units = done - self->train_start_unit;
  gint64 us = active_us (self) - self->train_start_us;
  if (units <= 0 || us <= 0)
    return -1.0;
  return (double) us / units * (total - done) / 1e6;
}

const PlmTrainingResults *
plm_training_worker_get_results (PlmTrainingWorker *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WORKER (self), NULL);
  return self->have_results ? &self->results : NULL;
}

void
plm_training_worker_pause (PlmTrainingWorker *self)
{
  g_return_if_fail (PLM_IS_TRAINING_WORKER (self));

  if (self->task == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->paused = TRUE;
  g_mutex_unlock (&self->lock);
  set_state (self, PLM_TRAINING_PAUSED);
}

void
plm_training_worker_unpause (PlmTrainingWorker *self)
{
  g_return_if_fail (PLM_IS_TRAINING_WORKER (self));

  if (self->task == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->paused = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  set_state (self, g_atomic_int_get (&self->phase));
}

void
plm_training_worker_cancel (PlmTrainingWorker *self)
{
  g_return_if_fail (PLM_IS_TRAINING_WORKER (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  /* wake a paused thread so that it sees the cancellation */
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Hand-off to the main context */

static gboolean
emit_progress_idle (gpointer data)
{
  PlmTrainingWorker *self = data;
  int phase = g_atomic_int_get (&self->phase);

  plm_handoff_taken (&self->progress_pending);
  if (self->task == NULL)
    return G_SOURCE_REMOVE;
  if (phase == PLM_TRAINING_TRAINING && self->train_start_us < 0)
    {
      self->train_start_us = active_us (self);
      self->train_start_unit = g_atomic_int_get (&self->done);
    }
  if (self->state != PLM_TRAINING_PAUSED)
    set_state (self, phase);
  g_signal_emit (self, signals[PROGRESS], 0);
  return G_SOURCE_REMOVE;
}

static void
queue_progress (PlmTrainingWorker *self,
                int                phase,
                int                done,
                int                total)
{
  g_atomic_int_set (&self->phase, phase);
  g_atomic_int_set (&self->done, done);
  g_atomic_int_set (&self->total, total);
  plm_handoff_post (self->context, &self->progress_pending, emit_progress_idle, g_object_ref (self),
                    g_object_unref);
}

typedef struct
{
  PlmTrainingWorker *self;
  PlmNmEpochReport   report;
} EpochData;

static void
epoch_data_free (gpointer data)
{
  EpochData *ed = data;

  g_object_unref (ed->self);
  g_free (ed);
}

static gboolean
emit_epoch_idle (gpointer data)
{
  EpochData *ed = data;
  PlmTrainingWorker *self = ed->self;

  /* after a resume the trainer repeats no epoch, but a stale history must not linger */
  while (self->history->len > 0
         && g_array_index (self->history, PlmNmEpochReport, self->history->len - 1).epoch >= ed->report.epoch)
    g_array_set_size (self->history, self->history->len - 1);
  g_array_append_val (self->history, ed->report);
  g_signal_emit (self, signals[EPOCH], 0, &ed->report);
  return G_SOURCE_REMOVE;
}

/* The thread */

typedef struct
{
  PlmTrainingWorker *self;   /* only its lock, cond, cancellable and atomics are touched */
  gboolean           resume;
  int                n_batches;
  int                epochs;
  PlmComputeLease   *lease;    /* the engine, while the model runs */
} RunData;

/* A pause holds the thread here, between two batches or two embedded sequences, until
 * unpaused or cancelled. */
static void
wait_while_paused (RunData *rd)
{
  PlmTrainingWorker *self = rd->self;
  gboolean paused;

  g_mutex_lock (&self->lock);
  paused = self->paused && !g_cancellable_is_cancelled (self->cancellable);
  g_mutex_unlock (&self->lock);
  if (paused && rd->lease != NULL)
    plm_compute_suspend (rd->lease);   /* a paused run leaves the engine to the window */
  g_mutex_lock (&self->lock);
  while (self->paused && !g_cancellable_is_cancelled (self->cancellable))
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  /* Between batches a queued inference or cross-attention goes first. Without a cancellable:
   * the model must not run without the engine, and the wait is one run of someone else's. */
  if (rd->lease != NULL)
    plm_compute_yield (rd->lease, NULL, NULL);
}

static void
on_embed (int      done,
          int      total,
          gpointer data)
{
  RunData *rd = data;

  queue_progress (rd->self, PLM_TRAINING_EMBEDDING, done, total);
  /* embedding with a large model takes minutes: it pauses too */
  wait_while_paused (rd);
}

static void
on_batch (int      epoch,
          int      batch,
          int      n_batches,
          gpointer data)
{
  RunData *rd = data;
  PlmTrainingWorker *self = rd->self;

  rd->n_batches = n_batches;
  queue_progress (self, PLM_TRAINING_TRAINING, (epoch - 1) * n_batches + batch, rd->epochs * n_batches);
  wait_while_paused (rd);
}

static void
on_epoch (const PlmNmEpochReport *report,
          gpointer                data)
{
  RunData *rd = data;
  EpochData *ed = g_new0 (EpochData, 1);

  ed->self = g_object_ref (rd->self);
  ed->report = *report;
  /* every epoch is delivered, in order: not coalesced */
  plm_handoff_send (rd->self->context, emit_epoch_idle, ed, epoch_data_free);
  queue_progress (rd->self, PLM_TRAINING_TRAINING, report->epoch * rd->n_batches, rd->epochs * rd->n_batches);
}


static gboolean
train (RunData             *rd,
       PlmTrainingResults  *results,
       GError             **error)
{
  PlmTrainingWorker *self = rd->self;
  const PlmTrainingSettings *s = self->settings;   /* immutable while running */
  g_autofree char *cache = NULL;
  g_autoptr(PlmNmSession) session = NULL;
  gboolean ok = FALSE, resumed = FALSE;

  if (s->train == NULL || s->model_path == NULL || s->out_path == NULL)
    {
      g_set_error_literal (error, PLM_ERROR, PLM_ERROR_INPUT, _("A training file, a model and an output file are needed"));
      return FALSE;
    }
  if (s->config.task == PLM_DATA_PAIR && s->dictionary == NULL)
    {
      g_set_error_literal (error, PLM_ERROR, PLM_ERROR_INPUT, _("The pair task needs a sequence dictionary"));
      return FALSE;
    }
  rd->epochs = s->config.epochs;
  /* a resumed run reuses the embeddings instead of running the PLM again */
  if (s->config.plm_mode == PLM_NM_PLM_FROZEN)
    cache = g_strdup_printf ("%s.embeddings.safetensors", s->out_path);

  queue_progress (self, PLM_TRAINING_LOADING, 0, 0);
  PlmNmSessionFiles files = {
    .train = s->train, .valid = s->valid, .test = s->test, .dictionary = s->dictionary,
    .model = s->model_path, .out = s->out_path, .embedding_cache = cache,
  };
  session = plm_nm_session_load (&s->config, &files, error);
  if (session == NULL)
    return FALSE;
  /* the engine is shared with the window's inference and the pair view: see plm-compute.h */
  rd->lease = plm_compute_acquire (s->n_threads, self->cancellable, error);
  if (rd->lease == NULL)
    return FALSE;

  plm_nm_session_set_callbacks (session, on_epoch, on_embed, on_batch, rd);
  ok = plm_nm_session_start (session, rd->resume, &resumed, error)
       && plm_nm_session_run (session, self->cancellable, error);
  if (ok)
    {
      const PlmNmData *data = plm_nm_session_get_data (session);
      plm_nm_trainer_get_results (plm_nm_session_get_trainer (session), &results->valid, &results->test,
                                  &results->l_neg_before, &results->l_neg_after, &results->best_epoch);
      results->n_classes = data->classes->len;
      results->have_valid = data->sets[1] != NULL;
      results->have_test = data->sets[2] != NULL;
    }
  g_clear_pointer (&session, plm_nm_session_free);
  g_clear_pointer (&rd->lease, plm_compute_release);
  return ok;
}

/* A thread of its own rather than GTask's pool: its lowered priority must not outlive the run. */
static gpointer
training_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  RunData *rd = g_task_get_task_data (task);
  PlmTrainingResults *results = g_new0 (PlmTrainingResults, 1);
  GError *error = NULL;

  plm_compute_thread_init ();
  if (train (rd, results, &error))
    g_task_return_pointer (task, results, g_free);
  else
    {
      g_free (results);
      g_task_return_error (task, error);
    }
  return NULL;
}

void
plm_training_worker_start_async (PlmTrainingWorker   *self,
                                 gboolean             resume,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *rd;

  g_return_if_fail (PLM_IS_TRAINING_WORKER (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, plm_training_worker_start_async);
  rd = g_new0 (RunData, 1);
  rd->self = self;
  rd->resume = resume;
  g_task_set_task_data (task, rd, g_free);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->paused = FALSE;
  self->have_results = FALSE;
  self->train_start_us = -1;
  g_atomic_int_set (&self->phase, PLM_TRAINING_LOADING);
  g_atomic_int_set (&self->done, 0);
  g_atomic_int_set (&self->total, 0);
  self->task = task;   /* borrowed: the thread holds the reference */
  set_state (self, PLM_TRAINING_LOADING);
  g_thread_unref (g_thread_new ("plm-training", training_thread, g_object_ref (task)));
}

gboolean
plm_training_worker_start_finish (PlmTrainingWorker  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_autofree PlmTrainingResults *results = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->task = NULL;
  results = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (results != NULL)
    {
      self->results = *results;
      self->have_results = TRUE;
      set_state (self, PLM_TRAINING_FINISHED);
      return TRUE;
    }
  set_state (self, g_error_matches (local_error, PLM_ERROR, PLM_ERROR_CANCELLED)
                   ? PLM_TRAINING_CANCELLED : PLM_TRAINING_FAILED);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
