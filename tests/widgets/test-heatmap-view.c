/* test-heatmap-view.c: PlmHeatmapView under Xvfb — hit testing, GL and cairo pixels equal
 * colour_map[plm_scale_index (value)] at cell centres, the GDK_DEBUG=gl-disable fallback, and
 * screenshots of an attention-like map. */
#include <gtk/gtk.h>
#include <math.h>

#include "heatmap-test-data.h"
#include "plm-color-bar.h"
#include "plm-heatmap-thumbnail.h"
#include "plm-heatmap-view-private.h"

typedef struct {
  GtkWidget      *window;
  PlmHeatmapView *view;
  PlmColorBar    *bar;
  GtkWidget      *box;
  float          *data;
  int             rows;
  int             cols;
  char           *sequence;
  int             hovers;
} Fixture;

static gboolean gl_disabled_by_env;

/* ---- main-loop helpers --------------------------------------------------------------------- */

static void
on_after_paint (GdkFrameClock *clock, gboolean *done)
{
  *done = TRUE;
}

/* Runs the main loop until the window has painted a frame after every pending change. */
static void
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

static void
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

static void
fixture_teardown (Fixture *fx)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fx->data);
  g_free (fx->sequence);
}

/* ---- rendering helpers --------------------------------------------------------------------- */

typedef struct {
  guint32 *pixels;   /* ARGB32 premultiplied, as cairo */
  int      width;
  int      height;
  GdkTexture *texture;
} Picture;

/* The widget as the window's renderer draws it: widget → node → texture → pixels. */
static Picture
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

static void
picture_clear (Picture *pic)
{
  g_clear_pointer (&pic->pixels, g_free);
  g_clear_object (&pic->texture);
}

static int
channel_diff (guint32 a, guint32 b)
{
  int d = 0;
  for (int shift = 0; shift < 32; shift += 8)
    d = MAX (d, abs ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return d;
}

/* Cells checked at random: lookup at the centre gives the cell and its value, and (if
 * @pic) the pixel there is the colour of that value. Returns the number of cells checked. */
static int
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

/* ---- tests --------------------------------------------------------------------------------- */

/* Zoom/pan states used by the hit-testing and pixel tests. */
static void
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
#define N_STATES 6

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

static void
check_pixels (PlmHeatmapRenderer renderer)
{
  Fixture fx = { 0 };
  PlmScale log_scale;
  int total = 0;

  fixture_setup (&fx, 300, 300, renderer);
  if (renderer == PLM_HEATMAP_RENDERER_GL)
    {
      if (gl_disabled_by_env)
        {
          /* requested GL, but GDK_DEBUG=gl-disable: the view must have fallen back */
          g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_CAIRO);
        }
      else
        g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_GL);
    }
  else
    g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_CAIRO);

  for (int s = 0; s < N_STATES; s++)
    {
      char name[64];
      Picture pic;

      apply_state (&fx, s);
      /* colour map and scale changes between states: uniforms / the 256×1 texture only */
      plm_heatmap_view_set_color_map (fx.view, (PlmColorMap) (s % PLM_N_COLOR_MAPS));
      if (s == 3 || s == 4)
        {
          plm_heatmap_view_fit_scale (fx.view, PLM_SCALE_LOG, 0, 100);
          plm_heatmap_view_get_scale (fx.view, &log_scale);
          g_assert_cmpint (log_scale.kind, ==, PLM_SCALE_LOG);
        }
      else if (s == 5)
        plm_heatmap_view_fit_scale (fx.view, PLM_SCALE_PERCENTILE, 2, 98);
      else
        plm_heatmap_view_fit_scale (fx.view, PLM_SCALE_LINEAR, 0, 100);
      wait_for_frame (&fx);
      pic = render_widget (GTK_WIDGET (fx.view));
      g_snprintf (name, sizeof name, "%s state %d",
                  renderer == PLM_HEATMAP_RENDERER_CAIRO ? "cairo" : "gl", s);
      total += check_cells (&fx, &pic, 500, 200 + s, name);
      picture_clear (&pic);
    }
  g_assert_cmpint (total, >, N_STATES * 400);
  g_assert_cmpint (fx.hovers, ==, 0);   /* no pointer overlay was drawn over the checked pixels */
  fixture_teardown (&fx);
}

static void
test_pixels_gl (void)
{
  check_pixels (PLM_HEATMAP_RENDERER_GL);
}

static void
test_pixels_cairo (void)
{
  check_pixels (PLM_HEATMAP_RENDERER_CAIRO);
}

