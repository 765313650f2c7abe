/* test-window-more.c: around the main window under Xvfb: secondary windows, dropped files, the
 * long-sequence warning, the window state, heads for the Pair view and figure export. */
#include "plm-test-util.h"
#include "plm-ui-window.h"

/* No test asserts a time: the gaps and frame costs below are reported with g_test_message and
 * measured on a quiet machine by the benchmarks in tests/bench/. */

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) list = gtk_window_list_toplevels ();

  for (GList *l = list; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) != NULL;
}

/* The long-sequence banner's revealer (the parent of the box styled "plm-banner"). */
static GtkWidget *
find_banner (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "plm-banner"))
    return gtk_widget_get_parent (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_banner (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Preferences, keyboard shortcuts, About and the model manager open from their actions; the
 * colour-map preference reaches the heatmap through GSettings. */
static void
test_secondary_windows (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
  const struct { const char *action; GType type; const char *shot; } cases[] = {
    { "app.preferences", PLM_TYPE_PREFERENCES_WINDOW, "ui-preferences.png" },
    { "win.show-help-overlay", GTK_TYPE_SHORTCUTS_WINDOW, "ui-shortcuts.png" },
    { "app.about", ADW_TYPE_ABOUT_WINDOW, "ui-about.png" },
    { "app.models", PLM_TYPE_MODELS_WINDOW, "ui-models.png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GType type = cases[i].type;
      GtkWindow *shown;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), cases[i].action, NULL));
      g_assert_true (plm_ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (type), 5000));
      shown = find_toplevel (type);
      plm_ui_test_spin (300);
      plm_ui_test_save_screenshot (GTK_WIDGET (shown), cases[i].shot);
      gtk_window_destroy (shown);
      plm_ui_test_spin (50);
    }

  /* The model directory preference moves the model store. */
  g_settings_set_string (settings, "model-directory", "/tmp/plm-elsewhere");
  g_assert_cmpstr (plm_model_store_get_directory (plm_application_get_model_store (plm_uiw_app)), ==, "/tmp/plm-elsewhere");
  g_settings_reset (settings, "model-directory");
  {
    g_autofree char *def = plm_model_store_default_directory ();
    g_assert_cmpstr (plm_model_store_get_directory (plm_application_get_model_store (plm_uiw_app)), ==, def);
  }

  g_settings_set_string (settings, "color-map", "magma");
  g_assert_cmpint (plm_attention_view_get_color_map (PLM_ATTENTION_VIEW (plm_window_get_heatmap (window))), ==,
                   PLM_COLOR_MAP_MAGMA);
  g_settings_reset (settings, "color-map");
  g_assert_cmpint (plm_attention_view_get_color_map (PLM_ATTENTION_VIEW (plm_window_get_heatmap (window))), ==,
                   PLM_COLOR_MAP_VIRIDIS);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Files dropped on the window are opened like files chosen in the dialog. */
static void
test_drop_files (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  g_autofree char *a = g_build_filename (plm_uiw_source_root, "data", "examples", "gfp_aequorea.fasta", NULL);
  g_autofree char *b = g_build_filename (plm_uiw_source_root, "data", "examples", "p53_human.fasta", NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *drop = NULL;
  GSList *files = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (c))
        drop = GTK_DROP_TARGET (c);
    }
  g_assert_nonnull (drop);

  files = g_slist_append (files, g_file_new_for_path (a));
  files = g_slist_append (files, g_file_new_for_path (b));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_two, window, 5000));
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 2);

  g_value_unset (&value);
  g_slist_free_full (files, g_object_unref);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A sequence longer than ESM-2's training crops asks first; Cancel runs nothing, Run Anyway runs. */
