/* test-cli-window.c: `plmlens-cli infer --window` against the numpy implementation of the same
 * rule on the PyTorch reference (tests/reference/windowed_reference.py; tiny model, W = 16,
 * O = 6): several windows, an end-aligned start equal to a stride start, a record shorter than
 * a window. And the options' errors. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-test-util.h"

static void
compare (const char *ours_path, const char *ref_path, const char *what)
{
  PlmNpyArray a, b;
  plm_test_load_npy (ours_path, &a);
  plm_test_load_npy (ref_path, &b);
  g_assert_cmpint (a.type, ==, b.type);
  g_assert_cmpint (a.n_dims, ==, b.n_dims);
  for (int i = 0; i < a.n_dims; i++)
    g_assert_cmpint (a.shape[i], ==, b.shape[i]);
  if (a.type == PLM_NPY_F32)
    {
      float *x = a.data, *y = b.data;
      for (guint64 i = 0; i < a.n_elements; i++)
        {
          if (isnan (x[i]) != isnan (y[i]))
            g_error ("%s: NaN at %" G_GUINT64_FORMAT " in one only", what, i);
          if (isnan (x[i]))
            x[i] = y[i] = 0.0f;
        }
      gboolean ok;
      plm_test_compare (what, x, y, a.n_elements, 1e-4, &ok);
      g_assert_true (ok);
    }
  else
    g_assert_cmpmem (a.data, a.n_elements * (a.type == PLM_NPY_U8 ? 1 : 4), b.data,
                     b.n_elements * (b.type == PLM_NPY_U8 ? 1 : 4));
  plm_npy_array_clear (&a);
  plm_npy_array_clear (&b);
}

static void
test_window_matches_reference (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("windowed.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-window-XXXXXX", NULL);
  const char *args[] = { "infer", "--quiet", "--attentions", "--window", "--window-size", "16",
                         "--window-overlap", "6", "--threads", "2", "--model", model, "--fasta", fasta,
                         "--out", out, NULL };
  static const struct { const char *id; int n_windows; } records[] = { { "long40", 4 }, { "exact36", 3 },
                                                                       { "short12", 1 } };
  static const char *files[][2] = {
    { "tokens.npy", "tokens.npy" }, { "logits.npy", "logits.npy" }, { "embeddings.npy", "last_hidden.npy" },
    { "contacts.npy", "contacts.npy" }, { "pairs_mask.npy", "pairs_mask.npy" },
  };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    {
      for (guint f = 0; f < G_N_ELEMENTS (files); f++)
        {
          g_autofree char *ours = g_build_filename (out, records[r].id, files[f][0], NULL);
          g_autofree char *ref = plm_test_data_path ("ref", "windowed", records[r].id, files[f][1], NULL);
          g_autofree char *what = g_strdup_printf ("%s/%s", records[r].id, files[f][0]);
          compare (ours, ref, what);
        }
      for (int k = 0; k < records[r].n_windows + 1; k++)
        {
          g_autofree char *name = g_strdup_printf ("attentions_w%d.npy", k);
          g_autofree char *ours = g_build_filename (out, records[r].id, name, NULL);
          g_autofree char *ref = plm_test_data_path ("ref", "windowed", records[r].id, name, NULL);
          if (k == records[r].n_windows)
            {
              g_assert_false (g_file_test (ours, G_FILE_TEST_EXISTS));
              continue;
            }
          g_autofree char *what = g_strdup_printf ("%s/%s", records[r].id, name);
          compare (ours, ref, what);
        }
      g_autofree char *tsv = g_build_filename (out, records[r].id, "windows.tsv", NULL);
      g_autofree char *tsv_ref = plm_test_data_path ("ref", "windowed", records[r].id, "windows.tsv", NULL);
      g_autofree char *a = NULL, *b = NULL;
      g_assert_true (g_file_get_contents (tsv, &a, NULL, NULL));
      g_assert_true (g_file_get_contents (tsv_ref, &b, NULL, NULL));
      g_assert_cmpstr (a, ==, b);
    }
}

/* A record within the model's length, windowed, equals the plain run (one window). */
static void
test_window_single_equals_plain (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-window1-XXXXXX", NULL);
  const char *args[] = { "infer", "--quiet", "--window", "--threads", "1", "--model", model, "--fasta", fasta,
                         "--out", out, NULL };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  static const char *files[][2] = { { "logits.npy", "logits.npy" }, { "embeddings.npy", "last_hidden.npy" },
                                    { "contacts.npy", "contacts.npy" } };
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *ours = g_build_filename (out, "medium", files[f][0], NULL);
      g_autofree char *ref = plm_test_data_path ("ref", "tiny-f32", "medium", files[f][1], NULL);
      compare (ours, ref, files[f][0]);
    }
}

/* hasites --window: each residue's received attention from its own window, against the numpy
 * statement of the same rule on the reference attentions. Values are rounded to 0.01, so an entry
 * on a rounding boundary may differ by one step; at most one such entry is tolerated. */
