/* test-structure-negative.c: the Structure view's NM pair mode with the negative pair beside the
 * positive one (the NM-Transformer paper's Figure 4): the Pair view computes both pairs with the
 * committed tiny model and a seeded head (positive: 1HPV chain A with its partner chain B;
 * negative: 1HPV chain A with FAM20A, 5YH2 chain A), the Structure view shows 1HPV and loads
 * 5YH2 as the negative partner. Asserted on rendered pixels: red and blue marks in each of the
 * two panels, the tooltip of the second panel, the refusal of a file that is not the negative
 * partner, and the two-panel exported figure. Run with GL (llvmpipe) and with cairo; the
 * screenshots at 800 × 600 and 1600 × 1000, in English and German. */
#include "plm-structure-negative.h"
#include "plm-structure-view.h"
#include "plm-test-util.h"
#include "plm-ui-views.h"

static const char *seq_1hpv = "PQITLWQRPLVTIKIGGQLKEALLDTGADDTVLEEMSLPGRWKPKMIGGIGGFIKVRQYDQILIEICGHKAIGTVLVGPTPVNIIGRNLLTQIGCTLNF";
static char *dir, *pdb_1hpv, *pdb_5yh2, *seq_5yh2;
static PlmInferenceWorker *worker;
static GtkWidget *pair_view;
static gboolean model_loaded, pair_computed;

static void
on_model_loaded (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (plm_inference_worker_load_model_finish (PLM_INFERENCE_WORKER (object), result, &error));
  g_assert_no_error (error);
  model_loaded = TRUE;
}

static void
on_pair_computed (PlmPairView *view, gpointer data)
{
  pair_computed = TRUE;
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

/* The Pair view with both pairs computed (once for the whole run). */
static PlmPairView *
computed_pair_view (void)
{
  if (pair_view != NULL)
    return PLM_PAIR_VIEW (pair_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *head = plm_test_write_random_head (dir, "head.safetensors", PLM_NM_HEAD_ATTENTION);
  worker = plm_inference_worker_new ();
  plm_inference_worker_set_threads (worker, 1);
  plm_inference_worker_load_model_async (worker, model, NULL, on_model_loaded, NULL);
  g_assert_true (plm_ui_test_wait_until (is_true, &model_loaded, 60000));
  pair_view = g_object_ref_sink (plm_pair_view_new ());
  plm_pair_view_set_worker (PLM_PAIR_VIEW (pair_view), worker);
  g_assert_true (plm_pair_view_load_head (PLM_PAIR_VIEW (pair_view), head, &error));
  g_assert_no_error (error);
  plm_pair_view_set_chains (PLM_PAIR_VIEW (pair_view), 0, seq_1hpv, seq_1hpv);
  plm_pair_view_set_chains (PLM_PAIR_VIEW (pair_view), 1, seq_1hpv, seq_5yh2);
  g_signal_connect (pair_view, "computed", G_CALLBACK (on_pair_computed), NULL);
  plm_pair_view_compute (PLM_PAIR_VIEW (pair_view));
  g_assert_true (plm_ui_test_wait_until (is_true, &pair_computed, 120000));
  g_assert_cmpstr (plm_pair_view_get_sequence (PLM_PAIR_VIEW (pair_view), 1, 1), ==, seq_5yh2);
  return PLM_PAIR_VIEW (pair_view);
}

/* A Structure view in the NM pair mode on 1HPV, for a (synthetic) result of 1HPV chain A. */
static PlmStructureView *
pair_mode_view (GtkWindow **window, int width, int height)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (2, 2, (int) strlen (seq_1hpv), FALSE, &syn);
  g_autoptr(GError) error = NULL;
  plm_ha_result_clear (&syn.ha);
  g_free (r->sequence);
  r->sequence = g_strdup (seq_1hpv);
  GtkWidget *widget = plm_structure_view_new ();
  PlmStructureView *view = PLM_STRUCTURE_VIEW (widget);
  *window = plm_views_new_window (widget, width, height);
  plm_structure_view_set_pair_source (view, computed_pair_view ());
  plm_structure_view_set_result (view, r);
  g_assert_true (plm_structure_view_load_structure (view, pdb_1hpv, &error));
  g_assert_no_error (error);
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_PAIR);
  plm_ui_test_spin (300);
  return view;
}

