/* test-windowed-pooled.c: the views of a long protein, as the app shows one above the display cap
 * (2,048), on a 300-residue windowed run of tiny-esm1b with the cap lowered to 64
 * (PLM_HEATMAP_DISPLAY_CAP, set by meson). The attention, overview and contact maps are read
 * from the attention store and the contact map region by region, never held whole
 * (plm_heatmap_view_get_data is NULL): fitted they are drawn max-pooled, grey where no window
 * holds any pair of a block; zoomed in they are drawn cell by cell; the readout's value is the
 * store's own at any zoom; a head step is pooled in a thread. */
#include <adwaita.h>
#include <math.h>

#include "plm-attention-view.h"
#include "plm-contacts-view.h"
#include "plm-heatmap-view.h"
#include "plm-overview-view.h"
#include "plm-ui-test.h"
#include "plm-ui-window.h"

#define L 300


/* Screenshot file names, "-de" for the German run. */
static const char *
shot_name (const char *view)
{
  static char name[128];
  const char *lang = g_getenv ("LANGUAGE");
  g_snprintf (name, sizeof name, "ui-windowed-pooled-%s%s.png", view, lang && g_str_has_prefix (lang, "de") ? "-de" : "");
  return name;
}

static gboolean
is_pooled (gpointer heatmap)
{
  return plm_heatmap_view_get_pooled (heatmap);
}

static PlmHeatmapView *
heatmap_of (PlmWindow *window, GType type)
{
  GtkWidget *view = plm_ui_test_find_descendant (GTK_WIDGET (window), type);

  g_assert_nonnull (view);
  return PLM_HEATMAP_VIEW (plm_ui_test_find_descendant (view, PLM_TYPE_HEATMAP_VIEW));
}

typedef struct
{
  PlmHeatmapView     *heatmap;
  PlmInferenceResult *r;
  int                 layer;
  int                 head;
} MapWait;

/* The heatmap reads map (layer, head): its values along the diagonal are the store's. */
static gboolean
shows_map (gpointer data)
{
  MapWait *w = data;

  for (int t = 1; t <= L; t += 37)
    if (plm_heatmap_view_get_value (w->heatmap, t, t) != plm_attention_store_get (w->r->attention, w->layer, w->head, t, t))
      return FALSE;
  return plm_heatmap_view_get_pooled (w->heatmap);
}

/* The colour drawn at the centre of data cell (@row, @col), 0xRRGGBB. */
static guint32
cell_color (PlmHeatmapView *heatmap, int row, int col)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  int w, h;
  double x, y;

  plm_ui_test_spin (100);
  texture = plm_ui_test_render (GTK_WIDGET (heatmap));
  w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  pixels = g_new (guint32, (gsize) w * h);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
  g_assert_true (plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y));
  return pixels[(gsize) y * w + (gsize) x] & 0xffffff;
}

/* Fitted: pooled, never the whole map, grey for blocks no window computed, exact readouts;
 * zoomed in to at most 40 cells across: not pooled, exact readouts. @value (row, col) is the source's. */
static void
check_view (PlmHeatmapView *heatmap, int n, float (*value) (gpointer, int, int), gpointer data, const char *what)
{
  graphene_rect_t b;
  int row, col, checked = 0;
  float v;

  g_assert_true (plm_ui_test_wait_until (is_pooled, heatmap, 20000));
  g_assert_null (plm_heatmap_view_get_data (heatmap, NULL, NULL));
  g_assert_true (plm_heatmap_view_get_map_bounds (heatmap, &b));
  for (int zoomed = 0; zoomed < 2; zoomed++)
    {
      for (double fy = 0.1; fy < 1; fy += 0.2)
        for (double fx = 0.1; fx < 1; fx += 0.2)
          {
            g_assert_true (plm_heatmap_view_lookup (heatmap, b.origin.x + fx * b.size.width,
                                                    b.origin.y + fy * b.size.height, &row, &col, &v));
            g_assert_cmpint (row, <, n);
            g_assert_cmpint (col, <, n);
            g_assert_cmpint (isnan (v), ==, isnan (value (data, row, col)));
            if (!isnan (v))
              g_assert_cmpfloat (v, ==, value (data, row, col));
            checked++;
          }
      if (zoomed)
        break;
      /* at most 40 cells across: within the cap */
      plm_heatmap_view_zoom_at (heatmap, MAX (gtk_widget_get_width (GTK_WIDGET (heatmap)),
                                              gtk_widget_get_height (GTK_WIDGET (heatmap))) / 40.0
                                         / plm_heatmap_view_get_zoom (heatmap),
                                b.origin.x + b.size.width / 2, b.origin.y + b.size.height / 2);
      plm_ui_test_spin (300);
      g_assert_false (plm_heatmap_view_get_pooled (heatmap));
      g_assert_true (plm_heatmap_view_get_map_bounds (heatmap, &b));
    }
  g_test_message ("%s: %d readouts exact, fitted and zoomed in", what, checked);
  plm_heatmap_view_zoom_fit (heatmap);
  plm_ui_test_spin (200);
}

