/* plm-training-window.c: the fine-tuning window: the settings form, the run on show and the
 * table of runs, with the "training" actions that start, pause, resume and cancel runs. */
#include <glib/gi18n.h>

#include "plm-error.h"
#include "plm-training-form.h"
#include "plm-training-run-page.h"
#include "plm-training-runs-view.h"
#include "plm-training-window.h"

struct _PlmTrainingWindow
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkLabel            *start_reason;
  PlmTrainingForm     *form;
  PlmTrainingRunPage  *run_page;
  PlmTrainingRunsView *runs_view;

  PlmApplication      *application;
  GSimpleActionGroup  *actions;
  char                *output_dir;
  GListStore          *runs;           /* PlmTrainingRun */
};

G_DEFINE_FINAL_TYPE (PlmTrainingWindow, plm_training_window, ADW_TYPE_WINDOW)

static void
toast (PlmTrainingWindow *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static PlmTrainingRun *
current_run (PlmTrainingWindow *self)
{
  return plm_training_run_page_get_run (self->run_page);
}

static void
set_action_enabled (PlmTrainingWindow *self,
                    const char        *name,
                    gboolean           enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (PlmTrainingWindow *self)
{
  PlmTrainingRun *current = current_run (self);
  PlmTrainingState state = current != NULL ? plm_training_run_get_state (current) : PLM_TRAINING_IDLE;
  gboolean active = current != NULL && plm_training_run_is_active (current);
  gboolean any_active = FALSE;
  gboolean resumable;
  const char *missing;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  for (guint i = 0; i < n && !any_active; i++)
    {
      g_autoptr(PlmTrainingRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      any_active = plm_training_run_is_active (run);
    }

  /* one run at a time: the engine's thread pool is shared; what the form lacks is said above it */
  missing = plm_training_form_get_missing (self->form);
  set_action_enabled (self, "start", !any_active && missing == NULL);
  gtk_label_set_text (self->start_reason, missing != NULL ? missing : "");
  gtk_widget_set_visible (GTK_WIDGET (self->start_reason), missing != NULL);
  /* a pause requested while loading takes effect before the first batch */
  set_action_enabled (self, "pause", active);
  set_action_enabled (self, "cancel", active);
  resumable = !any_active && state == PLM_TRAINING_CANCELLED
              && plm_training_run_get_settings (current)->config.plm_mode == PLM_NM_PLM_FROZEN
              && g_file_test (plm_training_worker_get_last_path (plm_training_run_get_worker (current)),
                              G_FILE_TEST_EXISTS);
  set_action_enabled (self, "resume", resumable);
  plm_training_run_page_set_resumable (self->run_page, resumable);
}

static void
show_run (PlmTrainingWindow *self,
          PlmTrainingRun    *run)
{
  plm_training_run_page_set_run (self->run_page, run);
  update_actions (self);
}

/* Runs */

static void
on_run_ended (PlmTrainingRun    *run,
              const GError      *error,
              PlmTrainingWindow *self)
{
  /* The end of a run is told by the status line above the curves; where the head went, and the
   * way to it, by a toast (its slide costs two frames of main-thread CPU with the cairo renderer,
   * once the run is over: plm-bench-frames). */
  if (error == NULL)
    {
      const char *head = plm_training_run_get_head_path (run);
      g_autofree char *dir = g_path_get_dirname (head);
      g_autofree char *shown = g_filename_display_name (dir);
      /* Translators: a toast when a run has finished; the folder of the head file follows */
      g_autofree char *text = g_strdup_printf (_("Head saved in %s"), shown);
      AdwToast *t = adw_toast_new (text);

      adw_toast_set_timeout (t, 10);
      adw_toast_set_button_label (t, _("Show in Files"));
      adw_toast_set_action_name (t, "training.show-in-files");
      adw_toast_set_action_target_value (t, g_variant_new_string (head));
      adw_toast_overlay_add_toast (self->toast_overlay, t);
      /* the Pair view (and anything else) may use the new head at once */
      plm_application_add_head (self->application, head);
    }
  else if (!g_error_matches (error, PLM_ERROR, PLM_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Training failed: %s"), error->message);
      if (current_run (self) == run)
        plm_training_run_page_set_state_text (self->run_page, text);
      toast (self, text);
    }
  update_actions (self);
}

static void
start_run (PlmTrainingWindow *self,
           PlmTrainingRun    *run,
           gboolean           resume)
{
  plm_training_run_start (run, resume);
  show_run (self, run);
}

static void
add_run (PlmTrainingWindow *self,
         PlmTrainingRun    *run)
{
  if (plm_training_run_get_worker (run) != NULL)
    {
      g_signal_connect_swapped (run, "notify::state", G_CALLBACK (update_actions), self);
      g_signal_connect (run, "ended", G_CALLBACK (on_run_ended), self);
    }
  g_list_store_append (self->runs, run);
}

static void
on_show_run (PlmTrainingWindow *self,
             PlmTrainingRun    *run)
{
  show_run (self, run);
}

/* Actions */

static void
action_start (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PlmTrainingWindow *self = user_data;
  /* UTC: loading the local time zone is file I/O on the main loop */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autoptr(PlmTrainingSettings) s = plm_training_form_get_settings (self->form);
  g_autoptr(PlmTrainingRun) run = NULL;
  g_autofree char *name = NULL;

  if (g_mkdir_with_parents (self->output_dir, 0755) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot create %s"), self->output_dir);
      toast (self, text);
      return;
    }
  name = g_strdup_printf ("head-%s-%s-%u.safetensors", stamp, plm_nm_objective_name (s->config.objective),
                          g_list_model_get_n_items (G_LIST_MODEL (self->runs)) + 1);
  s->out_path = g_build_filename (self->output_dir, name, NULL);
  run = plm_training_run_new (s);
  add_run (self, run);
  start_run (self, run, FALSE);
}

static void
action_pause (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PlmTrainingRun *run = current_run (user_data);
  PlmTrainingWorker *worker = run != NULL ? plm_training_run_get_worker (run) : NULL;

  if (worker == NULL)
    return;
  if (plm_training_worker_get_state (worker) == PLM_TRAINING_PAUSED)
    plm_training_worker_unpause (worker);
  else
    plm_training_worker_pause (worker);
}

static void
action_cancel (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  PlmTrainingRun *run = current_run (user_data);

  if (run != NULL)
    plm_training_run_cancel (run);
}

static void
action_resume (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  PlmTrainingRun *run = current_run (user_data);

  if (run != NULL)
    start_run (user_data, run, TRUE);
}

/* Shows a file in the file manager: FileManager1's ShowItems selects it in its folder; without
 * that service the folder is opened by the default handler of its URI. */
static void
open_folder_of (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *parent_uri = parent != NULL ? g_file_get_uri (parent) : g_strdup (uri);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (parent_uri, NULL, &error))
    g_debug ("Cannot show %s: %s", parent_uri, error->message);
}

static void
on_show_items_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GVariant) ret = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);

  if (ret == NULL)
    open_folder_of (uri);
}

