/* test-cli-pt.c: fair-esm .pt checkpoints through plmlens-cli: `infer` on a .pt writes the same
 * bytes as on the HF checkpoint it was made from, `convert` writes that HF checkpoint again, and
 * hostile archives are refused with a message that names what was refused. */
#include <glib/gstdio.h>
#include <string.h>

#include "plm-test-util.h"

static void
assert_same_file (const char *a, const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx = 0, ny = 0;
  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  if (nx != ny || memcmp (x, y, nx) != 0)
    g_error ("%s and %s differ", a, b);
}

static void
infer (const char *model, const char *out)
{
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  const char *args[] = { "infer", "--quiet", "--attentions", "--threads", "1", "--model", model,
                         "--fasta", fasta, "--out", out, NULL };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
}

static void
assert_same_outputs (const char *a, const char *b)
{
  static const char *records[] = { "short", "masked", "unknown", "medium" };
  static const char *files[] = { "tokens.npy", "logits.npy", "embeddings.npy", "contacts.npy", "attentions.npy" };
  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    for (guint f = 0; f < G_N_ELEMENTS (files); f++)
      {
        g_autofree char *x = g_build_filename (a, records[r], files[f], NULL);
        g_autofree char *y = g_build_filename (b, records[r], files[f], NULL);
        assert_same_file (x, y);
      }
}

static void
test_pt_infer_equals_hf (gconstpointer data)
{
  const char *const *pair = data;
  g_autofree char *pt = plm_test_data_path ("models", "pt", pair[0], NULL);
  g_autofree char *hf = plm_test_data_path ("models", pair[1], NULL);
  g_autofree char *tmp = g_dir_make_tmp ("plm-cli-pt-XXXXXX", NULL);
  g_autofree char *out_pt = g_build_filename (tmp, "pt", NULL);
  g_autofree char *out_hf = g_build_filename (tmp, "hf", NULL);
  infer (pt, out_pt);
  infer (hf, out_hf);
  assert_same_outputs (out_pt, out_hf);

  const char *info[] = { "info", "--json", pt, NULL };
  g_autofree char *text = NULL;
  g_assert_cmpint (plm_test_run_cli (info, &text, NULL), ==, 0);
  g_assert_nonnull (strstr (text, "\"contact_head\": true"));   /* found the -contact-regression.pt */
  g_assert_nonnull (strstr (text, "\"parameters\": 27690"));    /* tied decoder not counted twice */
}

static void
test_pt_convert (void)
{
  g_autofree char *pt = plm_test_data_path ("models", "pt", "esm2_tiny.pt", NULL);
  g_autofree char *hf = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("plm-cli-convert-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "converted", NULL);
  const char *args[] = { "convert", "--quiet", "--from", pt, "--out", dir, NULL };
  g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  g_autofree char *cfg_ours = g_build_filename (dir, "config.json", NULL);
  g_autofree char *cfg_hf = g_build_filename (hf, "config.json", NULL);
  assert_same_file (cfg_ours, cfg_hf);

  g_autofree char *out_conv = g_build_filename (tmp, "out-converted", NULL);
  g_autofree char *out_hf = g_build_filename (tmp, "out-hf", NULL);
  infer (dir, out_conv);
  infer (hf, out_hf);
  assert_same_outputs (out_conv, out_hf);

  /* ESM-1b: learned positions, LN before; the .pt and its conversion run to the same bytes */
  g_autofree char *pt1b = plm_test_data_path ("models", "pt", "esm1b_tiny.pt", NULL);
  g_autofree char *dir1b = g_build_filename (tmp, "esm1b", NULL);
  const char *args1b[] = { "convert", "--quiet", "--from", pt1b, "--out", dir1b, NULL };
  g_assert_cmpint (plm_test_run_cli (args1b, NULL, NULL), ==, 0);
  g_autofree char *cfg1b_path = g_build_filename (dir1b, "config.json", NULL);
  g_autofree char *cfg1b = NULL;
  g_assert_true (g_file_get_contents (cfg1b_path, &cfg1b, NULL, NULL));
  g_assert_nonnull (strstr (cfg1b, "\"position_embedding_type\": \"absolute\""));
  g_assert_nonnull (strstr (cfg1b, "\"emb_layer_norm_before\": true"));
  g_assert_nonnull (strstr (cfg1b, "\"max_position_embeddings\": 1026"));
  g_autofree char *out_pt1b = g_build_filename (tmp, "out-esm1b-pt", NULL);
  g_autofree char *out_conv1b = g_build_filename (tmp, "out-esm1b-converted", NULL);
  infer (pt1b, out_pt1b);
  infer (dir1b, out_conv1b);
  assert_same_outputs (out_pt1b, out_conv1b);
  plm_test_rm_rf (tmp);
}

static void
test_pt_hostile (void)
{
  static const struct { const char *file, *expect; } cases[] = {
    { "hostile-global.pt", "global 'os.system' is not allowed" },
    { "hostile-reduce.pt", "REDUCE on argparse.Namespace" },
    { "hostile-outside.pt", "'../../etc/passwd' is not a plain name inside the archive" },
    { "hostile-missing.pt", "storage '7' points outside the archive" },
    { "hostile-oversize.pt", "exceeds its storage" },
    { "hostile-storage.pt", "claims 1073741824 elements" },
    { "valid-minimal.pt", "not a fair-esm checkpoint" },
    { "esm2_tiny-contact-regression.pt", "contact-regression companion" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *pt = plm_test_data_path ("models", "pt", cases[i].file, NULL);
      const char *args[] = { "info", pt, NULL };
      g_autofree char *err = NULL;
      g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 2);
      if (strstr (err, cases[i].expect) == NULL)
        g_error ("%s: expected '%s' in: %s", cases[i].file, cases[i].expect, err);
      g_assert_null (strchr (err, '\n') == NULL ? NULL : strchr (strchr (err, '\n') + 1, '\n'));  /* one line */
    }
}

int
main (int argc, char **argv)
{
  static const char *f32[] = { "esm2_tiny.pt", "tiny-f32" };
  static const char *f16[] = { "esm2_tiny_f16.pt", "tiny-f16" };
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/cli/pt/infer-equals-hf/f32", f32, test_pt_infer_equals_hf);
  g_test_add_data_func ("/cli/pt/infer-equals-hf/f16", f16, test_pt_infer_equals_hf);
  g_test_add_func ("/cli/pt/convert", test_pt_convert);
  g_test_add_func ("/cli/pt/hostile", test_pt_hostile);
  return g_test_run ();
}