static PlmInferenceResult *result;
static int shown_layer, shown_head;

static float
attention_value (gpointer data, int row, int col)
{
  return plm_attention_store_get (result->attention, shown_layer, shown_head, row, col);
}

static float
contact_value (gpointer data, int row, int col)
{
  return plm_inference_result_get_contact (result, row, col);
}

static void
test_windowed_pooled (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-esm1b", NULL);
  g_autofree char *fasta = plm_uiw_synthetic_fasta (L);
  PlmWindow *window = plm_uiw_new_window ();
  PlmAttentionView *attention;
  PlmHeatmapView *heatmap;

  g_assert_cmpint (plm_heatmap_display_cap (), ==, 64);
  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (100);
  plm_window_run_windowed (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  result = plm_window_get_result (window);
  g_assert_cmpint (result->n_residues, ==, L);
  g_assert_true (plm_inference_result_is_windowed (result));

  /* attention: residues 30 and 250 share no window (windows of 126 from 0, 95 and 174), nor does
   * any pair of their pooled blocks */
  plm_window_set_view (window, "attention");
  plm_ui_test_spin (300);
  attention = PLM_ATTENTION_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window), PLM_TYPE_ATTENTION_VIEW));
  heatmap = heatmap_of (window, PLM_TYPE_ATTENTION_VIEW);
  shown_layer = plm_attention_view_get_layer (attention);
  shown_head = plm_attention_view_get_head (attention);
  check_view (heatmap, L + 2, attention_value, NULL, "attention");
  g_assert_true (isnan (plm_heatmap_view_get_value (heatmap, 30, 250)));
  g_assert_cmphex (cell_color (heatmap, 30, 250), ==, PLM_COLOR_MISSING & 0xffffff);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), shot_name ("attention"));

  /* a head step: pooled in a thread, then the new map's values */
  {
    MapWait w = { heatmap, result, 1, 2 };

    g_assert_cmpint (result->n_layers, >=, 2);
    g_assert_cmpint (result->n_heads, >=, 3);
    plm_attention_view_show (attention, 1, 2);
    g_assert_true (plm_ui_test_wait_until (shows_map, &w, 20000));
    shown_layer = 1, shown_head = 2;
    check_view (heatmap, L + 2, attention_value, NULL, "attention, layer 2 head 3");
  }

  /* the overview's enlarged map */
  plm_window_set_view (window, "overview");
  plm_ui_test_spin (500);
  heatmap = PLM_HEATMAP_VIEW (plm_overview_view_get_preview (PLM_OVERVIEW_VIEW (
    plm_ui_test_find_descendant (GTK_WIDGET (window), PLM_TYPE_OVERVIEW_VIEW))));
  plm_overview_view_preview (PLM_OVERVIEW_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window),
                                                                             PLM_TYPE_OVERVIEW_VIEW)),
                             result->n_layers - 1, result->n_heads - 1);
  {
    MapWait w = { heatmap, result, result->n_layers - 1, result->n_heads - 1 };

    g_assert_true (plm_ui_test_wait_until (shows_map, &w, 20000));
  }
  shown_layer = result->n_layers - 1, shown_head = result->n_heads - 1;
  check_view (heatmap, L + 2, attention_value, NULL, "overview");
  plm_ui_test_save_screenshot (GTK_WIDGET (window), shot_name ("overview"));

  /* the contact map, read in place from the result */
  if (plm_inference_result_has_contacts (result))
    {
      g_assert_nonnull (result->contact_band);
      plm_window_set_view (window, "contacts");
      plm_ui_test_spin (500);
      heatmap = heatmap_of (window, PLM_TYPE_CONTACTS_VIEW);
      check_view (heatmap, L, contact_value, NULL, "contacts");
      plm_ui_test_save_screenshot (GTK_WIDGET (window), shot_name ("contacts"));
    }
  else
    g_test_message ("tiny-esm1b has no contact head: contacts not checked");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  plm_uiw_init (&argc, &argv);
  plm_ui_test_bind_locale ();   /* the build tree's translations, for test-windowed-pooled-de */
  g_test_add_func ("/ui/windowed/pooled", test_windowed_pooled);
  status = g_test_run ();
  plm_uiw_finish ();
  return status;
}