static void
on_session_bus (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, NULL);
  const char *uris[] = { uri, NULL };

  if (bus == NULL)
    {
      open_folder_of (uri);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                          on_show_items_done, g_steal_pointer (&uri));
}

static void
action_show_in_files (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  g_bus_get (G_BUS_TYPE_SESSION, NULL, on_session_bus, g_file_get_uri (file));
}

static void
action_use_current_model (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  PlmTrainingWindow *self = user_data;
  const char *path = plm_inference_worker_get_model_path (plm_application_get_worker (self->application));

  if (path == NULL)
    toast (self, _("The main window has no model loaded"));
  else
    plm_training_window_set_model (self, path);
}

/* Loading a head file */

static void
on_load_head_response (GtkNativeDialog   *dialog,
                       int                response,
                       PlmTrainingWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (!plm_training_window_load_head (self, path, &error))
        toast (self, error->message);
    }
  g_object_unref (dialog);
}

static void
on_load_head (PlmTrainingWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Load a Trained Head"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Heads (.safetensors)"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_load_head_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Object */

static void
plm_training_window_dispose (GObject *object)
{
  PlmTrainingWindow *self = PLM_TRAINING_WINDOW (object);

  /* cancelling makes the running threads stop at the next batch; each run holds itself until
   * its worker has stopped, and no longer reaches the window */
  if (self->runs != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->runs)); i++)
      {
        g_autoptr(PlmTrainingRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
        g_signal_handlers_disconnect_by_data (run, self);
        plm_training_run_cancel (run);
      }
  g_clear_object (&self->runs);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (plm_training_window_parent_class)->dispose (object);
}

