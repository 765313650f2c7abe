/* bench-heatmap-frames.c: frame time of PlmHeatmapView while panning and zooming an L × L map,
 * and the time to draw the layers × heads overview (660 thumbnails for ESM-2 650M).
 *
 * Usage (under X, or: xvfb-run -a -s "-screen 0 1600x1000x24" …):
 *   bench-heatmap-frames [--cairo] [--baseline] [--size L] [--frames N] [--thumbnails N] [--maps M]
 * --cairo draws the map with the view's cairo path (GSK keeps its renderer; set GSK_RENDERER=cairo
 * for a machine without GL). --baseline also times the same window with a widget that only fills its area with one colour
 * node per frame: the floor GTK, GSK and the GL driver set on this machine.
 * Frame time = wall time from the frame clock's "update" to the end of its "after-paint" (the
 * GL area's render, GSK's render of the window and the buffer swap; with llvmpipe the swap
 * waits for rasterisation). Medians and 90th percentiles are printed. */
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "heatmap-test-data.h"
#include "plm-heatmap-thumbnail.h"
#include "plm-heatmap-view.h"

typedef struct {
  GtkWidget      *window;
  PlmHeatmapView *view;
  int             frames_wanted;
  int             frame;
  gint64          frame_start;
  GArray         *paint_ms;      /* update → after-paint, per frame */
  GArray         *interval_ms;   /* between consecutive frame starts */
  GArray         *cpu_ms;        /* process CPU time (all threads, llvmpipe's too) per frame */
  gint64          cpu_start;
  gint64          last_start;
  gboolean        done;
} Bench;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  double *v;
  double r;

  if (values->len == 0)
    return NAN;
  v = g_memdup2 (values->data, values->len * sizeof (double));
  qsort (v, values->len, sizeof (double), compare_double);
  r = v[(guint) MIN (values->len - 1, floor (p / 100.0 * (values->len - 1) + 0.5))];
  g_free (v);
  return r;
}

/* CPU time of the whole process: less sensitive than wall time to other jobs on the machine */
static gint64
cpu_time_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_update (GdkFrameClock *clock, Bench *b)
{
  b->frame_start = g_get_monotonic_time ();
  b->cpu_start = cpu_time_us ();
  if (b->last_start)
    {
      double ms = (b->frame_start - b->last_start) / 1000.0;
      g_array_append_val (b->interval_ms, ms);
    }
  b->last_start = b->frame_start;
}

static void
on_after_paint (GdkFrameClock *clock, Bench *b)
{
  double ms;

  if (!b->frame_start)
    return;
  ms = (g_get_monotonic_time () - b->frame_start) / 1000.0;
  g_array_append_val (b->paint_ms, ms);
  ms = (cpu_time_us () - b->cpu_start) / 1000.0;
  g_array_append_val (b->cpu_ms, ms);
  b->frame_start = 0;
}

/* Each tick: first half pans in a circle at 2 px per cell, second half zooms in and out
 * around the centre. */
static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Bench *b = data;
  int half = b->frames_wanted / 2;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (b->frame >= b->frames_wanted)
    {
      b->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  if (b->frame == 0)
    plm_heatmap_view_set_zoom (b->view, 2.0);
  if (b->frame < half)
    {
      double a = 2 * G_PI * b->frame / 30.0;
      plm_heatmap_view_pan (b->view, 40 * cos (a), 40 * sin (a));
    }
  else
    {
      if (b->frame == half)
        plm_heatmap_view_zoom_fit (b->view);
      plm_heatmap_view_zoom_at (b->view, (b->frame - half) % 20 < 10 ? 1.15 : 1 / 1.15,
                                w * 0.5, h * 0.5);
    }
  b->frame++;
  return G_SOURCE_CONTINUE;
}

static void
wait_until (gboolean *flag, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_first_paint (GdkFrameClock *clock, gboolean *flag)
{
  *flag = TRUE;
}

static void
wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), &painted);
  gtk_widget_queue_draw (window);
  wait_until (&painted, 30);
  g_signal_handler_disconnect (clock, id);
}

/* Empty sample arrays and a 1200 × 950 window, not shown yet. */
static void
bench_init (Bench *b, int frames)
{
  b->frames_wanted = frames;
  b->paint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b->interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (b->window), 1200, 950);
}