static void
test_long_sequence_warning (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_uiw_synthetic_fasta (1100);
  PlmWindow *window = plm_uiw_new_window ();
  GType dialog_type = ADW_TYPE_MESSAGE_DIALOG;
  AdwMessageDialog *dialog;

  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (100);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (dialog_type), 5000));
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");
  g_assert_false (plm_inference_worker_get_busy (plm_application_get_worker (plm_uiw_app)));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (dialog_type));
  plm_ui_test_spin (300);
  /* the warning is a banner on the record's page, not a line in the sidebar */
  {
    GtkWidget *revealer = find_banner (GTK_WIDGET (window));
    GtkWidget *banner = revealer ? plm_ui_test_find_label (revealer, "ESM-2 was trained on at most", FALSE) : NULL;
    graphene_rect_t b;

    g_assert_nonnull (revealer);
    g_assert_nonnull (banner);
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
    g_assert_true (gtk_widget_is_drawable (banner));
    g_assert_true (gtk_widget_compute_bounds (banner, GTK_WIDGET (window), &b));
    /* right of the sidebar (280 px wide at this size), at the top of the page */
    g_assert_cmpfloat (b.origin.x, >=, 280);
    g_assert_cmpfloat (b.size.height, >, 10);
  }
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-long-warning-window.png");
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), "ui-long-warning.png");
  adw_message_dialog_response (dialog, "cancel");
  plm_ui_test_spin (100);
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");

  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (dialog_type), 5000));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_toplevel (dialog_type)), "run");
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  g_assert_cmpint (plm_window_get_result (window)->n_residues, ==, 1100);
  /* and stays on the results page of that record */
  plm_ui_test_spin (300);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (find_banner (GTK_WIDGET (window)))));
  g_assert_true (gtk_widget_is_drawable (plm_ui_test_find_label (find_banner (GTK_WIDGET (window)),
                                                                 "ESM-2 was trained on at most", FALSE)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window stores its size in GSettings. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
  PlmWindow *window = plm_uiw_new_window ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1111, 777);
  plm_ui_test_spin (200);
  gtk_window_close (GTK_WINDOW (window));
  plm_ui_test_spin (100);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1111);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 777);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

/* The AppStream screenshots: the first start (example protein, no model) and a result. The PNGs
 * are written to the build directory; resources/screenshots/ holds reviewed copies. */
static void
test_screenshot_welcome (void)
{
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "hbb_human.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmWindow *window;

  g_assert_null (plm_inference_worker_get_model (plm_application_get_worker (plm_uiw_app)));
  window = plm_uiw_new_window ();
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_any, window, 5000));
  plm_ui_test_spin (300);
  g_assert_cmpstr (plm_window_get_page (window), ==, "welcome");
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "screenshot-welcome.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_screenshot_results (void)
{
  const char *model = plm_uiw_model_8m;
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmWindow *window;

  window = plm_uiw_new_window ();
  plm_uiw_load_model (window, model);
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_three, window, 5000));
  plm_window_select (window, 0);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  plm_ui_test_spin (400);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "screenshot-results.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *exported_figure;

static void
on_figure_exported (PlmExportDialog *dialog,
                    const char      *path,
                    gpointer         data)
{
  g_free (exported_figure);
  exported_figure = g_strdup (path);
}

static gboolean
figure_exported (gpointer data)
{
  return exported_figure != NULL;
}

static PlmExportDialog *
find_export_dialog (void)
{
  GtkWindow *w = find_toplevel (PLM_TYPE_EXPORT_DIALOG);

  return w ? PLM_EXPORT_DIALOG (w) : NULL;
}

/* Export Figure from the window: the shortcut opens the dialog for the view on screen, with
 * the record's name in the title and the file name; every view builds its figure; the Pair
 * view without computed pairs says so. */
