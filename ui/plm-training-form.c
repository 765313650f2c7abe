/* plm-training-form.c: the fine-tuning settings form; a chosen data file is previewed in a
 * thread of its own, and only the latest preview is shown. */
#include <glib/gi18n.h>

#include "plm-dataset-preview.h"
#include "plm-length-histogram.h"
#include "plm-nm-train.h"
#include "plm-training-form.h"

struct _PlmTrainingForm
{
  GtkWidget            parent_instance;

  AdwComboRow         *task_row;
  AdwActionRow        *train_row;
  AdwActionRow        *valid_row;
  AdwActionRow        *test_row;
  AdwActionRow        *dict_row;
  GtkLabel            *preview_label;
  GtkLabel            *split_label;
  PlmLengthHistogram  *histogram;
  GtkLabel            *errors_label;
  AdwActionRow        *model_row;
  AdwComboRow         *plm_row;
  AdwComboRow         *objective_row;
  AdwActionRow        *lambda_row;
  AdwActionRow        *negatives_row;
  GtkSpinButton       *lambda_spin;
  GtkSpinButton       *negatives_spin;
  GtkSpinButton       *lr_spin;
  GtkSpinButton       *epochs_spin;
  GtkSpinButton       *patience_spin;
  GtkSpinButton       *batch_spin;
  GtkSpinButton       *max_len_spin;
  GtkSpinButton       *seed_spin;

  char                *files[4];
  char                *model_path;
  GCancellable        *preview_cancellable;
  gboolean             preview_ready;
  PlmDatasetPreview   *preview;
};

G_DEFINE_FINAL_TYPE (PlmTrainingForm, plm_training_form, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static PlmDataTask
current_task (PlmTrainingForm *self)
{
  return adw_combo_row_get_selected (self->task_row) == 1 ? PLM_DATA_PAIR : PLM_DATA_PROTEIN;
}

/* The preview */

typedef struct _PreviewJob PreviewJob;
static void show_split (PlmTrainingForm *self, PreviewJob *job);

static void
on_preview_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PlmTrainingForm *self = user_data;
  g_autoptr(GError) error = NULL;
  PlmDatasetPreview *p = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->preview_ready = TRUE;
  g_clear_pointer (&self->preview, plm_dataset_preview_free);
  show_split (self, g_task_get_task_data (G_TASK (result)));
  if (p == NULL)
    {
      gtk_label_set_text (self->preview_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->histogram), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->errors_label), FALSE);
      gtk_label_set_text (self->errors_label, "");
      return;
    }
  self->preview = p;

  g_autofree char *name = g_path_get_basename (p->path);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s: %d item", "%s: %d items", p->n_items),
                          name, p->n_items);
  for (guint c = 0; c < p->classes->len; c++)
    {
      int n = g_array_index (p->counts, int, c);
      g_string_append_printf (text, "%s%s %d (%.1f %%)", c == 0 ? "\n" : ", ",
                              (const char *) g_ptr_array_index (p->classes, c), n,
                              p->n_items > 0 ? 100.0 * n / p->n_items : 0.0);
    }
  if (p->n_skipped > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "\n%d record without a usable label skipped",
                                               "\n%d records without a usable label skipped", p->n_skipped),
                            p->n_skipped);
  gtk_label_set_text (self->preview_label, text->str);

  plm_length_histogram_set_lengths (self->histogram, p->lengths,
                                    gtk_spin_button_get_value_as_int (self->max_len_spin) - 2);
  gtk_widget_set_visible (GTK_WIDGET (self->histogram), p->lengths->len > 0);

  for (guint i = 0; i < p->errors->len && i < 50; i++)
    {
      PlmPreviewError *e = &g_array_index (p->errors, PlmPreviewError, i);
      if (e->line > 0)
        g_string_append_printf (errors, _("Line %d: %s\n"), e->line, e->message);
      else
        g_string_append_printf (errors, "%s\n", e->message);
    }
  if (p->errors->len > 50)
    g_string_append_printf (errors, _("… and %u more rows with errors\n"), p->errors->len - 50);
  if (errors->len > 0)
    g_string_truncate (errors, errors->len - 1);
  gtk_label_set_text (self->errors_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_label), errors->len > 0);
}

struct _PreviewJob
{
  char              *path;
  PlmDataTask        task;
  PlmDatasetOptions  options;
  char              *dictionary;
  char              *sets[3];     /* the training, validation and test files */
  int                counts[3];   /* their readable items, -1 when unknown */
};

/* "train 800 · validation 100 · test 100": the sets a run will have, split as plm_nm_data_load
 * splits them (the validation set, and the test set without a test file, taken from the
 * training file when there is no validation file). */
