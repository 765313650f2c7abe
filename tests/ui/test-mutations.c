/* test-mutations.c: the Mutations view on a crafted result (colours, wild-type marks, readout,
 * linked selection, summary, export in every format) and on the tiny model (the masked-marginal
 * scan from the view equals plm_scan's, is cached, and cancels). Run with GL and with cairo. */
#include "plm-model.h"
#include "plm-mutations-view.h"
#include "plm-scan.h"
#include "plm-scan-matrix.h"
#include "plm-tokenizer.h"
#include "plm-ui-views.h"

#define L_CRAFTED 60
/* the crafted scores: every substitution −3, except W at residue 10 (+2.5) and K at 20 (−8) */
#define POS_RES 10
#define NEG_RES 20

static PlmInferenceResult *
crafted_result (Synthetic *syn)
{
  PlmInferenceResult *r = plm_views_synthetic_result (2, 2, L_CRAFTED, TRUE, syn);
  int V = 33, T = 0;
  g_autofree int32_t *tokens = NULL;

  /* no W or K where the crafted cells are */
  r->sequence[POS_RES] = 'A';
  r->sequence[NEG_RES] = 'A';
  tokens = plm_tokenize (r->sequence, &T);
  g_assert_cmpint (T, ==, r->n_tokens);
  r->vocab_size = V;
  r->wt_log_probs = g_new (float, (gsize) L_CRAFTED * V);
  for (int i = 0; i < L_CRAFTED; i++)
    {
      float *row = r->wt_log_probs + (gsize) i * V;

      for (int v = 0; v < V; v++)
        row[v] = -4.0f;
      row[tokens[i + 1]] = -1.0f;
    }
  r->wt_log_probs[(gsize) POS_RES * V + plm_token_for_char ('W')] = 1.5f;
  r->wt_log_probs[(gsize) NEG_RES * V + plm_token_for_char ('K')] = -9.0f;
  return r;
}

static guint32
cell_pixel (GdkTexture *texture, PlmHeatmapView *heatmap, int row, int col, double dx)
{
  double x, y;

  g_assert_true (plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y));
  return plm_views_pixel (texture, (int) (x + dx), (int) y);
}

static PlmExportDialog *
open_mutations (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_mutations_view_create_figure (view, "synthetic"), "mutations");
}

