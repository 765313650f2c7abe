/* test-esm-save.c: the fine-tuning encoder's checkpoints: saved and read back to the same
 * forward pass (ESM-2 tied and untied, ESM-1b with its position table), and seeded random
 * initialisation. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-esm-train.h"
#include "plm-esm.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

static void
forward_both_ways (PlmEsmTrainable *t, const char *dir, const int32_t *tokens, int T)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) loaded = plm_model_load (dir, &error);
  g_assert_no_error (error);
  int d = plm_esm_trainable_get_config (t)->d_model;
  g_autofree float *emb = g_new (float, (gsize) T * d);
  gboolean ok;

  g_assert_true (plm_esm_trainable_forward (t, tokens, T, emb, &error));
  g_autoptr(PlmEsmState) state = plm_esm_state_new (loaded);
  PlmForwardOptions opt = { .want_embeddings = TRUE };
  PlmForwardOutput out;
  g_assert_true (plm_esm_forward (state, tokens, T, &opt, &out, &error));
  g_assert_no_error (error);
  plm_test_compare ("round trip embeddings", emb, out.embeddings, (guint64) T * d, 1e-6, &ok);
  g_assert_true (ok);
  plm_forward_output_clear (&out);
}

/* One SGD step (a random upstream gradient, step 0.05) so that the saved weights differ from the
 * source's, then saved to @dir and compared both ways. */
static void
step_save_and_compare (PlmEsmTrainable *t, GRand *r, const int32_t *tokens, int T, int d, const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *R = g_new (float, (gsize) T * d);
  gsize n;

  plm_test_fill_random (r, R, (gsize) T * d, -1, 1);
  plm_esm_trainable_zero_grad (t);
  g_assert_true (plm_esm_trainable_backward (t, tokens, T, R, &error));
  float *p = plm_esm_trainable_get_params (t, &n), *g = plm_esm_trainable_get_grads (t, NULL);
  for (gsize i = 0; i < n; i++)
    p[i] -= 0.05f * g[i];
  g_assert_true (plm_esm_trainable_save (t, dir, &error));
  g_assert_no_error (error);
  forward_both_ways (t, dir, tokens, T);
}

