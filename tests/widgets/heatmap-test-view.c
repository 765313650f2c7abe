/* heatmap-test-view.c: the window, main-loop and pixel helpers the heatmap view tests share. */
#include "heatmap-test-view.h"
#include "plm-ui-test.h"

#include <math.h>

#include "heatmap-test-data.h"

gboolean gl_disabled_by_env;

gboolean
heatmap_test_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  if (!gtk_init_check ())
    {
      /* TAP plan with a reason: meson reports the test as skipped, not passed */
      printf ("1..0 # SKIP no display: install xvfb (xvfb-run) to run the heatmap widget tests\n");
      return FALSE;
    }
  gl_disabled_by_env = g_strrstr (g_getenv ("GDK_DEBUG") ?: "", "gl-disable") != NULL;
  return TRUE;
}

/* ---- main-loop helpers --------------------------------------------------------------------- */

static void
on_after_paint (GdkFrameClock *clock, gboolean *done)
{
  *done = TRUE;
}

/* Runs the main loop until the window has painted a frame after every pending change. */
void
wait_for_frame (Fixture *fx)
{
  GdkFrameClock *clock;
  gboolean done = FALSE;
  gulong id;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (GTK_WIDGET (fx->view)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (fx->window);
  g_assert_nonnull (clock);
  gtk_widget_queue_draw (fx->window);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  /* idle handlers (a GL failure switches to cairo from one) */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (done);
}

static void
on_hovered (PlmHeatmapView *view, int row, int col, Fixture *fx)
{
  fx->hovers++;
}

void
fixture_setup (Fixture *fx, int rows, int cols, PlmHeatmapRenderer renderer)
{
  PlmScale scale;

  fx->rows = rows;
  fx->cols = cols;
  fx->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 900, 760);
  fx->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  /* the theme's view background, so screenshots of the box are not transparent */
  gtk_widget_add_css_class (fx->box, "view");
  fx->view = PLM_HEATMAP_VIEW (plm_heatmap_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (fx->view), TRUE);
  fx->bar = PLM_COLOR_BAR (plm_color_bar_new ());
  gtk_box_append (GTK_BOX (fx->box), GTK_WIDGET (fx->view));
  gtk_box_append (GTK_BOX (fx->box), GTK_WIDGET (fx->bar));
  gtk_window_set_child (GTK_WINDOW (fx->window), fx->box);
  plm_heatmap_view_set_renderer (fx->view, renderer);
  g_signal_connect (fx->view, "hovered", G_CALLBACK (on_hovered), fx);

  if (rows == cols)
    {
      /* an attention map over <cls> + sequence + <eos> */
      fx->data = plm_test_attention_map (rows, 11);
      fx->sequence = plm_test_sequence (rows - 2, 5);
      plm_heatmap_view_set_sequence (fx->view, fx->sequence, 1);
    }
  else
    {
      GRand *rand = g_rand_new_with_seed (3);
      fx->data = g_new (float, (gsize) rows * cols);
      for (int i = 0; i < rows * cols; i++)
        fx->data[i] = (float) g_rand_double (rand);
      g_rand_free (rand);
    }
  plm_heatmap_view_set_data (fx->view, fx->data, rows, cols);
  plm_heatmap_view_fit_scale (fx->view, PLM_SCALE_LINEAR, 0, 100);
  plm_heatmap_view_get_scale (fx->view, &scale);
  plm_color_bar_set_scale (fx->bar, &scale);
  gtk_window_present (GTK_WINDOW (fx->window));
  wait_for_frame (fx);
}

void
fixture_teardown (Fixture *fx)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fx->data);
  g_free (fx->sequence);
}

/* ---- rendering helpers --------------------------------------------------------------------- */

/* The widget as the window's renderer draws it: widget → node → texture → pixels. */
Picture
render_widget (GtkWidget *widget)
{
  Picture pic = { 0 };
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  pic.texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_render_node_unref (node);
  pic.width = gdk_texture_get_width (pic.texture);
  pic.height = gdk_texture_get_height (pic.texture);
  pic.pixels = g_new (guint32, (gsize) pic.width * pic.height);
  gdk_texture_download (pic.texture, (guchar *) pic.pixels, (gsize) pic.width * 4);
  return pic;
}

void
picture_clear (Picture *pic)
{
  g_clear_pointer (&pic->pixels, g_free);
  g_clear_object (&pic->texture);
}

