/* plm-training-run.c: one run of the fine-tuning window (or a loaded head) as an object in the
 * runs' GListStore, so that the runs table and the run page follow it through notify. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-error.h"
#include "plm-nm-train.h"
#include "plm-training-run.h"

struct _PlmTrainingRun
{
  GObject              parent_instance;

  PlmTrainingWorker   *worker;      /* NULL for a loaded head */
  PlmTrainingSettings *settings;    /* NULL for a loaded head without a configuration */
  char                *head_path;
  PlmTrainingResults   results;
  gboolean             have_results;
};

G_DEFINE_FINAL_TYPE (PlmTrainingRun, plm_training_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_SETTINGS,
  PROP_HEAD_PATH,
  PROP_STATE,
  PROP_STATUS,
  PROP_RESULTS,
  N_PROPS
};

enum {
  ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_worker_state (PlmTrainingRun *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
plm_training_run_dispose (GObject *object)
{
  PlmTrainingRun *self = PLM_TRAINING_RUN (object);

  if (self->worker != NULL)
    {
      plm_training_worker_cancel (self->worker);
      g_signal_handlers_disconnect_by_data (self->worker, self);
    }
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (plm_training_run_parent_class)->dispose (object);
}

static void
plm_training_run_finalize (GObject *object)
{
  PlmTrainingRun *self = PLM_TRAINING_RUN (object);

  g_clear_pointer (&self->settings, plm_training_settings_free);
  g_free (self->head_path);

  G_OBJECT_CLASS (plm_training_run_parent_class)->finalize (object);
}

static void
plm_training_run_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PlmTrainingRun *self = PLM_TRAINING_RUN (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, plm_training_run_get_worker (self));
      break;
    case PROP_SETTINGS:
      g_value_set_boxed (value, plm_training_run_get_settings (self));
      break;
    case PROP_HEAD_PATH:
      g_value_set_string (value, plm_training_run_get_head_path (self));
      break;
    case PROP_STATE:
      g_value_set_int (value, plm_training_run_get_state (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, plm_training_run_get_status (self));
      break;
    case PROP_RESULTS:
      g_value_set_pointer (value, (gpointer) plm_training_run_get_results (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_training_run_class_init (PlmTrainingRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = plm_training_run_dispose;
  object_class->finalize = plm_training_run_finalize;
  object_class->get_property = plm_training_run_get_property;

  properties[PROP_WORKER] = g_param_spec_object ("worker", NULL, NULL, PLM_TYPE_TRAINING_WORKER,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] = g_param_spec_boxed ("settings", NULL, NULL, PLM_TYPE_TRAINING_SETTINGS,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD_PATH] = g_param_spec_string ("head-path", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, PLM_TRAINING_IDLE, PLM_TRAINING_FAILED,
                                             PLM_TRAINING_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* a const PlmTrainingResults *, set once when the run has finished */
  properties[PROP_RESULTS] = g_param_spec_pointer ("results", NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (const GError *error): NULL when the run finished */
  signals[ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
plm_training_run_init (PlmTrainingRun *self)
{
}

PlmTrainingRun *
plm_training_run_new (const PlmTrainingSettings *settings)
{
  PlmTrainingRun *self;

  g_return_val_if_fail (settings != NULL && settings->out_path != NULL, NULL);

  self = g_object_new (PLM_TYPE_TRAINING_RUN, NULL);
  self->settings = plm_training_settings_copy (settings);
  self->head_path = g_strdup (settings->out_path);
  self->worker = plm_training_worker_new (settings);
  g_signal_connect_swapped (self->worker, "notify::state", G_CALLBACK (on_worker_state), self);
  return self;
}

PlmTrainingRun *
plm_training_run_new_for_head (const char  *path,
                               GError     **error)
{
  PlmNmHeadSummary summary;
  PlmTrainingRun *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!plm_nm_head_read_summary (path, &summary, error))
    return NULL;
  self = g_object_new (PLM_TYPE_TRAINING_RUN, NULL);
  self->head_path = g_strdup (path);
  if (summary.have_config)
    {
      self->settings = plm_training_settings_new ();
      self->settings->config = summary.config;
      self->settings->out_path = g_strdup (path);
    }
  if (summary.have_metrics)
    {
      self->results.valid = summary.valid;
      self->results.test = summary.test;
      self->results.have_valid = summary.have_valid;
      self->results.have_test = summary.have_test;
      self->results.best_epoch = summary.best_epoch;
      self->have_results = TRUE;
    }
  return self;
}

PlmTrainingWorker *
plm_training_run_get_worker (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), NULL);
  return self->worker;
}

const PlmTrainingSettings *
plm_training_run_get_settings (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), NULL);
  return self->settings;
}

const char *
plm_training_run_get_head_path (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), NULL);
  return self->head_path;
}

PlmTrainingState
plm_training_run_get_state (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), PLM_TRAINING_IDLE);
  return self->worker != NULL ? plm_training_worker_get_state (self->worker) : PLM_TRAINING_IDLE;
}

gboolean
plm_training_run_is_active (PlmTrainingRun *self)
{
  PlmTrainingState s = plm_training_run_get_state (self);

  return s == PLM_TRAINING_LOADING || s == PLM_TRAINING_EMBEDDING || s == PLM_TRAINING_TRAINING
         || s == PLM_TRAINING_PAUSED;
}

const char *
plm_training_run_get_status (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), NULL);

  if (self->worker == NULL)
    return _("Loaded");
  switch (plm_training_worker_get_state (self->worker))
    {
    case PLM_TRAINING_IDLE:
    case PLM_TRAINING_LOADING:
      return _("Loading");
    case PLM_TRAINING_EMBEDDING:
      return _("Embedding");
    case PLM_TRAINING_TRAINING:
      return _("Training");
    case PLM_TRAINING_PAUSED:
      return _("Paused");
    case PLM_TRAINING_FINISHED:
      return _("Finished");
    case PLM_TRAINING_CANCELLED:
      return _("Cancelled");
    case PLM_TRAINING_FAILED:
    default:
      return _("Failed");
    }
}

const PlmTrainingResults *
plm_training_run_get_results (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), NULL);
  return self->have_results ? &self->results : NULL;
}

double
plm_training_run_get_lambda (PlmTrainingRun *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN (self), 0.0);

  if (self->settings == NULL || self->settings->config.objective != PLM_NM_OBJECTIVE_NM)
    return 0.0;
  return self->settings->config.lambda;
}

static void
on_worker_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PlmTrainingRun) self = user_data;
  g_autoptr(GError) error = NULL;

  if (plm_training_worker_start_finish (PLM_TRAINING_WORKER (object), result, &error))
    {
      self->results = *plm_training_worker_get_results (self->worker);
      self->have_results = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULTS]);
    }
  g_signal_emit (self, signals[ENDED], 0, error);
}

void
plm_training_run_start (PlmTrainingRun *self,
                        gboolean        resume)
{
  g_return_if_fail (PLM_IS_TRAINING_RUN (self));
  g_return_if_fail (self->worker != NULL);

  /* the run outlives its window while the worker stops: closing the window cancels it */
  plm_training_worker_start_async (self->worker, resume, on_worker_done, g_object_ref (self));
}

void
plm_training_run_cancel (PlmTrainingRun *self)
{
  g_return_if_fail (PLM_IS_TRAINING_RUN (self));

  if (self->worker != NULL)
    plm_training_worker_cancel (self->worker);
}
