/* test-heatmap-tiles.c: maps above the display cap (plm-heatmap-view-tiles.c), on GL and cairo.
 * Fitted, a map is drawn max-pooled: a single strong pair among zeros lights its whole pooled
 * block, while the readout still gives each cell's own value; zoomed in until the cells on screen
 * fit within the cap, every cell is drawn at full resolution, read from the source region by
 * region (never the whole map), and the readout's value is the source's. */
#include <math.h>
#include <string.h>

#include "heatmap-test-data.h"
#include "heatmap-test-view.h"

#define N      602    /* <cls> + 600 residues + <eos> */
#define CAP    100    /* pooled 7 × 7 cells a drawn cell at most */
#define PEAK_R 311
#define PEAK_C 457

typedef struct {
  float *values;
  int    calls;
  gsize  max_cells;   /* the most cells one read asked for */
} Source;

static void
fill (gpointer data, int r0, int r1, int c0, int c1, float *out)
{
  Source *s = data;

  s->calls++;
  s->max_cells = MAX (s->max_cells, (gsize) (r1 - r0) * (c1 - c0));
  for (int r = r0; r < r1; r++)
    for (int c = c0; c < c1; c++)
      *out++ = s->values[(gsize) r * N + c];
}

/* zeros, one 1.0 pair, and a corner of NaN (pairs no window computed, as far off the diagonal
 * of a windowed run) */
static float *
peak_map (void)
{
  float *v = g_new0 (float, (gsize) N * N);

  v[(gsize) PEAK_R * N + PEAK_C] = 1.0f;
  for (int r = 0; r < 60; r++)
    for (int c = 500; c < N; c++)
      v[(gsize) r * N + c] = NAN;
  return v;
}

static guint32
pixel_at_cell (Fixture *fx, Picture *pic, int row, int col)
{
  double x, y;

  g_assert_true (plm_heatmap_view_get_cell_center (fx->view, row, col, &x, &y));
  return pic->pixels[(gsize) y * pic->width + (gsize) x];
}

