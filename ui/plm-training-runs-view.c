/* plm-training-runs-view.c: a GtkColumnView over the runs; the cells that change (metrics,
 * status, the Save As button) follow their run through property bindings. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-training-runs-view.h"

typedef enum
{
  COLUMN_NUMBER,
  COLUMN_TASK,
  COLUMN_OBJECTIVE,
  COLUMN_PLM,
  COLUMN_LAMBDA,
  COLUMN_NEGATIVES,
  COLUMN_LR,
  COLUMN_EPOCHS,
  COLUMN_BATCH,
  COLUMN_BEST,
  COLUMN_VALID_ACC,
  COLUMN_TEST_ACC,
  COLUMN_TEST_F1,
  COLUMN_TEST_AUROC,
  COLUMN_STATUS,
  COLUMN_BUTTONS,
  N_COLUMNS
} Column;

static const char *column_titles[N_COLUMNS] = {
  /* Translators: the run's number in the list */
  N_("Run"), N_("Task"), N_("Objective"), N_("PLM"), N_("λ"), N_("Neg."), N_("LR"), N_("Epochs"), N_("Batch"),
  N_("Best"), N_("Valid Acc."), N_("Test Acc."), N_("Test F1"), N_("Test AUROC"), N_("Status"), "",
};

struct _PlmTrainingRunsView
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkColumnView *column_view;

  GListModel    *runs;
};

G_DEFINE_FINAL_TYPE (PlmTrainingRunsView, plm_training_runs_view, GTK_TYPE_WIDGET)