static void
test_export_figure (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-export-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "figure.png", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
  g_autoptr(GError) error = NULL;
  static const struct { const char *view; PlmFigureView kind; } views[] = {
    { "attention", PLM_FIGURE_ATTENTION }, { "overview", PLM_FIGURE_GRID }, { "ha-sites", PLM_FIGURE_HASITES },
    { "contacts", PLM_FIGURE_CONTACTS },
  };
  PlmWindow *window = plm_uiw_new_window ();
  PlmExportDialog *dialog;

  g_assert_null (plm_window_export_figure (window));   /* nothing shown yet */
  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, ">P69905 HBA_HUMAN\nMVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHF\n",
                                      "test", &error));
  g_assert_no_error (error);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  plm_ui_test_spin (200);

  /* Ctrl+Shift+E on the attention view */
  plm_window_set_view (window, "attention");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL));
  plm_ui_test_spin (300);
  dialog = find_export_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpint (plm_figure_get_view (plm_export_dialog_get_figure (dialog)), ==, PLM_FIGURE_ATTENTION);
  g_assert_nonnull (strstr (plm_figure_get_text (plm_export_dialog_get_figure (dialog), PLM_FIGURE_TEXT_TITLE), "P69905"));
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), "export-dialog.png");
  g_settings_set_boolean (settings, "export-transparent", TRUE);
  g_settings_set_double (settings, "export-dpi", 120);
  plm_export_dialog_set_size (dialog, PLM_FIGURE_UNIT_MM, 100, 0);
  g_signal_connect (dialog, "exported", G_CALLBACK (on_figure_exported), NULL);
  plm_export_dialog_export_to (dialog, out);
  g_assert_true (plm_ui_test_wait_until (figure_exported, NULL, 30000));
  g_assert_cmpstr (exported_figure, ==, out);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  plm_ui_test_spin (200);
  g_assert_null (find_export_dialog ());   /* closed after writing */
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "figure.png", FALSE));   /* the toast */
  {
    /* the choices made in the dialog (here through its settings) reach the file, and stay */
    cairo_surface_t *img = cairo_image_surface_create_from_png (out);
    const guint32 *px = (const guint32 *) cairo_image_surface_get_data (img);

    g_assert_cmpint (cairo_image_surface_get_width (img), ==, (int) lround (100 / 25.4 * 120));
    g_assert_cmpint (px[0] >> 24, ==, 0);   /* transparent background */
    cairo_surface_destroy (img);
  }
  {
    g_autofree char *format = g_settings_get_string (settings, "export-format");
    g_autofree char *folder = g_settings_get_string (settings, "export-folder");

    g_assert_cmpstr (format, ==, "png");
    g_assert_cmpstr (folder, ==, dir);
  }
  g_settings_reset (settings, "export-transparent");
  g_settings_reset (settings, "export-dpi");

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      PlmFigure *figure;

      plm_window_set_view (window, views[v].view);
      plm_ui_test_spin (100);
      dialog = plm_window_export_figure (window);
      g_assert_nonnull (dialog);
      figure = plm_export_dialog_get_figure (dialog);
      g_assert_nonnull (figure);
      g_assert_cmpint (plm_figure_get_view (figure), ==, views[v].kind);
      g_assert_nonnull (strstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), "P69905"));
      g_test_message ("%s: \"%s\"", views[v].view, plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  plm_window_set_view (window, "pair");
  plm_ui_test_spin (100);
  g_assert_null (plm_window_export_figure (window));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "Compute the pairs first", FALSE));

  g_unlink (out);
  g_rmdir (dir);
  g_clear_pointer (&exported_figure, g_free);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Activates the shortcut for @keyval + @mods as GTK dispatches a key press to the focus widget:
 * shortcut controllers in their capture phase from the window down, then in their bubble phase
 * from the focus widget up (which is where the window's own bindings are). */
static gboolean
send_shortcut (GtkWidget       *window,
               guint            keyval,
               GdkModifierType  mods)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  for (GtkWidget *w = focus ? focus : window; w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_add (chain, w);
  for (int pass = 0; pass < 2; pass++)
    for (guint k = 0; k < chain->len; k++)
      {
        GtkWidget *w = chain->pdata[pass == 0 ? chain->len - 1 - k : k];
        g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

        for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
          {
            g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);
            GtkPropagationPhase phase;

            if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
              continue;
            phase = gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller));
            if (phase != (pass == 0 ? GTK_PHASE_CAPTURE : GTK_PHASE_BUBBLE))
              continue;
            for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
              {
                g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
                GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

                if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                    gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
                    gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods &&
                    gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, w,
                                                  gtk_shortcut_get_arguments (shortcut)))
                  {
                    g_test_message ("shortcut taken by %s", G_OBJECT_TYPE_NAME (w));
                    return TRUE;
                  }
              }
          }
      }
  return FALSE;
}

/* Head and layer shortcuts are the window's: they work with the focus in the sidebar's list,
 * on any result view, and not before results are on show. */
static void
test_result_shortcuts (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  PlmWindow *window = plm_uiw_new_window ();
  GtkWidget *heatmap = plm_window_get_heatmap (window);
  PlmAttentionView *view = PLM_ATTENTION_VIEW (gtk_widget_get_ancestor (heatmap, PLM_TYPE_ATTENTION_VIEW));
  GtkWidget *list = plm_ui_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW);
  int layer, head;

  plm_uiw_load_model (window, model);
  /* a sequence no other test runs: nothing cached, so no results before the run */
  g_assert_true (plm_window_add_text (window, ">keys\nGSHMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEK\n",
                                      "test", &error));
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpstr (plm_window_get_page (window), !=, "results");
  /* nothing to step before results */
  gtk_widget_grab_focus (list);
  layer = plm_attention_view_get_layer (view);
  g_assert_false (send_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Down, GDK_CONTROL_MASK) &&
                  plm_attention_view_get_layer (view) != layer);

  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  plm_ui_test_spin (200);
  for (int v = 0; v < 2; v++)
    {
      plm_window_set_view (window, v == 0 ? "attention" : "contacts");
      plm_ui_test_spin (100);
      gtk_widget_grab_focus (list);
      plm_ui_test_spin (50);
      g_assert_true (gtk_widget_has_focus (list) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), list));
      layer = plm_attention_view_get_layer (view);
      head = plm_attention_view_get_head (view);
      g_assert_true (send_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Down, GDK_CONTROL_MASK));
      g_assert_cmpint (plm_attention_view_get_layer (view), ==, layer + 1);
      g_assert_true (send_shortcut (GTK_WIDGET (window), GDK_KEY_Right, GDK_ALT_MASK));
      g_assert_cmpint (plm_attention_view_get_head (view), ==, head + 1);
      g_assert_true (send_shortcut (GTK_WIDGET (window), GDK_KEY_Left, GDK_ALT_MASK));
      g_assert_cmpint (plm_attention_view_get_head (view), ==, head);
      g_assert_true (send_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Up, GDK_CONTROL_MASK));
      g_assert_cmpint (plm_attention_view_get_layer (view), ==, layer);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Progress never goes backwards: a replaced run's hand-off still queued when the next run
 * starts is ignored, and within a run a smaller layer than shown never shows. */