static void
show_split (PlmTrainingForm *self,
            PreviewJob      *job)
{
  PlmNmTrainConfig config;
  int n_train = job->counts[0], n_valid = job->counts[1], n_test = job->counts[2];
  g_autofree char *text = NULL;

  plm_nm_train_config_init (&config);
  if (n_train < 0 || (job->sets[1] != NULL && n_valid < 0) || (job->sets[2] != NULL && n_test < 0))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->split_label), FALSE);
      return;
    }
  if (job->sets[1] == NULL)
    {
      int all = n_train;

      n_valid = CLAMP ((int) (config.valid_fraction * all + 0.5), 0, all);
      if (job->sets[2] == NULL)
        n_test = CLAMP ((int) (config.test_fraction * all + 0.5), 0, all - n_valid);
      n_train = all - n_valid - (job->sets[2] == NULL ? n_test : 0);
    }
  else if (job->sets[2] == NULL)
    n_test = 0;
  /* Translators: the sizes of the training, validation and test sets of a run */
  text = g_strdup_printf (_("train %d · validation %d · test %d"), n_train, n_valid, n_test);
  gtk_label_set_text (self->split_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->split_label), TRUE);
}

static void
preview_job_free (gpointer data)
{
  PreviewJob *job = data;

  g_free (job->path);
  g_free (job->dictionary);
  for (int i = 0; i < 3; i++)
    g_free (job->sets[i]);
  g_free (job);
}

static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  PreviewJob *job = data;
  GError *error = NULL;
  PlmDatasetPreview *p;

  job->options.dictionary = job->dictionary;
  p = plm_dataset_preview_new (job->path, job->task, &job->options, &error);
  /* the sizes of the sets, for the split line: the file on show, and the others read as well */
  for (int i = 0; i < 3; i++)
    {
      job->counts[i] = -1;
      if (job->sets[i] == NULL || g_cancellable_is_cancelled (cancellable))
        continue;
      if (p != NULL && g_str_equal (job->sets[i], job->path))
        job->counts[i] = p->n_items;
      else
        {
          g_autoptr(PlmDatasetPreview) other = plm_dataset_preview_new (job->sets[i], job->task, &job->options, NULL);
          if (other != NULL)
            job->counts[i] = other->n_items;
        }
    }
  if (p == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, p, (GDestroyNotify) plm_dataset_preview_free);
}

/* Previews the training file (or another one just chosen) off the main thread. */
static void
start_preview (PlmTrainingForm *self,
               const char      *path)
{
  g_autoptr(GTask) task = NULL;
  PreviewJob *job;

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_ready = FALSE;
  if (path == NULL || (current_task (self) == PLM_DATA_PAIR && self->files[PLM_TRAINING_FILE_DICTIONARY] == NULL))
    {
      /* nothing of an earlier preview stays: it was read for another file or task */
      g_clear_pointer (&self->preview, plm_dataset_preview_free);
      gtk_widget_set_visible (GTK_WIDGET (self->histogram), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->errors_label), FALSE);
      gtk_label_set_text (self->errors_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->split_label), FALSE);
      gtk_label_set_text (self->preview_label,
                          path == NULL ? _("Choose a data file to see its classes and lengths.")
                                       : _("Choose the sequence dictionary to preview pair data."));
      self->preview_ready = TRUE;
      return;
    }
  self->preview_cancellable = g_cancellable_new ();
  job = g_new0 (PreviewJob, 1);
  job->path = g_strdup (path);
  job->task = current_task (self);
  job->options.fasta_label = PLM_FASTA_LABEL_LOCATION;
  job->dictionary = g_strdup (self->files[PLM_TRAINING_FILE_DICTIONARY]);
  job->sets[0] = g_strdup (self->files[PLM_TRAINING_FILE_TRAIN]);
  job->sets[1] = g_strdup (self->files[PLM_TRAINING_FILE_VALID]);
  job->sets[2] = g_strdup (self->files[PLM_TRAINING_FILE_TEST]);
  /* cancelled on dispose, so the callback never sees a disposed form */
  task = g_task_new (NULL, self->preview_cancellable, on_preview_done, self);
  g_task_set_task_data (task, job, preview_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, preview_thread);
}

/* Choosing files */

static AdwActionRow *
file_row (PlmTrainingForm *self,
          PlmTrainingFile  which)
{
  AdwActionRow *rows[] = { self->train_row, self->valid_row, self->test_row, self->dict_row };

  return rows[which];
}

static void
on_file_response (GtkNativeDialog *dialog,
                  int              response,
                  PlmTrainingForm *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      int which = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "which"));

      if (which < 0)
        plm_training_form_set_model (self, path);
      else
        plm_training_form_set_file (self, which, path);
    }
  g_object_unref (dialog);
}