enum {
  SHOW_RUN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Formatting */

static const char *
objective_label (PlmNmObjective objective)
{
  switch (objective)
    {
    case PLM_NM_OBJECTIVE_NM:
      return _("NM");
    case PLM_NM_OBJECTIVE_CE:
      return _("CE baseline");
    case PLM_NM_OBJECTIVE_MLP:
    default:
      return _("MLP baseline");
    }
}

static const char *
plm_mode_label (PlmNmPlmMode mode)
{
  switch (mode)
    {
    case PLM_NM_PLM_FINETUNE:
      return _("Fine-tune");
    case PLM_NM_PLM_SCRATCH:
      return _("From scratch");
    case PLM_NM_PLM_FROZEN:
    default:
      return _("Frozen");
    }
}

/* The text of a cell that never changes: the run's settings. */
static char *
format_settings_cell (const PlmTrainingSettings *s,
                      Column                     column)
{
  gboolean nm;

  if (s == NULL)
    return g_strdup ("—");
  nm = s->config.objective == PLM_NM_OBJECTIVE_NM;
  switch (column)
    {
    case COLUMN_TASK:
      /* Translators: the task of a run in the table of runs: protein-wise classification or pairs */
      return g_strdup (s->config.task == PLM_DATA_PAIR ? C_("task", "Pair") : C_("task", "Protein"));
    case COLUMN_OBJECTIVE:
      return g_strdup (objective_label (s->config.objective));
    case COLUMN_PLM:
      return g_strdup (plm_mode_label (s->config.plm_mode));
    case COLUMN_LAMBDA:
      return nm ? g_strdup_printf ("%g", s->config.lambda) : g_strdup ("—");
    case COLUMN_NEGATIVES:
      return nm ? g_strdup_printf ("%d", s->config.n_neg) : g_strdup ("—");
    case COLUMN_LR:
      return g_strdup_printf ("%g", s->config.lr);
    case COLUMN_EPOCHS:
      return g_strdup_printf ("%d", s->config.epochs);
    case COLUMN_BATCH:
      return g_strdup_printf ("%d", s->config.batch);
    default:
      g_assert_not_reached ();
    }
}

static char *
format_metric (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.3f", value);
}

/* The text of a results cell ("—" until the run has finished). */
static char *
format_results_cell (const PlmTrainingResults *r,
                     Column                    column)
{
  if (r == NULL)
    return g_strdup ("—");
  switch (column)
    {
    case COLUMN_BEST:
      return r->best_epoch > 0 ? g_strdup_printf ("%d", r->best_epoch) : g_strdup ("—");
    case COLUMN_VALID_ACC:
      return format_metric (r->have_valid ? r->valid.accuracy : NAN);
    case COLUMN_TEST_ACC:
      return format_metric (r->have_test ? r->test.accuracy : NAN);
    case COLUMN_TEST_F1:
      return format_metric (r->have_test ? r->test.macro_f1 : NAN);
    case COLUMN_TEST_AUROC:
      return format_metric (r->have_test ? r->test.auroc : NAN);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
results_to_label (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_take_string (to, format_results_cell (g_value_get_pointer (from), GPOINTER_TO_INT (user_data)));
  return TRUE;
}

/* The head file exists once the run has saved its best epoch (or for a loaded head). */
static gboolean
state_to_saveable (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_autoptr(GObject) run = g_binding_dup_source (binding);

  g_value_set_boolean (to, run != NULL && g_file_test (plm_training_run_get_head_path (PLM_TRAINING_RUN (run)),
                                                       G_FILE_TEST_EXISTS));
  return TRUE;
}

/* Buttons */

static void
on_save_as_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  PlmTrainingRun *run = g_object_get_data (G_OBJECT (dialog), "run");
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (user_data), ADW_TYPE_TOAST_OVERLAY);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) dest = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GFile) src = g_file_new_for_path (plm_training_run_get_head_path (run));
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (!g_file_copy (src, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        text = g_strdup (error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (dest);
          text = g_strdup_printf (_("Head saved as %s"), name);
        }
      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_save_run (GtkButton           *button,
             PlmTrainingRunsView *self)
{
  PlmTrainingRun *run = g_object_get_data (G_OBJECT (gtk_widget_get_parent (GTK_WIDGET (button))), "run");
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (run == NULL)
    return;
  name = g_path_get_basename (plm_training_run_get_head_path (run));
  dialog = gtk_file_chooser_native_new (_("Save Head"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* the run stays alive while the dialog is open, even if the window closes */
  g_object_set_data_full (G_OBJECT (dialog), "run", g_object_ref (run), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_as_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_show_run (GtkButton           *button,
             PlmTrainingRunsView *self)
{
  PlmTrainingRun *run = g_object_get_data (G_OBJECT (gtk_widget_get_parent (GTK_WIDGET (button))), "run");

  if (run != NULL)
    g_signal_emit (self, signals[SHOW_RUN], 0, run);
}

static void
on_activate (PlmTrainingRunsView *self,
             guint                position)
{
  g_autoptr(PlmTrainingRun) run = g_list_model_get_item (self->runs, position);

  if (run != NULL && plm_training_run_get_worker (run) != NULL)
    g_signal_emit (self, signals[SHOW_RUN], 0, run);
}

/* Cells */

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  PlmTrainingRun *run = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const PlmTrainingSettings *s = plm_training_run_get_settings (run);
  GBinding *binding = NULL;

  gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
  if (column == COLUMN_NUMBER)
    {
      g_autofree char *text = g_strdup_printf ("%u", gtk_list_item_get_position (item) + 1);
      gtk_label_set_text (label, text);
      /* the number keeps the table narrow; the file is in the tooltip */
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), plm_training_run_get_head_path (run));
    }
  else if (column <= COLUMN_BATCH)
    {
      g_autofree char *text = format_settings_cell (s, column);
      gtk_label_set_text (label, text);
      if (s == NULL && column == COLUMN_OBJECTIVE)
        gtk_widget_set_tooltip_text (GTK_WIDGET (label), _("No configuration recorded"));
    }
  else if (column == COLUMN_STATUS)
    binding = g_object_bind_property (run, "status", label, "label", G_BINDING_SYNC_CREATE);
  else
    binding = g_object_bind_property_full (run, "results", label, "label", G_BINDING_SYNC_CREATE,
                                           results_to_label, NULL, GINT_TO_POINTER (column), NULL);
  g_object_set_data (G_OBJECT (item), "binding", binding);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GBinding *binding = g_object_get_data (G_OBJECT (item), "binding");

  if (binding != NULL)
    g_binding_unbind (binding);
  g_object_set_data (G_OBJECT (item), "binding", NULL);
  if (gtk_list_item_get_child (item) != NULL)
    g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "run", NULL);
}

static void
setup_buttons (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               PlmTrainingRunsView      *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *show = gtk_button_new_with_mnemonic (_("_Show"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("Save _As…"));

  gtk_widget_set_tooltip_text (show, _("Show the curves of this run"));
  gtk_widget_add_css_class (show, "flat");
  g_signal_connect (show, "clicked", G_CALLBACK (on_show_run), self);
  gtk_widget_set_tooltip_text (save, _("Save the head as…"));
  gtk_widget_add_css_class (save, "flat");
  g_signal_connect (save, "clicked", G_CALLBACK (on_save_run), self);
  gtk_box_append (GTK_BOX (box), show);
  gtk_box_append (GTK_BOX (box), save);
  gtk_list_item_set_child (item, box);
}

static void
bind_buttons (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  PlmTrainingRun *run = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *show = gtk_widget_get_first_child (box);
  GtkWidget *save = gtk_widget_get_next_sibling (show);

  g_object_set_data (G_OBJECT (box), "run", run);
  /* a loaded head has no curves */
  gtk_widget_set_visible (show, plm_training_run_get_worker (run) != NULL);
  g_object_set_data (G_OBJECT (item), "binding",
                     g_object_bind_property_full (run, "state", save, "visible", G_BINDING_SYNC_CREATE,
                                                  state_to_saveable, NULL, NULL, NULL));
}

static GtkListItemFactory *
column_factory (PlmTrainingRunsView *self,
                Column               column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  if (column == COLUMN_BUTTONS)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_buttons), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_buttons), NULL);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label), GINT_TO_POINTER (column));
    }
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), NULL);
  return factory;
}

