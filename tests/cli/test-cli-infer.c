/* test-cli-infer.c: `plmlens-cli infer` end to end: the .npy files it writes equal the PyTorch
 * reference outputs, directory names are made safe, and `info` describes the model. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-test-util.h"

static void
compare_npy (const char *ours_path, const char *ref_path, const char *what)
{
  PlmNpyArray a, b;
  gboolean ok;
  plm_test_load_npy (ours_path, &a);
  plm_test_load_npy (ref_path, &b);
  g_assert_cmpint (a.n_dims, ==, b.n_dims);
  for (int i = 0; i < a.n_dims; i++)
    g_assert_cmpint (a.shape[i], ==, b.shape[i]);
  if (a.type == PLM_NPY_I32)
    g_assert_cmpmem (a.data, a.n_elements * 4, b.data, b.n_elements * 4);
  else
    {
      plm_test_compare (what, a.data, b.data, a.n_elements, 1e-4, &ok);
      g_assert_true (ok);
    }
  plm_npy_array_clear (&a);
  plm_npy_array_clear (&b);
}

static void
test_infer_matches_reference (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-bf16", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-infer-XXXXXX", NULL);
  const char *args[] = { "infer", "--quiet", "--keep-case", "--attentions", "--threads", "2",
                         "--model", model, "--fasta", fasta, "--out", out, NULL };
  static const char *records[] = { "short", "masked", "unknown", "medium" };
  static const char *files[][2] = {
    { "tokens.npy", "tokens.npy" }, { "logits.npy", "logits.npy" }, { "embeddings.npy", "last_hidden.npy" },
    { "contacts.npy", "contacts.npy" }, { "attentions.npy", "attentions.npy" },
  };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);

  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    for (guint f = 0; f < G_N_ELEMENTS (files); f++)
      {
        g_autofree char *ours = g_build_filename (out, records[r], files[f][0], NULL);
        g_autofree char *ref = plm_test_data_path ("ref", "tiny-bf16", records[r], files[f][1], NULL);
        g_autofree char *what = g_strdup_printf ("%s/%s", records[r], files[f][0]);
        compare_npy (ours, ref, what);
        g_unlink (ours);
      }
  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    {
      g_autofree char *d = g_build_filename (out, records[r], NULL);
      g_assert_cmpint (g_rmdir (d), ==, 0);   /* nothing else (no temporary files) was left */
    }
  g_rmdir (out);
}

static void
test_infer_names_and_case (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-names-XXXXXX", NULL);
  const char *text = ">sp|P1|X one\nmkv\n>sp|P1|X two\nMKV\n>../up\nMK\n";
  g_autofree char *fasta = plm_test_write_file (dir, "in.fa", text, strlen (text));
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  const char *args[] = { "infer", "-q", "-m", model, "-f", fasta, "-o", out, NULL };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);

  /* duplicate identifiers get a suffix; path separators never escape the output directory */
  g_autofree char *a = g_build_filename (out, "sp_P1_X", "tokens.npy", NULL);
  g_autofree char *b = g_build_filename (out, "sp_P1_X_2", "tokens.npy", NULL);
  g_autofree char *c = g_build_filename (out, "_.._up", "tokens.npy", NULL);
  g_assert_true (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (c, G_FILE_TEST_EXISTS));
  /* lower case is upper-cased by default: both records give the same tokens */
  PlmNpyArray ta, tb;
  plm_test_load_npy (a, &ta);
  plm_test_load_npy (b, &tb);
  g_assert_cmpmem (ta.data, ta.n_elements * 4, tb.data, tb.n_elements * 4);
  g_assert_cmpint (((int32_t *) ta.data)[1], ==, 20);   /* M */
  plm_npy_array_clear (&ta);
  plm_npy_array_clear (&tb);
}

/* --resume keeps records whose outputs are all present and recomputes the others. */
static void
test_infer_resume (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-resume-XXXXXX", NULL);
  const char *args[] = { "infer", "-q", "--keep-case", "-m", model, "-f", fasta, "-o", out, NULL };
  const char *resume_args[] = { "infer", "-q", "--keep-case", "--resume", "-m", model, "-f", fasta, "-o", out, NULL };

  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  /* a kill between two files of "masked": its contacts are missing; "short" is complete */
  g_autofree char *gone = g_build_filename (out, "masked", "contacts.npy", NULL);
  g_autofree char *kept = g_build_filename (out, "short", "logits.npy", NULL);
  g_assert_cmpint (g_unlink (gone), ==, 0);
  const char marker[] = "not recomputed";
  g_assert_true (g_file_set_contents (kept, marker, -1, NULL));

  g_assert_cmpint (plm_test_run_cli (resume_args, NULL, NULL), ==, 0);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (kept, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, marker);
  g_autofree char *ref = plm_test_data_path ("ref", "tiny-f32", "masked", "contacts.npy", NULL);
  compare_npy (gone, ref, "masked/contacts.npy after resume");
}

