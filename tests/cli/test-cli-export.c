/* test-cli-export.c: `plmlens-cli export` end to end on the committed tiny model: every view in
 * every format, sizes, well-formed SVG, the attention figure's cell colours against the PyTorch
 * reference attention (PNG and PDF rendered by pdftoppm), and bad input exiting 2. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "plm-figure-build.h"
#include "plm-figure-check.h"
#include "plm-esm.h"
#include "plm-hasites.h"
#include "plm-model.h"
#include "plm-structure.h"
#include "plm-tokenizer.h"
#include "plm-nm-head.h"
#include "plm-nm-train.h"
#include "plm-scan.h"
#include "plm-scan-matrix.h"
#include "plm-test-util.h"

static char *tmpdir, *model, *fasta, *head_file;

static void
test_every_view_and_format (void)
{
  static const char *views[] = { "attention", "grid", "hasites", "contacts", "pair", "mutations" };
  static const char *formats[] = { "png", "svg", "pdf" };
  g_autofree char *fasta_medium = g_strdup_printf ("%s:medium", fasta);
  g_autofree char *fasta_masked = g_strdup_printf ("%s:masked", fasta);
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
      {
        g_autofree char *out = g_strdup_printf ("%s/%s.%s", tmpdir, views[v], formats[k]);
        const char *args[40] = { "export", "--model", model, "--fasta", fasta, "--record", "short",
                                 "--view", views[v], "--out", out, "--threads", "1", "--dpi", "100" };
        int n = 15;
        if (strcmp (views[v], "pair") == 0)
          {
            args[n++] = "--head-file"; args[n++] = head_file;
            args[n++] = "--pair-with"; args[n++] = fasta_medium;
            args[n++] = "--negative"; args[n++] = fasta_masked;
          }
        if (k == 0)
          {
            args[n++] = "--width-px"; args[n++] = "640";
            args[n++] = "--height-px"; args[n++] = "480";
          }
        g_autofree char *err = NULL;
        int status = plm_test_run_cli (args, NULL, &err);
        if (status != 0)
          g_error ("export %s %s: exit %d: %s", views[v], formats[k], status, err);
        g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
        if (k == 0)
          {
            cairo_surface_t *img = cairo_image_surface_create_from_png (out);
            g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
            g_assert_cmpint (cairo_image_surface_get_width (img), ==, 640);
            g_assert_cmpint (cairo_image_surface_get_height (img), ==, 480);
            cairo_surface_destroy (img);
          }
        else if (k == 1 && plm_check_have_tool ("xmllint"))
          {
            g_autofree char *cmd = g_strdup_printf ("xmllint --noout '%s'", out);
            int st;
            g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &st, NULL));
            g_assert_true (g_spawn_check_wait_status (st, NULL));
          }
        else if (k == 2)
          {
            g_autofree char *bytes = NULL;
            g_assert_true (g_file_get_contents (out, &bytes, NULL, NULL));
            g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
          }
      }
  if (!plm_check_have_tool ("xmllint"))
    g_test_message ("xmllint not installed (libxml2-utils): SVG not parsed");
}

static char *
export_to (const char *file, const char *const *extra)
{
  char *out = g_build_filename (tmpdir, file, NULL);
  const char *args[32] = { "export", "--model", model, "--fasta", fasta, "--record", "short", "--out", out,
                           "--threads", "1" };
  int n = 11;
  for (int i = 0; extra[i]; i++)
    args[n++] = extra[i];
  g_autofree char *err = NULL;
  int status = plm_test_run_cli (args, NULL, &err);
  if (status != 0)
    g_error ("export %s: exit %d: %s", file, status, err);
  return out;
}

/* PNG as written, and the PDF rendered by pdftoppm at @dpi. */
static void
check_png_and_pdf (PlmFigure *f, const char *png, const char *pdf, double dpi, const float *values,
                   int rows, int cols, int trim, int max_sep)
{
  PlmCellRef ref = { 0, values, rows, cols, trim, max_sep };
  plm_check_figure_cells (f, png, dpi, 0, &ref, 1);
  if (!plm_check_have_tool ("pdftoppm"))
    {
      g_test_message ("pdftoppm not installed (poppler-utils): PDF not rendered");
      return;
    }
  g_autofree char *prefix = g_strconcat (pdf, "-r", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftoppm -r %g -png -singlefile '%s' '%s'", dpi, pdf, prefix);
  int st;
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &st, NULL));
  g_assert_true (g_spawn_check_wait_status (st, NULL));
  g_autofree char *rendered = g_strconcat (prefix, ".png", NULL);
  plm_check_figure_cells (f, rendered, dpi, 2, &ref, 1);
}

