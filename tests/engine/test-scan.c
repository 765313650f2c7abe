/* test-scan.c: variant scores against the PyTorch reference (tests/reference/make_fixtures.py:
 * scan-masked.npy, scan-wt.npy, scan-pll.json from esm2_reference.scan_log_probs, i.e. fair-esm's
 * one-forward-per-position loop), batching, skipping, cancellation and the mutant syntax. */
#include <json-glib/json-glib.h>
#include <math.h>

#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-model.h"
#include "plm-scan.h"
#include "plm-scan-matrix.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

static const char *records[] = { "short", "medium" };
static const char *models[] = { "tiny-f32", "tiny-sharded" };

static char *
record_sequence (const char *id)
{
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = plm_fasta_read (fasta, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < recs->len; i++)
    {
      PlmFastaRecord *r = recs->pdata[i];
      if (g_strcmp0 (r->id, id) == 0)
        return g_strdup (r->sequence);
    }
  g_assert_not_reached ();
}

/* Largest |score − reference score| over every wt → mt of the 20 amino acids at every position. */
static double
max_score_error (const float *ours, const float *ref, const int32_t *tokens, int T, int V)
{
  double worst = 0.0;
  for (int i = 0; i < T - 2; i++)
    for (const char *a = PLM_SCAN_AMINO_ACIDS; *a; a++)
      {
        int mt = plm_token_for_char (*a), wt = tokens[i + 1];
        double s = (double) ours[i * V + mt] - ours[i * V + wt];
        double r = (double) ref[i * V + mt] - ref[i * V + wt];
        worst = MAX (worst, fabs (s - r));
      }
  return worst;
}

typedef struct {
  PlmModel    *model;
  PlmEsmState *state;
  int32_t     *tokens;
  int          T;
} Fixture;

static void
fixture_load (Fixture *f, const char *model, const char *record)
{
  g_autofree char *dir = plm_test_data_path ("models", model, NULL);
  g_autofree char *seq = record_sequence (record);
  g_autoptr(GError) error = NULL;
  f->model = plm_model_load (dir, &error);
  g_assert_no_error (error);
  f->state = plm_esm_state_new (f->model);
  f->tokens = plm_tokenize (seq, &f->T);
}

static void
fixture_clear (Fixture *f)
{
  plm_esm_state_free (f->state);
  plm_model_free (f->model);
  g_free (f->tokens);
}

static float *
run_scan (Fixture *f, PlmScanMode mode, int batch)
{
  g_autoptr(GError) error = NULL;
  PlmScanOptions o = { .batch = batch };
  float *lp = g_new0 (float, (gsize) (f->T - 2) * PLM_VOCAB_SIZE);
  g_assert_true (plm_scan_log_probs (f->state, f->tokens, f->T, mode, NULL, &o, lp, &error));
  g_assert_no_error (error);
  return lp;
}