/* --precision int8 runs and stays near the fp32 reference; an unknown precision is a usage error. */
static void
test_infer_precision (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *out = g_dir_make_tmp ("plm-cli-precision-XXXXXX", NULL);
  g_autofree char *ours = g_build_filename (out, "medium", "logits.npy", NULL);
  g_autofree char *ref = plm_test_data_path ("ref", "tiny-f32", "medium", "logits.npy", NULL);
  g_autofree char *err = NULL;
  const char *args[] = { "infer", "--quiet", "--keep-case", "--precision", "int8", "--model", model,
                         "--fasta", fasta, "--out", out, NULL };
  const char *bad[] = { "infer", "--precision", "fp16", "--model", model, "--fasta", fasta, "--out", out, NULL };
  PlmNpyArray a, b;
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;

  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  plm_test_load_npy (ours, &a);
  plm_test_load_npy (ref, &b);
  g_assert_cmpint (a.n_elements, ==, b.n_elements);
  /* int8's drift gate (README: Reduced precision): Pearson ≥ 0.999 against fp32 */
  for (guint64 i = 0; i < a.n_elements; i++)
    {
      double x = ((const float *) a.data)[i], y = ((const float *) b.data)[i];
      sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
    }
  double n = (double) a.n_elements, r = (sab - sa * sb / n) / sqrt ((saa - sa * sa / n) * (sbb - sb * sb / n));
  g_test_message ("int8 logits: Pearson %.6f against the fp32 reference", r);
  g_assert_cmpfloat (r, >=, 0.999);
  plm_npy_array_clear (&a);
  plm_npy_array_clear (&b);
  g_assert_cmpint (plm_test_run_cli (bad, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--precision must be fp32, bf16 or int8"));
  plm_test_rm_rf (out);
}

static void
test_info (void)
{
  g_autofree char *model = plm_test_data_path ("models", "tiny-sharded", NULL);
  const char *args[] = { "info", "--json", model, NULL };
  g_autofree char *out = NULL;
  g_assert_cmpint (plm_test_run_cli (args, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"layers\": 2"));
  g_assert_nonnull (strstr (out, "\"heads\": 4"));
  g_assert_nonnull (strstr (out, "\"width\": 32"));
  g_assert_nonnull (strstr (out, "\"dtype\": \"F32\""));
}

/* Five random ESM-1v-shaped checkpoints (ESM-1b architecture, different seeds) written at test
 * time by tests/models/plm-make-checkpoint --absolute into @dir/m1 … m5. */
static void
make_ensemble (const char *dir)
{
  const char *gen = g_getenv ("PLM_MAKE_CHECKPOINT");
  g_assert_nonnull (gen);
  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/m%d", dir, i);
      g_autofree char *seed = g_strdup_printf ("%d", 100 + i);
      const char *argv[] = { gen, "--absolute", "--max-positions", "130", "--layers", "2", "--hidden", "32",
                             "--heads", "4", "--ffn", "64", "--seed", seed, "--qk-scale", "2", "--out", out, NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                   &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
}

/* ESM-1v as an ensemble: --model five times, or the directory of the five, writes the mean of
 * the five single-model logits (and the tokens), nothing else; --attentions is refused. */
static void
test_infer_ensemble (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("plm-cli-ensemble-XXXXXX", NULL);
  g_autofree char *models = g_build_filename (tmp, "esm1v", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  static const char *records[] = { "short", "masked", "unknown", "medium" };
  char *m[5];

  make_ensemble (models);
  for (int i = 0; i < 5; i++)
    m[i] = g_strdup_printf ("%s/m%d", models, i + 1);

  /* each model alone */
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/single%d", tmp, i + 1);
      const char *args[] = { "infer", "-q", "-t", "2", "-m", m[i], "-f", fasta, "-o", out, NULL };
      g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
    }
  /* the ensemble, both ways of naming it */
  g_autofree char *out_a = g_build_filename (tmp, "ens-a", NULL);
  g_autofree char *out_b = g_build_filename (tmp, "ens-b", NULL);
  {
    const char *args[] = { "infer", "-q", "-t", "2", "-m", m[0], "-m", m[1], "-m", m[2], "-m", m[3], "-m", m[4],
                           "-f", fasta, "-o", out_a, NULL };
    g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
    const char *args_b[] = { "infer", "-t", "2", "-m", models, "-f", fasta, "-o", out_b, NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (plm_test_run_cli (args_b, NULL, &err), ==, 0);
    g_assert_nonnull (strstr (err, "logits averaged over 5 models"));
  }

  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    {
      PlmNpyArray single[5], ens_a, ens_b;
      for (int i = 0; i < 5; i++)
        {
          g_autofree char *p = g_strdup_printf ("%s/single%d/%s/logits.npy", tmp, i + 1, records[r]);
          plm_test_load_npy (p, &single[i]);
        }
      g_autofree char *pa = g_build_filename (out_a, records[r], "logits.npy", NULL);
      g_autofree char *pb = g_build_filename (out_b, records[r], "logits.npy", NULL);
      plm_test_load_npy (pa, &ens_a);
      plm_test_load_npy (pb, &ens_b);
      g_assert_cmpuint (ens_a.n_elements, ==, single[0].n_elements);
      g_autofree float *mean = g_new (float, ens_a.n_elements);
      double spread = 0.0;
      for (guint64 j = 0; j < ens_a.n_elements; j++)
        {
          double s = 0.0;
          for (int i = 0; i < 5; i++)
            s += ((const float *) single[i].data)[j];
          mean[j] = (float) (s / 5.0);
          spread = fmax (spread, fabs (((const float *) single[0].data)[j] - mean[j]));
        }
      gboolean ok;
      g_autofree char *what = g_strdup_printf ("ensemble %s logits vs mean of 5", records[r]);
      plm_test_compare (what, ens_a.data, mean, ens_a.n_elements, 1e-5, &ok);
      g_assert_true (ok);
      /* the members differ, so the mean is not any one of them */
      g_assert_cmpfloat (spread, >, 0.1);
      g_assert_cmpmem (ens_a.data, ens_a.n_elements * 4, ens_b.data, ens_b.n_elements * 4);
      /* tokens as a single run; nothing else averaged, nothing else written */
      g_autofree char *tok = g_build_filename (out_a, records[r], "tokens.npy", NULL);
      g_autofree char *emb = g_build_filename (out_a, records[r], "embeddings.npy", NULL);
      g_autofree char *con = g_build_filename (out_a, records[r], "contacts.npy", NULL);
      g_assert_true (g_file_test (tok, G_FILE_TEST_IS_REGULAR));
      g_assert_false (g_file_test (emb, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (con, G_FILE_TEST_EXISTS));
      for (int i = 0; i < 5; i++)
        plm_npy_array_clear (&single[i]);
      plm_npy_array_clear (&ens_a);
      plm_npy_array_clear (&ens_b);
    }

  /* refused: attentions of an ensemble, and a record longer than the position table */
  {
    g_autofree char *out = g_build_filename (tmp, "ens-att", NULL);
    const char *args[] = { "infer", "-q", "--attentions", "-m", models, "-f", fasta, "-o", out, NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "an ensemble averages logits only"));
    GString *longer = g_string_new (">long\n");
    for (int i = 0; i < 127; i++)
      g_string_append_c (longer, "ACDEFGHIKLMNPQRSTVWY"[i % 20]);
    g_string_append_c (longer, '\n');
    g_autofree char *lf = plm_test_write_file (tmp, "long.fa", longer->str, longer->len);
    g_string_free (longer, TRUE);
    const char *args_l[] = { "infer", "-q", "-m", models, "-f", lf, "-o", out, NULL };
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (plm_test_run_cli (args_l, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "record 'long' has 127 residues"));
    /* one ESM-1b model: never run whole past its positions, --allow-long or not; the record
     * runs in windows instead, as with --window */
    g_autofree char *out_1 = g_build_filename (tmp, "esm1b-long", NULL);
    g_autofree char *windows = g_build_filename (out_1, "long", "windows.tsv", NULL);
    const char *args_1[] = { "infer", "--allow-long", "-m", m[0], "-f", lf, "-o", out_1, NULL };
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (plm_test_run_cli (args_1, NULL, &err), ==, 0);
    g_assert_nonnull (strstr (err, "learned positions end at 126 residues: running in windows"));
    g_assert_true (g_file_test (windows, G_FILE_TEST_IS_REGULAR));
  }
  for (int i = 0; i < 5; i++)
    g_free (m[i]);
  plm_test_rm_rf (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/infer-matches-reference", test_infer_matches_reference);
  g_test_add_func ("/cli/infer-names-and-case", test_infer_names_and_case);
  g_test_add_func ("/cli/infer-resume", test_infer_resume);
  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/infer-precision", test_infer_precision);
  g_test_add_func ("/cli/infer-ensemble", test_infer_ensemble);
  return g_test_run ();
}
