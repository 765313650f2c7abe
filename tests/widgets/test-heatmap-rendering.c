/* test-heatmap-rendering.c: PlmHeatmapView's pixels under Xvfb — GL and cairo pixels equal
 * colour_map[plm_scale_index (value)] at cell centres and each other over the whole map, the
 * GDK_DEBUG=gl-disable fallback, GL uploads, thumbnail pixels, and screenshots of an
 * attention-like map. */
#include <math.h>

#include "heatmap-test-data.h"
#include "heatmap-test-view.h"
#include "plm-heatmap-thumbnail.h"

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
  if (!heatmap_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/heatmap/view/auto-renderer", test_auto_renderer);
  g_test_add_func ("/heatmap/view/pixels-gl", test_pixels_gl);
  g_test_add_func ("/heatmap/view/pixels-cairo", test_pixels_cairo);
  g_test_add_func ("/heatmap/view/gl-equals-cairo", test_gl_equals_cairo);
  g_test_add_func ("/heatmap/view/gl-uploads", test_gl_uploads);
  g_test_add_func ("/heatmap/view/screenshot", test_screenshot);
  g_test_add_func ("/heatmap/thumbnail/pixels", test_thumbnail);
  return g_test_run ();
}
