/* test-views.c: the attention and overview views and the overview's grid export, on synthetic
 * results under Xvfb (shared helpers in plm-ui-views.c). */
#include "plm-ui-views.h"

/* The overview's grid: chosen layers × heads with one colour bar; bad lists are refused. */
static void
test_export_grid (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (6, 4, 40, FALSE, &syn);
  int T = 42;
  g_autofree float *values = g_new (float, 4 * T * T);
  PlmCellRef refs[4];
  static const int layers[] = { 1, 4 }, heads[] = { 0, 2 };
  PlmExportDialog *dialog;

  for (int p = 0; p < 4; p++)
    {
      for (int i = 0; i < T; i++)
        for (int j = 0; j < T; j++)
          values[(gsize) p * T * T + i * T + j] = plm_attention_store_get (r->attention, layers[p / 2], heads[p % 2], i, j);
      refs[p] = (PlmCellRef) { p, values + (gsize) p * T * T, T, T, 1, 0 };
    }
  plm_views_export_every_format (plm_views_open_grid, r, "grid", refs, 4);

  /* the default grid: every layer, heads kept to about 64 panels; errors name the item */
  dialog = plm_export_dialog_new_grid (NULL, NULL, r, "synthetic", "grid");
  g_assert_null (plm_export_dialog_get_error (dialog));
  g_assert_cmpstr (plm_figure_get_text (plm_export_dialog_get_figure (dialog), PLM_FIGURE_TEXT_TITLE), ==, "synthetic");
  plm_export_dialog_set_grid (dialog, "7", "");
  g_assert_nonnull (plm_export_dialog_get_error (dialog));
  g_assert_nonnull (strstr (plm_export_dialog_get_error (dialog), "'7'"));
  g_assert_null (plm_export_dialog_get_figure (dialog));
  plm_export_dialog_set_grid (dialog, "1-6", "0");
  g_assert_nonnull (strstr (plm_export_dialog_get_error (dialog), "'0'"));
  plm_export_dialog_set_grid (dialog, "", "");
  g_assert_null (plm_export_dialog_get_error (dialog));
  g_assert_nonnull (plm_export_dialog_get_figure (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  plm_ha_result_clear (&syn.ha);
}

static int frames_drawn;

static void
on_frame_drawn (PlmAttentionView *view,
                gpointer          data)
{
  frames_drawn++;
}

/* Activates the shortcut for @keyval + @modifiers of @widget's GtkShortcutController the way
 * the controller would; the controller must run in the capture phase, before the focused
 * heatmap's own key handler (which pans on arrows). */
static gboolean
activate_binding (GtkWidget       *widget,
                  guint            keyval,
                  GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);
      GListModel *shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) != GTK_PHASE_CAPTURE)
        continue;
      shortcuts = G_LIST_MODEL (controller);
      for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* One map large; hovering any cell reports exactly the stored value (hit testing through the
 * widget's API at several zooms); keys step layers and heads. */
static void
test_attention (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (6, 8, 150, FALSE, &syn);
  g_autoptr(PlmSelection) selection = plm_selection_new ();
  GtkWidget *view = plm_attention_view_new ();
  GtkWindow *window = plm_views_new_window (view, 1100, 800);
  PlmHeatmapView *heatmap = PLM_HEATMAP_VIEW (plm_attention_view_get_heatmap (PLM_ATTENTION_VIEW (view)));
  int checked = 0;

  plm_attention_view_set_selection (PLM_ATTENTION_VIEW (view), selection);
  g_signal_connect (view, "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  frames_drawn = 0;
  plm_attention_view_set_result (PLM_ATTENTION_VIEW (view), r);
  plm_attention_view_show (PLM_ATTENTION_VIEW (view), 4, 2);
  plm_ui_test_spin (400);
  g_assert_cmpint (frames_drawn, >, 0);
  g_test_message ("renderer: %s", plm_heatmap_view_get_active_renderer (heatmap) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo");
  if (plm_views_gl_disabled)
    g_assert_cmpint (plm_heatmap_view_get_active_renderer (heatmap), ==, PLM_HEATMAP_RENDERER_CAIRO);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-attention");

  /* numbers against the map, one tick step, crosshair inside the map */
  plm_views_check_heatmap_geometry (heatmap, 12, 14, 12);
  /* the readout names the query and key residues and the weight; the crosshair marks that cell */
  {
    g_autofree char *text = plm_views_hover_readout (heatmap, 12, 14);
    g_autofree char *expect = g_strdup_printf ("Query %c12 · key %c14 · %.3g", r->sequence[11], r->sequence[13],
                                               plm_attention_store_get (r->attention, 4, 2, 12, 14));
    GtkWidget *label = plm_ui_test_find_label (view, "Query ", TRUE);

    g_assert_cmpstr (text, ==, expect);
    g_assert_nonnull (label);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expect);
    g_assert_cmpint (plm_selection_get_residue (selection), ==, 11);
    {
      int hr, hc;

      plm_heatmap_view_get_highlight (heatmap, &hr, &hc);
      g_assert_cmpint (hr, ==, 12);
      g_assert_cmpint (hc, ==, 14);
    }
    plm_ui_test_spin (50);
    plm_views_save_screenshot (GTK_WIDGET (window), "views-attention-hover");
  }

  for (int zoom_step = 0; zoom_step < 3; zoom_step++)
    {
      for (int row = 1; row <= 150; row += 13)
        for (int col = 1; col <= 150; col += 17)
          {
            double x, y;
            int got_row = -1, got_col = -1;
            float value = NAN;

            if (!plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y))
              continue;
            g_assert_true (plm_heatmap_view_lookup (heatmap, x, y, &got_row, &got_col, &value));
            g_assert_cmpint (got_row, ==, row);
            g_assert_cmpint (got_col, ==, col);
            /* the engine's (stored fp16) value, bit for bit */
            g_assert_cmpfloat (value, ==, plm_attention_store_get (r->attention, 4, 2, row, col));
            checked++;
          }
      plm_heatmap_view_zoom_at (heatmap, 2.5, 300, 250);
      plm_ui_test_spin (50);
    }
  g_test_message ("hover values checked against the store: %d cells", checked);
  g_assert_cmpint (checked, >, 60);

  /* Page Down/Up: layers; Alt+Right/Left: mean, head 1, …; clamped at the ends */
  g_assert_true (activate_binding (view, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (plm_attention_view_get_layer (PLM_ATTENTION_VIEW (view)), ==, 5);
  g_assert_true (activate_binding (view, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (plm_attention_view_get_layer (PLM_ATTENTION_VIEW (view)), ==, 5);
  g_assert_true (activate_binding (view, GDK_KEY_Page_Up, 0));
  g_assert_cmpint (plm_attention_view_get_layer (PLM_ATTENTION_VIEW (view)), ==, 4);
  g_assert_true (activate_binding (view, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpint (plm_attention_view_get_head (PLM_ATTENTION_VIEW (view)), ==, 1);
  for (int i = 0; i < 4; i++)
    g_assert_true (activate_binding (view, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpint (plm_attention_view_get_head (PLM_ATTENTION_VIEW (view)), ==, -1);
  g_assert_true (activate_binding (view, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_cmpint (plm_attention_view_get_head (PLM_ATTENTION_VIEW (view)), ==, 0);

  /* the head mean is shown as stored */
  plm_attention_view_show (PLM_ATTENTION_VIEW (view), 0, -1);
  plm_ui_test_spin (100);
  {
    int rows, cols;
    const float *data = plm_heatmap_view_get_data (heatmap, &rows, &cols);

    g_assert_cmpint (rows, ==, 152);
    g_assert_cmpfloat (data[5 * 152 + 9], ==, plm_attention_store_get (r->attention, 0, -1, 5, 9));
  }
  {
    g_autofree float *ref_values = g_new (float, 152 * 152);
    PlmCellRef ref = { 0, ref_values, 152, 152, 1, 0 };
    PlmFigure *figure;

    plm_attention_view_show (PLM_ATTENTION_VIEW (view), 4, 2);
    figure = plm_attention_view_create_figure (PLM_ATTENTION_VIEW (view), "synthetic");
    for (int i = 0; i < 152; i++)
      for (int j = 0; j < 152; j++)
        ref_values[i * 152 + j] = plm_attention_store_get (r->attention, 4, 2, i, j);
    /* figures number layers and heads from 1, as the view does */
    g_assert_cmpstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), ==, "synthetic · layer 5 · head 3");
    plm_figure_free (figure);
    plm_views_export_every_format (plm_views_open_attention, view, "attention", &ref, 1);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

static int open_layer = -2, open_head = -2;

static void
on_open_map (PlmOverviewView *view,
             int              layer,
             int              head,
             gpointer         data)
{
  open_layer = layer;
  open_head = head;
}

static gint64 painted_at, painted_cpu;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  if (painted_at == 0)
    {
      painted_at = g_get_monotonic_time ();
      painted_cpu = plm_ui_test_thread_cpu_us ();
    }
}

/* 650M's shape (33 × 20) at L = 1,000: time from handing over the result to the first painted
 * frame; pooled thumbnails equal the widget library's max-pooling; a click opens the map. */
static void
test_overview (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = NULL;
  GtkWidget *view = plm_overview_view_new ();
  GtkWindow *window = plm_views_new_window (view, 1400, 900);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong handler;
  gint64 start, start_cpu;
  double ms;

  r = plm_views_synthetic_result (33, 20, 1000, TRUE, &syn);
  g_signal_connect (view, "open-map", G_CALLBACK (on_open_map), NULL);

  /* twice: thumbnails pooled by the worker (the app's path), then pooled on opening */
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          g_clear_pointer (&r->thumbnails, g_free);
          plm_overview_view_set_result (PLM_OVERVIEW_VIEW (view), NULL);
          plm_ui_test_spin (200);
        }
      painted_at = 0;
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
      start = g_get_monotonic_time ();
      start_cpu = plm_ui_test_thread_cpu_us ();
      plm_overview_view_set_result (PLM_OVERVIEW_VIEW (view), r);
      g_test_message ("overview: thumbnails and widgets %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
      while (painted_at == 0 && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, handler);
      g_assert_cmpint (painted_at, >, 0);
      ms = (painted_at - start) / 1000.0;
      g_test_message ("overview of %d thumbnails (33 × 20 + 33 means) at L = 1000, %s: first frame after %.0f ms "
                      "wall, %.0f ms main-thread CPU", 33 * 21,
                      pass == 0 ? "pooled by the worker" : "pooled on opening", ms, (painted_cpu - start_cpu) / 1000.0);
      while (!plm_overview_view_get_complete (PLM_OVERVIEW_VIEW (view)) &&
             g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (plm_overview_view_get_complete (PLM_OVERVIEW_VIEW (view)));
      g_test_message ("overview: all rows built after %.0f ms wall, %.0f ms main-thread CPU",
                      (g_get_monotonic_time () - start) / 1000.0, (plm_ui_test_thread_cpu_us () - start_cpu) / 1000.0);
      plm_ui_test_spin (300);
    }
  plm_views_save_screenshot (GTK_WIDGET (window), "views-overview");

  /* the fp16 integer max-pool equals plm_heatmap_pool_max on the decoded residue block */
  {
    const int cases[][2] = { { 0, -1 }, { 7, 3 }, { 32, 19 } };
    g_autofree float *full = g_new (float, (gsize) 1002 * 1002);
    g_autofree float *block = g_new (float, (gsize) 1000 * 1000);

    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autofree float *ours = NULL, *ref = NULL;
        int rows, cols, ref_rows, ref_cols;

        plm_attention_store_copy_map (r->attention, cases[c][0], cases[c][1], full);
        for (int i = 0; i < 1000; i++)
          memcpy (block + (gsize) i * 1000, full + (gsize) (i + 1) * 1002 + 1, 1000 * sizeof (float));
        ours = plm_attention_store_pool_max (r->attention, cases[c][0], cases[c][1],
                                             PLM_INFERENCE_THUMBNAIL_CELLS, &rows, &cols);
        ref = plm_heatmap_pool_max (block, 1000, 1000, PLM_INFERENCE_THUMBNAIL_CELLS, &ref_rows, &ref_cols);
        g_assert_cmpint (rows, ==, ref_rows);
        g_assert_cmpint (cols, ==, ref_cols);
        for (int i = 0; i < rows * cols; i++)
          g_assert_cmpfloat (ours[i], ==, ref[i]);
      }
  }

  /* every map has a focusable, named button; clicking one asks to open it */
  for (int l = 0; l < 33; l++)
    for (int h = -1; h < 20; h++)
      {
        GtkWidget *button = plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), l, h);
        g_assert_nonnull (button);
        g_assert_true (gtk_widget_get_focusable (button));
      }
  g_signal_emit_by_name (plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), 12, 7), "clicked");
  g_assert_cmpint (open_layer, ==, 12);
  g_assert_cmpint (open_head, ==, 7);
  g_signal_emit_by_name (plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), 3, -1), "clicked");
  g_assert_cmpint (open_layer, ==, 3);
  g_assert_cmpint (open_head, ==, -1);

  /* the preview shows the hovered map */
  plm_overview_view_preview (PLM_OVERVIEW_VIEW (view), 20, 5);
  plm_ui_test_spin (200);
  {
    int rows, cols;
    const float *data = plm_heatmap_view_get_data (PLM_HEATMAP_VIEW (plm_overview_view_get_preview (PLM_OVERVIEW_VIEW (view))),
                                                   &rows, &cols);
    g_assert_cmpint (rows, ==, 1002);
    g_assert_cmpfloat (data[40 * 1002 + 600], ==, plm_attention_store_get (r->attention, 20, 5, 40, 600));
  }
  plm_views_save_screenshot (GTK_WIDGET (window), "views-overview-preview");

  /* too narrow for every head: the thumbnails scroll sideways, the layer numbers stay */
  gtk_window_set_default_size (window, 560, 700);
  plm_ui_test_spin (500);
  {
    GtkWidget *scroller = plm_overview_view_get_scroller (PLM_OVERVIEW_VIEW (view));
    GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
    GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    graphene_rect_t sb, lb, bb;

    g_assert_cmpfloat (gtk_adjustment_get_upper (hadj), >, gtk_adjustment_get_page_size (hadj) + 1);
    gtk_adjustment_set_value (hadj, gtk_adjustment_get_upper (hadj) - gtk_adjustment_get_page_size (hadj));
    gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj));
    plm_ui_test_spin (300);
    g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (window), &sb));
    g_assert_true (gtk_widget_compute_bounds (plm_overview_view_get_layer_label (PLM_OVERVIEW_VIEW (view), 32),
                                              GTK_WIDGET (window), &lb));
    g_assert_true (gtk_widget_compute_bounds (plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), 32, 19),
                                              GTK_WIDGET (window), &bb));
    g_assert_cmpfloat (lb.origin.x, >=, 0);
    g_assert_cmpfloat (lb.origin.x + lb.size.width, <=, sb.origin.x + 0.5);
    g_assert_cmpfloat (fabs ((lb.origin.y + lb.size.height / 2) - (bb.origin.y + bb.size.height / 2)), <=, 1.0);
    g_assert_cmpfloat (bb.origin.y + bb.size.height, <=, sb.origin.y + sb.size.height + 0.5);
    plm_views_save_screenshot (GTK_WIDGET (window), "views-overview-narrow");
  }
  gtk_window_destroy (window);
  g_clear_pointer (&r, plm_inference_result_unref);
  plm_ha_result_clear (&syn.ha);
  plm_ui_test_spin (100);
}

int
main (int   argc,
      char *argv[])
{
  plm_views_init (&argc, &argv);

  g_test_add_func ("/views/attention", test_attention);
  g_test_add_func ("/views/overview", test_overview);
  g_test_add_func ("/views/export-grid", test_export_grid);
  return g_test_run ();
}
