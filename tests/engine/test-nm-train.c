/* test-nm-train.c: metrics, truncation, head checkpoints, bit-exact resume and the pluggable
 * encoder interface of the NM-Transformer trainer. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-nm-train.h"
#include "plm-rng.h"
#include "plm-tokenizer.h"

/* Hand-computed: per-class F1 0.5, 0.8, 2/3. */
static void
test_metrics (void)
{
  const int labels[6] = { 0, 0, 1, 1, 2, 2 };
  const int pred[6] = { 0, 1, 1, 1, 0, 2 };
  float logits[18] = { 0 };
  for (int i = 0; i < 6; i++)
    logits[i * 3 + pred[i]] = 1.0f;
  PlmNmMetrics m;
  plm_nm_metrics_compute (logits, labels, 6, 3, &m);
  g_assert_cmpfloat_with_epsilon (m.accuracy, 4.0 / 6.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.macro_f1, (0.5 + 0.8 + 2.0 / 3.0) / 3.0, 1e-12);
  g_assert_true (isnan (m.auroc));

  /* AUROC with a tie between a positive and a negative: 4.5 of 6 pairs ordered → 0.75 */
  const int bl[5] = { 1, 0, 1, 0, 1 };
  const float diff[5] = { 0.9f, 0.1f, 0.5f, 0.5f, 0.2f };
  float bin[10];
  for (int i = 0; i < 5; i++)
    {
      bin[2 * i] = 0.0f;
      bin[2 * i + 1] = diff[i];
    }
  plm_nm_metrics_compute (bin, bl, 5, 2, &m);
  g_assert_cmpfloat_with_epsilon (m.auroc, 0.75, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.accuracy, 1.0 * 3 / 5, 1e-12);  /* all predicted 1 (diff > 0) */
}

static void
test_truncate (void)
{
  int T;
  g_autofree int32_t *t = plm_nm_tokenize ("ACDEFG", 5, &T);
  g_assert_cmpint (T, ==, 5);
  g_assert_cmpint (t[0], ==, PLM_TOKEN_CLS);
  g_assert_cmpint (t[1], ==, plm_token_for_char ('A'));
  g_assert_cmpint (t[3], ==, plm_token_for_char ('D'));
  g_assert_cmpint (t[4], ==, PLM_TOKEN_EOS);
  g_autofree int32_t *u = plm_nm_tokenize ("ACD", 5, &T);
  g_assert_cmpint (T, ==, 5);
  g_assert_cmpint (u[3], ==, plm_token_for_char ('D'));
}

