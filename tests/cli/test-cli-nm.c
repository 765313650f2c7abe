/* test-cli-nm.c: `plmlens-cli train`, `evaluate` and `crossattn` end to end on the committed tiny
 * model: outputs agree with each other, metrics JSON has the promised keys, bad input exits 2. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "plm-model.h"
#include "plm-npy.h"
#include "plm-safetensors.h"
#include "plm-rng.h"
#include "plm-test-util.h"

static char *
run_cli (const char *const *args, int *status, char **err_out)
{
  char *out = NULL;

  *status = plm_test_run_cli (args, &out, err_out);
  return out;
}

/* Two classes told apart by composition (see test-nm-train.c). */
static char *
make_csv (const char *dir, const char *name, int n, guint64 seed)
{
  PlmRng rng;
  GString *csv = g_string_new ("label,sequence\n");
  plm_rng_seed (&rng, seed);
  for (int i = 0; i < n; i++)
    {
      int label = i % 2, len = 10 + (int) plm_rng_below (&rng, 20);
      const char *alphabet = label ? "KRHDE" : "LIVFAW";
      g_string_append_printf (csv, "%s,", label ? "polar" : "apolar");
      for (int k = 0; k < len; k++)
        g_string_append_c (csv, alphabet[plm_rng_below (&rng, strlen (alphabet))]);
      g_string_append_c (csv, '\n');
    }
  char *path = plm_test_write_file (dir, name, csv->str, csv->len);
  g_string_free (csv, TRUE);
  return path;
}