static void
check_peak (PlmHeatmapRenderer renderer, gboolean from_source)
{
  Fixture fx = { 0 };
  Source source = { peak_map (), 0, 0 };
  PlmScale scale = { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  const guint32 *lut;
  guint32 hot, cold;
  Picture pic;
  int row, col, pooled_size;
  float value;
  double x, y;

  fixture_setup (&fx, N, N, renderer);
  plm_heatmap_view_set_display_cap (fx.view, CAP);
  if (from_source)
    plm_heatmap_view_set_source (fx.view, N, N, fill, &source, NULL);
  else
    plm_heatmap_view_set_data (fx.view, source.values, N, N);
  plm_heatmap_view_set_color_map (fx.view, PLM_COLOR_MAP_VIRIDIS);
  plm_heatmap_view_set_scale (fx.view, &scale);
  lut = plm_color_map_get_lut (PLM_COLOR_MAP_VIRIDIS);
  hot = plm_scale_color (&scale, lut, 1.0f);
  cold = plm_scale_color (&scale, lut, 0.0f);
  wait_for_frame (&fx);
  g_assert_true (from_source ? plm_heatmap_view_get_data (fx.view, NULL, NULL) == NULL
                             : plm_heatmap_view_get_data (fx.view, NULL, NULL) != NULL);

  /* fitted: pooled, at most CAP × CAP cells kept for the renderers */
  g_assert_true (plm_heatmap_view_get_pooled (fx.view));
  g_assert_cmpint (fx.view->pooled.rows, <=, CAP);
  g_assert_cmpint (fx.view->pooled.cols, <=, CAP);
  pooled_size = (N + CAP - 1) / CAP;
  pic = render_widget (GTK_WIDGET (fx.view));
  /* the peak's cell and its pooled neighbours show the peak; a cell far from it is cold */
  g_assert_cmpint (channel_diff (pixel_at_cell (&fx, &pic, PEAK_R, PEAK_C), hot), <=, 1);
  g_assert_cmpint (channel_diff (pixel_at_cell (&fx, &pic, PEAK_R, PEAK_C - 1), hot), <=, 1);
  g_assert_cmpint (channel_diff (pixel_at_cell (&fx, &pic, 200, 100), cold), <=, 1);
  /* the NaN corner is grey (a block with some values shows their maximum) */
  g_assert_cmpint (channel_diff (pixel_at_cell (&fx, &pic, 30, 560), PLM_COLOR_MISSING), <=, 1);
  picture_clear (&pic);
  /* the readout is exact: the neighbour drawn hot (same pooled block) is 0 */
  plm_heatmap_view_get_cell_center (fx.view, PEAK_R, PEAK_C - 1, &x, &y);
  g_assert_true (plm_heatmap_view_lookup (fx.view, x, y, &row, &col, &value));
  g_assert_cmpint (col, ==, PEAK_C - 1);
  g_assert_cmpfloat (value, ==, 0.0f);
  g_assert_cmpfloat (plm_heatmap_view_get_value (fx.view, PEAK_R, PEAK_C), ==, 1.0f);
  g_assert_true (isnan (plm_heatmap_view_get_value (fx.view, 30, 560)));
  g_test_message ("fitted: pooled %d × %d for %d × %d, up to %d × %d cells a drawn cell", fx.view->pooled.rows,
                  fx.view->pooled.cols, N, N, pooled_size, pooled_size);

  /* zoomed in to 12 px a cell around the peak: ~65 × 60 cells on screen, within the cap */
  plm_heatmap_view_set_zoom (fx.view, 12);
  plm_heatmap_view_get_cell_center (fx.view, PEAK_R, PEAK_C, &x, &y);
  plm_heatmap_view_pan (fx.view, 400 - x, 350 - y);
  wait_for_frame (&fx);
  g_assert_false (plm_heatmap_view_get_pooled (fx.view));
  g_assert_cmpint (fx.view->region.rows, <=, CAP);
  g_assert_cmpint (fx.view->region.cols, <=, CAP);
  pic = render_widget (GTK_WIDGET (fx.view));
  /* every cell on screen at full resolution: the peak alone is hot */
  for (int r = PEAK_R - 5; r <= PEAK_R + 5; r++)
    for (int c = PEAK_C - 5; c <= PEAK_C + 5; c++)
      {
        guint32 want = r == PEAK_R && c == PEAK_C ? hot : cold;

        if (channel_diff (pixel_at_cell (&fx, &pic, r, c), want) > 1)
          g_error ("zoomed in, cell (%d, %d): %08x, want %08x", r, c, pixel_at_cell (&fx, &pic, r, c), want);
        plm_heatmap_view_get_cell_center (fx.view, r, c, &x, &y);
        g_assert_true (plm_heatmap_view_lookup (fx.view, x, y, &row, &col, &value));
        g_assert_cmpint (row, ==, r);
        g_assert_cmpint (col, ==, c);
        g_assert_cmpfloat (value, ==, r == PEAK_R && c == PEAK_C ? 1.0f : 0.0f);
      }
  picture_clear (&pic);
  /* the readout beside the pointer says the exact value */
  plm_heatmap_view_get_cell_center (fx.view, PEAK_R, PEAK_C, &x, &y);
  move_pointer (fx.view, x, y);
  g_assert_nonnull (plm_heatmap_view_get_hover_readout (fx.view));
  g_assert_true (g_str_has_suffix (plm_heatmap_view_get_hover_readout (fx.view), " · 1"));
  if (from_source)
    {
      /* read in strips and regions, never asked for more than a strip (1 Mi cells) at once */
      g_assert_cmpint (source.calls, >, 1);
      g_assert_cmpuint (source.max_cells, <=, (gsize) N * N);
      g_test_message ("%d reads from the source, at most %" G_GSIZE_FORMAT " cells each", source.calls,
                      source.max_cells);
    }
  fixture_teardown (&fx);
  g_free (source.values);
}

static void
test_peak_gl (void)
{
  check_peak (PLM_HEATMAP_RENDERER_GL, FALSE);
}

static void
test_peak_cairo (void)
{
  check_peak (PLM_HEATMAP_RENDERER_CAIRO, FALSE);
}

static void
test_source_gl (void)
{
  check_peak (PLM_HEATMAP_RENDERER_GL, TRUE);
}

static void
test_source_cairo (void)
{
  check_peak (PLM_HEATMAP_RENDERER_CAIRO, TRUE);
}

/* Below the cap nothing changes: never pooled, the data drawn as they are — nor a long thin
 * map of few cells (the HA view's 6 layers × 5,000 residues); 6 × 9,000 is tiled (a side longer
 * than a texture may be). */
static void
test_below_cap (void)
{
  Fixture fx = { 0 };
  g_autofree float *thin = g_new0 (float, 6 * 9000);

  fixture_setup (&fx, 300, 300, PLM_HEATMAP_RENDERER_CAIRO);
  g_assert_false (plm_heatmap_view_get_pooled (fx.view));
  g_assert_null (fx.view->pooled.buf);
  g_assert_null (fx.view->region.buf);
  plm_heatmap_view_set_data (fx.view, thin, 6, 5000);
  wait_for_frame (&fx);
  g_assert_false (plm_heatmap_view_get_pooled (fx.view));
  g_assert_null (fx.view->pooled.buf);
  plm_heatmap_view_set_data (fx.view, thin, 6, 9000);
  wait_for_frame (&fx);
  g_assert_true (plm_heatmap_view_get_pooled (fx.view));
  g_assert_cmpint (fx.view->pooled.cols, ==, PLM_HEATMAP_DISPLAY_CAP);
  g_assert_cmpint (fx.view->pooled.rows, ==, 6);
  fixture_teardown (&fx);
}

int
main (int argc, char **argv)
{
  if (!heatmap_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/heatmap/tiles/peak-gl", test_peak_gl);
  g_test_add_func ("/heatmap/tiles/peak-cairo", test_peak_cairo);
  g_test_add_func ("/heatmap/tiles/source-gl", test_source_gl);
  g_test_add_func ("/heatmap/tiles/source-cairo", test_source_cairo);
  g_test_add_func ("/heatmap/tiles/below-cap", test_below_cap);
  return g_test_run ();
}