static void
test_checkpoint (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nm-train-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "head.safetensors", NULL);
  PlmNmHeadConfig c = { .kind = PLM_NM_HEAD_ATTENTION, .d_model = 8, .d_hidden = 5, .n_classes = 3,
                        .n_heads = 2, .scaled = TRUE, .pair = TRUE };
  g_autoptr(PlmNmHead) head = plm_nm_head_new (&c);
  g_autoptr(GError) error = NULL;
  plm_nm_head_init (head, 9);
  g_autoptr(GHashTable) md = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (md, "config", "{\"x\":1}");
  g_assert_true (plm_nm_head_save (head, path, md, &error));
  g_assert_no_error (error);

  g_autoptr(GHashTable) md2 = NULL;
  g_autoptr(PlmNmHead) back = plm_nm_head_load (path, &md2, &error);
  g_assert_no_error (error);
  const PlmNmHeadConfig *c2 = plm_nm_head_get_config (back);
  g_assert_cmpint (c2->n_heads, ==, 2);
  g_assert_true (c2->scaled && c2->pair);
  g_assert_cmpint (c2->n_classes, ==, 3);
  gsize n1, n2;
  float *p1 = plm_nm_head_param_data (head, &n1), *p2 = plm_nm_head_param_data (back, &n2);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_cmpmem (p1, n1 * sizeof (float), p2, n2 * sizeof (float));
  g_assert_cmpstr (g_hash_table_lookup (md2, "config"), ==, "{\"x\":1}");

  /* the summary: an unknown configuration is no configuration; recorded ones are read back */
  PlmNmHeadSummary summary;
  g_assert_true (plm_nm_head_read_summary (path, &summary, &error));
  g_assert_no_error (error);
  g_assert_false (summary.have_config);
  g_assert_false (summary.have_metrics);
  g_assert_true (isnan (summary.test.accuracy));
  g_hash_table_insert (md, "config", "{\"objective\":\"ce\",\"plm\":\"finetune\",\"lambda\":0.5,"
                                     "\"lr\":0.001,\"negatives\":3,\"epochs\":7,\"batch\":16}");
  g_hash_table_insert (md, "metrics", "{\"valid\":{\"accuracy\":0.75},\"test\":{\"accuracy\":0.5,"
                                      "\"macro_f1\":0.25,\"auroc\":0.625},\"best_epoch\":4}");
  g_assert_true (plm_nm_head_save (head, path, md, &error));
  g_assert_true (plm_nm_head_read_summary (path, &summary, &error));
  g_assert_no_error (error);
  g_assert_true (summary.have_config && summary.have_metrics && summary.have_valid && summary.have_test);
  g_assert_cmpint (summary.config.objective, ==, PLM_NM_OBJECTIVE_CE);
  g_assert_cmpint (summary.config.plm_mode, ==, PLM_NM_PLM_FINETUNE);
  g_assert_cmpfloat (summary.config.lambda, ==, 0.5f);
  g_assert_cmpfloat (summary.config.lr, ==, 0.001f);
  g_assert_cmpint (summary.config.n_neg, ==, 3);
  g_assert_cmpint (summary.config.epochs, ==, 7);
  g_assert_cmpint (summary.config.batch, ==, 16);
  g_assert_cmpfloat (summary.valid.accuracy, ==, 0.75);
  g_assert_true (isnan (summary.valid.auroc));
  g_assert_cmpfloat (summary.test.macro_f1, ==, 0.25);
  g_assert_cmpfloat (summary.test.auroc, ==, 0.625);
  g_assert_cmpint (summary.best_epoch, ==, 4);

  /* an ESM-2 checkpoint is not a head */
  const char *root = g_getenv ("PLM_TEST_DATA");
  g_autofree char *model = g_build_filename (root != NULL ? root : "tests/data", "models", "tiny-f32",
                                             "model.safetensors", NULL);
  g_autoptr(PlmNmHead) none = plm_nm_head_load (model, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_unlink (path);
  g_rmdir (dir);
}

/* A small two-class data set whose label depends on composition, so that training learns. */
static PlmDataset *
make_data (int n, uint64_t seed, const char *name)
{
  PlmRng rng;
  GString *csv = g_string_new ("sequence,label\n");
  plm_rng_seed (&rng, seed);
  for (int i = 0; i < n; i++)
    {
      int label = i % 2, len = 8 + (int) plm_rng_below (&rng, 12);
      const char *alphabet = label ? "KRHDE" : "LIVFAW";
      for (int k = 0; k < len; k++)
        {
          gboolean noise = plm_rng_float (&rng) < 0.3f;
          const char *al = noise ? "ACDEFGHIKLMNPQRSTVWY" : alphabet;
          g_string_append_c (csv, al[plm_rng_below (&rng, strlen (al))]);
        }
      g_string_append_printf (csv, ",%s\n", label ? "polar" : "apolar");
    }
  GError *error = NULL;
  PlmDataset *ds = plm_dataset_parse_table (csv->str, name, &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);
  return ds;
}

static PlmModel *
load_tiny (void)
{
  const char *root = g_getenv ("PLM_TEST_DATA");
  g_autofree char *path = g_build_filename (root != NULL ? root : "tests/data", "models", "tiny-f32", NULL);
  GError *error = NULL;
  PlmModel *model = plm_model_load (path, &error);
  g_assert_no_error (error);
  return model;
}

static void
count_epochs (const PlmNmEpochReport *r, gpointer data)
{
  GArray *losses = data;
  g_array_append_val (losses, r->train_ce);
}

static const char *emb_cache_path;   /* used by train_run when set */