static void
test_parity (void)
{
  double worst_masked = 0.0, worst_wt = 0.0, worst_pll = 0.0;

  for (guint mi = 0; mi < G_N_ELEMENTS (models); mi++)
    for (guint ri = 0; ri < G_N_ELEMENTS (records); ri++)
      {
        Fixture f;
        fixture_load (&f, models[mi], records[ri]);
        int L = f.T - 2, V = PLM_VOCAB_SIZE;
        g_autofree char *p_masked = plm_test_data_path ("ref", models[mi], records[ri], "scan-masked.npy", NULL);
        g_autofree char *p_wt = plm_test_data_path ("ref", models[mi], records[ri], "scan-wt.npy", NULL);
        g_autofree char *p_pll = plm_test_data_path ("ref", models[mi], records[ri], "scan-pll.json", NULL);
        PlmNpyArray ref_masked, ref_wt;
        plm_test_load_npy (p_masked, &ref_masked);
        plm_test_load_npy (p_wt, &ref_wt);
        g_assert_cmpint (ref_masked.shape[0], ==, L);
        g_assert_cmpint (ref_masked.shape[1], ==, V);

        g_autofree float *masked = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, 0);
        g_autofree float *wt = run_scan (&f, PLM_SCAN_WT_MARGINAL, 0);
        double em = max_score_error (masked, ref_masked.data, f.tokens, f.T, V);
        double ew = max_score_error (wt, ref_wt.data, f.tokens, f.T, V);
        g_test_message ("%s/%s: max |score error| masked-marginal %.3g, wt-marginal %.3g",
                        models[mi], records[ri], em, ew);
        g_assert_cmpfloat (em, <=, 1e-3);
        g_assert_cmpfloat (ew, <=, 1e-3);
        worst_masked = MAX (worst_masked, em);
        worst_wt = MAX (worst_wt, ew);

        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) error = NULL;
        g_assert_true (json_parser_load_from_file (parser, p_pll, &error));
        JsonObject *o = json_node_get_object (json_parser_get_root (parser));
        double ref_pll = json_object_get_double_member (o, "pseudo_log_likelihood");
        double pll = plm_scan_pseudo_log_likelihood (masked, V, f.tokens, f.T);
        worst_pll = MAX (worst_pll, fabs (pll - ref_pll));
        g_assert_cmpfloat (fabs (pll - ref_pll), <=, 1e-3 * L);
        g_assert_cmpfloat (fabs (exp (-pll / L) - json_object_get_double_member (o, "pseudo_perplexity"))
                           / json_object_get_double_member (o, "pseudo_perplexity"), <=, 1e-3);

        plm_npy_array_clear (&ref_masked);
        plm_npy_array_clear (&ref_wt);
        fixture_clear (&f);
      }
  g_test_message ("worst over all cases: masked-marginal %.3g, wt-marginal %.3g, PLL %.3g",
                  worst_masked, worst_wt, worst_pll);
}

/* Batches of 1, 3 (uneven last batch) and everything at once give the same log-probabilities. */
static void
test_batch_sizes (void)
{
  Fixture f;
  fixture_load (&f, "tiny-f32", "medium");
  gsize n = (gsize) (f.T - 2) * PLM_VOCAB_SIZE;
  g_autofree float *one = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, 1);
  g_autofree float *three = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, 3);
  g_autofree float *all = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, f.T);
  gboolean ok;
  plm_test_compare ("batch 3 vs 1", three, one, n, 1e-5, &ok);
  g_assert_true (ok);
  plm_test_compare ("batch L vs 1", all, one, n, 1e-5, &ok);
  g_assert_true (ok);
  /* a batch's result does not depend on the thread that ran it: 1 and 2 threads agree exactly */
  int threads = plm_engine_get_threads ();
  plm_engine_set_threads (1);
  g_autofree float *three_1 = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, 3);
  plm_engine_set_threads (2);
  g_autofree float *three_2 = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, 3);
  plm_engine_set_threads (threads);
  g_assert_cmpmem (three_1, n * sizeof (float), three_2, n * sizeof (float));
  fixture_clear (&f);
}

/* The batched path (logits at the masked row only, last layer on that row only) equals one plain
 * plm_esm_forward per position, also for a single residue (T = 3) and the 8M shape. */
static void
check_against_plain_loop (PlmEsmState *state, const int32_t *tokens, int T, int batch)
{
  int L = T - 2, V = PLM_VOCAB_SIZE;
  g_autoptr(GError) error = NULL;
  PlmScanOptions o = { .batch = batch };
  g_autofree float *lp = g_new (float, (gsize) L * V);
  g_autofree float *want = g_new (float, (gsize) L * V);
  g_autofree int32_t *masked = g_memdup2 (tokens, sizeof (int32_t) * T);
  PlmForwardOptions fo = { .want_logits = TRUE };
  gboolean ok;

  g_assert_true (plm_scan_log_probs (state, tokens, T, PLM_SCAN_MASKED_MARGINAL, NULL, &o, lp, &error));
  for (int i = 0; i < L; i++)
    {
      PlmForwardOutput out = { 0 };
      masked[i + 1] = PLM_TOKEN_MASK;
      g_assert_true (plm_esm_forward (state, masked, T, &fo, &out, &error));
      plm_log_softmax (want + (gsize) i * V, out.logits + (gsize) (i + 1) * V, V);
      masked[i + 1] = tokens[i + 1];
      plm_forward_output_clear (&out);
    }
  plm_test_compare ("batched scan vs plain forwards", lp, want, (gsize) L * V, 1e-5, &ok);
  g_assert_true (ok);
}