static void
test_view (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = crafted_result (&syn);
  g_autoptr(PlmSelection) selection = plm_selection_new ();
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *view = plm_mutations_view_new (), *ha = plm_ha_view_new ();
  PlmMutationsView *mv = PLM_MUTATIONS_VIEW (view);
  PlmHeatmapView *heatmap = PLM_HEATMAP_VIEW (plm_mutations_view_get_heatmap (mv));
  const char *order = PLM_SCAN_ORDER_HYDROPHOBICITY;
  int w_row = plm_scan_order_row (order, 'W'), k_row = plm_scan_order_row (order, 'K');
  GtkWindow *window;
  int rows = 0, cols = 0, hr, hc;
  const float *data;

  gtk_stack_add_named (GTK_STACK (stack), view, "mutations");
  gtk_stack_add_named (GTK_STACK (stack), ha, "ha");
  window = plm_views_new_window (stack, 1200, 760);
  plm_ha_view_set_result (PLM_HA_VIEW (ha), r);
  plm_mutations_view_set_track_source (mv, PLM_HA_VIEW (ha));
  plm_mutations_view_set_selection (mv, selection);
  plm_ha_view_set_selection (PLM_HA_VIEW (ha), selection);
  plm_mutations_view_set_result (mv, r);
  plm_ui_test_spin (400);

  /* the matrix: rows in Kyte–Doolittle order, log p(mt) − log p(wt) */
  g_assert_cmpstr (plm_mutations_view_get_order_letters (mv), ==, "IVLFCMAGTSWYPHEQDNKR");
  data = plm_heatmap_view_get_data (heatmap, &rows, &cols);
  g_assert_cmpint (rows, ==, 20);
  g_assert_cmpint (cols, ==, L_CRAFTED);
  g_assert_cmpfloat (data[w_row * L_CRAFTED + POS_RES], ==, 2.5f);
  g_assert_cmpfloat (data[k_row * L_CRAFTED + NEG_RES], ==, -8.0f);
  g_assert_cmpfloat (data[k_row * L_CRAFTED + 0], ==, -3.0f);
  {
    PlmScale scale;

    plm_heatmap_view_get_scale (heatmap, &scale);
    g_assert_cmpfloat (scale.vmin, ==, -8.0f);
    g_assert_cmpfloat (scale.vmax, ==, 8.0f);
    g_assert_cmpint (plm_heatmap_view_get_color_map (heatmap), ==, PLM_COLOR_MAP_DIVERGING);
  }
  /* the summary: the mean of the 19 substitutions */
  g_assert_cmpfloat (fabs (plm_mutations_view_get_summary_values (mv)[0] + 3.0f), <, 1e-5);
  g_assert_cmpfloat (fabs (plm_mutations_view_get_summary_values (mv)[NEG_RES] - (-3.0f * 18 - 8.0f) / 19), <, 1e-5);

  /* pixels: negative blue, positive red, and the wild type's dark dot in every column */
  {
    g_autoptr(GdkTexture) texture = plm_ui_test_render (GTK_WIDGET (heatmap));
    guint32 neg = cell_pixel (texture, heatmap, k_row, NEG_RES, 0), pos = cell_pixel (texture, heatmap, w_row, POS_RES, 0);
    int nr = (neg >> 16) & 0xff, nb = neg & 0xff, pr = (pos >> 16) & 0xff, pb = pos & 0xff;

    g_test_message ("K%d: %06x, W%d: %06x", NEG_RES + 1, neg & 0xffffff, POS_RES + 1, pos & 0xffffff);
    g_assert_cmpint (nb, >, nr + 60);
    g_assert_cmpint (pr, >, pb + 60);
    for (int i = 0; i < L_CRAFTED; i++)
      {
        int row = plm_scan_order_row (order, r->sequence[i]);
        guint32 p = cell_pixel (texture, heatmap, row, i, 0);

        g_assert_cmpint (row, >=, 0);
        if (((p >> 16) & 0xff) > 90 || ((p >> 8) & 0xff) > 90 || (p & 0xff) > 90)
          g_error ("no wild-type mark at residue %d (row %d): %06x", i + 1, row, p & 0xffffff);
      }
  }

  /* the readout */
  {
    g_autofree char *neg = plm_views_hover_readout (heatmap, k_row, NEG_RES);
    g_autofree char *pos = plm_views_hover_readout (heatmap, w_row, POS_RES);

    g_assert_cmpstr (neg, ==, "A21K · score −8.0 · wt-marginal");
    g_assert_cmpstr (pos, ==, "A11W · score 2.5 · wt-marginal");
    /* hovering links the residue */
    g_assert_cmpint (plm_selection_get_residue (selection), ==, POS_RES);
    g_assert_cmpint (plm_ha_view_get_highlighted (PLM_HA_VIEW (ha)), ==, POS_RES);
  }
  /* … and the other views' residue is outlined here */
  plm_selection_set_residue (selection, 33);
  g_assert_cmpint (plm_mutations_view_get_highlighted (mv), ==, 33);
  plm_heatmap_view_get_highlight (heatmap, &hr, &hc);
  g_assert_cmpint (hr, ==, -1);
  g_assert_cmpint (hc, ==, 33);
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "mutations-view");

  /* the figure, in every format: every cell off the wild type is the colour of its score */
  {
    g_autofree float *ref = g_memdup2 (data, sizeof (float) * 20 * L_CRAFTED);
    PlmCellRef refs = { 0, ref, 20, L_CRAFTED, 0, 0 };
    PlmFigure *figure = plm_mutations_view_create_figure (mv, "synthetic");

    for (int i = 0; i < L_CRAFTED; i++)
      ref[plm_scan_order_row (order, r->sequence[i]) * L_CRAFTED + i] = NAN;
    g_assert_cmpstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), ==, "synthetic · variant effects (wt-marginal)");
    plm_figure_free (figure);
    plm_views_export_every_format (open_mutations, view, "mutations", &refs, 1);
  }

  /* other rows and the entropy track */
  plm_mutations_view_set_order (mv, PLM_MUTATIONS_ORDER_ALPHABETICAL);
  data = plm_heatmap_view_get_data (heatmap, &rows, &cols);
  g_assert_cmpfloat (data[plm_scan_order_row (PLM_SCAN_ORDER_ALPHABETICAL, 'W') * L_CRAFTED + POS_RES], ==, 2.5f);
  plm_mutations_view_set_order (mv, PLM_MUTATIONS_ORDER_ESM);
  g_assert_cmpstr (plm_mutations_view_get_order_letters (mv), ==, PLM_SCAN_AMINO_ACIDS);
  plm_mutations_view_set_summary (mv, PLM_MUTATIONS_SUMMARY_ENTROPY);
  {
    /* 19 amino acids at e⁻⁴ and the wild type at e⁻¹ */
    double z = 19 * exp (-4.0) + exp (-1.0), pw = exp (-1.0) / z, pm = exp (-4.0) / z;
    double h = -(pw * log (pw) + 19 * pm * log (pm));

    g_assert_cmpfloat (fabs (plm_mutations_view_get_summary_values (mv)[0] - h), <, 1e-5);
  }
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "mutations-view-entropy");
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

