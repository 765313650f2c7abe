/* test-heatmap-interaction.c: PlmHeatmapView's input and data under Xvfb — hit testing at cell
 * centres and corners in six zoom/pan states, special tokens hidden, keyboard zoom, pan and
 * selection, and ownership of the data. */
#include "heatmap-test-view.h"

/* ---- hit testing --------------------------------------------------------------------------- */

static void
test_lookup (void)
{
  Fixture fx = { 0 };
  int total = 0;

  fixture_setup (&fx, 157, 211, PLM_HEATMAP_RENDERER_AUTO);
  for (int s = 0; s < N_STATES; s++)
    {
      char name[32];
      apply_state (&fx, s);
      g_snprintf (name, sizeof name, "lookup state %d", s);
      total += check_cells (&fx, NULL, 400, 100 + s, name);
    }
  g_assert_cmpint (total, >, N_STATES * 300);

  /* outside the map: rulers, beyond the last cell */
  g_assert_false (plm_heatmap_view_lookup (fx.view, 2, 2, NULL, NULL, NULL));
  plm_heatmap_view_zoom_fit (fx.view);
  {
    double x, y;
    plm_heatmap_view_get_cell_center (fx.view, fx.rows - 1, fx.cols - 1, &x, &y);
    g_assert_true (plm_heatmap_view_lookup (fx.view, x, y, NULL, NULL, NULL));
    g_assert_false (plm_heatmap_view_lookup (fx.view, x, y + 200 * plm_heatmap_view_get_zoom (fx.view),
                                             NULL, NULL, NULL));
  }
  fixture_teardown (&fx);
}

static void
test_special_tokens (void)
{
  Fixture fx = { 0 };
  double x, y;
  int row, col;
  g_autofree char *first = NULL, *cls = NULL, *eos = NULL;

  fixture_setup (&fx, 122, 122, PLM_HEATMAP_RENDERER_AUTO);
  first = plm_heatmap_view_dup_label (fx.view, TRUE, 1);
  cls = plm_heatmap_view_dup_label (fx.view, TRUE, 0);
  eos = plm_heatmap_view_dup_label (fx.view, FALSE, 121);
  g_assert_cmpint (first[0], ==, fx.sequence[0]);
  g_assert_cmpstr (first + 1, ==, "1");
  g_assert_cmpstr (cls, ==, "<cls>");
  g_assert_cmpstr (eos, ==, "<eos>");

  /* shown: <cls> is the first row; hidden: the first visible row is residue 1 (data row 1) */
  plm_heatmap_view_zoom_fit (fx.view);
  g_assert_true (plm_heatmap_view_get_cell_center (fx.view, 0, 0, &x, &y));
  plm_heatmap_view_set_show_special_tokens (fx.view, FALSE);
  wait_for_frame (&fx);
  g_assert_true (plm_heatmap_view_get_cell_center (fx.view, 1, 1, &x, &y));
  g_assert_true (plm_heatmap_view_lookup (fx.view, x, y, &row, &col, NULL));
  g_assert_cmpint (row, ==, 1);
  g_assert_cmpint (col, ==, 1);
  /* the <cls> cell is not drawn and not hit */
  g_assert_false (plm_heatmap_view_lookup (fx.view, x - plm_heatmap_view_get_zoom (fx.view), y,
                                           NULL, NULL, NULL));
  check_cells (&fx, NULL, 300, 9, "special tokens hidden");
  fixture_teardown (&fx);
}

/* ---- interaction --------------------------------------------------------------------------- */

static gboolean
press_key (PlmHeatmapView *view, guint keyval, GdkModifierType state)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean handled = FALSE, found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          found = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);
  return handled;
}

static void
on_signal_cell (PlmHeatmapView *view, int row, int col, int *cell)
{
  cell[0] = row, cell[1] = col;
}