static void
test_plain_loop (void)
{
  Fixture f;
  fixture_load (&f, "tiny-f32", "medium");
  check_against_plain_loop (f.state, f.tokens, f.T, 0);
  check_against_plain_loop (f.state, f.tokens, f.T, 5);
  int T = 0;
  g_autofree int32_t *one = plm_tokenize ("W", &T);
  check_against_plain_loop (f.state, one, T, 0);
  fixture_clear (&f);

  const char *dir = g_getenv ("PLM_TEST_MODEL_8M");
  g_assert_nonnull (dir);   /* built by tests/models at build time: never skipped */
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) model = plm_model_load (dir, &error);
  g_assert_no_error (error);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  g_autofree int32_t *tokens = plm_tokenize ("MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQ", &T);
  check_against_plain_loop (state, tokens, T, 0);
}

typedef struct {
  GCancellable *cancellable;
  int           cancel_at;
  int           n_positions;
  GArray       *seen;
} Watch;

static void
on_position (int position, const float *lp, int V, gpointer data)
{
  Watch *w = data;
  (void) lp;
  g_assert_cmpint (V, ==, PLM_VOCAB_SIZE);
  g_array_append_val (w->seen, position);
}

static void
on_progress (int done, int total, gpointer data)
{
  Watch *w = data;
  (void) total;
  if (done >= w->cancel_at)
    g_cancellable_cancel (w->cancellable);
}

/* Cancelled after the first batch: the positions of that batch were delivered, no others. One
 * thread, so that no second batch is in flight when the first one is delivered. */
static void
test_cancel (void)
{
  int threads = plm_engine_get_threads ();
  plm_engine_set_threads (1);
  Fixture f;
  fixture_load (&f, "tiny-f32", "medium");
  g_autoptr(GError) error = NULL;
  Watch w = { g_cancellable_new (), 4, 0, g_array_new (FALSE, FALSE, sizeof (int)) };
  PlmScanOptions o = { .batch = 4, .cancellable = w.cancellable, .progress_func = on_progress,
                       .progress_data = &w, .position_func = on_position, .position_data = &w };
  g_autofree float *lp = g_new0 (float, (gsize) (f.T - 2) * PLM_VOCAB_SIZE);
  g_assert_false (plm_scan_log_probs (f.state, f.tokens, f.T, PLM_SCAN_MASKED_MARGINAL, NULL, &o, lp, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_CANCELLED);
  g_assert_cmpint (w.seen->len, ==, 4);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (w.seen, int, i), ==, i);
  g_array_unref (w.seen);
  g_object_unref (w.cancellable);
  fixture_clear (&f);
  plm_engine_set_threads (threads);
}

/* With two threads (batches shared out data-parallel) a cancel still stops the scan, every
 * delivered position was delivered once, and no position is delivered after the error. */