static JsonObject *
load_json (JsonParser *parser, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_train_evaluate_crossattn (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-nm-XXXXXX", NULL);
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *train = make_csv (dir, "train.csv", 60, 1);
  g_autofree char *valid = make_csv (dir, "valid.csv", 20, 2);
  g_autofree char *test = make_csv (dir, "test.csv", 20, 3);
  g_autofree char *head = g_build_filename (dir, "head.safetensors", NULL);
  g_autofree char *metrics = g_build_filename (dir, "m.json", NULL);
  g_autofree char *metrics2 = g_build_filename (dir, "m2.json", NULL);
  g_autofree char *npy = g_build_filename (dir, "ca.npy", NULL);
  int status;

  const char *targs[] = { "train", "--model", model, "--train", train, "--valid", valid, "--test", test,
                          "--epochs", "3", "--batch", "10", "--lr", "3e-3", "--max-len", "24",
                          "--threads", "1", "--out", head, "--metrics", metrics, NULL };
  g_autofree char *out = run_cli (targs, &status, NULL);
  g_test_message ("%s", out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "epoch   3/3"));
  g_assert_nonnull (strstr (out, "train.csv: 60 items; apolar 30 (50.0%), polar 30 (50.0%)"));
  g_assert_true (g_file_test (head, G_FILE_TEST_EXISTS));

  g_autoptr(JsonParser) p1 = json_parser_new ();
  JsonObject *m = load_json (p1, metrics);
  JsonObject *mt = json_object_get_object_member (m, "test");
  g_assert_nonnull (json_object_get_object_member (m, "valid"));
  g_assert_true (json_object_has_member (mt, "accuracy") && json_object_has_member (mt, "macro_f1")
                 && json_object_has_member (mt, "auroc"));
  g_assert_true (json_object_has_member (m, "l_neg_before") && json_object_has_member (m, "l_neg_after"));

  /* evaluate recomputes the embeddings: the same test metrics as the trainer's cached path */
  const char *eargs[] = { "evaluate", "--quiet", "--head", head, "--model", model, "--test", test,
                          "--threads", "1", "--metrics", metrics2, NULL };
  g_free (run_cli (eargs, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonParser) p2 = json_parser_new ();
  JsonObject *mt2 = json_object_get_object_member (load_json (p2, metrics2), "test");
  g_assert_cmpfloat (json_object_get_double_member (mt2, "accuracy"), ==, json_object_get_double_member (mt, "accuracy"));
  g_assert_cmpfloat (fabs (json_object_get_double_member (mt2, "auroc") - json_object_get_double_member (mt, "auroc")), <, 1e-12);
  g_assert_cmpfloat (fabs (json_object_get_double_member (mt2, "loss") - json_object_get_double_member (mt, "loss")), <, 1e-5);

  const char *cargs[] = { "crossattn", "--model", model, "--head", head, "--a", "MKVLIW", "--b", "KRHDEEK",
                          "--out", npy, "--top", "2", NULL };
  g_autofree char *cout = run_cli (cargs, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (cout, "B sequence: top 2 residues"));
  PlmNpyArray arr;
  plm_test_load_npy (npy, &arr);
  g_assert_cmpint (arr.n_dims, ==, 2);
  g_assert_cmpint (arr.shape[0], ==, 6);
  g_assert_cmpint (arr.shape[1], ==, 7);
  const float *pm = arr.data;
  for (int i = 0; i < 6; i++)
    {
      double s = 0;
      for (int j = 0; j < 7; j++)
        {
          g_assert_cmpfloat (pm[i * 7 + j], >=, 0.0f);
          s += pm[i * 7 + j];
        }
      g_assert_cmpfloat (s, <=, 1.0 + 1e-5);   /* specials' columns are dropped */
    }
  plm_npy_array_clear (&arr);

  const char *files[] = { train, valid, test, head, metrics, metrics2, npy };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_unlink (files[i]);
  g_autofree char *last = g_strdup_printf ("%s.last.safetensors", head);
  g_unlink (last);
  g_rmdir (dir);
}

/* --plm finetune and scratch back-propagate into ESM-2: the tuned PLM is saved beside the head
 * (HEAD.plm, an HF checkpoint), differs from the starting weights, and evaluate with it gives
 * the trainer's test metrics. */
static void
test_train_trainable_plm (gconstpointer data)
{
  /* "finetune-esm1b": finetune on the ESM-1b architecture (learned positions, embedding LayerNorm) */
  gboolean esm1b = g_str_equal (data, "finetune-esm1b");
  const char *mode = esm1b ? "finetune" : data;
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-ft-XXXXXX", NULL);
  g_autofree char *model = plm_test_data_path ("models", esm1b ? "tiny-esm1b" : "tiny-f32", NULL);
  g_autofree char *train = make_csv (dir, "train.csv", 40, 4);
  g_autofree char *valid = make_csv (dir, "valid.csv", 16, 5);
  g_autofree char *test = make_csv (dir, "test.csv", 16, 6);
  g_autofree char *head = g_build_filename (dir, "head.safetensors", NULL);
  g_autofree char *plm = g_strdup_printf ("%s.plm", head);
  g_autofree char *metrics = g_build_filename (dir, "m.json", NULL);
  g_autofree char *metrics2 = g_build_filename (dir, "m2.json", NULL);
  int status;

  const char *targs[] = { "train", "--quiet", "--plm", mode, "--model", model, "--train", train, "--valid", valid,
                          "--test", test, "--epochs", "2", "--batch", "8", "--lr", "1e-3", "--max-len", "24",
                          "--threads", "1", "--out", head, "--metrics", metrics, NULL };
  g_free (run_cli (targs, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (head, G_FILE_TEST_EXISTS));
  g_autofree char *plm_weights = g_build_filename (plm, "model.safetensors", NULL);
  g_assert_true (g_file_test (plm_weights, G_FILE_TEST_EXISTS));

  /* the tuned encoder moved away from the checkpoint (finetune) or is not it at all (scratch) */
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) before = plm_model_load (model, &error);
  g_assert_no_error (error);
  g_autoptr(PlmModel) after = plm_model_load (plm, &error);
  g_assert_no_error (error);
  double moved = 0;
  for (int i = 0; i < 32 * 32; i++)
    moved = fmax (moved, fabs (before->layers[0].wq[i] - after->layers[0].wq[i]));
  g_test_message ("%s: max |dWq| of layer 0 = %g", mode, moved);
  g_assert_cmpfloat (moved, >, 1e-6);
  if (esm1b)
    {
      /* the position table and the embedding LayerNorm were trained and saved as ESM-1b */
      g_assert_true (after->config.absolute_positions && after->config.emb_layer_norm_before);
      double moved_pos = 0, moved_ln = 0;
      for (int i = 0; i < 32 * 32; i++)
        moved_pos = fmax (moved_pos, fabs (before->pos_embed[2 * 32 + i] - after->pos_embed[2 * 32 + i]));
      for (int i = 0; i < 32; i++)
        moved_ln = fmax (moved_ln, fabs (before->emb_ln_w[i] - after->emb_ln_w[i]));
      g_test_message ("esm1b: max |d position| = %g, max |d emb LayerNorm weight| = %g", moved_pos, moved_ln);
      g_assert_cmpfloat (moved_pos, >, 1e-6);
      g_assert_cmpfloat (moved_ln, >, 1e-6);
    }

  const char *eargs[] = { "evaluate", "--quiet", "--head", head, "--model", plm, "--test", test,
                          "--threads", "1", "--metrics", metrics2, NULL };
  g_free (run_cli (eargs, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  JsonObject *mt = json_object_get_object_member (load_json (p1, metrics), "test");
  JsonObject *mt2 = json_object_get_object_member (load_json (p2, metrics2), "test");
  g_assert_cmpfloat (json_object_get_double_member (mt2, "accuracy"), ==, json_object_get_double_member (mt, "accuracy"));
  g_assert_cmpfloat (fabs (json_object_get_double_member (mt2, "loss") - json_object_get_double_member (mt, "loss")), <, 1e-4);
}

/* Kill-and-resume for --plm finetune: 2 epochs then --resume to 3 gives the same head and the
 * same tuned PLM, byte for byte, as 3 epochs straight. */
static void
test_finetune_resume (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-ftr-XXXXXX", NULL);
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *train = make_csv (dir, "train.csv", 24, 7);
  g_autofree char *valid = make_csv (dir, "valid.csv", 10, 8);
  g_autofree char *straight = g_build_filename (dir, "straight.safetensors", NULL);
  g_autofree char *resumed = g_build_filename (dir, "resumed.safetensors", NULL);
  int status;
#define FT_ARGS(out, epochs) "train", "--quiet", "--plm", "finetune", "--model", model, "--train", train, \
    "--valid", valid, "--epochs", epochs, "--batch", "8", "--lr", "1e-3", "--max-len", "20", \
    "--threads", "2", "--patience", "0", "--out", out
  const char *a[] = { FT_ARGS (straight, "3"), NULL };
  const char *b1[] = { FT_ARGS (resumed, "2"), NULL };
  const char *b2[] = { FT_ARGS (resumed, "3"), "--resume", NULL };
#undef FT_ARGS
  g_free (run_cli (a, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_free (run_cli (b1, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_autofree char *err = NULL;
  g_free (run_cli (b2, &status, &err));
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);

  const char *pairs[][2] = { { straight, resumed } };
  g_autofree char *plm_a = g_build_filename (dir, "straight.safetensors.plm", "model.safetensors", NULL);
  g_autofree char *plm_b = g_build_filename (dir, "resumed.safetensors.plm", "model.safetensors", NULL);
  const char *files[][2] = { { pairs[0][0], pairs[0][1] }, { plm_a, plm_b } };
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(GError) error = NULL;
      PlmSafetensors *x = plm_safetensors_open (files[f][0], &error);
      g_assert_no_error (error);
      PlmSafetensors *y = plm_safetensors_open (files[f][1], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (plm_safetensors_n_tensors (x), ==, plm_safetensors_n_tensors (y));
      for (guint i = 0; i < plm_safetensors_n_tensors (x); i++)
        {
          const PlmTensorInfo *tx = plm_safetensors_get_nth (x, i);
          const PlmTensorInfo *ty = plm_safetensors_lookup (y, tx->name);
          g_assert_nonnull (ty);
          g_assert_cmpmem (tx->data, tx->n_bytes, ty->data, ty->n_bytes);
        }
      plm_safetensors_free (x);
      plm_safetensors_free (y);
    }
}

static void
test_bad_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-nm-XXXXXX", NULL);
  g_autofree char *model = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *good = make_csv (dir, "good.csv", 10, 1);
  const char bad_text[] = "sequence,label\nMKV,a\nMK1V,b\n";
  g_autofree char *bad = plm_test_write_file (dir, "bad.csv", bad_text, sizeof bad_text - 1);
  const char other_text[] = "sequence,label\nMKV,zzz\n";
  g_autofree char *other = plm_test_write_file (dir, "other.csv", other_text, sizeof other_text - 1);
  g_autofree char *out = g_build_filename (dir, "h.safetensors", NULL);
  g_autofree char *bad_base = g_path_get_basename (bad);
  static const struct { const char *args[16]; const char *expect; } cases[] = {
    { { "train", "--model", "MODEL", "--train", "GOOD", "--out", "OUT", "--plm", "frozen2", NULL }, "--plm must be" },
    { { "train", "--model", "MODEL", "--train", "GOOD", "--out", "OUT", "--objective", "xx", NULL }, "--objective must be" },
    { { "train", "--model", "MODEL", "--train", "GOOD", "--out", "OUT", "--task", "pair", NULL }, "--sequences" },
    { { "train", "--model", "MODEL", "--train", "GOOD", "--out", "OUT", "--negatives", "0", NULL }, "--negatives" },
    { { "train", "--model", "MODEL", "--train", "GOOD", NULL }, "--out are required" },
    { { "evaluate", "--head", "GOOD", "--model", "MODEL", "--test", "GOOD", NULL }, "good.csv" },
    { { "crossattn", "--head", "GOOD", "--model", "MODEL", "--a", "MK", "--b", "M1", "--out", "OUT", NULL }, "'M1'" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *a[16];
      for (int k = 0; k < 16; k++)
        {
          const char *v = cases[i].args[k];
          a[k] = v == NULL ? NULL : strcmp (v, "GOOD") == 0 ? good : strcmp (v, "MODEL") == 0 ? model
                 : strcmp (v, "OUT") == 0 ? out : v;
          if (v == NULL)
            break;
        }
      int status;
      g_autofree char *err = NULL;
      g_free (run_cli (a, &status, &err));
      g_test_message ("case %u: status %d: %s", i, status, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, cases[i].expect));
      g_assert_cmpint (strchr (err, '\n') - err + 1, ==, strlen (err));   /* one line */
    }

  /* the bad row is named by file and line */
  int status;
  g_autofree char *err = NULL;
  const char *a1[] = { "train", "--model", model, "--train", bad, "--out", out, NULL };
  g_free (run_cli (a1, &status, &err));
  g_assert_cmpint (status, ==, 2);
  g_autofree char *where = g_strdup_printf ("%s:3: the sequence contains '1'", bad_base);
  g_assert_nonnull (strstr (err, where));

  g_clear_pointer (&err, g_free);
  const char *a2[] = { "train", "--model", model, "--train", good, "--valid", good, "--test", other,
                       "--out", out, NULL };
  g_free (run_cli (a2, &status, &err));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, ":2: label \"zzz\" is not one of the training labels"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  g_clear_pointer (&err, g_free);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  const char *a3[] = { "train", "--model", model, "--train", missing, "--out", out, NULL };
  g_free (run_cli (a3, &status, &err));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "missing.csv"));

  g_unlink (good); g_unlink (bad); g_unlink (other);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-nm/train-evaluate-crossattn", test_train_evaluate_crossattn);
  g_test_add_func ("/cli-nm/bad-input", test_bad_input);
  g_test_add_data_func ("/cli-nm/train-finetune", "finetune", test_train_trainable_plm);
  g_test_add_data_func ("/cli-nm/train-finetune-esm1b", "finetune-esm1b", test_train_trainable_plm);
  g_test_add_data_func ("/cli-nm/train-scratch", "scratch", test_train_trainable_plm);
  g_test_add_func ("/cli-nm/finetune-resume", test_finetune_resume);
  return g_test_run ();
}