static gboolean flag;

static void
on_done (GObject *object, GAsyncResult *result, gpointer data)
{
  PlmInferenceResult **out = data;
  g_autoptr(GError) error = NULL;

  if (out != NULL)
    {
      *out = plm_inference_worker_run_finish (PLM_INFERENCE_WORKER (object), result, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_assert_true (plm_inference_worker_load_model_finish (PLM_INFERENCE_WORKER (object), result, &error));
      g_assert_no_error (error);
    }
  flag = TRUE;
}

static void
wait_flag (void)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (flag);
  flag = FALSE;
}

static void
on_scan_finished (PlmMutationsView *view, gpointer data)
{
  flag = TRUE;
}

static PlmInferenceResult *
run (PlmInferenceWorker *worker, const char *sequence)
{
  PlmInferenceResult *r = NULL;

  plm_inference_worker_run_async (worker, sequence, NULL, NULL, NULL, on_done, &r);
  wait_flag ();
  return r;
}

/* The button's scan in the worker equals plm_scan_log_probs on a model of the test's own. */
static void
test_masked_scan (void)
{
  const char *data_dir = g_getenv ("PLM_TEST_DATA");
  const char *seq = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ", *other = "GSHMLEDPVDAFQLAKELLKNA";
  g_autofree char *model_path = NULL;
  g_autoptr(PlmInferenceWorker) worker = NULL;
  g_autoptr(PlmInferenceResult) r = NULL, r2 = NULL;
  g_autoptr(PlmModel) model = NULL;
  g_autoptr(PlmEsmState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree int32_t *tokens = NULL;
  g_autofree float *want = NULL;
  GtkWidget *view;
  PlmMutationsView *mv;
  PlmHeatmapView *heatmap;
  GtkWindow *window;
  PlmScanOptions options = { 0 };
  int T = 0, V;

  view = plm_mutations_view_new ();
  mv = PLM_MUTATIONS_VIEW (view);
  heatmap = PLM_HEATMAP_VIEW (plm_mutations_view_get_heatmap (mv));

  if (data_dir == NULL)
    {
      g_test_skip ("PLM_TEST_DATA is not set (run through meson test)");
      return;
    }
  worker = plm_inference_worker_new ();
  window = plm_views_new_window (view, 1100, 700);
  model_path = g_build_filename (data_dir, "models", "tiny-f32", NULL);
  model = plm_model_load (model_path, &error);
  g_assert_no_error (error);
  /* as the worker loads it: fp32 products on packed panels, the same arithmetic as the view's */
  plm_model_set_precision (model, PLM_PRECISION_FP32, PLM_ISA_AVX512);
  V = model->config.vocab_size;
  plm_inference_worker_set_threads (worker, 1);
  plm_inference_worker_load_model_async (worker, model_path, NULL, on_done, NULL);
  wait_flag ();
  r = run (worker, seq);
  r2 = run (worker, other);

  plm_mutations_view_set_worker (mv, worker);
  g_signal_connect (view, "scan-finished", G_CALLBACK (on_scan_finished), NULL);

  /* cancelled at once: no scores, back to the wild-type marginal */
  plm_mutations_view_set_result (mv, r2);
  plm_mutations_view_scan (mv);
  g_assert_true (plm_mutations_view_get_scanning (mv));
  plm_mutations_view_cancel_scan (mv);
  wait_flag ();
  g_assert_false (plm_mutations_view_get_scanning (mv));
  g_assert_null (plm_mutations_view_get_masked_log_probs (mv));
  g_assert_cmpint (plm_mutations_view_get_mode (mv), ==, PLM_MUTATIONS_WT_MARGINAL);
  g_assert_cmpstr (plm_mutations_view_get_status (mv), ==, "Scan cancelled");

  /* the scan, as the drop-down asks for it */
  plm_mutations_view_set_result (mv, r);
  plm_mutations_view_set_mode (mv, PLM_MUTATIONS_MASKED_MARGINAL);
  g_assert_true (plm_mutations_view_get_scanning (mv));
  wait_flag ();
  g_assert_cmpint (plm_mutations_view_get_mode (mv), ==, PLM_MUTATIONS_MASKED_MARGINAL);
  g_assert_nonnull (plm_mutations_view_get_masked_log_probs (mv));
  plm_ui_test_spin (300);
  {
    g_autofree char *readout = plm_views_hover_readout (heatmap, 10, 15);

    g_assert_true (g_str_has_prefix (readout, "K16W · score "));
    g_assert_true (g_str_has_suffix (readout, " · masked-marginal"));
    plm_ui_test_motion (GTK_WIDGET (heatmap), 1, 1);
  }
  /* a frame with the readout before the screenshot */
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "mutations-masked");

  state = plm_esm_state_new (model);
  tokens = plm_tokenize (seq, &T);
  want = g_new (float, (gsize) (T - 2) * V);
  g_assert_true (plm_scan_log_probs (state, tokens, T, PLM_SCAN_MASKED_MARGINAL, NULL, &options, want, &error));
  g_assert_no_error (error);
  {
    const float *got = plm_mutations_view_get_masked_log_probs (mv);
    double worst = 0.0;

    for (gsize k = 0; k < (gsize) (T - 2) * V; k++)
      worst = MAX (worst, fabs (got[k] - want[k]));
    g_test_message ("masked-marginal: largest difference to plm_scan %.3g", worst);
    g_assert_cmpfloat (worst, <=, 1e-5);
  }
  /* cached per sequence and model: back to this result, the scores are there at once */
  plm_mutations_view_set_result (mv, r2);
  g_assert_null (plm_mutations_view_get_masked_log_probs (mv));
  plm_mutations_view_set_result (mv, r);
  g_assert_nonnull (plm_mutations_view_get_masked_log_probs (mv));
  g_assert_false (plm_mutations_view_get_scanning (mv));
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  plm_views_init (&argc, &argv);

  g_test_add_func ("/mutations/view", test_view);
  g_test_add_func ("/mutations/masked-scan", test_masked_scan);
  return g_test_run ();
}
