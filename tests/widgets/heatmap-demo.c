/* heatmap-demo.c: shows PlmHeatmapView on an attention-like example map (for screenshots).
 * Usage: heatmap-demo [L] [--cairo] [--screenshot FILE.png]
 * With --screenshot the window's content is saved after its first frame and the demo quits. */
#include <gtk/gtk.h>

#include "heatmap-test-data.h"
#include "plm-color-bar.h"
#include "plm-heatmap-view.h"

typedef struct {
  PlmHeatmapView *view;
  PlmColorBar    *bar;
  GtkLabel       *status;
} Demo;

static void
sync_bar (Demo *demo)
{
  PlmScale scale;
  plm_heatmap_view_get_scale (demo->view, &scale);
  plm_color_bar_set_scale (demo->bar, &scale);
  plm_color_bar_set_color_map (demo->bar, plm_heatmap_view_get_color_map (demo->view));
}

static void
on_map_selected (GtkDropDown *dropdown, GParamSpec *pspec, Demo *demo)
{
  plm_heatmap_view_set_color_map (demo->view, gtk_drop_down_get_selected (dropdown));
  sync_bar (demo);
}

static void
on_scale_selected (GtkDropDown *dropdown, GParamSpec *pspec, Demo *demo)
{
  guint kind = gtk_drop_down_get_selected (dropdown);
  /* attention is peaked: the top half percent would leave everything else dark */
  plm_heatmap_view_fit_scale (demo->view, kind, 0, 99.5);
  sync_bar (demo);
}

static void
on_hovered (PlmHeatmapView *view, int row, int col, Demo *demo)
{
  g_autofree char *q = NULL, *k = NULL, *text = NULL;
  float value;
  const float *data;
  int cols;

  if (row < 0)
    {
      gtk_label_set_text (demo->status, "");
      return;
    }
  data = plm_heatmap_view_get_data (view, NULL, &cols);
  value = data[(gsize) row * cols + col];
  q = plm_heatmap_view_dup_label (view, TRUE, row);
  k = plm_heatmap_view_dup_label (view, FALSE, col);
  text = g_strdup_printf ("query %s  key %s  %.5f", q, k, value);
  gtk_label_set_text (demo->status, text);
}

static void
on_selected (PlmHeatmapView *view, int row, int col, Demo *demo)
{
  g_print ("selected (%d, %d)\n", row, col);
}

static const char *screenshot_path;

/* The window's content as the renderer draws it, saved as PNG, then quit. */
static void
on_after_paint (GdkFrameClock *clock, GtkWidget *window)
{
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, screenshot_path))
    g_printerr ("heatmap-demo: cannot write %s\n", screenshot_path);
  else
    g_print ("saved %s (%d × %d)\n", screenshot_path, w, h);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_map (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), window);
  gtk_widget_queue_draw (window);
}

static void
activate (GtkApplication *app, gpointer data)
{
  const char *const *argv = data;
  int L = 300;
  gboolean cairo = FALSE;
  Demo *demo = g_new0 (Demo, 1);
  GtkWidget *window, *vbox, *hbox, *controls, *maps, *scales, *special, *renderer;
  g_autofree float *values = NULL;
  g_autofree char *sequence = NULL;
  const char *map_names[] = { "viridis", "magma", "cividis", "grayscale", "diverging", NULL };
  const char *scale_names[] = { "linear", "log", "percentile 0–99.5", NULL };

  for (int i = 1; argv[i]; i++)
    if (g_str_equal (argv[i], "--cairo"))
      cairo = TRUE;
    else if (g_str_equal (argv[i], "--screenshot") && argv[i + 1])
      screenshot_path = argv[++i];
    else
      L = CLAMP (atoi (argv[i]), 4, 5000);

  window = gtk_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (window), "PlmHeatmapView demo");
  gtk_window_set_default_size (GTK_WINDOW (window), 980, 860);
  g_object_set_data_full (G_OBJECT (window), "demo", demo, g_free);

  vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  maps = gtk_drop_down_new_from_strings (map_names);
  scales = gtk_drop_down_new_from_strings (scale_names);
  special = gtk_check_button_new_with_label ("Special tokens");
  renderer = gtk_label_new (NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (special), TRUE);
  gtk_box_append (GTK_BOX (controls), maps);
  gtk_box_append (GTK_BOX (controls), scales);
  gtk_box_append (GTK_BOX (controls), special);
  gtk_box_append (GTK_BOX (controls), renderer);
  gtk_box_append (GTK_BOX (vbox), controls);

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  demo->view = PLM_HEATMAP_VIEW (plm_heatmap_view_new ());
  demo->bar = PLM_COLOR_BAR (plm_color_bar_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (demo->view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (demo->view), TRUE);
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (demo->view));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (demo->bar));
  gtk_box_append (GTK_BOX (vbox), hbox);
  demo->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (demo->status, 0);
  gtk_box_append (GTK_BOX (vbox), GTK_WIDGET (demo->status));
  gtk_window_set_child (GTK_WINDOW (window), vbox);

  values = plm_test_attention_map (L + 2, 11);
  sequence = plm_test_sequence (L, 5);
  plm_heatmap_view_set_renderer (demo->view, cairo ? PLM_HEATMAP_RENDERER_CAIRO : PLM_HEATMAP_RENDERER_AUTO);
  plm_heatmap_view_set_data (demo->view, values, L + 2, L + 2);
  plm_heatmap_view_set_sequence (demo->view, sequence, 1);
  plm_heatmap_view_fit_scale (demo->view, PLM_SCALE_PERCENTILE, 0, 99.5);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (scales), PLM_SCALE_PERCENTILE);
  sync_bar (demo);

  g_signal_connect (maps, "notify::selected", G_CALLBACK (on_map_selected), demo);
  g_signal_connect (scales, "notify::selected", G_CALLBACK (on_scale_selected), demo);
  g_object_bind_property (special, "active", demo->view, "show-special-tokens", G_BINDING_DEFAULT);
  g_signal_connect (demo->view, "hovered", G_CALLBACK (on_hovered), demo);
  g_signal_connect (demo->view, "selected", G_CALLBACK (on_selected), demo);
  if (screenshot_path)
    g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (GTK_WIDGET (demo->view));
  gtk_label_set_text (GTK_LABEL (renderer),
                      plm_heatmap_view_get_active_renderer (demo->view) == PLM_HEATMAP_RENDERER_GL
                      ? "renderer: GL" : "renderer: cairo");
}

int
main (int argc, char **argv)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.plmlens.HeatmapDemo",
                                                       G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), argv);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