static void
test_save_round_trip (void)
{
  g_autofree char *tiny = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autoptr(PlmModel) m = plm_model_load (tiny, NULL);

  g_assert_nonnull (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmEsmTrainable) t = plm_esm_trainable_new_from_model (m, &error);
  g_autofree char *tmp = g_dir_make_tmp ("plm-esm-grad-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "tuned", NULL);
  const int32_t tokens[] = { PLM_TOKEN_CLS, 20, 15, 11, 5, 32, 19, 12, 5, PLM_TOKEN_EOS };
  const int T = G_N_ELEMENTS (tokens), d = m->config.d_model;
  g_autoptr(GRand) r = g_rand_new_with_seed (19);

  /* one SGD step so that the saved weights differ from the source's */
  step_save_and_compare (t, r, tokens, T, d, dir);
  const float *p = plm_esm_trainable_get_params (t, NULL);

  /* the heads went through unchanged, the decoder stays tied to the (tuned) embeddings */
  g_autoptr(PlmModel) loaded = plm_model_load (dir, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->has_lm_head && loaded->has_contact_head);
  g_assert_true (loaded->lm_decoder == loaded->embed);
  g_assert_cmpmem (loaded->lm_dense_w, sizeof (float) * d * d, m->lm_dense_w, sizeof (float) * d * d);
  g_assert_cmpmem (loaded->lm_bias, sizeof (float) * 33, m->lm_bias, sizeof (float) * 33);
  g_assert_cmpmem (loaded->contact_w, sizeof (float) * 8, m->contact_w, sizeof (float) * 8);
  g_assert_cmpfloat (loaded->contact_b, ==, m->contact_b);
  const PlmEsmParamInfo *wq = plm_esm_trainable_lookup (t, "esm.encoder.layer.1.attention.self.query.weight");
  g_assert_nonnull (wq);
  g_assert_cmpmem (loaded->layers[1].wq, sizeof (float) * d * d, p + wq->offset, sizeof (float) * d * d);
  g_assert_true (memcmp (loaded->layers[1].wq, m->layers[1].wq, sizeof (float) * d * d) != 0);
  g_assert_cmpint (loaded->config.n_layers, ==, m->config.n_layers);
  g_assert_cmpint (loaded->config.d_ffn, ==, m->config.d_ffn);
  g_assert_cmpint (loaded->config.token_dropout, ==, m->config.token_dropout);

  /* full forward including logits and contacts runs on the saved checkpoint */
  g_autoptr(PlmEsmState) state = plm_esm_state_new (loaded);
  PlmForwardOutput out;
  g_assert_true (plm_esm_forward (state, tokens, T, NULL, &out, &error));
  g_assert_no_error (error);
  g_assert_nonnull (out.logits);
  g_assert_nonnull (out.contacts);
  plm_forward_output_clear (&out);

  plm_test_rm_rf (tmp);
}

/* Untouched weights: the saved checkpoint is the source model, LM head (here untied, so its
 * decoder goes through) and contact head included: same logits and contacts. */
static void
test_save_untied_identity (void)
{
  g_autofree char *path = plm_test_data_path ("models", "tiny-sharded", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) m = plm_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (m->lm_decoder != m->embed);
  g_autoptr(PlmEsmTrainable) t = plm_esm_trainable_new_from_model (m, &error);
  g_autofree char *tmp = g_dir_make_tmp ("plm-esm-grad-XXXXXX", &error);
  g_assert_true (plm_esm_trainable_save (t, tmp, &error));
  g_assert_no_error (error);
  g_autoptr(PlmModel) loaded = plm_model_load (tmp, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->lm_decoder != loaded->embed);
  g_assert_cmpint (loaded->n_params, ==, m->n_params);

  const int32_t tokens[] = { PLM_TOKEN_CLS, 20, 15, 11, 5, 32, 19, 12, 5, 9, PLM_TOKEN_EOS };
  const int T = G_N_ELEMENTS (tokens), L = T - 2;
  g_autoptr(PlmEsmState) s1 = plm_esm_state_new (m);
  g_autoptr(PlmEsmState) s2 = plm_esm_state_new (loaded);
  PlmForwardOutput o1, o2;
  gboolean ok;
  g_assert_true (plm_esm_forward (s1, tokens, T, NULL, &o1, &error));
  g_assert_true (plm_esm_forward (s2, tokens, T, NULL, &o2, &error));
  g_assert_no_error (error);
  plm_test_compare ("saved logits", o2.logits, o1.logits, (guint64) T * 33, 0.0, &ok);
  g_assert_true (ok);
  plm_test_compare ("saved contacts", o2.contacts, o1.contacts, (guint64) L * L, 0.0, &ok);
  g_assert_true (ok);
  plm_forward_output_clear (&o1);
  plm_forward_output_clear (&o2);

  plm_test_rm_rf (tmp);
}

/* ESM-1b: trainable from the checkpoint, saved with its position table and embedding LayerNorm
 * (config.json says absolute / emb_layer_norm_before), read back to the same forward; the trainer
 * refuses what the position table cannot hold. */
static void
test_save_round_trip_esm1b (void)
{
  g_autofree char *path = plm_test_data_path ("models", "tiny-esm1b", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) m = plm_model_load (path, &error);
  g_assert_no_error (error);
  g_autoptr(PlmEsmTrainable) t = plm_esm_trainable_new_from_model (m, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plm_esm_trainable_lookup (t, "esm.embeddings.position_embeddings.weight"));
  g_assert_nonnull (plm_esm_trainable_lookup (t, "esm.embeddings.layer_norm.bias"));
  g_autofree char *tmp = g_dir_make_tmp ("plm-esm-grad-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "tuned", NULL);
  const int32_t tokens[] = { PLM_TOKEN_CLS, 20, 15, 11, 5, 32, 19, 12, 5, PLM_TOKEN_EOS };
  const int T = G_N_ELEMENTS (tokens), d = m->config.d_model;
  g_autoptr(GRand) r = g_rand_new_with_seed (23);

  /* the trainable's forward is the inference forward */
  {
    g_autofree float *emb = g_new (float, (gsize) T * d);
    g_autoptr(PlmEsmState) state = plm_esm_state_new (m);
    PlmForwardOptions opt = { .want_embeddings = TRUE };
    PlmForwardOutput out;
    gboolean ok;
    g_assert_true (plm_esm_trainable_forward (t, tokens, T, emb, &error));
    g_assert_true (plm_esm_forward (state, tokens, T, &opt, &out, &error));
    g_assert_no_error (error);
    plm_test_compare ("esm1b trainable vs inference", emb, out.embeddings, (guint64) T * d, 1e-6, &ok);
    g_assert_true (ok);
    plm_forward_output_clear (&out);
  }

  step_save_and_compare (t, r, tokens, T, d, dir);
  const float *p = plm_esm_trainable_get_params (t, NULL);

  g_autoptr(PlmModel) loaded = plm_model_load (dir, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->config.absolute_positions && loaded->config.emb_layer_norm_before);
  g_assert_cmpint (loaded->config.max_positions, ==, m->config.max_positions);
  const PlmEsmParamInfo *pos = plm_esm_trainable_lookup (t, "esm.embeddings.position_embeddings.weight");
  g_assert_cmpmem (loaded->pos_embed, pos->n_elements * sizeof (float), p + pos->offset,
                   pos->n_elements * sizeof (float));
  g_assert_true (memcmp (loaded->pos_embed, m->pos_embed, pos->n_elements * sizeof (float)) != 0);

  /* longer than the table: refused by forward and backward alike */
  int Tl = plm_esm_config_max_tokens (&m->config) + 1;
  g_autofree int32_t *longer = g_new (int32_t, Tl);
  g_autofree float *emb = g_new0 (float, (gsize) Tl * d);
  longer[0] = PLM_TOKEN_CLS;
  for (int i = 1; i < Tl - 1; i++)
    longer[i] = 5;
  longer[Tl - 1] = PLM_TOKEN_EOS;
  g_assert_false (plm_esm_trainable_forward (t, longer, Tl, emb, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_false (plm_esm_trainable_backward (t, longer, Tl, emb, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);

  plm_test_rm_rf (tmp);
}

static void
test_random_init (void)
{
  PlmEsmConfig cfg = { .n_layers = 2, .d_model = 64, .n_heads = 4, .d_head = 16, .d_ffn = 256,
                       .vocab_size = PLM_VOCAB_SIZE, .max_positions = 1026, .layer_norm_eps = 1e-5f,
                       .token_dropout = TRUE, .mask_token_id = PLM_TOKEN_MASK, .pad_token_id = PLM_TOKEN_PAD };
  g_autoptr(PlmEsmTrainable) a = plm_esm_trainable_new_random (&cfg, 42);
  g_autoptr(PlmEsmTrainable) b = plm_esm_trainable_new_random (&cfg, 42);
  g_autoptr(PlmEsmTrainable) c = plm_esm_trainable_new_random (&cfg, 43);
  gsize n, n_b;
  float *pa = plm_esm_trainable_get_params (a, &n), *pb = plm_esm_trainable_get_params (b, &n_b);
  g_assert_cmpuint (n, ==, n_b);
  g_assert_cmpuint (n * sizeof (float), ==, plm_esm_config_weight_bytes (&cfg)
                    - 4 * (guint64) (cfg.d_model * cfg.d_model + 3 * cfg.d_model + cfg.vocab_size
                                     + cfg.n_layers * cfg.n_heads + 1));
  g_assert_cmpmem (pa, n * sizeof (float), pb, n * sizeof (float));
  g_assert_true (memcmp (pa, plm_esm_trainable_get_params (c, NULL), n * sizeof (float)) != 0);

  guint n_tensors;
  const PlmEsmParamInfo *info = plm_esm_trainable_get_tensors (a, &n_tensors);
  double s = 0, ss = 0;
  gsize cnt = 0;
  for (guint i = 0; i < n_tensors; i++)
    {
      const float *x = pa + info[i].offset;
      gboolean is_ln_w = g_str_has_suffix (info[i].name, "LayerNorm.weight")
                         || g_str_has_suffix (info[i].name, "emb_layer_norm_after.weight");
      for (gsize j = 0; j < info[i].n_elements; j++)
        {
          if (info[i].n_dims == 2)
            {
              s += x[j];
              ss += (double) x[j] * x[j];
              cnt++;
            }
          else
            g_assert_cmpfloat (x[j], ==, is_ln_w ? 1.0f : 0.0f);
        }
    }
  double mean = s / cnt, sd = sqrt (ss / cnt - mean * mean);
  g_test_message ("random init: %zu matrix entries, mean %.3g, sd %.4g (0.02 wanted)", cnt, mean, sd);
  g_assert_cmpfloat (fabs (mean), <, 1e-3);
  g_assert_cmpfloat (fabs (sd - 0.02), <, 0.02 * 0.02);
  for (int i = 0; i < cfg.d_model; i++)
    g_assert_cmpfloat (pa[PLM_TOKEN_PAD * cfg.d_model + i], ==, 0.0f);

  /* an encoder-only checkpoint loads (no LM head, no contact head) and agrees */
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("plm-esm-grad-XXXXXX", &error);
  g_assert_true (plm_esm_trainable_save (a, tmp, &error));
  g_assert_no_error (error);
  g_autoptr(PlmModel) loaded = plm_model_load (tmp, &error);
  g_assert_no_error (error);
  g_assert_false (loaded->has_lm_head);
  g_assert_false (loaded->has_contact_head);
  const int32_t tokens[] = { PLM_TOKEN_CLS, 6, 6, 32, 17, PLM_TOKEN_EOS };
  forward_both_ways (a, tmp, tokens, G_N_ELEMENTS (tokens));
  plm_test_rm_rf (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/esm-save/round-trip", test_save_round_trip);
  g_test_add_func ("/esm-save/untied-identity", test_save_untied_identity);
  g_test_add_func ("/esm-save/round-trip-esm1b", test_save_round_trip_esm1b);
  g_test_add_func ("/esm-save/random-init", test_random_init);
  return g_test_run ();
}