static float *
train_run (PlmModel *model, PlmDataset *tr, PlmDataset *va, GPtrArray *classes, const char *out,
           int epochs, gboolean resume, GArray *losses, gsize *n_params)
{
  PlmNmTrainConfig c;
  g_autoptr(GError) error = NULL;
  plm_nm_train_config_init (&c);
  c.epochs = epochs;
  c.batch = 8;
  c.lr = 3e-3f;
  c.max_len = 16;    /* some sequences are truncated */
  c.patience = 0;
  c.d_hidden = 16;
  PlmNmTrainer *t = plm_nm_trainer_new (&c, model, NULL, tr, va, NULL, classes);
  plm_nm_trainer_set_output (t, out);
  plm_nm_trainer_set_embedding_cache (t, emb_cache_path);
  plm_nm_trainer_set_callbacks (t, count_epochs, NULL, losses);
  gboolean resumed = FALSE;
  if (resume)
    {
      g_assert_true (plm_nm_trainer_resume (t, &resumed, &error));
      g_assert_true (resumed);
    }
  g_assert_true (plm_nm_trainer_embed (t, NULL, &error));
  g_assert_true (plm_nm_trainer_run (t, NULL, &error));
  g_assert_no_error (error);
  float *p = plm_nm_head_param_data (plm_nm_trainer_get_head (t), n_params);
  float *copy = g_memdup2 (p, *n_params * sizeof (float));
  plm_nm_trainer_free (t);
  return copy;
}