static void
test_progress_monotonic (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  PlmWindow *window = plm_uiw_new_window ();
  GCancellable *first, *second;

  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, ">one\nMVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSF\n>two\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n",
                                      "test", &error));
  g_assert_no_error (error);
  plm_window_select (window, 0);
  plm_window_run (window);
  first = g_object_ref (plm_window_get_run (window));
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Starting…");
  plm_window_run_progress (window, first, 2, 6);
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Layer 2 of 6");
  plm_window_run_progress (window, first, 1, 6);   /* never backwards within a run */
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Layer 2 of 6");

  /* a second run replaces the first before the first's last hand-off arrives */
  plm_window_select (window, 1);
  plm_window_run (window);
  second = plm_window_get_run (window);
  g_assert_true (second != first);
  g_assert_true (g_cancellable_is_cancelled (first));
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Starting…");
  plm_window_run_progress (window, first, 3, 6);
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Starting…");
  plm_window_run_progress (window, second, 3, 6);
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Layer 3 of 6");
  plm_window_run_progress (window, second, 1, 6);
  g_assert_cmpstr (plm_window_get_progress_text (window), ==, "Layer 3 of 6");
  g_object_unref (first);

  /* the real hand-offs of the run keep to that: every text seen counts up */
  {
    GtkWidget *label = plm_ui_test_find_label (GTK_WIDGET (window), "Layer 3 of 6", TRUE);
    int last = 3;

    g_assert_nonnull (label);
    while (plm_window_get_run (window) != NULL)
      {
        int layer, total;

        g_main_context_iteration (NULL, TRUE);
        if (plm_window_get_run (window) != NULL &&
            sscanf (plm_window_get_progress_text (window), "Layer %d of %d", &layer, &total) == 2)
          {
            g_assert_cmpint (layer, >=, last);
            last = layer;
          }
      }
  }
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A head trained (or loaded) in the fine-tuning window reaches the Pair view through the
 * application: windows open before and after it was added both offer it. */
static void
test_head_to_pair_view (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-ui-head-XXXXXX", NULL);
  g_autofree char *path = plm_test_write_random_head (dir, "trained-head.safetensors",
                                                            PLM_NM_HEAD_ATTENTION);

  PlmWindow *before = plm_uiw_new_window ();
  plm_application_add_head (plm_uiw_app, path);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_pair_view_get_head_name (PLM_PAIR_VIEW (plm_window_get_pair_view (before))), ==,
                   "trained-head.safetensors");
  PlmWindow *after = plm_uiw_new_window ();
  g_assert_cmpstr (plm_pair_view_get_head_name (PLM_PAIR_VIEW (plm_window_get_pair_view (after))), ==,
                   "trained-head.safetensors");

  /* an MLP-baseline head has no cross-attention: it is listed, but the Pair view keeps its head */
  g_autofree char *mlp_path = plm_test_write_random_head (dir, "mlp-head.safetensors", PLM_NM_HEAD_MLP);
  plm_application_add_head (plm_uiw_app, mlp_path);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_pair_view_get_head_name (PLM_PAIR_VIEW (plm_window_get_pair_view (after))), ==,
                   "trained-head.safetensors");
  gtk_window_destroy (GTK_WINDOW (before));
  gtk_window_destroy (GTK_WINDOW (after));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  plm_uiw_init (&argc, &argv);
  g_test_add_func ("/ui/screenshot-welcome", test_screenshot_welcome);
  g_test_add_func ("/ui/secondary-windows", test_secondary_windows);
  g_test_add_func ("/ui/drop-files", test_drop_files);
  g_test_add_func ("/ui/long-sequence-warning", test_long_sequence_warning);
  g_test_add_func ("/ui/window-state", test_window_state);
  g_test_add_func ("/ui/screenshot-results", test_screenshot_results);
  g_test_add_func ("/ui/head-to-pair-view", test_head_to_pair_view);
  g_test_add_func ("/ui/export-figure", test_export_figure);
  g_test_add_func ("/ui/result-shortcuts", test_result_shortcuts);
  g_test_add_func ("/ui/progress-monotonic", test_progress_monotonic);
  ret = g_test_run ();
  plm_uiw_finish ();
  return ret;
}