static void
bench_frames (int L, int frames, gboolean cairo)
{
  Bench b = { 0 };
  g_autofree float *values = plm_test_attention_map (L, 1);
  GdkFrameClock *clock;
  gboolean mapped = FALSE;
  gint64 t0;

  bench_init (&b, frames);
  b.view = PLM_HEATMAP_VIEW (plm_heatmap_view_new ());
  plm_heatmap_view_set_renderer (b.view, cairo ? PLM_HEATMAP_RENDERER_CAIRO : PLM_HEATMAP_RENDERER_AUTO);
  gtk_window_set_child (GTK_WINDOW (b.window), GTK_WIDGET (b.view));

  t0 = g_get_monotonic_time ();
  plm_heatmap_view_set_data (b.view, values, L, L);
  plm_heatmap_view_fit_scale (b.view, PLM_SCALE_LINEAR, 0, 100);
  gtk_window_present (GTK_WINDOW (b.window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (b.view)))
    g_main_context_iteration (NULL, TRUE);
  wait_for_paint (b.window);
  mapped = TRUE;
  g_print ("renderer %s, %d × %d map, window %d × %d\n",
           plm_heatmap_view_get_active_renderer (b.view) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo",
           L, L, gtk_widget_get_width (b.window), gtk_widget_get_height (b.window));
  g_print ("  first frame (data copy, texture upload, first paint): %.1f ms\n",
           (g_get_monotonic_time () - t0) / 1000.0);

  clock = gtk_widget_get_frame_clock (b.window);
  g_signal_connect (clock, "update", G_CALLBACK (on_update), &b);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &b);
  gtk_widget_add_tick_callback (GTK_WIDGET (b.view), tick, &b, NULL);
  wait_until (&b.done, 120);
  wait_for_paint (b.window);
  g_signal_handlers_disconnect_by_data (clock, &b);

  g_print ("  pan + zoom, %u frames: frame time (update → after-paint, wall) median %.2f ms, "
           "p90 %.2f ms; process CPU per frame median %.2f ms; frame interval median %.2f ms\n",
           b.paint_ms->len, percentile (b.paint_ms, 50), percentile (b.paint_ms, 90),
           percentile (b.cpu_ms, 50), percentile (b.interval_ms, 50));
  g_array_unref (b.cpu_ms);
  gtk_window_destroy (GTK_WINDOW (b.window));
  g_array_unref (b.paint_ms);
  g_array_unref (b.interval_ms);
  (void) mapped;
}

/* The floor: a widget of the same size that appends one colour node per frame. */
typedef struct { GtkWidget parent_instance; int frame; } BenchFill;
typedef struct { GtkWidgetClass parent_class; } BenchFillClass;
static GType bench_fill_get_type (void);
G_DEFINE_TYPE (BenchFill, bench_fill, GTK_TYPE_WIDGET)

static void
bench_fill_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  BenchFill *self = (BenchFill *) widget;
  GdkRGBA color = { 0.2f, 0.1f + (self->frame++ % 2) * 0.1f, 0.4f, 1.0f };
  gtk_snapshot_append_color (snapshot, &color,
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));
}

static void
bench_fill_class_init (BenchFillClass *klass)
{
  GTK_WIDGET_CLASS (klass)->snapshot = bench_fill_snapshot;
}