static void
plm_training_window_finalize (GObject *object)
{
  PlmTrainingWindow *self = PLM_TRAINING_WINDOW (object);

  g_free (self->output_dir);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (plm_training_window_parent_class)->finalize (object);
}

static void
plm_training_window_class_init (PlmTrainingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_training_window_dispose;
  object_class->finalize = plm_training_window_finalize;

  g_type_ensure (PLM_TYPE_TRAINING_FORM);
  g_type_ensure (PLM_TYPE_TRAINING_RUN_PAGE);
  g_type_ensure (PLM_TYPE_TRAINING_RUNS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-training-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, start_reason);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, form);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, run_page);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, runs_view);
  gtk_widget_class_bind_template_callback (widget_class, on_load_head);
  gtk_widget_class_bind_template_callback (widget_class, on_show_run);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
plm_training_window_init (PlmTrainingWindow *self)
{
  static const GActionEntry entries[] = {
    { "start", action_start },
    { "pause", action_pause },
    { "cancel", action_cancel },
    { "resume", action_resume },
    { "use-current-model", action_use_current_model },
    { "show-in-files", action_show_in_files, "s" },
  };

  self->runs = g_list_store_new (PLM_TYPE_TRAINING_RUN);
  self->output_dir = g_build_filename (g_get_user_data_dir (), "plmlens", "heads", NULL);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "training", G_ACTION_GROUP (self->actions));
  plm_training_runs_view_set_model (self->runs_view, G_LIST_MODEL (self->runs));
  update_actions (self);
}

GtkWidget *
plm_training_window_new (GtkWindow      *parent,
                         PlmApplication *application)
{
  PlmTrainingWindow *self;
  const char *model;

  g_return_val_if_fail (PLM_IS_APPLICATION (application), NULL);

  self = g_object_new (PLM_TYPE_TRAINING_WINDOW, "transient-for", parent, "application", application, NULL);
  self->application = g_object_ref (application);
  model = plm_inference_worker_get_model_path (plm_application_get_worker (application));
  if (model != NULL)
    plm_training_window_set_model (self, model);
  return GTK_WIDGET (self);
}

void
plm_training_window_set_file (PlmTrainingWindow *self,
                              PlmTrainingFile    which,
                              const char        *path)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));
  plm_training_form_set_file (self->form, which, path);
}

void
plm_training_window_set_model (PlmTrainingWindow *self,
                               const char        *path)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));
  plm_training_form_set_model (self->form, path);
}

void
plm_training_window_set_output_dir (PlmTrainingWindow *self,
                                    const char        *dir)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));
  g_return_if_fail (dir != NULL);

  g_free (self->output_dir);
  self->output_dir = g_strdup (dir);
}

void
plm_training_window_apply_settings (PlmTrainingWindow         *self,
                                    const PlmTrainingSettings *settings)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));
  plm_training_form_apply_settings (self->form, settings);
}

PlmTrainingSettings *
plm_training_window_get_settings (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return plm_training_form_get_settings (self->form);
}

gboolean
plm_training_window_load_head (PlmTrainingWindow  *self,
                               const char         *path,
                               GError            **error)
{
  g_autoptr(PlmTrainingRun) run = NULL;

  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), FALSE);

  run = plm_training_run_new_for_head (path, error);
  if (run == NULL)
    return FALSE;
  add_run (self, run);
  plm_application_add_head (self->application, path);
  return TRUE;
}

PlmTrainingWorker *
plm_training_window_get_current (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return current_run (self) != NULL ? plm_training_run_get_worker (current_run (self)) : NULL;
}

guint
plm_training_window_get_n_runs (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->runs));
}

gboolean
plm_training_window_get_preview_ready (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), FALSE);
  return plm_training_form_get_preview_ready (self->form);
}

GtkWidget *
plm_training_window_get_loss_plot (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return plm_training_run_page_get_loss_plot (self->run_page);
}

GtkWidget *
plm_training_window_get_metric_plot (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return plm_training_run_page_get_metric_plot (self->run_page);
}

GtkWidget *
plm_training_window_get_histogram (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return plm_training_form_get_histogram (self->form);
}

const char *
plm_training_window_get_preview_errors (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return plm_training_form_get_preview_errors (self->form);
}