static const char short_seq[] = "MKTAYIAKQRQISFV";

/* Attention of layer 1, one head and the head mean, against tiny-f32/short/attentions.npy. */
static void
test_attention_pixels (void)
{
  g_autofree char *ref = plm_test_data_path ("ref", "tiny-f32", "short", "attentions.npy", NULL);
  PlmNpyArray a;
  plm_test_load_npy (ref, &a);
  int H = (int) a.shape[1], T = (int) a.shape[2];
  for (int head = -1; head < H; head += 3)
    {
      g_autofree float *m = g_new0 (float, T * T);
      for (int h = 0; h < H; h++)
        if (head < 0 || h == head)
          for (int k = 0; k < T * T; k++)
            m[k] += ((const float *) a.data)[((gsize) 1 * H + h) * T * T + k] / (head < 0 ? H : 1);
      g_autofree char *hs = g_strdup_printf ("%d", head);
      g_autofree char *png_name = g_strdup_printf ("att%d.png", head);
      g_autofree char *pdf_name = g_strdup_printf ("att%d.pdf", head);
      const char *extra_png[] = { "--view", "attention", "--layer", "1", head < 0 ? "--mean" : "--head",
                                  head < 0 ? NULL : hs, NULL, NULL };
      const char *extra[12];
      int n = 0;
      for (int i = 0; extra_png[i]; i++)
        extra[n++] = extra_png[i];
      extra[n++] = "--dpi";
      extra[n++] = "150";
      extra[n] = NULL;
      g_autofree char *png = export_to (png_name, extra);
      g_autofree char *pdf = export_to (pdf_name, extra);
      g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_ATTENTION);
      plm_figure_get_style (f)->dpi = 150;
      plm_figure_build_attention (f, "short", 1, head, H, m, T, short_seq);
      check_png_and_pdf (f, png, pdf, 150, m, T, T, 1, 0);
      /* figure text numbers layers and heads from 1, as the views do; --layer/--head are 0-based */
      g_autofree char *svg_name = g_strdup_printf ("att%d.svg", head);
      g_autofree char *svg = export_to (svg_name, extra_png);
      g_autofree char *text = NULL;
      g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
      g_autofree char *want = head < 0 ? g_strdup_printf (">short · layer 2 · mean of %d heads</text>", H)
                                       : g_strdup_printf (">short · layer 2 · head %d</text>", head + 1);
      if (strstr (text, want) == NULL)
        g_error ("%s: no title '%s'", svg, want);
    }
  plm_npy_array_clear (&a);
}