static void
test_auto_renderer (void)
{
  Fixture fx = { 0 };

  fixture_setup (&fx, 50, 50, PLM_HEATMAP_RENDERER_AUTO);
  if (gl_disabled_by_env)
    g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_CAIRO);
  else
    g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_GL);
  g_test_message ("GDK_DEBUG=%s: active renderer %s", g_getenv ("GDK_DEBUG") ?: "",
                  plm_heatmap_view_get_active_renderer (fx.view) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo");
  fixture_teardown (&fx);
}

/* The whole map area, pixel by pixel: GL and cairo differ at most where a cell boundary falls
 * on a pixel centre (float32 in the shader, 16.16 fixed point in pixman), and then only by
 * taking the neighbouring cell's colour. */
static void
test_gl_equals_cairo (void)
{
  Fixture fx = { 0 };
  const guint32 *lut;
  PlmScale scale;

  if (gl_disabled_by_env)
    {
      g_test_skip ("GDK_DEBUG=gl-disable: no GL picture to compare");
      return;
    }
  fixture_setup (&fx, 300, 300, PLM_HEATMAP_RENDERER_GL);
  for (int s = 0; s < N_STATES; s++)
    {
      Picture gl, cairo;
      int w, h, differ = 0, compared = 0, outside = 0;

      apply_state (&fx, s);
      plm_heatmap_view_set_renderer (fx.view, PLM_HEATMAP_RENDERER_GL);
      wait_for_frame (&fx);
      g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_GL);
      gl = render_widget (GTK_WIDGET (fx.view));
      plm_heatmap_view_set_renderer (fx.view, PLM_HEATMAP_RENDERER_CAIRO);
      wait_for_frame (&fx);
      g_assert_cmpint (plm_heatmap_view_get_active_renderer (fx.view), ==, PLM_HEATMAP_RENDERER_CAIRO);
      cairo = render_widget (GTK_WIDGET (fx.view));
      g_assert_cmpint (gl.width, ==, cairo.width);
      g_assert_cmpint (gl.height, ==, cairo.height);
      lut = plm_color_map_get_lut (plm_heatmap_view_get_color_map (fx.view));
      plm_heatmap_view_get_scale (fx.view, &scale);
      w = gl.width, h = gl.height;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            guint32 a = gl.pixels[(gsize) y * w + x], b = cairo.pixels[(gsize) y * w + x];
            int row, col;
            gboolean neighbour = FALSE;

            if (!plm_heatmap_view_lookup (fx.view, x + 0.5, y + 0.5, &row, &col, NULL))
              {
                /* rulers and the area around a small map: the same in both */
                if (channel_diff (a, b) > 1)
                  g_error ("state %d pixel (%d, %d) outside the map: GL %08x, cairo %08x",
                           s, x, y, a, b);
                outside++;
                continue;
              }
            compared++;
            if (channel_diff (a, b) <= 1)
              continue;
            differ++;
            /* both must be the colour of this cell or of an adjacent one */
            for (int dr = -1; dr <= 1; dr++)
              for (int dc = -1; dc <= 1; dc++)
                {
                  int r = CLAMP (row + dr, 0, fx.rows - 1), c = CLAMP (col + dc, 0, fx.cols - 1);
                  guint32 expect = lut[plm_scale_index (&scale, fx.data[(gsize) r * fx.cols + c])];
                  if (channel_diff (expect, a) <= 1 || channel_diff (expect, b) <= 1)
                    neighbour = TRUE;
                }
            if (!neighbour)
              g_error ("state %d pixel (%d, %d) in cell (%d, %d): GL %08x, cairo %08x, neither "
                       "the colour of a neighbouring cell", s, x, y, row, col, a, b);
          }
      g_test_message ("state %d: %d map pixels compared, %d differ (all on cell boundaries, %.3f%%); "
                      "%d pixels outside the map equal", s, compared, differ,
                      100.0 * differ / MAX (compared, 1), outside);
      g_assert_cmpint (compared, >=, 300 * 300);
      /* boundary ties are rare: a handful of pixel rows/columns at most */
      g_assert_cmpfloat (differ, <, 0.03 * compared);
      picture_clear (&gl);
      picture_clear (&cairo);
    }
  fixture_teardown (&fx);
}

/* The values are uploaded once; colour map and scale changes re-colour on the GPU; pan and
 * zoom only draw. */
