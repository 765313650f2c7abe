/* test-torch.c: the safe .pt reader (plm-torch.c) and the fair-esm → HF mapping
 * (plm-model-pt.c): tensors, shapes and config of the ESM-2 and ESM-1b fixtures made by
 * tests/reference/make_pt_fixtures.py, hostile archives, and truncated or damaged archives. */
#include <string.h>

#include "plm-error.h"
#include "plm-model-pt.h"
#include "plm-model.h"
#include "plm-safetensors.h"
#include "plm-test-util.h"
#include "plm-torch.h"

static void
test_hf_names (void)
{
  static const char *cases[][2] = {
    { "encoder.sentence_encoder.layers.0.self_attn.q_proj.weight", "esm.encoder.layer.0.attention.self.query.weight" },
    { "encoder.sentence_encoder.layers.12.self_attn.k_proj.bias", "esm.encoder.layer.12.attention.self.key.bias" },
    { "encoder.sentence_encoder.layers.3.self_attn.v_proj.weight", "esm.encoder.layer.3.attention.self.value.weight" },
    { "encoder.sentence_encoder.layers.3.self_attn.out_proj.bias", "esm.encoder.layer.3.attention.output.dense.bias" },
    { "encoder.sentence_encoder.layers.1.self_attn.rot_emb.inv_freq",
      "esm.encoder.layer.1.attention.self.rotary_embeddings.inv_freq" },
    { "encoder.sentence_encoder.layers.1.self_attn_layer_norm.weight", "esm.encoder.layer.1.attention.LayerNorm.weight" },
    { "encoder.sentence_encoder.layers.1.fc1.weight", "esm.encoder.layer.1.intermediate.dense.weight" },
    { "encoder.sentence_encoder.layers.1.fc2.bias", "esm.encoder.layer.1.output.dense.bias" },
    { "encoder.sentence_encoder.layers.1.final_layer_norm.bias", "esm.encoder.layer.1.LayerNorm.bias" },
    { "encoder.sentence_encoder.embed_tokens.weight", "esm.embeddings.word_embeddings.weight" },
    { "encoder.sentence_encoder.embed_positions.weight", "esm.embeddings.position_embeddings.weight" },
    { "encoder.sentence_encoder.emb_layer_norm_before.bias", "esm.embeddings.layer_norm.bias" },
    { "encoder.sentence_encoder.emb_layer_norm_after.weight", "esm.encoder.emb_layer_norm_after.weight" },
    { "encoder.lm_head.dense.weight", "lm_head.dense.weight" },
    { "encoder.lm_head.layer_norm.bias", "lm_head.layer_norm.bias" },
    { "encoder.lm_head.weight", "lm_head.decoder.weight" },
    { "encoder.lm_head.bias", "lm_head.bias" },
    { "contact_head.regression.weight", "esm.contact_head.regression.weight" },
    /* already upgraded names (fair-esm's own upgrade strips the prefixes) */
    { "layers.0.fc1.bias", "esm.encoder.layer.0.intermediate.dense.bias" },
    { "embed_tokens.weight", "esm.embeddings.word_embeddings.weight" },
    { "encoder.sentence_encoder.layers.x.fc1.weight", NULL },
    { "encoder.sentence_encoder.layers.0.fc1.weight.extra", NULL },
    { "encoder.sentence_encoder.layers.0.self_attn.bias_k", NULL },
    { "decoder.weight", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hf = plm_fair_esm_hf_name (cases[i][0]);
      g_assert_cmpstr (hf, ==, cases[i][1]);
    }
}

/* Every tensor of the HF checkpoint (but HF's position_ids) is in the .pt with its shape and values. */
static void
assert_matches_hf (PlmFairEsm *fe, const char *hf_file, gboolean tied)
{
  g_autoptr(GError) error = NULL;
  PlmSafetensors *st = plm_safetensors_open (hf_file, &error);
  g_assert_no_error (error);
  guint n = 0;
  for (guint i = 0; i < plm_safetensors_n_tensors (st); i++)
    {
      const PlmTensorInfo *h = plm_safetensors_get_nth (st, i);
      if (strcmp (h->name, "esm.embeddings.position_ids") == 0)
        continue;
      const PlmTensorInfo *p = g_hash_table_lookup (fe->tensors, h->name);
      if (p == NULL)
        g_error ("%s missing from %s", h->name, fe->path);
      g_assert_cmpint (p->dtype, ==, h->dtype);
      g_assert_cmpint (p->n_dims, ==, h->n_dims);
      for (int d = 0; d < h->n_dims; d++)
        g_assert_cmpint (p->shape[d], ==, h->shape[d]);
      g_assert_cmpmem (p->data, p->n_bytes, h->data, h->n_bytes);
      n++;
    }
  g_assert_cmpuint (n + (tied ? 0 : 1), ==, g_hash_table_size (fe->tensors));
  plm_safetensors_free (st);
}

static void
test_esm2_pt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = plm_test_data_path ("models", "pt", "esm2_tiny.pt", NULL);
  g_autofree char *hf = plm_test_data_path ("models", "tiny-f32", "model.safetensors", NULL);
  g_autoptr(PlmFairEsm) fe = plm_fair_esm_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (fe->esm1b);
  g_assert_cmpstr (fe->name, ==, "esm2_tiny");
  g_assert_nonnull (fe->regression_path);
  g_assert_true (g_str_has_suffix (fe->regression_path, "esm2_tiny-contact-regression.pt"));
  assert_matches_hf (fe, hf, TRUE);
  g_assert_null (g_hash_table_lookup (fe->tensors, "lm_head.decoder.weight"));   /* tied: omitted */

  /* the config is HF's for the same model */
  g_autofree char *cfg = plm_test_data_path ("models", "tiny-f32", "config.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (cfg, &text, NULL, NULL));
  g_assert_cmpstr (fe->config_json, ==, text);

  /* and the model loads with the same weights */
  g_autoptr(PlmModel) a = plm_model_load (path, &error);
  g_assert_no_error (error);
  g_autofree char *hf_dir = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autoptr(PlmModel) b = plm_model_load (hf_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->n_params, ==, b->n_params);
  g_assert_true (a->has_contact_head && a->has_lm_head && a->lm_decoder == a->embed);
  g_assert_cmpmem (a->layers[1].w2, 32 * 128 * 4, b->layers[1].w2, 32 * 128 * 4);
  g_assert_cmpmem (a->contact_w, 8 * 4, b->contact_w, 8 * 4);
  g_assert_cmpstr (a->name, ==, "esm2_tiny");
}

static void
test_esm2_pt_f16 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = plm_test_data_path ("models", "pt", "esm2_tiny_f16.pt", NULL);
  g_autofree char *hf = plm_test_data_path ("models", "tiny-f16", "model.safetensors", NULL);
  g_autoptr(PlmFairEsm) fe = plm_fair_esm_open (path, &error);
  g_assert_no_error (error);
  assert_matches_hf (fe, hf, TRUE);
}