/* Predicted contacts against tiny-f32/short/contacts.npy, near the diagonal (|i − j| < 6). */
static void
test_contacts_pixels (void)
{
  g_autofree char *ref = plm_test_data_path ("ref", "tiny-f32", "short", "contacts.npy", NULL);
  PlmNpyArray c;
  plm_test_load_npy (ref, &c);
  int L = (int) c.shape[0];
  const char *extra[] = { "--view", "contacts", "--dpi", "150", NULL };
  g_autofree char *png = export_to ("contacts-ref.png", extra);
  g_autofree char *pdf = export_to ("contacts-ref.pdf", extra);
  g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_CONTACTS);
  plm_figure_get_style (f)->dpi = 150;
  plm_figure_add_heatmap (f, "short · predicted contacts", c.data, L, L, short_seq, short_seq, FALSE);
  check_png_and_pdf (f, png, pdf, 150, c.data, L, L, 0, 6);

  /* true contacts from a distance matrix; a wrong shape is bad input */
  g_autofree float *d = g_new (float, L * L);
  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      d[i * L + j] = 3.8f * abs (i - j) / (1 + (i + j) % 3);
  g_autofree char *dist = g_build_filename (tmpdir, "dist.npy", NULL);
  int64_t shape[2] = { L, L }, bad_shape[2] = { L - 1, L + 1 };
  g_assert_true (plm_npy_write (dist, PLM_NPY_F32, d, 2, shape, NULL));
  const char *with_truth[] = { "--view", "contacts", "--true-contacts", dist, NULL };
  g_free (export_to ("contacts-truth.svg", with_truth));
  g_assert_true (plm_npy_write (dist, PLM_NPY_F32, d, 2, bad_shape, NULL));
  g_autofree char *bad = g_build_filename (tmpdir, "contacts-bad.png", NULL);
  const char *args[] = { "export", "--model", model, "--fasta", fasta, "--record", "short", "--view", "contacts",
                         "--true-contacts", dist, "--out", bad, NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "dist.npy"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  plm_npy_array_clear (&c);
}

typedef struct { int i, j; float v; } Pair;

static int
compare_pairs (const void *a, const void *b)
{
  const Pair *x = a, *y = b;
  return x->v != y->v ? (x->v < y->v ? 1 : -1) : x->i != y->i ? x->i - y->i : x->j - y->j;
}

/* True contacts from a PDB file: the printed precision at L/5 equals the one computed here from
 * the engine's contact map and the structure's Cβ distances. */