int
channel_diff (guint32 a, guint32 b)
{
  int d = 0;
  for (int shift = 0; shift < 32; shift += 8)
    d = MAX (d, abs ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return d;
}

/* Cells checked at random: lookup at the centre gives the cell and its value, and (if
 * @pic) the pixel there is the colour of that value. Returns the number of cells checked. */
int
check_cells (Fixture *fx, Picture *pic, int n, guint32 seed, const char *state)
{
  GRand *rand = g_rand_new_with_seed (seed);
  const guint32 *lut = plm_color_map_get_lut (plm_heatmap_view_get_color_map (fx->view));
  PlmScale scale;
  int checked = 0, bad_pixels = 0, worst = 0, corners = 0;

  plm_heatmap_view_get_scale (fx->view, &scale);
  for (int attempt = 0; attempt < n * 20 && checked < n; attempt++)
    {
      int i = g_rand_int_range (rand, 0, fx->rows), j = g_rand_int_range (rand, 0, fx->cols);
      int row = -1, col = -1;
      float value = NAN;
      double x, y, zoom;

      if (!plm_heatmap_view_get_cell_center (fx->view, i, j, &x, &y))
        continue;
      if (!plm_heatmap_view_lookup (fx->view, x, y, &row, &col, &value))
        continue;   /* a hidden special token */
      g_assert_cmpint (row, ==, i);
      g_assert_cmpint (col, ==, j);
      g_assert_cmpfloat (value, ==, fx->data[(gsize) i * fx->cols + j]);
      /* the whole cell, not only its centre, maps to it (corners may be off the area) */
      zoom = plm_heatmap_view_get_zoom (fx->view);
      if (zoom >= 4 && plm_heatmap_view_get_keep_aspect (fx->view))
        for (int corner = 0; corner < 4; corner++)
          {
            double cx = x + (corner & 1 ? 0.45 : -0.45) * zoom;
            double cy = y + (corner & 2 ? 0.45 : -0.45) * zoom;
            if (plm_heatmap_view_lookup (fx->view, cx, cy, &row, &col, NULL))
              {
                g_assert_cmpint (row, ==, i);
                g_assert_cmpint (col, ==, j);
                corners++;
              }
          }
      if (pic)
        {
          guint32 expect = lut[plm_scale_index (&scale, value)];
          guint32 got = pic->pixels[(gsize) floor (y) * pic->width + (gsize) floor (x)];
          int d = channel_diff (expect | 0xff000000u, got);
          worst = MAX (worst, d);
          if (d > 1)
            {
              if (bad_pixels < 5)
                g_printerr ("%s: cell (%d, %d) value %g at (%.1f, %.1f): pixel %08x, expected %08x\n",
                            state, i, j, value, x, y, got, expect);
              bad_pixels++;
            }
        }
      checked++;
    }
  g_rand_free (rand);
  g_test_message ("%s: %d cells (%d corners) checked, %d pixels off by > 1, worst channel difference %d",
                  state, checked, corners, bad_pixels, worst);
  g_assert_cmpint (bad_pixels, ==, 0);
  return checked;
}

/* ---- zoom/pan states and input ------------------------------------------------------------- */

/* Zoom/pan states used by the hit-testing and pixel tests. */
void
apply_state (Fixture *fx, int state)
{
  int w = gtk_widget_get_width (GTK_WIDGET (fx->view));
  int h = gtk_widget_get_height (GTK_WIDGET (fx->view));

  switch (state)
    {
    case 0: plm_heatmap_view_zoom_fit (fx->view); break;
    case 1: plm_heatmap_view_zoom_at (fx->view, 3.7, w * 0.3, h * 0.6); break;
    case 2: plm_heatmap_view_pan (fx->view, -123.4, 57.9); break;
    case 3: plm_heatmap_view_set_zoom (fx->view, 23.3); plm_heatmap_view_pan (fx->view, 311, -97); break;
    case 4: plm_heatmap_view_zoom_one_to_one (fx->view); break;
    case 5: plm_heatmap_view_zoom_fit (fx->view); plm_heatmap_view_zoom_at (fx->view, 1.31, w * 0.8, h * 0.2); break;
    default: g_assert_not_reached ();
    }
}

void
move_pointer (PlmHeatmapView *view, double x, double y)
{
  plm_ui_test_motion (GTK_WIDGET (view), x, y);
}