static void
test_cancel_threads (void)
{
  int threads = plm_engine_get_threads ();
  plm_engine_set_threads (2);
  Fixture f;
  fixture_load (&f, "tiny-f32", "medium");
  g_autoptr(GError) error = NULL;
  Watch w = { g_cancellable_new (), 6, 0, g_array_new (FALSE, FALSE, sizeof (int)) };
  PlmScanOptions o = { .batch = 3, .cancellable = w.cancellable, .progress_func = on_progress,
                       .progress_data = &w, .position_func = on_position, .position_data = &w };
  g_autofree float *lp = g_new0 (float, (gsize) (f.T - 2) * PLM_VOCAB_SIZE);
  g_autofree gboolean *seen = g_new0 (gboolean, f.T - 2);
  g_assert_false (plm_scan_log_probs (f.state, f.tokens, f.T, PLM_SCAN_MASKED_MARGINAL, NULL, &o, lp, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_CANCELLED);
  g_assert_cmpint (w.seen->len, >=, 6);
  g_assert_cmpint (w.seen->len, <, f.T - 2);
  for (guint i = 0; i < w.seen->len; i++)
    {
      int p = g_array_index (w.seen, int, i);
      g_assert_false (seen[p]);
      seen[p] = TRUE;
    }
  g_array_unref (w.seen);
  g_object_unref (w.cancellable);
  fixture_clear (&f);
  plm_engine_set_threads (threads);
}

/* Skipped positions are neither computed nor written; the others equal a full scan's. */
static void
test_skip (void)
{
  Fixture f;
  fixture_load (&f, "tiny-f32", "short");
  int L = f.T - 2, V = PLM_VOCAB_SIZE;
  g_autofree float *full = run_scan (&f, PLM_SCAN_MASKED_MARGINAL, 0);
  g_autofree gboolean *skip = g_new0 (gboolean, L);
  g_autofree float *part = g_new (float, (gsize) L * V);
  g_autoptr(GError) error = NULL;
  Watch w = { NULL, G_MAXINT, 0, g_array_new (FALSE, FALSE, sizeof (int)) };
  PlmScanOptions o = { .batch = 2, .position_func = on_position, .position_data = &w };

  for (int i = 0; i < L; i += 2)
    skip[i] = TRUE;
  for (gsize i = 0; i < (gsize) L * V; i++)
    part[i] = 123.0f;
  g_assert_true (plm_scan_log_probs (f.state, f.tokens, f.T, PLM_SCAN_MASKED_MARGINAL, skip, &o, part, &error));
  g_assert_cmpint (w.seen->len, ==, L / 2);
  for (int i = 0; i < L; i++)
    for (int v = 0; v < V; v++)
      if (skip[i])
        g_assert_cmpfloat (part[i * V + v], ==, 123.0f);
      else
        g_assert_cmpfloat (fabsf (part[i * V + v] - full[i * V + v]), <=, 1e-5f * MAX (1.0f, fabsf (full[i * V + v])));
  g_array_unref (w.seen);
  fixture_clear (&f);
}

static void
test_mutants (void)
{
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize ("MKTAYIAKQRQISFV", &T);
  g_autoptr(GArray) muts = g_array_new (FALSE, FALSE, sizeof (PlmMutation));
  const char *bad[][2] = {
    { "K2A", "wild type K at position 2, but the sequence has" },   /* see below */
    { "A2G", "wild type A at position 2, but the sequence has K there" },
    { "M0A", "position 0 is outside the sequence (1 to 15)" },
    { "M16A", "position 16 is outside the sequence (1 to 15)" },
    { "M1J", "mutant J at position 1 is not one of the 20 amino acids" },
    { "M1X", "mutant X at position 1 is not one of the 20 amino acids" },
    { "M1M", "M1M is no substitution" },
    { "M1", "'M1' is not a substitution like A23G" },
    { "1A", "'1A' is not a substitution like A23G" },
    { "M1A:", "'' is not a substitution like A23G" },
    { "M1A:K2G:M1C", "position 1 appears twice in 'M1A:K2G:M1C'" },
    { "M1A K2G", "'M1A K2G' is not a substitution like A23G" },
    { "Mx1A", "'Mx1A' is not a substitution like A23G" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (plm_scan_parse_mutant ("K2A", tokens, T, muts, &error));
  g_assert_true (plm_scan_parse_mutant ("m1a:V15L", tokens, T, muts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (muts->len, ==, 3);
  PlmMutation *m = (PlmMutation *) muts->data;
  g_assert_cmpint (m[0].position, ==, 1);
  g_assert_cmpint (m[0].wt, ==, plm_token_for_char ('K'));
  g_assert_cmpint (m[0].mt, ==, plm_token_for_char ('A'));
  g_assert_cmpint (m[1].position, ==, 0);
  g_assert_cmpint (m[2].position, ==, 14);
  g_assert_cmpint (m[2].mt, ==, plm_token_for_char ('L'));

  for (guint i = 1; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_false (plm_scan_parse_mutant (bad[i][0], tokens, T, muts, &error));
      g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
      if (!g_str_has_prefix (error->message, bad[i][1]))
        g_error ("%s: '%s' does not start with '%s'", bad[i][0], error->message, bad[i][1]);
      g_assert_cmpint (muts->len, ==, 3);   /* nothing of a failed mutant stays */
    }

  /* additive: a double mutant scores the sum of its singles */
  float lp[15 * PLM_VOCAB_SIZE];
  for (int i = 0; i < 15 * PLM_VOCAB_SIZE; i++)
    lp[i] = -0.01f * (float) (i % 97);
  double single0 = plm_scan_mutant_score (lp, PLM_VOCAB_SIZE, &m[1], 1);
  double single1 = plm_scan_mutant_score (lp, PLM_VOCAB_SIZE, &m[2], 1);
  g_assert_cmpfloat (fabs (plm_scan_mutant_score (lp, PLM_VOCAB_SIZE, &m[1], 2) - (single0 + single1)), <, 1e-12);
}

/* The Mutations view's 20 × L matrix is plm_scan_mutant_score of each single mutant; its column
 * means leave the wild type out; the entropy of a uniform distribution over the 20 is ln 20. */
static void
test_score_matrix (void)
{
  const char *seq = "MKTAYXAK";
  int T = 0, V = 33;
  g_autofree int32_t *tokens = plm_tokenize (seq, &T);
  int L = T - 2;
  g_autofree float *lp = g_new (float, (gsize) L * V);
  g_autofree float *scores = g_new (float, 20 * L);
  float means[8], h[8];

  for (int k = 0; k < L * V; k++)
    lp[k] = -1.0f - (float) ((k * 7919) % 97) / 13.0f;
  for (int a = 0; a < 20; a++)   /* residue 0: uniform over the 20 */
    lp[plm_token_for_char (PLM_SCAN_AMINO_ACIDS[a])] = -2.0f;
  plm_scan_score_matrix (lp, V, tokens, T, PLM_SCAN_ORDER_HYDROPHOBICITY, scores);
  plm_scan_column_means (scores, L, PLM_SCAN_ORDER_HYDROPHOBICITY, seq, means);
  plm_scan_entropies (lp, V, L, h);
  for (int i = 0; i < L; i++)
    {
      double sum = 0.0;
      int wt = plm_scan_order_row (PLM_SCAN_ORDER_HYDROPHOBICITY, seq[i]);

      for (int a = 0; a < 20; a++)
        {
          PlmMutation m = { i, tokens[i + 1], plm_token_for_char (PLM_SCAN_ORDER_HYDROPHOBICITY[a]) };
          float want = a == wt ? 0.0f : (float) plm_scan_mutant_score (lp, V, &m, 1);

          g_assert_cmpfloat (fabsf (scores[a * L + i] - want), <=, 1e-6f);
          if (a != wt)
            sum += want;
        }
      /* X (residue 6) is no standard amino acid: all 20 rows count */
      g_assert_cmpint (wt < 0, ==, i == 5);
      g_assert_cmpfloat (fabs (means[i] - sum / (wt >= 0 ? 19 : 20)), <=, 1e-5);
      g_assert_cmpfloat (h[i], >=, 0.0f);
      g_assert_cmpfloat (h[i], <=, (float) log (20.0) + 1e-5f);
    }
  g_assert_cmpfloat (fabs (h[0] - log (20.0)), <=, 1e-5);
  g_assert_cmpstr (PLM_SCAN_ORDER_ALPHABETICAL, ==, "ACDEFGHIKLMNPQRSTVWY");
  g_assert_cmpint (plm_scan_order_row (PLM_SCAN_ORDER_HYDROPHOBICITY, 'i'), ==, 0);
  g_assert_cmpint (plm_scan_order_row (PLM_SCAN_ORDER_HYDROPHOBICITY, 'R'), ==, 19);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scan/parity-pytorch-reference", test_parity);
  g_test_add_func ("/scan/batch-sizes", test_batch_sizes);
  g_test_add_func ("/scan/matches-plain-forwards", test_plain_loop);
  g_test_add_func ("/scan/cancel", test_cancel);
  g_test_add_func ("/scan/cancel-two-threads", test_cancel_threads);
  g_test_add_func ("/scan/skip", test_skip);
  g_test_add_func ("/scan/mutants", test_mutants);
  g_test_add_func ("/scan/score-matrix", test_score_matrix);
  return g_test_run ();
}