/* ESM-1b: tensors and config at the mapping level (the forward pass is separate work). */
static void
test_esm1b_pt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = plm_test_data_path ("models", "pt", "esm1b_tiny.pt", NULL);
  g_autoptr(PlmFairEsm) fe = plm_fair_esm_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (fe->esm1b);
  g_assert_nonnull (fe->regression_path);
  static const struct { const char *name; int nd; int64_t d0, d1; } expect[] = {
    { "esm.embeddings.word_embeddings.weight", 2, 33, 32 },
    { "esm.embeddings.position_embeddings.weight", 2, 1026, 32 },
    { "esm.embeddings.layer_norm.weight", 1, 32, 0 },
    { "esm.embeddings.layer_norm.bias", 1, 32, 0 },
    { "esm.encoder.layer.0.attention.self.query.weight", 2, 32, 32 },
    { "esm.encoder.layer.1.attention.output.dense.bias", 1, 32, 0 },
    { "esm.encoder.layer.1.intermediate.dense.weight", 2, 128, 32 },
    { "esm.encoder.layer.1.output.dense.weight", 2, 32, 128 },
    { "esm.encoder.emb_layer_norm_after.weight", 1, 32, 0 },
    { "lm_head.dense.weight", 2, 32, 32 },
    { "lm_head.bias", 1, 33, 0 },
    { "esm.contact_head.regression.weight", 2, 1, 8 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      const PlmTensorInfo *t = g_hash_table_lookup (fe->tensors, expect[i].name);
      if (t == NULL)
        g_error ("%s missing", expect[i].name);
      g_assert_cmpint (t->n_dims, ==, expect[i].nd);
      g_assert_cmpint (t->shape[0], ==, expect[i].d0);
      if (expect[i].nd == 2)
        g_assert_cmpint (t->shape[1], ==, expect[i].d1);
    }
  /* 16 per layer, 2 embeddings + 2 LN before + 2 LN after, 5 LM head, 2 contact head */
  g_assert_cmpuint (g_hash_table_size (fe->tensors), ==, 2 * 16 + 6 + 5 + 2);
  g_assert_null (g_hash_table_lookup (fe->tensors, "esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq"));
  g_assert_nonnull (strstr (fe->config_json, "\"position_embedding_type\": \"absolute\""));
  g_assert_nonnull (strstr (fe->config_json, "\"emb_layer_norm_before\": true"));
  g_assert_nonnull (strstr (fe->config_json, "\"token_dropout\": true"));
  g_assert_nonnull (strstr (fe->config_json, "\"intermediate_size\": 128"));
  g_assert_nonnull (strstr (fe->config_json, "\"max_position_embeddings\": 1026"));

  /* fair-esm zeroes the <mask> row (32) of ESM-1b's embeddings; the others are the stored ones */
  const PlmTensorInfo *e = g_hash_table_lookup (fe->tensors, "esm.embeddings.word_embeddings.weight");
  const float *w = e->data;
  for (int j = 0; j < 32; j++)
    g_assert_cmpfloat (w[32 * 32 + j], ==, 0.0f);
  g_autofree char *hf = plm_test_data_path ("models", "tiny-sharded", "model-00001-of-00002.safetensors", NULL);
  PlmSafetensors *st = plm_safetensors_open (hf, &error);
  g_assert_no_error (error);
  const PlmTensorInfo *h = plm_safetensors_lookup (st, "esm.embeddings.word_embeddings.weight");
  g_assert_cmpmem (w, 32 * 32 * 4, h->data, 32 * 32 * 4);
  plm_safetensors_free (st);
}