static void
choose_file (PlmTrainingForm *self,
             int              which,   /* a PlmTrainingFile, or -1 for the model */
             const char      *title)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  g_object_set_data (G_OBJECT (dialog), "which", GINT_TO_POINTER (which));
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_choose_train (PlmTrainingForm *self)
{
  choose_file (self, PLM_TRAINING_FILE_TRAIN, _("Choose the Training Data"));
}

static void
on_choose_valid (PlmTrainingForm *self)
{
  choose_file (self, PLM_TRAINING_FILE_VALID, _("Choose the Validation Data"));
}

static void
on_choose_test (PlmTrainingForm *self)
{
  choose_file (self, PLM_TRAINING_FILE_TEST, _("Choose the Test Data"));
}

static void
on_choose_dict (PlmTrainingForm *self)
{
  choose_file (self, PLM_TRAINING_FILE_DICTIONARY, _("Choose the Sequence Dictionary"));
}

static void
on_choose_model (PlmTrainingForm *self)
{
  choose_file (self, -1, _("Choose an ESM-2 Checkpoint"));
}

static void
on_task_changed (PlmTrainingForm *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->dict_row), current_task (self) == PLM_DATA_PAIR);
  /* the preview follows: the training file read again for the task chosen */
  start_preview (self, self->files[PLM_TRAINING_FILE_TRAIN]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_objective_changed (PlmTrainingForm *self)
{
  gboolean nm = adw_combo_row_get_selected (self->objective_row) == 0;

  /* λ and the negatives only matter to the NM objective */
  gtk_widget_set_sensitive (GTK_WIDGET (self->lambda_row), nm);
  gtk_widget_set_sensitive (GTK_WIDGET (self->negatives_row), nm);
}

static void
on_max_len_changed (PlmTrainingForm *self)
{
  if (self->preview != NULL)
    plm_length_histogram_set_lengths (self->histogram, self->preview->lengths,
                                      gtk_spin_button_get_value_as_int (self->max_len_spin) - 2);
}

/* The run parameters of @c in the form (the files aside). */
static void
show_config (PlmTrainingForm        *self,
             const PlmNmTrainConfig *c)
{
  adw_combo_row_set_selected (self->task_row, c->task == PLM_DATA_PAIR ? 1 : 0);
  adw_combo_row_set_selected (self->plm_row, c->plm_mode);   /* the rows are in enum order */
  adw_combo_row_set_selected (self->objective_row, c->objective);
  gtk_spin_button_set_value (self->lambda_spin, c->lambda);
  gtk_spin_button_set_value (self->negatives_spin, c->n_neg);
  gtk_spin_button_set_value (self->lr_spin, c->lr);
  gtk_spin_button_set_value (self->epochs_spin, c->epochs);
  gtk_spin_button_set_value (self->patience_spin, c->patience);
  gtk_spin_button_set_value (self->batch_spin, c->batch);
  gtk_spin_button_set_value (self->max_len_spin, c->max_len);
  gtk_spin_button_set_value (self->seed_spin, (double) c->seed);
}

/* Object */

static void
plm_training_form_dispose (GObject *object)
{
  PlmTrainingForm *self = PLM_TRAINING_FORM (object);
  GtkWidget *child;

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_TRAINING_FORM);
  /* the template's top-level box has no id */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (plm_training_form_parent_class)->dispose (object);
}

static void
plm_training_form_finalize (GObject *object)
{
  PlmTrainingForm *self = PLM_TRAINING_FORM (object);

  for (int i = 0; i < 4; i++)
    g_free (self->files[i]);
  g_free (self->model_path);
  g_clear_pointer (&self->preview, plm_dataset_preview_free);

  G_OBJECT_CLASS (plm_training_form_parent_class)->finalize (object);
}

static void
plm_training_form_class_init (PlmTrainingFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_training_form_dispose;
  object_class->finalize = plm_training_form_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  g_type_ensure (PLM_TYPE_LENGTH_HISTOGRAM);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-training-form.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, task_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, train_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, valid_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, test_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, dict_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, preview_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, split_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, histogram);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, errors_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, model_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, plm_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, objective_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, lambda_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, negatives_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, lambda_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, negatives_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, lr_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, patience_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, max_len_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingForm, seed_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_task_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_objective_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_max_len_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_train);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_valid);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_test);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_dict);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_model);
}

static void
plm_training_form_init (PlmTrainingForm *self)
{
  PlmNmTrainConfig defaults;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* the form starts from the engine's defaults */
  plm_nm_train_config_init (&defaults);
  show_config (self, &defaults);
}

GtkWidget *
plm_training_form_new (void)
{
  return g_object_new (PLM_TYPE_TRAINING_FORM, NULL);
}

/* A chosen file by its name, which fits a narrow form; the whole path in the tooltip. */
static void
set_path_subtitle (AdwActionRow *row,
                   const char   *path,
                   const char   *empty)
{
  g_autofree char *name = path != NULL ? g_path_get_basename (path) : NULL;

  adw_action_row_set_subtitle (row, name != NULL ? name : empty);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), path);
}