static void
bench_fill_init (BenchFill *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

static gboolean
tick_fill (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Bench *b = data;
  if (b->frame++ >= b->frames_wanted)
    {
      b->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
bench_baseline (int frames)
{
  Bench b = { 0 };
  GtkWidget *fill = g_object_new (bench_fill_get_type (), NULL);
  GdkFrameClock *clock;

  bench_init (&b, frames);
  gtk_window_set_child (GTK_WINDOW (b.window), fill);
  gtk_window_present (GTK_WINDOW (b.window));
  while (!gtk_widget_get_mapped (fill))
    g_main_context_iteration (NULL, TRUE);
  wait_for_paint (b.window);
  clock = gtk_widget_get_frame_clock (b.window);
  g_signal_connect (clock, "update", G_CALLBACK (on_update), &b);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &b);
  gtk_widget_add_tick_callback (fill, tick_fill, &b, NULL);
  wait_until (&b.done, 120);
  wait_for_paint (b.window);
  g_signal_handlers_disconnect_by_data (clock, &b);
  g_print ("baseline (one colour node filling the same window), %u frames: frame time median %.2f ms, "
           "p90 %.2f ms; process CPU per frame median %.2f ms\n", b.paint_ms->len,
           percentile (b.paint_ms, 50), percentile (b.paint_ms, 90), percentile (b.cpu_ms, 50));
  gtk_window_destroy (GTK_WINDOW (b.window));
  g_array_unref (b.paint_ms);
  g_array_unref (b.interval_ms);
  g_array_unref (b.cpu_ms);
}

static void
bench_thumbnails (int L, int n, int n_maps, gboolean cairo)
{
  GPtrArray *maps = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *window, *scrolled, *grid;
  float **pooled = g_new (float *, n);
  int pr = 0, pc = 0, heads = 20;
  gint64 t0, t1, t2, t3;
  GskRenderer *renderer;
  GdkTexture *texture;
  PlmScale scale;

  for (int m = 0; m < n_maps; m++)
    g_ptr_array_add (maps, plm_test_attention_map (L, 100 + m));

  /* pooling is done once per result, where the attention is computed (worker thread) */
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < n; i++)
    pooled[i] = plm_heatmap_pool_max (g_ptr_array_index (maps, i % n_maps), L, L,
                                      64, &pr, &pc);
  t1 = g_get_monotonic_time ();
  plm_scale_fit (&scale, PLM_SCALE_LINEAR, pooled[0], (gsize) pr * pc, 0, 100);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 950);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_paint (window);

  t2 = g_get_monotonic_time ();
  scrolled = gtk_scrolled_window_new ();
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  for (int i = 0; i < n; i++)
    {
      GtkWidget *thumb = plm_heatmap_thumbnail_new (64);
      plm_heatmap_thumbnail_take_pooled (PLM_HEATMAP_THUMBNAIL (thumb), pooled[i], pr, pc);
      plm_heatmap_thumbnail_set_scale (PLM_HEATMAP_THUMBNAIL (thumb), &scale);
      gtk_grid_attach (GTK_GRID (grid), thumb, i % heads, i / heads, 1, 1);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  wait_for_paint (window);
  t3 = g_get_monotonic_time ();
  g_print ("thumbnails: %d of %d × %d (pooled to %d × %d), GSK renderer %s\n", n, L, L, pr, pc,
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_print ("  max-pooling all: %.1f ms (%.2f ms each)\n", (t1 - t0) / 1000.0, (t1 - t0) / 1000.0 / n);
  g_print ("  widgets created + first frame of the scrolled overview: %.1f ms\n", (t3 - t2) / 1000.0);

  /* every thumbnail drawn, not only the visible ones: the whole grid rendered offscreen */
  t0 = g_get_monotonic_time ();
  {
    g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (grid);
    GtkSnapshot *snapshot = gtk_snapshot_new ();
    int gw = gtk_widget_get_width (grid), gh = gtk_widget_get_height (grid);
    GskRenderNode *node;
    gdk_paintable_snapshot (paintable, snapshot, gw, gh);
    node = gtk_snapshot_free_to_node (snapshot);
    renderer = gtk_native_get_renderer (GTK_NATIVE (window));
    texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, gw, gh));
    gsk_render_node_unref (node);
    t1 = g_get_monotonic_time ();
    g_print ("  all %d drawn into one %d × %d texture: %.1f ms\n", n, gw, gh, (t1 - t0) / 1000.0);
    g_object_unref (texture);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_free (pooled);   /* the thumbnails own the pooled arrays */
  g_ptr_array_unref (maps);
}

int
main (int argc, char **argv)
{
  int L = 1000, frames = 120, thumbnails = 660, n_maps = 8;
  gboolean cairo = FALSE, baseline = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--cairo"))
        cairo = TRUE;
      else if (g_str_equal (argv[i], "--baseline"))
        baseline = TRUE;
      else if (g_str_equal (argv[i], "--size") && i + 1 < argc)
        L = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--frames") && i + 1 < argc)
        frames = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--thumbnails") && i + 1 < argc)
        thumbnails = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--maps") && i + 1 < argc)
        n_maps = atoi (argv[++i]);
      else
        {
          g_printerr ("usage: %s [--cairo] [--baseline] [--size L] [--frames N] [--thumbnails N] [--maps M]\n", argv[0]);
          return 2;
        }
    }
  if (L < 2 || frames < 2 || thumbnails < 1 || n_maps < 1)
    {
      g_printerr ("%s: sizes and counts must be positive\n", argv[0]);
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("%s: no display (run under xvfb-run -a -s \"-screen 0 1600x1000x24\")\n", argv[0]);
      return 77;
    }
  if (baseline)
    bench_baseline (frames);
  bench_frames (L, frames, cairo);
  bench_thumbnails (L, thumbnails, n_maps, cairo);
  return 0;
}