/* Keyboard: zoom, fit, 1:1, pan, and Shift+arrows / Return as selection. */
static void
test_keyboard (void)
{
  Fixture fx = { 0 };
  int hovered[2] = { -1, -1 }, selected[2] = { -1, -1 };
  double fit, zoom, x0, y0, x1, y1;

  fixture_setup (&fx, 122, 122, PLM_HEATMAP_RENDERER_AUTO);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (fx.view)));
  g_signal_connect (fx.view, "hovered", G_CALLBACK (on_signal_cell), hovered);
  g_signal_connect (fx.view, "selected", G_CALLBACK (on_signal_cell), selected);

  fit = plm_heatmap_view_get_zoom (fx.view);
  g_assert_true (press_key (fx.view, GDK_KEY_plus, 0));
  g_assert_cmpfloat_with_epsilon (plm_heatmap_view_get_zoom (fx.view), fit * 1.5, 1e-9);
  g_assert_true (press_key (fx.view, GDK_KEY_minus, 0));
  g_assert_cmpfloat_with_epsilon (plm_heatmap_view_get_zoom (fx.view), fit, 1e-9);
  g_assert_true (press_key (fx.view, GDK_KEY_1, 0));
  g_assert_cmpfloat (plm_heatmap_view_get_zoom (fx.view), ==, 1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (fx.view)));
  g_assert_true (press_key (fx.view, GDK_KEY_0, 0));
  g_assert_cmpfloat_with_epsilon (plm_heatmap_view_get_zoom (fx.view), fit, 1e-9);

  /* arrows pan: zoomed in, a cell moves left on screen when panning right */
  plm_heatmap_view_set_zoom (fx.view, 20);
  plm_heatmap_view_get_cell_center (fx.view, 60, 60, &x0, &y0);
  g_assert_true (press_key (fx.view, GDK_KEY_Right, 0));
  g_assert_true (press_key (fx.view, GDK_KEY_Down, 0));
  plm_heatmap_view_get_cell_center (fx.view, 60, 60, &x1, &y1);
  g_assert_cmpfloat (x1, <, x0);
  g_assert_cmpfloat (y1, <, y0);

  /* Shift+arrows: a cursor cell that is announced and kept on screen, Return selects it */
  g_assert_true (press_key (fx.view, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_cmpint (hovered[0], >=, 0);
  {
    int r = hovered[0], c = hovered[1];
    g_assert_true (press_key (fx.view, GDK_KEY_Right, GDK_SHIFT_MASK));
    g_assert_true (press_key (fx.view, GDK_KEY_Down, GDK_SHIFT_MASK));
    g_assert_cmpint (hovered[0], ==, r + 1);
    g_assert_cmpint (hovered[1], ==, c + 1);
    for (int i = 0; i < 60; i++)
      press_key (fx.view, GDK_KEY_Down, GDK_SHIFT_MASK);
    g_assert_cmpint (hovered[0], ==, MIN (r + 61, fx.rows - 1));
    g_assert_true (plm_heatmap_view_get_cell_center (fx.view, hovered[0], hovered[1], NULL, NULL));
    g_assert_true (press_key (fx.view, GDK_KEY_Return, 0));
    g_assert_cmpint (selected[0], ==, hovered[0]);
    g_assert_cmpint (selected[1], ==, hovered[1]);
  }
  /* a wheel step without Ctrl pans by 48 px */
  {
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (fx.view));
    gboolean handled = FALSE;
    plm_heatmap_view_zoom_fit (fx.view);
    plm_heatmap_view_set_zoom (fx.view, 10);   /* centred: room to pan either way */
    plm_heatmap_view_get_cell_center (fx.view, 60, 60, &x0, &y0);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
        if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
          g_signal_emit_by_name (controller, "scroll", 0.0, 1.0, &handled);
      }
    g_object_unref (controllers);
    g_assert_true (handled);
    plm_heatmap_view_get_cell_center (fx.view, 60, 60, &x1, &y1);
    g_assert_cmpfloat_with_epsilon (x1, x0, 1e-9);
    g_assert_cmpfloat_with_epsilon (y1, y0 - 48, 1e-9);
  }

  zoom = plm_heatmap_view_get_zoom (fx.view);
  g_assert_false (press_key (fx.view, GDK_KEY_q, 0));
  g_assert_cmpfloat (plm_heatmap_view_get_zoom (fx.view), ==, zoom);
  fixture_teardown (&fx);
}

static void
count_free (gpointer data)
{
  (*(int *) ((float *) data + 6))++;
}