void
plm_training_form_set_file (PlmTrainingForm *self,
                            PlmTrainingFile  which,
                            const char      *path)
{
  static const char *empty[] = {
    N_("None"), N_("Split from the training data"), N_("Split from the training data"),
    N_("Pair task: id and sequence per line"),
  };

  g_return_if_fail (PLM_IS_TRAINING_FORM (self));
  g_return_if_fail (which <= PLM_TRAINING_FILE_DICTIONARY);

  g_free (self->files[which]);
  self->files[which] = g_strdup (path);
  set_path_subtitle (file_row (self, which), path, _(empty[which]));
  if (which == PLM_TRAINING_FILE_DICTIONARY)
    start_preview (self, self->files[PLM_TRAINING_FILE_TRAIN]);
  else
    start_preview (self, path);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
plm_training_form_get_file (PlmTrainingForm *self,
                            PlmTrainingFile  which)
{
  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), NULL);
  g_return_val_if_fail (which <= PLM_TRAINING_FILE_DICTIONARY, NULL);
  return self->files[which];
}

void
plm_training_form_set_model (PlmTrainingForm *self,
                             const char      *path)
{
  g_return_if_fail (PLM_IS_TRAINING_FORM (self));

  g_free (self->model_path);
  self->model_path = g_strdup (path);
  set_path_subtitle (self->model_row, path, _("None"));
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
plm_training_form_get_model (PlmTrainingForm *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), NULL);
  return self->model_path;
}

void
plm_training_form_apply_settings (PlmTrainingForm           *self,
                                  const PlmTrainingSettings *s)
{
  g_return_if_fail (PLM_IS_TRAINING_FORM (self));
  g_return_if_fail (s != NULL);

  show_config (self, &s->config);
  if (s->model_path != NULL)
    plm_training_form_set_model (self, s->model_path);
  plm_training_form_set_file (self, PLM_TRAINING_FILE_DICTIONARY, s->dictionary);
  plm_training_form_set_file (self, PLM_TRAINING_FILE_VALID, s->valid);
  plm_training_form_set_file (self, PLM_TRAINING_FILE_TEST, s->test);
  plm_training_form_set_file (self, PLM_TRAINING_FILE_TRAIN, s->train);
}

PlmTrainingSettings *
plm_training_form_get_settings (PlmTrainingForm *self)
{
  PlmTrainingSettings *s;

  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), NULL);

  s = plm_training_settings_new ();
  s->config.task = current_task (self);
  s->config.plm_mode = (PlmNmPlmMode) MIN (adw_combo_row_get_selected (self->plm_row), PLM_NM_PLM_SCRATCH);
  s->config.objective = (PlmNmObjective) MIN (adw_combo_row_get_selected (self->objective_row), 2);
  s->config.lambda = gtk_spin_button_get_value (self->lambda_spin);
  s->config.n_neg = gtk_spin_button_get_value_as_int (self->negatives_spin);
  s->config.lr = gtk_spin_button_get_value (self->lr_spin);
  s->config.epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);
  s->config.patience = gtk_spin_button_get_value_as_int (self->patience_spin);
  s->config.batch = gtk_spin_button_get_value_as_int (self->batch_spin);
  s->config.max_len = gtk_spin_button_get_value_as_int (self->max_len_spin);
  s->config.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  s->train = g_strdup (self->files[PLM_TRAINING_FILE_TRAIN]);
  s->valid = g_strdup (self->files[PLM_TRAINING_FILE_VALID]);
  s->test = g_strdup (self->files[PLM_TRAINING_FILE_TEST]);
  s->dictionary = g_strdup (self->files[PLM_TRAINING_FILE_DICTIONARY]);
  s->model_path = g_strdup (self->model_path);
  return s;
}

const char *
plm_training_form_get_missing (PlmTrainingForm *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), NULL);

  if (self->files[PLM_TRAINING_FILE_TRAIN] == NULL)
    return _("To start, choose the training data.");
  if (current_task (self) == PLM_DATA_PAIR && self->files[PLM_TRAINING_FILE_DICTIONARY] == NULL)
    return _("To start a pair run, choose its sequence dictionary: the pairs name their proteins by id.");
  if (self->model_path == NULL)
    return _("To start, choose the ESM-2 model.");
  return NULL;
}

gboolean
plm_training_form_get_preview_ready (PlmTrainingForm *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), FALSE);
  return self->preview_ready;
}

GtkWidget *
plm_training_form_get_histogram (PlmTrainingForm *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), NULL);
  return GTK_WIDGET (self->histogram);
}

const char *
plm_training_form_get_preview_errors (PlmTrainingForm *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_FORM (self), NULL);
  return gtk_label_get_text (self->errors_label);
}