/* Red and blue pixels of @area as drawn. */
static void
area_marks (PlmStructureArea *area, int *red, int *blue)
{
  g_autoptr(GdkTexture) texture = plm_ui_test_render (GTK_WIDGET (area));
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, (gsize) w * 4);   /* cairo's ARGB32 */
  plm_check_count_marks (data, w * 4, 0, w, 0, h, red, blue);
}

static void
test_negative (void)
{
  GtkWindow *window;
  g_autoptr(GError) error = NULL;
  PlmStructureView *view = pair_mode_view (&window, 1200, 760);
  PlmStructureNegative *negative = plm_structure_view_get_negative (view);
  PlmStructureArea *area = plm_structure_view_get_area (view), *area_n = plm_structure_negative_get_area (negative);

  /* the positive pair alone, the button to add the negative one, and what it is for */
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (view), "Load Negative Partner", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (view), "Load the negative partner’s structure", TRUE));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (negative)));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (view), "Positive pair", TRUE));

  /* 1HPV is not FAM20A: refused, naming the closest chain, and nothing shown */
  g_assert_false (plm_structure_view_load_negative (view, pdb_1hpv, &error));
  g_assert_nonnull (error);
  g_test_message ("refusal: %s", error->message);
  g_assert_nonnull (strstr (error->message, "1hpv.pdb does not match the Pair view’s negative partner"));
  g_assert_nonnull (strstr (error->message, "below the 90% required"));
  g_clear_error (&error);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (negative)));

  /* 5YH2 chain A is: the negative pair beside the positive one, both titled */
  g_assert_true (plm_structure_view_load_negative (view, pdb_5yh2, &error));
  g_assert_no_error (error);
  plm_ui_test_spin (400);
  g_test_message ("renderer: %s", plm_structure_area_get_active_renderer (area_n) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo");
  if (plm_views_gl_disabled)
    g_assert_cmpint (plm_structure_area_get_active_renderer (area_n), ==, PLM_HEATMAP_RENDERER_CAIRO);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (negative)));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (view), "Positive pair", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (view), "Negative pair", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (view), "Right: the negative pair", TRUE));
  g_assert_cmpstr (plm_structure_negative_get_chain (negative, 0), ==, "A");
  g_assert_cmpstr (plm_structure_negative_get_chain (negative, 1), ==, "A");
  /* the two panels share the width */
  g_assert_cmpint (abs (gtk_widget_get_width (GTK_WIDGET (area)) - gtk_widget_get_width (GTK_WIDGET (area_n))), <=, 2);

  /* each panel draws its own top residues: red on chain A, blue on its partner */
  {
    int red[2], blue[2];
    area_marks (area, &red[0], &blue[0]);
    area_marks (area_n, &red[1], &blue[1]);
    for (int p = 0; p < 2; p++)
      {
        g_test_message ("%s panel: %d red, %d blue pixels", p == 0 ? "positive" : "negative", red[p], blue[p]);
        g_assert_cmpint (red[p], >, 30);
        g_assert_cmpint (blue[p], >, 30);
      }
    /* the marks sit on the Pair view's negative top residues: each is a sphere in the scene */
    PlmStructureScene *scene = plm_structure_area_get_scene (area_n);
    int nb = 0;
    const int *tb = plm_pair_view_get_top (computed_pair_view (), 1, 1, &nb);
    g_assert_cmpint (nb, >, 0);
    for (int k = 0; k < nb; k++)
      if (plm_structure_scene_lookup (scene, 1, tb[k]) >= 0)
        {
          double x, y;
          g_assert_true (plm_structure_area_residue_point (area_n, plm_structure_scene_lookup (scene, 1, tb[k]), &x, &y));
        }
  }

  /* hovering the second panel: the residue's tooltip, its number from the file's own alignment */
  {
    PlmStructureScene *scene = plm_structure_area_get_scene (area_n);
    g_autoptr(PlmStructure) st = plm_structure_read (pdb_5yh2, &error);
    g_assert_no_error (error);
    g_autoptr(PlmStructureMap) map = plm_structure_map_align (st, "A", seq_5yh2, (int) strlen (seq_5yh2), FALSE, &error);
    g_assert_no_error (error);
    int checked = 0;
    for (int i = 0; i < (int) strlen (seq_5yh2) && checked < 3; i++)
      {
        int sc = plm_structure_scene_lookup (scene, 1, i);
        double x, y;
        if (sc < 0 || !plm_structure_area_residue_point (area_n, sc, &x, &y) || plm_structure_area_pick (area_n, x, y) != sc)
          continue;   /* hidden behind another residue */
        const PlmResidue *res = plm_structure_map_get (map, st, i);
        g_assert_nonnull (res);
        g_autofree char *want = g_strdup_printf ("%c%d · chain A %d", seq_5yh2[i], i + 1, res->number);
        plm_ui_test_motion (GTK_WIDGET (area_n), x, y);
        g_autofree char *tip = plm_structure_area_dup_readout (area_n, x, y);
        g_assert_cmpstr (tip, ==, want);
        checked++;
      }
    g_assert_cmpint (checked, ==, 3);
  }

  /* Export Figure: the two panels side by side, each with its red and blue marks */
  {
    g_autoptr(PlmFigure) fig = plm_structure_view_create_figure (view, "1HPV_A");
    g_assert_nonnull (fig);
    plm_figure_get_style (fig)->dpi = 100;
    /* next to the screenshots, to be looked at */
    const char *shots = g_getenv ("PLM_SCREENSHOT_DIR") ? g_getenv ("PLM_SCREENSHOT_DIR") : dir;
    g_autofree char *png = g_build_filename (shots, plm_views_gl_disabled ? "structure-negative-figure-cairo.png"
                                                                          : "structure-negative-figure.png", NULL);
    g_assert_true (plm_figure_export (fig, PLM_FIGURE_PNG, png, &error));
    g_assert_no_error (error);
    plm_check_two_panels (png, 70);
  }

  /* another colouring: one panel again, and no button */
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_CHAIN);
  plm_ui_test_spin (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (negative)));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (view), "Load Negative Partner", TRUE));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (view), "Positive pair", TRUE));
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_PAIR);
  plm_ui_test_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (negative)));
  gtk_window_destroy (window);
}