static void
test_window_hasites (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("windowed.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-window-ha-XXXXXX", NULL);
  g_autofree char *tsv = g_build_filename (out, "ha.tsv", NULL);
  g_autofree char *maps = g_build_filename (out, "maps", NULL);
  const char *args[] = { "hasites", "--quiet", "--window", "--window-size", "16", "--window-overlap", "6",
                         "--model", model, "--fasta", fasta, "--out", tsv, "--heatmaps", maps, NULL };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  static const char *records[] = { "long40", "exact36", "short12" };
  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    {
      g_autofree char *name = g_strconcat (records[r], ".npy", NULL);
      g_autofree char *ours = g_build_filename (maps, name, NULL);
      g_autofree char *ref = plm_test_data_path ("ref", "windowed", records[r], "ha_heatmap.npy", NULL);
      PlmNpyArray a, b;
      plm_test_load_npy (ours, &a);
      plm_test_load_npy (ref, &b);
      g_assert_cmpint (a.n_elements, ==, b.n_elements);
      int n_diff = 0;
      for (guint64 i = 0; i < a.n_elements; i++)
        {
          float d = fabsf (((float *) a.data)[i] - ((float *) b.data)[i]);
          g_assert_cmpfloat (d, <=, 0.0100001f);
          n_diff += d > 0.0f;
        }
      g_assert_cmpint (n_diff, <=, 1);
      plm_npy_array_clear (&a);
      plm_npy_array_clear (&b);
    }
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (tsv, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nlong40\t40\t"));   /* the long protein is not skipped */
}

static void
test_window_errors (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("windowed.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-window-err-XXXXXX", NULL);
  const char *no_window[] = { "infer", "-q", "--window-size", "16", "-m", model, "-f", fasta, "-o", out, NULL };
  const char *overlap[] = { "infer", "-q", "--window", "--window-size", "16", "--window-overlap", "16",
                            "-m", model, "-f", fasta, "-o", out, NULL };
  const char *too_big[] = { "infer", "-q", "--window", "--window-size", "2000", "-m", model, "-f", fasta,
                            "-o", out, NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (plm_test_run_cli (no_window, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "need --window"));
  g_assert_cmpint (plm_test_run_cli (overlap, NULL, NULL), ==, 2);
  g_assert_cmpint (plm_test_run_cli (too_big, NULL, NULL), ==, 2);
}

/* ESM-1b's learned positions end at max_positions − pad − 1 tokens: tiny-esm1b (130 positions)
 * takes 126 residues, not max_positions − 2 = 128. hasites, export and crossattn check the one
 * plm_esm_config_max_residues that infer uses. */
static void
test_esm1b_max_residues (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-esm1b", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("plm-cli-maxres-XXXXXX", NULL);
  g_autofree char *fasta = g_build_filename (tmp, "long.fasta", NULL);
  g_autofree char *ok_fasta = g_build_filename (tmp, "ok.fasta", NULL);
  g_autofree char *long_seq = g_strnfill (127, 'A');
  g_autofree char *ok_seq = g_strnfill (126, 'A');
  g_autofree char *long_text = g_strdup_printf (">sp|P1|LONG\n%s\n", long_seq);
  g_autofree char *ok_text = g_strdup_printf (">sp|P2|OK\n%s\n", ok_seq);
  g_autofree char *tsv = g_build_filename (tmp, "ha.tsv", NULL);
  g_autofree char *png = g_build_filename (tmp, "a.png", NULL);
  g_autofree char *npy = g_build_filename (tmp, "x.npy", NULL);
  g_autofree char *head = plm_test_write_random_head (tmp, "head.safetensors", 0 /* attention */);

  g_assert_true (g_file_set_contents (fasta, long_text, -1, NULL));
  g_assert_true (g_file_set_contents (ok_fasta, ok_text, -1, NULL));
  {
    const char *args[] = { "hasites", "-m", model, "-f", fasta, "-o", tsv, NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 0);
    g_assert_nonnull (strstr (err, "has 127 residues (model limit 126), skipped"));
  }
  {
    const char *args[] = { "export", "-m", model, "-f", fasta, "--view", "attention", "-o", png, NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "has 127 residues; tiny-esm1b accepts at most 126"));
    const char *ok[] = { "export", "-m", model, "-f", ok_fasta, "--view", "attention", "-o", png, NULL };
    g_assert_cmpint (plm_test_run_cli (ok, NULL, NULL), ==, 0);
  }
  {
    const char *args[] = { "crossattn", "-m", model, "--head", head, "--a", long_seq, "--b", ok_seq,
                           "-o", npy, NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "longer than the 126 residues"));
    const char *ok[] = { "crossattn", "-m", model, "--head", head, "--a", ok_seq, "--b", ok_seq, "-o", npy, NULL };
    g_assert_cmpint (plm_test_run_cli (ok, NULL, NULL), ==, 0);
  }
  plm_test_rm_rf (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/window/matches-reference", test_window_matches_reference);
  g_test_add_func ("/cli/window/single-equals-plain", test_window_single_equals_plain);
  g_test_add_func ("/cli/window/hasites", test_window_hasites);
  g_test_add_func ("/cli/window/errors", test_window_errors);
  g_test_add_func ("/cli/window/esm1b-max-residues", test_esm1b_max_residues);
  return g_test_run ();
}