/* set_data copies; set_data_full borrows until replaced or finalised, then calls free_func. */
/* 0 and a double click fit the map again; the Reset Zoom button shows only while zoomed. */
static void
test_zoom_reset (void)
{
  Fixture fx = { 0 };
  double x, y, fit;
  GListModel *controllers;
  gboolean clicked = FALSE;

  fixture_setup (&fx, 120, 120, PLM_HEATMAP_RENDERER_AUTO);
  fit = plm_heatmap_view_get_zoom (fx.view);
  g_assert_false (plm_heatmap_view_get_zoomed (fx.view));
  g_assert_false (gtk_widget_get_visible (fx.view->reset_button));

  plm_heatmap_view_zoom_at (fx.view, 3, 300, 300);
  wait_for_frame (&fx);
  g_assert_true (plm_heatmap_view_get_zoomed (fx.view));
  g_assert_true (gtk_widget_get_mapped (fx.view->reset_button));
  g_assert_true (press_key (fx.view, GDK_KEY_0, 0));
  wait_for_frame (&fx);
  g_assert_cmpfloat (plm_heatmap_view_get_zoom (fx.view), ==, fit);
  g_assert_false (gtk_widget_get_visible (fx.view->reset_button));

  /* double click */
  plm_heatmap_view_zoom_at (fx.view, 2, 300, 300);
  wait_for_frame (&fx);
  g_assert_true (gtk_widget_get_visible (fx.view->reset_button));
  g_assert_true (plm_heatmap_view_get_cell_center (fx.view, 60, 60, &x, &y) ||
                 plm_heatmap_view_lookup (fx.view, 300, 300, NULL, NULL, NULL));
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fx.view));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !clicked; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "pressed", 2, 300.0, 300.0);
          clicked = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (clicked);
  wait_for_frame (&fx);
  g_assert_cmpfloat (plm_heatmap_view_get_zoom (fx.view), ==, fit);
  g_assert_false (gtk_widget_get_visible (fx.view->reset_button));

  /* the button itself */
  plm_heatmap_view_zoom_at (fx.view, 2, 300, 300);
  wait_for_frame (&fx);
  g_signal_emit_by_name (fx.view->reset_button, "clicked");
  wait_for_frame (&fx);
  g_assert_cmpfloat (plm_heatmap_view_get_zoom (fx.view), ==, fit);
  g_assert_false (plm_heatmap_view_get_zoomed (fx.view));
  fixture_teardown (&fx);
}

static void
test_data_ownership (void)
{
  PlmHeatmapView *view = PLM_HEATMAP_VIEW (g_object_ref_sink (plm_heatmap_view_new ()));
  float values[6 + 1] = { 1, 2, 3, 4, 5, 6, 0 };
  int *freed = (int *) &values[6];
  const float *data;
  int rows, cols;

  *freed = 0;
  plm_heatmap_view_set_data (view, values, 2, 3);
  data = plm_heatmap_view_get_data (view, &rows, &cols);
  g_assert_true (data != values);
  g_assert_cmpint (rows, ==, 2);
  g_assert_cmpint (cols, ==, 3);
  g_assert_cmpfloat (data[5], ==, 6);

  plm_heatmap_view_set_data_full (view, values, 3, 2, count_free);
  g_assert_true (plm_heatmap_view_get_data (view, &rows, &cols) == values);
  g_assert_cmpint (rows, ==, 3);
  g_assert_cmpint (*freed, ==, 0);
  plm_heatmap_view_set_data (view, NULL, 0, 0);        /* replaced: freed once */
  g_assert_cmpint (*freed, ==, 1);
  g_assert_null (plm_heatmap_view_get_data (view, &rows, &cols));
  g_assert_cmpint (rows, ==, 0);
  g_assert_false (plm_heatmap_view_lookup (view, 100, 100, NULL, NULL, NULL));

  plm_heatmap_view_set_data_full (view, values, 2, 3, count_free);
  g_object_unref (view);                              /* finalised: freed once more */
  g_assert_cmpint (*freed, ==, 2);
}

int
main (int argc, char **argv)
{
  if (!heatmap_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/heatmap/view/data-ownership", test_data_ownership);
  g_test_add_func ("/heatmap/view/lookup", test_lookup);
  g_test_add_func ("/heatmap/view/special-tokens", test_special_tokens);
  g_test_add_func ("/heatmap/view/keyboard", test_keyboard);
  g_test_add_func ("/heatmap/view/zoom-reset", test_zoom_reset);
  return g_test_run ();
}