/* The side-by-side state at a small and a large window size, in the run's language. */
static void
test_screenshots (void)
{
  static const struct { int w, h; } sizes[] = { { 800, 600 }, { 1600, 1000 } };
  const char *lang = g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en";
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      GtkWindow *window;
      g_autoptr(GError) error = NULL;
      PlmStructureView *view = pair_mode_view (&window, sizes[k].w, sizes[k].h);
      g_assert_true (plm_structure_view_load_negative (view, pdb_5yh2, &error));
      g_assert_no_error (error);
      plm_ui_test_spin (500);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (plm_structure_view_get_negative (view))));
      g_autofree char *name = g_strdup_printf ("structure-negative-%s-%dx%d", lang, sizes[k].w, sizes[k].h);
      plm_views_save_screenshot (GTK_WIDGET (window), name);
      gtk_window_destroy (window);
    }
}

int
main (int argc, char **argv)
{
  plm_views_init (&argc, &argv);
  plm_ui_test_bind_locale ();   /* the build tree's translations, for test-structure-negative-de */
  dir = g_dir_make_tmp ("plm-structure-negative-XXXXXX", NULL);
  pdb_1hpv = plm_test_data_path ("hasites", "1hpv.pdb", NULL);
  pdb_5yh2 = plm_test_data_path ("hasites", "5YH2.pdb.gz", NULL);
  {
    /* FAM20A's SEQRES, the record the CLI test uses too */
    g_autofree char *fasta = plm_test_data_path ("structures", "seqres.fasta", NULL);
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (fasta, &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    for (int i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
      if (g_str_has_prefix (lines[i], ">5YH2_A"))
        seq_5yh2 = g_strdup (g_strstrip (lines[i + 1]));
    g_assert_nonnull (seq_5yh2);
  }
  g_test_add_func ("/structure-negative/view", test_negative);
  g_test_add_func ("/structure-negative/screenshots", test_screenshots);
  int status = g_test_run ();
  g_clear_object (&pair_view);
  g_clear_object (&worker);
  plm_test_rm_rf (dir);
  g_free (dir);
  g_free (pdb_1hpv);
  g_free (pdb_5yh2);
  g_free (seq_5yh2);
  return status;
}