static void
test_gl_uploads (void)
{
  Fixture fx = { 0 };
  guint uploads, recolors, frames, frames0;
  PlmScale scale;

  if (gl_disabled_by_env)
    {
      g_test_skip ("GDK_DEBUG=gl-disable: no GL renderer");
      return;
    }
  fixture_setup (&fx, 300, 300, PLM_HEATMAP_RENDERER_GL);
  g_assert_true (plm_heatmap_view_get_gl_stats (fx.view, &uploads, &recolors, &frames0));
  g_assert_cmpuint (uploads, ==, 1);
  g_assert_cmpuint (recolors, ==, 1);
  g_assert_cmpuint (frames0, >=, 1);

  for (int s = 0; s < N_STATES; s++)
    {
      apply_state (&fx, s);
      wait_for_frame (&fx);
    }
  g_assert_true (plm_heatmap_view_get_gl_stats (fx.view, &uploads, &recolors, &frames));
  g_assert_cmpuint (uploads, ==, 1);
  g_assert_cmpuint (recolors, ==, 1);
  g_assert_cmpuint (frames, >=, frames0 + N_STATES);

  plm_heatmap_view_set_color_map (fx.view, PLM_COLOR_MAP_MAGMA);
  wait_for_frame (&fx);
  plm_heatmap_view_fit_scale (fx.view, PLM_SCALE_LOG, 0, 100);
  wait_for_frame (&fx);
  plm_heatmap_view_get_scale (fx.view, &scale);
  scale.vmax *= 0.5f;   /* contrast */
  plm_heatmap_view_set_scale (fx.view, &scale);
  wait_for_frame (&fx);
  plm_heatmap_view_set_show_special_tokens (fx.view, FALSE);
  wait_for_frame (&fx);
  g_assert_true (plm_heatmap_view_get_gl_stats (fx.view, &uploads, &recolors, &frames));
  g_assert_cmpuint (uploads, ==, 1);
  g_assert_cmpuint (recolors, ==, 4);

  plm_heatmap_view_set_data (fx.view, fx.data, fx.rows, fx.cols);   /* new data: one upload */
  wait_for_frame (&fx);
  g_assert_true (plm_heatmap_view_get_gl_stats (fx.view, &uploads, &recolors, &frames));
  g_assert_cmpuint (uploads, ==, 2);
  g_assert_cmpuint (recolors, ==, 5);
  fixture_teardown (&fx);
}

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
move_pointer (PlmHeatmapView *view, double x, double y)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "motion", x, y);
          found = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);
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

/* A thumbnail of a 1000 × 1000 map drawn at 128 px: each pixel is the colour of its pooled
 * block (64 × 64 blocks, 2 × 2 pixels each), i.e. of the block's maximum. */
static void
test_thumbnail (void)
{
  const int L = 1000, size = 128;
  g_autofree float *values = plm_test_attention_map (L, 21);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *thumb = plm_heatmap_thumbnail_new (size);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  Fixture fx = { .window = window, .view = NULL };
  const guint32 *lut = plm_color_map_get_lut (PLM_COLOR_MAP_MAGMA);
  PlmScale scale = { PLM_SCALE_LOG, 1e-4f, 0.2f };
  Picture pic;
  int bad = 0;

  gtk_widget_set_halign (thumb, GTK_ALIGN_START);
  gtk_widget_set_valign (thumb, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), thumb);
  gtk_window_set_child (GTK_WINDOW (window), box);
  plm_heatmap_thumbnail_set_data (PLM_HEATMAP_THUMBNAIL (thumb), values, L, L);
  plm_heatmap_thumbnail_set_color_map (PLM_HEATMAP_THUMBNAIL (thumb), PLM_COLOR_MAP_MAGMA);
  plm_heatmap_thumbnail_set_scale (PLM_HEATMAP_THUMBNAIL (thumb), &scale);
  gtk_window_present (GTK_WINDOW (window));
  fx.view = (PlmHeatmapView *) thumb;   /* wait_for_frame only needs a mapped widget */
  wait_for_frame (&fx);
  g_assert_cmpint (gtk_widget_get_width (thumb), ==, size);
  pic = render_widget (thumb);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        /* block (y / 2, x / 2) covers rows [⌈b·L/64⌉, ⌈(b+1)·L/64⌉) */
        int br = y * 64 / size, bc = x * 64 / size;
        float m = -INFINITY;
        for (int r = (br * L + 63) / 64; r < ((br + 1) * L + 63) / 64; r++)
          for (int c = (bc * L + 63) / 64; c < ((bc + 1) * L + 63) / 64; c++)
            m = MAX (m, values[(gsize) r * L + c]);
        if (channel_diff (lut[plm_scale_index (&scale, m)], pic.pixels[y * pic.width + x]) > 1)
          bad++;
      }
  g_test_message ("thumbnail: %d of %d pixels differ from the colour of their block maximum",
                  bad, size * size);
  g_assert_cmpint (bad, ==, 0);
  picture_clear (&pic);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* (c) a 300 × 300 attention-like map with its colour bar, as the user sees it, saved as PNG. */