static void
test_contacts_structure (void)
{
  static const char seq[] = "MVDLKIDVSDDEEAEKIIREIREQW";   /* 2N2U residues 1–25 */
  int L = (int) strlen (seq);
  g_autofree char *fa = g_strdup_printf (">2n2u first 25 residues\n%s\n", seq);
  g_autofree char *fasta_2n2u = plm_test_write_file (tmpdir, "2n2u.fasta", fa, strlen (fa));
  g_autofree char *pdb = plm_test_data_path ("hasites", "2N2U_first25.pdb", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "2n2u-contacts.pdf", NULL);
  g_autoptr(GError) error = NULL;

  /* the reference: engine contacts, structure Cβ, top L/5 pairs with |i − j| ≥ 6 */
  g_autoptr(PlmModel) m = plm_model_load (model, &error);
  g_assert_no_error (error);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (m);
  int T;
  g_autofree int32_t *tokens = plm_tokenize (seq, &T);
  PlmForwardOptions opt = { .want_contacts = TRUE };
  PlmForwardOutput fo = { 0 };
  g_assert_true (plm_esm_forward (state, tokens, T, &opt, &fo, &error));
  g_autoptr(PlmStructure) st = plm_structure_read (pdb, &error);
  g_assert_no_error (error);
  g_autofree Pair *pairs = g_new (Pair, L * L);
  int n = 0;
  for (int i = 0; i < L; i++)
    for (int j = i + 6; j < L; j++)
      pairs[n++] = (Pair) { i, j, fo.contacts[i * L + j] };
  qsort (pairs, n, sizeof (Pair), compare_pairs);
  int hits = 0;
  for (int k = 0; k < L / 5; k++)
    {
      const PlmResidue *a = plm_structure_find (st, "A", pairs[k].i + 1), *b = plm_structure_find (st, "A", pairs[k].j + 1);
      g_assert_nonnull (a);
      g_assert_nonnull (b);
      hits += plm_structure_distance (a->cb, b->cb) < 8.0;
    }
  plm_forward_output_clear (&fo);
  g_autofree char *want = g_strdup_printf ("precision at L/5 of 2n2u: %.3f\n", (double) hits / (L / 5));

  const char *args[] = { "export", "--model", model, "--fasta", fasta_2n2u, "--view", "contacts",
                         "--structure", pdb, "--chain", "A", "--out", out, NULL };
  g_autofree char *stdout_text = NULL, *err = NULL;
  g_assert_cmpint (plm_test_run_cli (args, &stdout_text, &err), ==, 0);
  g_assert_nonnull (strstr (stdout_text, want));

  /* a chain that is not there, a missing file, both sources at once: bad input */
  const char *no_chain[] = { "export", "--model", model, "--fasta", fasta_2n2u, "--view", "contacts",
                             "--structure", pdb, "--chain", "Z", "--out", out, NULL };
  g_autofree char *e1 = NULL;
  g_assert_cmpint (plm_test_run_cli (no_chain, NULL, &e1), ==, 2);
  g_assert_nonnull (strstr (e1, "no chain 'Z'"));
  const char *both[] = { "export", "--model", model, "--fasta", fasta_2n2u, "--view", "contacts",
                         "--structure", pdb, "--true-contacts", pdb, "--out", out, NULL };
  g_assert_cmpint (plm_test_run_cli (both, NULL, NULL), ==, 2);

  /* the record with 3 residues the structure lacks in front: aligned, residue i is structure
   * residue i − 2; pairs with one of the 3 are unknown, so the top 28/5 = 5 are taken among
   * the others (reference below, by that known offset) */
  {
    static const char seq3[] = "GSHMVDLKIDVSDDEEAEKIIREIREQW";
    int L3 = (int) strlen (seq3), T3, n3 = 0, hits3 = 0;
    g_autofree char *fa3 = g_strdup_printf (">tagged\n%s\n", seq3);
    g_autofree char *fasta3 = plm_test_write_file (tmpdir, "tagged.fasta", fa3, strlen (fa3));
    g_autofree int32_t *tokens3 = plm_tokenize (seq3, &T3);
    PlmForwardOutput fo3 = { 0 };
    g_assert_true (plm_esm_forward (state, tokens3, T3, &opt, &fo3, &error));
    g_autofree Pair *pairs3 = g_new (Pair, L3 * L3);
    for (int i = 3; i < L3; i++)
      for (int j = i + 6; j < L3; j++)
        pairs3[n3++] = (Pair) { i, j, fo3.contacts[i * L3 + j] };
    qsort (pairs3, n3, sizeof (Pair), compare_pairs);
    for (int k = 0; k < L3 / 5; k++)
      {
        const PlmResidue *a = plm_structure_find (st, "A", pairs3[k].i - 2), *b = plm_structure_find (st, "A", pairs3[k].j - 2);
        hits3 += plm_structure_distance (a->cb, b->cb) < 8.0;
      }
    plm_forward_output_clear (&fo3);
    g_autofree char *want3 = g_strdup_printf ("precision at L/5 of tagged: %.3f\n", (double) hits3 / (L3 / 5));
    const char *aligned[] = { "export", "--model", model, "--fasta", fasta3, "--view", "contacts",
                              "--structure", pdb, "--out", out, NULL };
    g_autofree char *o1 = NULL, *e3 = NULL;
    g_assert_cmpint (plm_test_run_cli (aligned, &o1, &e3), ==, 0);
    g_assert_nonnull (strstr (o1, want3));
    g_assert_nonnull (strstr (e3, "chain A (aligned): identity 100.0%, coverage 89.3% (25 of 28 residues observed)"));
    /* --structure-start overrides the alignment: −2 is right, the same precision; 1 is not */
    const char *right[] = { "export", "--model", model, "--fasta", fasta3, "--view", "contacts",
                            "--structure", pdb, "--structure-start", "-2", "--out", out, NULL };
    g_autofree char *o2 = NULL;
    g_assert_cmpint (plm_test_run_cli (right, &o2, NULL), ==, 0);
    g_assert_nonnull (strstr (o2, want3));
    const char *wrong[] = { "export", "--model", model, "--fasta", fasta3, "--view", "contacts",
                            "--structure", pdb, "--structure-start", "1", "--out", out, NULL };
    g_autofree char *e4 = NULL;
    g_assert_cmpint (plm_test_run_cli (wrong, NULL, &e4), ==, 2);
    g_assert_nonnull (strstr (e4, "below the 90% required"));
  }
}