static void
test_hostile (void)
{
  static const struct { const char *file, *expect; } cases[] = {
    { "hostile-global.pt", "os.system" },
    { "hostile-reduce.pt", "REDUCE on argparse.Namespace" },
    { "hostile-outside.pt", "not a plain name" },
    { "hostile-missing.pt", "outside the archive" },
    { "hostile-oversize.pt", "exceeds its storage" },
    { "hostile-storage.pt", "claims" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = plm_test_data_path ("models", "pt", cases[i].file, NULL);
      PlmTorchFile *tf = plm_torch_open (path, &error);
      g_assert_null (tf);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      if (strstr (error->message, cases[i].expect) == NULL)
        g_error ("%s: '%s' not in: %s", cases[i].file, cases[i].expect, error->message);
    }
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = plm_test_data_path ("models", "pt", "valid-minimal.pt", NULL);
  g_autoptr(PlmTorchFile) tf = plm_torch_open (ok, &error);
  g_assert_no_error (error);
  const PlmPyValue *t = plm_py_get (plm_py_get (plm_torch_root (tf), "model"), "embed_tokens.weight");
  g_assert_nonnull (t);
  g_assert_cmpint (t->kind, ==, PLM_PY_TENSOR);
  g_assert_cmpint (t->tensor.shape[0], ==, 4);
  /* storage bytes need not be 4-byte aligned in a zip entry (the engine copies those) */
  float x3;
  memcpy (&x3, (const char *) t->tensor.data + 3 * sizeof (float), sizeof x3);
  g_assert_cmpfloat (x3, ==, 3.0f);
}

/* Every truncation and many single-byte changes of a real archive fail cleanly or load. */
static void
test_damaged (void)
{
  g_autofree char *path = plm_test_data_path ("models", "pt", "esm2_tiny-contact-regression.pt", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      guint8 *copy = g_memdup2 (data, cut);
      PlmTorchFile *tf = plm_torch_open_bytes (copy, cut, "truncated", &error);
      g_assert_null (tf);   /* the central directory is at the end: any cut loses it */
      g_assert_nonnull (error);
      g_free (copy);
    }
  guint n_loaded = 0;
  for (gsize pos = 0; pos < len; pos++)
    {
      g_autoptr(GError) error = NULL;
      guint8 *copy = g_memdup2 (data, len);
      copy[pos] ^= 0x5a;
      PlmTorchFile *tf = plm_torch_open_bytes (copy, len, "flipped", &error);
      g_assert_true ((tf == NULL) == (error != NULL));
      n_loaded += tf != NULL;
      plm_torch_free (tf);
      g_free (copy);
    }
  g_assert_cmpuint (n_loaded, >, 0);   /* changes inside tensor data are harmless */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/torch/hf-names", test_hf_names);
  g_test_add_func ("/torch/esm2-pt", test_esm2_pt);
  g_test_add_func ("/torch/esm2-pt-f16", test_esm2_pt_f16);
  g_test_add_func ("/torch/esm1b-pt", test_esm1b_pt);
  g_test_add_func ("/torch/hostile", test_hostile);
  g_test_add_func ("/torch/damaged", test_damaged);
  return g_test_run ();
}