/* Training 4 epochs equals training 2, being killed, and resuming for 2 more (bit for bit). */
static void
test_resume (void)
{
  g_autoptr(PlmModel) model = load_tiny ();
  g_autoptr(PlmDataset) tr = make_data (40, 1, "train.csv");
  g_autoptr(PlmDataset) va = make_data (16, 2, "valid.csv");
  g_autoptr(GPtrArray) classes = plm_dataset_classes (tr);
  g_autoptr(GError) error = NULL;
  g_assert_true (plm_dataset_map_labels (tr, classes, &error));
  g_assert_true (plm_dataset_map_labels (va, classes, &error));
  g_autofree char *dir = g_dir_make_tmp ("nm-train-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.safetensors", NULL);
  g_autofree char *b = g_build_filename (dir, "b.safetensors", NULL);
  g_autoptr(GArray) la = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lb = g_array_new (FALSE, FALSE, sizeof (double));
  gsize na, nb;

  g_autofree float *pa = train_run (model, tr, va, classes, a, 4, FALSE, la, &na);
  g_free (train_run (model, tr, va, classes, b, 2, FALSE, lb, &nb));
  g_autofree float *pb = train_run (model, tr, va, classes, b, 4, TRUE, lb, &nb);
  g_assert_cmpuint (la->len, ==, 4);
  g_assert_cmpuint (lb->len, ==, 4);
  for (int e = 0; e < 4; e++)
    g_assert_cmpfloat (g_array_index (la, double, e), ==, g_array_index (lb, double, e));
  g_assert_cmpmem (pa, na * sizeof (float), pb, nb * sizeof (float));
  /* it learned something */
  g_assert_cmpfloat (g_array_index (la, double, 3), <, g_array_index (la, double, 0));

  /* the head on disk is the best one and loads */
  g_autoptr(PlmNmHead) h = plm_nm_head_load (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (h);

  g_autofree char *al = g_strdup_printf ("%s.last.safetensors", a);
  g_autofree char *bl = g_strdup_printf ("%s.last.safetensors", b);
  g_unlink (a); g_unlink (b); g_unlink (al); g_unlink (bl);
  g_rmdir (dir);
}

/* A second run reads the embeddings back from the cache file: identical training. */
static void
test_embedding_cache (void)
{
  g_autoptr(PlmModel) model = load_tiny ();
  g_autoptr(PlmDataset) tr = make_data (30, 7, "train.csv");
  g_autoptr(PlmDataset) va = make_data (10, 8, "valid.csv");
  g_autoptr(GPtrArray) classes = plm_dataset_classes (tr);
  g_autoptr(GError) error = NULL;
  g_assert_true (plm_dataset_map_labels (tr, classes, &error));
  g_assert_true (plm_dataset_map_labels (va, classes, &error));
  g_autofree char *dir = g_dir_make_tmp ("nm-train-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "h.safetensors", NULL);
  g_autofree char *cache = g_build_filename (dir, "emb.safetensors", NULL);
  g_autoptr(GArray) l = g_array_new (FALSE, FALSE, sizeof (double));
  gsize n0, n1, n2;

  g_autofree float *p0 = train_run (model, tr, va, classes, out, 2, FALSE, l, &n0);
  emb_cache_path = cache;
  g_autofree float *p1 = train_run (model, tr, va, classes, out, 2, FALSE, l, &n1);
  g_assert_true (g_file_test (cache, G_FILE_TEST_EXISTS));
  GStatBuf st1, st2;
  g_assert_cmpint (g_stat (cache, &st1), ==, 0);
  g_usleep (20000);
  g_autofree float *p2 = train_run (model, tr, va, classes, out, 2, FALSE, l, &n2);
  emb_cache_path = NULL;
  g_assert_cmpint (g_stat (cache, &st2), ==, 0);
  g_assert_cmpmem (p0, n0 * sizeof (float), p1, n1 * sizeof (float));
  g_assert_cmpmem (p0, n0 * sizeof (float), p2, n2 * sizeof (float));
  /* nothing new to embed: the cache was not rewritten */
  g_assert_cmpint (st1.st_mtime, ==, st2.st_mtime);
  g_assert_cmpint (st1.st_ino, ==, st2.st_ino);

  /* every distinct sequence has one tensor */
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < tr->seqs->len; i++)
    g_hash_table_add (distinct, tr->seqs->pdata[i]);
  for (guint i = 0; i < va->seqs->len; i++)
    g_hash_table_add (distinct, va->seqs->pdata[i]);
  PlmSafetensors *sf = plm_safetensors_open (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plm_safetensors_n_tensors (sf), ==, g_hash_table_size (distinct));
  plm_safetensors_free (sf);

  g_autofree char *last = g_strdup_printf ("%s.last.safetensors", out);
  g_unlink (out); g_unlink (last); g_unlink (cache);
  g_rmdir (dir);
}

/* ---- a toy trainable encoder (token embedding table) through the plug-in interface ---- */

typedef struct {
  int     D;
  float  *table, *grad;    /* [33, D] */
  int32_t slot_tokens[8][64];
  int     slot_len[8];
  float   slot_emb[8][64 * 16];
  int     n_backward;
} ToyEncoder;

static const float *
toy_encode (gpointer self, int slot, const int32_t *tokens, int T, GError **error)
{
  ToyEncoder *e = self;
  g_assert (slot < 8 && T <= 64);
  memcpy (e->slot_tokens[slot], tokens, T * sizeof (int32_t));
  e->slot_len[slot] = T;
  for (int t = 0; t < T; t++)
    memcpy (e->slot_emb[slot] + t * e->D, e->table + tokens[t] * e->D, e->D * sizeof (float));
  return e->slot_emb[slot];
}

static void
toy_backward (gpointer self, int slot, const float *d)
{
  ToyEncoder *e = self;
  e->n_backward++;
  for (int t = 0; t < e->slot_len[slot]; t++)
    for (int k = 0; k < e->D; k++)
      e->grad[e->slot_tokens[slot][t] * e->D + k] += d[t * e->D + k];
}

static float *
toy_params (gpointer self, gsize *n)
{
  ToyEncoder *e = self;
  *n = 33 * e->D;
  return e->table;
}

static float *
toy_grads (gpointer self, gsize *n)
{
  ToyEncoder *e = self;
  *n = 33 * e->D;
  return e->grad;
}

/* Trains with the toy encoder; returns how far its parameters moved at most. */
static double
toy_run (float esm_coe, double *ce_first, double *ce_last, int *n_backward)
{
  ToyEncoder *toy = g_new0 (ToyEncoder, 1);
  PlmRng rng;
  toy->D = 16;
  toy->table = g_new (float, 33 * 16);
  toy->grad = g_new0 (float, 33 * 16);
  plm_rng_seed (&rng, 3);
  for (int i = 0; i < 33 * 16; i++)
    toy->table[i] = plm_rng_float (&rng) - 0.5f;
  g_autofree float *initial = g_memdup2 (toy->table, 33 * 16 * sizeof (float));
  PlmNmEncoder enc = { 16, toy_encode, toy_backward, toy_params, toy_grads, NULL, toy };

  g_autoptr(PlmDataset) tr = make_data (32, 5, "train.csv");
  g_autoptr(GPtrArray) classes = plm_dataset_classes (tr);
  g_autoptr(GError) error = NULL;
  g_assert_true (plm_dataset_map_labels (tr, classes, &error));
  PlmNmTrainConfig c;
  plm_nm_train_config_init (&c);
  c.epochs = 6;
  c.batch = 8;
  c.lr = 3e-3f;
  c.esm_coe = esm_coe;
  c.max_len = 24;
  c.d_hidden = 8;
  c.plm_mode = PLM_NM_PLM_FINETUNE;   /* a trainable encoder */
  g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (double));
  PlmNmTrainer *t = plm_nm_trainer_new (&c, NULL, &enc, tr, NULL, NULL, classes);
  plm_nm_trainer_set_callbacks (t, count_epochs, NULL, losses);
  g_assert_true (plm_nm_trainer_embed (t, NULL, &error));
  g_assert_true (plm_nm_trainer_run (t, NULL, &error));
  g_assert_no_error (error);
  double moved = 0;
  for (int i = 0; i < 33 * 16; i++)
    moved = MAX (moved, fabs (toy->table[i] - initial[i]));
  *ce_first = g_array_index (losses, double, 0);
  *ce_last = g_array_index (losses, double, losses->len - 1);
  *n_backward = toy->n_backward;
  plm_nm_trainer_free (t);
  g_free (toy->table);
  g_free (toy->grad);
  g_free (toy);
  return moved;
}