/* HA-site heatmap: the engine's profiles from the reference attentions (plm-hasites), drawn by
 * the CLI from its own forward pass. */
static void
test_hasites_pixels (void)
{
  g_autofree char *ref = plm_test_data_path ("ref", "tiny-f32", "short", "attentions.npy", NULL);
  PlmNpyArray a;
  plm_test_load_npy (ref, &a);
  int NL = (int) a.shape[0], H = (int) a.shape[1], T = (int) a.shape[2], L = T - 2;
  g_autofree float *heat = g_new (float, NL * L);
  for (int l = 0; l < NL; l++)
    plm_hasites_layer_profile ((const float *) a.data + (gsize) l * H * T * T, H, T, heat + l * L);
  PlmHaResult r = { 0 };
  plm_ha_result_from_heatmap (heat, NL, L, &r);
  g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_HASITES);
  plm_figure_get_style (f)->dpi = 150;
  plm_figure_build_hasites (f, "short", &r, -1, short_seq, NULL, 0);
  g_autofree char *want_title = g_strdup_printf ("short · HA sites (layer of convergence %d)", r.loc + 1);
  g_assert_cmpstr (plm_figure_get_text (f, PLM_FIGURE_TEXT_TITLE), ==, want_title);
  const char *extra[] = { "--view", "hasites", "--dpi", "150", NULL };
  g_autofree char *png = export_to ("ha-ref.png", extra);
  g_autofree char *pdf = export_to ("ha-ref.pdf", extra);
  check_png_and_pdf (f, png, pdf, 150, r.heatmap, NL, L, 0, 0);
  plm_ha_result_clear (&r);

  /* an active-site table adds a named track; sites are 1-based in the file */
  static const char tsv[] = "uniprot_acc\tactive_site_positions\nshort\t3,7\n";
  g_autofree char *sites = plm_test_write_file (tmpdir, "active.tsv", tsv, strlen (tsv));
  const char *with_sites[] = { "--view", "hasites", "--active-sites", sites, NULL };
  g_autofree char *svg = export_to ("ha-sites.svg", with_sites);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ">Active site</text>"));
  g_assert_nonnull (strstr (text, ">HA sites</text>"));
  g_autofree char *want_text = g_strdup_printf (">%s</text>", want_title);
  g_assert_nonnull (strstr (text, want_text));
  plm_npy_array_clear (&a);
}

static gboolean
ha_layer (int layer, const float *probs, int n_heads, int n_tokens, gpointer data)
{
  return plm_ha_accumulator_add_layer (data, layer, probs, n_heads, n_tokens);
}

/* Mutations: the scores of the engine's own scan (plm_scan) in both modes, drawn by the CLI; the
 * wild type's dotted cells are left out of the colour check. */
