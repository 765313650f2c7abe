/* test-cli-infer.c: `plmlens-cli infer` end to end: the .npy files it writes equal the PyTorch
 * reference outputs, directory names are made safe, and `info` describes the model. */
#include <glib/gstdio.h>
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/infer-matches-reference", test_infer_matches_reference);
  g_test_add_func ("/cli/infer-names-and-case", test_infer_names_and_case);
  g_test_add_func ("/cli/infer-resume", test_infer_resume);
  g_test_add_func ("/cli/info", test_info);
  return g_test_run ();
}