static void
test_encoder_plugin (void)
{
  double first, last, first2, last2;
  int n_backward, n_backward2;
  double moved = toy_run (10.0f, &first, &last, &n_backward);
  double moved_slow = toy_run (1e-3f, &first2, &last2, &n_backward2);
  g_test_message ("encoder moved by up to %.4f (esm_coe 10) and %.2e (esm_coe 1e-3); "
                  "train CE %.4f -> %.4f", moved, moved_slow, first, last);
  /* every anchor and negative was back-propagated into the encoder (6 epochs, 32 items, 1 + 2) */
  g_assert_cmpint (n_backward, ==, 6 * 32 * 3);
  /* the encoder's parameter group runs at esm_coe·lr: Adam moves each step by about lr·coe */
  g_assert_cmpfloat (moved, >, 0.1);
  g_assert_cmpfloat (moved_slow, <, 1e-3);
  g_assert_cmpfloat (last, <, first);
}

/* The names --plm and --objective accept are the strings a checkpoint records. */
static void
test_names (void)
{
  static const char *modes[] = { "frozen", "finetune", "scratch" };
  static const char *objectives[] = { "nm", "ce", "mlp" };
  PlmNmPlmMode mode;
  PlmNmObjective objective;

  for (int i = 0; i < 3; i++)
    {
      g_assert_true (plm_nm_plm_mode_parse (modes[i], &mode));
      g_assert_cmpint (mode, ==, i);
      g_assert_cmpstr (plm_nm_plm_mode_name (mode), ==, modes[i]);
      g_assert_true (plm_nm_objective_parse (objectives[i], &objective));
      g_assert_cmpint (objective, ==, i);
      g_assert_cmpstr (plm_nm_objective_name (objective), ==, objectives[i]);
    }
  g_assert_false (plm_nm_plm_mode_parse ("toy", &mode));
  g_assert_false (plm_nm_plm_mode_parse (NULL, &mode));
  g_assert_false (plm_nm_objective_parse ("NM", &objective));

  PlmNmTrainConfig c;
  plm_nm_train_config_init (&c);
  g_assert_cmpint (c.plm_mode, ==, PLM_NM_PLM_FROZEN);
  g_assert_cmpint (c.objective, ==, PLM_NM_OBJECTIVE_NM);
  g_assert_cmpfloat (c.weight_decay, <, 0.0f);   /* the objective's */
  g_assert_cmpint (c.split_seed, <, 0);          /* the seed */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nm-train/names", test_names);
  g_test_add_func ("/nm-train/metrics", test_metrics);
  g_test_add_func ("/nm-train/truncate", test_truncate);
  g_test_add_func ("/nm-train/checkpoint", test_checkpoint);
  g_test_add_func ("/nm-train/resume", test_resume);
  g_test_add_func ("/nm-train/embedding-cache", test_embedding_cache);
  g_test_add_func ("/nm-train/encoder-plugin", test_encoder_plugin);
  return g_test_run ();
}