static void
on_items_changed (PlmTrainingRunsView *self)
{
  gboolean empty = self->runs == NULL || g_list_model_get_n_items (self->runs) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "runs");
}

/* Object */

static void
plm_training_runs_view_dispose (GObject *object)
{
  PlmTrainingRunsView *self = PLM_TRAINING_RUNS_VIEW (object);
  GtkWidget *child;

  if (self->runs != NULL)
    g_signal_handlers_disconnect_by_data (self->runs, self);
  g_clear_object (&self->runs);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_TRAINING_RUNS_VIEW);
  /* the template's top-level box has no id */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (plm_training_runs_view_parent_class)->dispose (object);
}

static void
plm_training_runs_view_class_init (PlmTrainingRunsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_training_runs_view_dispose;

  signals[SHOW_RUN] = g_signal_new ("show-run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 1, PLM_TYPE_TRAINING_RUN);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-training-runs-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunsView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
plm_training_runs_view_init (PlmTrainingRunsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkListItemFactory) factory = column_factory (self, c);
      g_autoptr(GtkColumnViewColumn) column = NULL;

      column = gtk_column_view_column_new (column_titles[c][0] != '\0' ? _(column_titles[c]) : NULL,
                                           g_steal_pointer (&factory));
      gtk_column_view_append_column (self->column_view, column);
    }
  on_items_changed (self);
}

GtkWidget *
plm_training_runs_view_new (void)
{
  return g_object_new (PLM_TYPE_TRAINING_RUNS_VIEW, NULL);
}

void
plm_training_runs_view_set_model (PlmTrainingRunsView *self,
                                  GListModel          *runs)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (PLM_IS_TRAINING_RUNS_VIEW (self));
  g_return_if_fail (runs == NULL || G_IS_LIST_MODEL (runs));

  if (self->runs != NULL)
    g_signal_handlers_disconnect_by_data (self->runs, self);
  g_set_object (&self->runs, runs);
  if (runs != NULL)
    {
      g_signal_connect_swapped (runs, "items-changed", G_CALLBACK (on_items_changed), self);
      selection = gtk_no_selection_new (g_object_ref (runs));
    }
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  on_items_changed (self);
}