static void
test_screenshot (void)
{
  const char *dir = g_getenv ("PLM_SCREENSHOT_DIR");
  PlmHeatmapRenderer renderers[] = { PLM_HEATMAP_RENDERER_GL, PLM_HEATMAP_RENDERER_CAIRO };

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      Fixture fx = { 0 };
      g_autofree char *path = NULL;
      Picture pic;
      double x, y;
      PlmScale scale;

      fixture_setup (&fx, 300, 300, renderers[r]);
      plm_heatmap_view_fit_scale (fx.view, PLM_SCALE_PERCENTILE, 0, 99.5);
      plm_heatmap_view_get_scale (fx.view, &scale);
      plm_color_bar_set_scale (fx.bar, &scale);
      plm_heatmap_view_set_highlight (fx.view, 120, 200);
      wait_for_frame (&fx);
      pic = render_widget (fx.box);
      path = g_build_filename (dir ? dir : ".", renderers[r] == PLM_HEATMAP_RENDERER_GL &&
                               !gl_disabled_by_env ? "heatmap-gl.png" : "heatmap-cairo.png", NULL);
      g_assert_true (gdk_texture_save_to_png (pic.texture, path));
      g_test_message ("screenshot %s (%d × %d)", path, pic.width, pic.height);
      /* the picture is the map: the diagonal (high attention) is lighter than far off it */
      {
        double x2, y2;
        guint32 on, off;
        g_assert_true (plm_heatmap_view_get_cell_center (fx.view, 150, 150, &x, &y));
        g_assert_true (plm_heatmap_view_get_cell_center (fx.view, 150, 290, &x2, &y2));
        on = pic.pixels[(gsize) y * pic.width + (gsize) x];
        off = pic.pixels[(gsize) y2 * pic.width + (gsize) x2];
        g_assert_cmpint (((on >> 16) & 0xff) + ((on >> 8) & 0xff), >, ((off >> 16) & 0xff) + ((off >> 8) & 0xff));
      }
      picture_clear (&pic);

      /* zoomed in far enough for residue letters, with the pointer over a cell */
      if (r == 0)
        {
          g_autofree char *zoomed = g_build_filename (dir ? dir : ".", gl_disabled_by_env ? "heatmap-zoomed-cairo.png" : "heatmap-zoomed-gl.png", NULL);
          int row = -1, col = -1;
          plm_heatmap_view_set_zoom (fx.view, 18);
          g_assert_true (plm_heatmap_view_get_cell_center (fx.view, 150, 150, &x, &y));
          plm_heatmap_view_pan (fx.view, 300 - x, 300 - y);
          plm_heatmap_view_get_cell_center (fx.view, 150, 153, &x, &y);
          move_pointer (fx.view, x, y);
          g_assert_cmpint (fx.hovers, >, 0);
          wait_for_frame (&fx);
          pic = render_widget (fx.box);
          g_assert_true (gdk_texture_save_to_png (pic.texture, zoomed));
          g_test_message ("screenshot %s", zoomed);
          g_assert_true (plm_heatmap_view_lookup (fx.view, x, y, &row, &col, NULL));
          g_assert_cmpint (row, ==, 150);
          g_assert_cmpint (col, ==, 153);
          picture_clear (&pic);
        }
      fixture_teardown (&fx);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  if (!gtk_init_check ())
    {
      /* TAP plan with a reason: meson reports the test as skipped, not passed */
      printf ("1..0 # SKIP no display: install xvfb (xvfb-run) to run the heatmap widget tests\n");
      return 0;
    }
  gl_disabled_by_env = g_strrstr (g_getenv ("GDK_DEBUG") ?: "", "gl-disable") != NULL;

  g_test_add_func ("/heatmap/view/auto-renderer", test_auto_renderer);
  g_test_add_func ("/heatmap/view/data-ownership", test_data_ownership);
  g_test_add_func ("/heatmap/view/lookup", test_lookup);
  g_test_add_func ("/heatmap/view/special-tokens", test_special_tokens);
  g_test_add_func ("/heatmap/view/pixels-gl", test_pixels_gl);
  g_test_add_func ("/heatmap/view/pixels-cairo", test_pixels_cairo);
  g_test_add_func ("/heatmap/view/gl-equals-cairo", test_gl_equals_cairo);
  g_test_add_func ("/heatmap/view/gl-uploads", test_gl_uploads);
  g_test_add_func ("/heatmap/view/keyboard", test_keyboard);
  g_test_add_func ("/heatmap/view/screenshot", test_screenshot);
  g_test_add_func ("/heatmap/thumbnail/pixels", test_thumbnail);
  return g_test_run ();
}