static void
test_mutations_pixels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) m = plm_model_load (model, &error);
  g_assert_no_error (error);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (m);
  int T = 0, V = m->config.vocab_size;
  g_autofree int32_t *tokens = plm_tokenize (short_seq, &T);
  int L = T - 2;
  g_autofree float *log_probs = g_new (float, (gsize) L * V);
  g_autofree float *scores = g_new (float, 20 * L);
  PlmScanOptions o = { 0 };
  const char *modes[] = { "masked-marginal", "wt-marginal" };

  for (int k = 0; k < 2; k++)
    {
      g_assert_true (plm_scan_log_probs (state, tokens, T, k == 0 ? PLM_SCAN_MASKED_MARGINAL : PLM_SCAN_WT_MARGINAL,
                                         NULL, &o, log_probs, &error));
      g_assert_no_error (error);
      plm_scan_score_matrix (log_probs, V, tokens, T, PLM_SCAN_ORDER_HYDROPHOBICITY, scores);
      g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_MUTATIONS);
      plm_figure_get_style (f)->dpi = 150;
      plm_figure_build_mutations (f, "short", scores, L, PLM_SCAN_ORDER_HYDROPHOBICITY, short_seq, modes[k]);
      {
        /* and, as the app's view, the HA sites under the map: the engine's method on a forward */
        float mean[32];
        g_autoptr(PlmHaAccumulator) ha = plm_ha_accumulator_new (m->config.n_layers, L);
        PlmForwardOptions fopt = { .attention_func = ha_layer, .attention_data = ha };
        PlmForwardOutput fo = { 0 };
        PlmHaResult hr = { 0 };
        g_assert_true (plm_esm_forward (state, tokens, T, &fopt, &fo, &error));
        plm_forward_output_clear (&fo);
        g_assert_true (plm_ha_accumulator_finish (ha, &hr, &error));
        g_assert_cmpint (hr.n_sites, >, 0);
        plm_scan_column_means (scores, L, PLM_SCAN_ORDER_HYDROPHOBICITY, short_seq, mean);
        plm_figure_set_residue_tracks (f, mean, L, "Mean score", hr.sites, hr.n_sites, NULL, 0);
        plm_ha_result_clear (&hr);
      }
      g_autofree char *want_title = g_strdup_printf ("short · variant effects (%s)", modes[k]);
      g_assert_cmpstr (plm_figure_get_text (f, PLM_FIGURE_TEXT_TITLE), ==, want_title);
      const char *extra[] = { "--view", "mutations", "--mode", modes[k], "--dpi", "150", NULL };
      g_autofree char *png_name = g_strdup_printf ("mutations-%s.png", modes[k]);
      g_autofree char *pdf_name = g_strdup_printf ("mutations-%s.pdf", modes[k]);
      g_autofree char *svg_name = g_strdup_printf ("mutations-%s.svg", modes[k]);
      g_autofree char *png = export_to (png_name, extra);
      g_autofree char *pdf = export_to (pdf_name, extra);
      g_autofree char *svg = export_to (svg_name, extra);
      for (int i = 0; i < L; i++)
        scores[plm_scan_order_row (PLM_SCAN_ORDER_HYDROPHOBICITY, short_seq[i]) * L + i] = NAN;
      check_png_and_pdf (f, png, pdf, 150, scores, 20, L, 0, 0);
      g_autofree char *text = NULL;
      g_autofree char *want_text = g_strdup_printf (">%s</text>", want_title);
      g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, want_text));
      g_assert_nonnull (strstr (text, ">Score (log-odds)</text>"));
      g_assert_nonnull (strstr (text, ">Mean score</text>"));
      g_assert_nonnull (strstr (text, ">HA sites</text>"));
    }
}

static void
test_bad_input (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "bad.png", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.fasta", NULL);
  g_autofree char *nodir = g_build_filename (tmpdir, "no-dir", "x.png", NULL);
#define BASE "export", "--model", model, "--fasta", fasta
  const char *cases[][24] = {
    { BASE, "--view", "heatmap", "--out", out, NULL },
    { BASE, "--view", "grid", "--out", "x.jpg", NULL },
    { BASE, "--view", "grid", "--format", "tiff", "--out", out, NULL },
    { BASE, "--record", "nope", "--view", "grid", "--out", out, NULL },
    { BASE, "--view", "attention", "--layer", "2", "--out", out, NULL },
    { BASE, "--view", "attention", "--head", "4", "--out", out, NULL },
    { BASE, "--view", "attention", "--head", "1", "--mean", "--out", out, NULL },
    { BASE, "--view", "grid", "--heads", "0,x", "--out", out, NULL },
    { BASE, "--view", "grid", "--width-mm", "80", "--width-px", "300", "--out", out, NULL },
    { BASE, "--view", "grid", "--dpi", "0", "--out", out, NULL },
    { BASE, "--view", "grid", "--colormap", "jet", "--out", out, NULL },
    { BASE, "--view", "grid", "--scale", "sqrt", "--out", out, NULL },
    { BASE, "--view", "pair", "--out", out, NULL },
    { BASE, "--view", "pair", "--head-file", missing, "--pair-with", fasta, "--negative", fasta, "--out", out, NULL },
    { "export", "--model", model, "--fasta", missing, "--view", "grid", "--out", out, NULL },
    { BASE, "--view", "contacts", "--true-contacts", missing, "--out", out, NULL },
    { BASE, "--view", "hasites", "--active-sites", missing, "--out", out, NULL },
    { BASE, "--view", "mutations", "--mode", "masked", "--out", out, NULL },
    { BASE, "--view", "mutations", "--order", "size", "--out", out, NULL },
    { BASE, "--view", "grid", "--mode", "wt-marginal", "--out", out, NULL },
    { BASE, "--view", "mutations", "--summary", "max", "--out", out, NULL },
  };
#undef BASE
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      int status = plm_test_run_cli (cases[i], NULL, &err);
      if (status != 2)
        g_error ("case %u: exit %d (want 2): %s", i, status, err);
      g_assert_true (g_str_has_prefix (err, "plmlens-cli"));
      /* one line */
      g_assert_nonnull (strchr (err, '\n'));
      g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
    }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* a font that is not installed is a warning, not an error */
  g_autofree char *font_out = g_build_filename (tmpdir, "font.pdf", NULL);
  const char *font_args[] = { "export", "--model", model, "--fasta", fasta, "--view", "grid", "--font",
                              "No Such Font 42", "--out", font_out, NULL };
  g_autofree char *font_err = NULL;
  g_assert_cmpint (plm_test_run_cli (font_args, NULL, &font_err), ==, 0);
  g_assert_nonnull (strstr (font_err, "No Such Font 42"));
  const char *font_ok[] = { "export", "--model", model, "--fasta", fasta, "--view", "grid", "--font",
                            "DejaVu Sans", "--out", font_out, NULL };
  g_autofree char *ok_err = NULL;
  g_assert_cmpint (plm_test_run_cli (font_ok, NULL, &ok_err), ==, 0);
  if (plm_figure_font_family_available ("DejaVu Sans"))
    g_assert_cmpstr (ok_err, ==, "");

  /* an unwritable destination is a failure (1), reported on one line */
  const char *args[] = { "export", "--model", model, "--fasta", fasta, "--view", "grid", "--out", nodir, NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no-dir"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("plm-cli-export-XXXXXX", NULL);
  model = plm_test_data_path ("models", "tiny-f32", NULL);
  fasta = plm_test_data_path ("ref-seqs.fasta", NULL);

  /* an untrained (seeded) attention head of the tiny model's width for the pair view */
  PlmNmHeadConfig cfg = { .kind = PLM_NM_HEAD_ATTENTION, .d_model = 32, .d_hidden = 16, .n_classes = 2,
                          .n_heads = 1, .pair = TRUE };
  g_autoptr(PlmNmHead) head = plm_nm_head_new (&cfg);
  g_autoptr(GError) error = NULL;
  plm_nm_head_init (head, 7);
  head_file = g_build_filename (tmpdir, "head.safetensors", NULL);
  g_assert_true (plm_nm_head_save (head, head_file, NULL, &error));
  g_assert_no_error (error);
  if (!plm_check_have_tool ("pdftoppm") || !plm_check_have_tool ("xmllint"))
    g_printerr ("# note: pdftoppm/xmllint missing (poppler-utils, libxml2-utils): those checks are skipped\n");

  g_test_add_func ("/cli-export/every-view-and-format", test_every_view_and_format);
  g_test_add_func ("/cli-export/attention-pixels", test_attention_pixels);
  g_test_add_func ("/cli-export/contacts-pixels", test_contacts_pixels);
  g_test_add_func ("/cli-export/hasites-pixels", test_hasites_pixels);
  g_test_add_func ("/cli-export/mutations-pixels", test_mutations_pixels);
  g_test_add_func ("/cli-export/contacts-structure", test_contacts_structure);
  g_test_add_func ("/cli-export/bad-input", test_bad_input);
  int ret = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (g_getenv ("PLM_FIGURE_KEEP") == NULL)
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  plm_figure_release_fonts ();
  return ret;
}
