/* test-parity.c: the engine's outputs against reference outputs: the project's own PyTorch
 * reference fixtures (F32, F16, BF16, sharded/untied; <mask> and unknown residues; the 8M shape
 * generated at build time by tests/models; the ESM-1b architecture) and, when present, upstream
 * fair-esm outputs in ../shared/fixtures (ESM-2 and ESM-1b). Every case runs twice: with the
 * products in OpenBLAS (a model as loaded) and in the engine's fp32-panel kernel (what
 * plm_model_set_precision (fp32) gives the app and the CLI), "…/fp32-panels". */
#include <string.h>

#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-model.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

#define REL_TOL 1e-4

typedef struct {
  char *model_dir;
  char *ref_dir;     /* contains <record>/… */
  char *fasta;
  char *name;
  gboolean panels;   /* plm_model_set_precision (fp32): the fp32-panel kernel */
} ParityCase;

typedef struct {
  float *all;        /* [layers, heads, T, T] */
  int    n_layers;
} AttentionCollector;

static gboolean
collect_attention (int layer, const float *probs, int n_heads, int T, gpointer data)
{
  AttentionCollector *c = data;
  gsize per_layer = (gsize) n_heads * T * T;
  memcpy (c->all + (gsize) layer * per_layer, probs, per_layer * sizeof (float));
  return TRUE;
}

static void
compare_file (const char *dir, const char *file, const float *ours, guint64 n, const char *label)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  PlmNpyArray ref;
  gboolean ok = FALSE;

  plm_test_load_npy (path, &ref);
  g_assert_cmpint (ref.type, ==, PLM_NPY_F32);
  g_assert_cmpuint (ref.n_elements, ==, n);
  g_autofree char *what = g_strdup_printf ("%s %s", label, file);
  plm_test_compare (what, ours, ref.data, n, REL_TOL, &ok);
  plm_npy_array_clear (&ref);
  g_assert_true (ok);
}

static void
run_case (gconstpointer data)
{
  const ParityCase *pc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) model = plm_model_load (pc->model_dir, &error);
  g_assert_no_error (error);
  if (pc->panels)
    {
      g_assert_cmpint (plm_model_set_precision (model, PLM_PRECISION_FP32, PLM_ISA_AVX512), ==, PLM_PRECISION_FP32);
      if (model->lowp == NULL)
        g_test_message ("this CPU has no AVX2 and FMA: no fp32 panels, the products stay OpenBLAS's");
      else
        g_test_message ("fp32 panels, %s kernel", plm_isa_name (plm_lowp_isa (model->lowp)));
    }
  g_autoptr(GPtrArray) records = plm_fasta_read (pc->fasta, &error);
  g_assert_no_error (error);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  const PlmEsmConfig *c = &model->config;
  guint checked = 0;

  for (guint r = 0; r < records->len; r++)
    {
      PlmFastaRecord *rec = records->pdata[r];
      g_autofree char *dir = g_build_filename (pc->ref_dir, rec->id, NULL);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        continue;
      int T = 0;
      g_autofree int32_t *tokens = plm_tokenize (rec->sequence, &T);
      g_autofree char *label = g_strdup_printf ("%s/%s", model->name, rec->id);

      /* tokens exact */
      g_autofree char *tok_path = g_build_filename (dir, "tokens.npy", NULL);
      PlmNpyArray ref_tokens;
      plm_test_load_npy (tok_path, &ref_tokens);
      g_assert_cmpuint (ref_tokens.n_elements, ==, (guint64) T);
      g_assert_cmpmem (ref_tokens.data, T * sizeof (int32_t), tokens, T * sizeof (int32_t));
      plm_npy_array_clear (&ref_tokens);

      g_autofree char *att_path = g_build_filename (dir, "attentions.npy", NULL);
      gboolean have_att = g_file_test (att_path, G_FILE_TEST_EXISTS);
      AttentionCollector col = { NULL, c->n_layers };
      if (have_att)
        col.all = g_new0 (float, (gsize) c->n_layers * c->n_heads * T * T);
      PlmForwardOptions opt = {
        .want_logits = TRUE, .want_embeddings = TRUE, .want_contacts = TRUE,
        .attention_func = have_att ? collect_attention : NULL, .attention_data = &col,
      };
      PlmForwardOutput out;
      gboolean ok = plm_esm_forward (state, tokens, T, &opt, &out, &error);
      g_assert_no_error (error);
      g_assert_true (ok);

      compare_file (dir, "logits.npy", out.logits, (guint64) T * c->vocab_size, label);
      compare_file (dir, "last_hidden.npy", out.embeddings, (guint64) T * c->d_model, label);
      compare_file (dir, "contacts.npy", out.contacts, (guint64) (T - 2) * (T - 2), label);
      if (have_att)
        compare_file (dir, "attentions.npy", col.all, (guint64) c->n_layers * c->n_heads * T * T, label);
      g_free (col.all);
      plm_forward_output_clear (&out);
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
}

/* ESM-1b's learned positions end: tiny-esm1b has 130 rows, so 128 tokens run and 129 are refused
 * with an error (not a read past the table). */
static void
test_esm1b_length_limit (void)
{
  g_autofree char *path = plm_test_data_path ("models", "tiny-esm1b", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) model = plm_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plm_esm_config_max_tokens (&model->config), ==, 128);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  PlmForwardOptions opt = { .want_logits = TRUE, .want_contacts = TRUE };
  PlmForwardOutput out;

  for (int T = 128; T <= 129; T++)
    {
      g_autofree int32_t *tokens = g_new (int32_t, T);
      tokens[0] = PLM_TOKEN_CLS;
      for (int t = 1; t < T - 1; t++)
        tokens[t] = 4 + t % 20;
      tokens[T - 1] = PLM_TOKEN_EOS;
      gboolean ok = plm_esm_forward (state, tokens, T, &opt, &out, &error);
      if (T == 128)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          plm_forward_output_clear (&out);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
          g_test_message ("%s", error->message);
          g_assert_nonnull (strstr (error->message, "127 residues is beyond the 126"));
          g_clear_error (&error);
        }
    }
}

static void
test_esm1b_config (void)
{
  g_autofree char *path = plm_test_data_path ("models", "tiny-esm1b", NULL);
  g_autofree char *esm2 = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmModel) m = plm_model_load (path, &error);
  g_assert_no_error (error);
  g_autoptr(PlmModel) m2 = plm_model_load (esm2, &error);
  g_assert_no_error (error);

  g_assert_true (m->config.absolute_positions && m->config.emb_layer_norm_before);
  g_assert_true (m->config.token_dropout);   /* ESM-1b keeps the ×0.88 rescale */
  g_assert_nonnull (m->pos_embed);
  g_assert_nonnull (m->emb_ln_w);
  g_assert_cmpstr (plm_esm_config_architecture (&m->config), ==, "ESM-1b");
  g_assert_cmpstr (plm_esm_config_architecture (&m2->config), ==, "ESM-2");
  g_assert_cmpint (plm_esm_config_max_tokens (&m2->config), ==, 0);
  g_assert_null (m2->pos_embed);
  /* the parameters used and the memory estimate count the position table and the LayerNorm */
  g_assert_cmpuint (plm_esm_config_weight_bytes (&m->config), ==, 4 * (guint64) m->n_params);
  g_assert_cmpuint (plm_esm_config_weight_bytes (&m2->config), ==, 4 * (guint64) m2->n_params);
}

static void
skip_case (gconstpointer data)
{
  g_test_skip (data);
}

static void
free_case (gpointer data)
{
  ParityCase *pc = data;
  g_free (pc->model_dir);
  g_free (pc->ref_dir);
  g_free (pc->fasta);
  g_free (pc->name);
  g_free (pc);
}

int
main (int argc, char **argv)
{
  static const char *own[] = { "tiny-f32", "tiny-f16", "tiny-bf16", "tiny-sharded", "tiny-esm1b" };
  static const char *upstream[] = { "esm2_tiny_f32", "esm2_8Mshape_f32", "esm1b_tiny_f32" };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (free_case);
  g_autofree char *shared = plm_test_shared_fixtures ();

  g_test_init (&argc, &argv, NULL);
  plm_engine_set_threads (2);

  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    {
      ParityCase *pc = g_new0 (ParityCase, 1);
      pc->model_dir = plm_test_data_path ("models", own[i], NULL);
      pc->ref_dir = plm_test_data_path ("ref", own[i], NULL);
      pc->fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
      g_ptr_array_add (cases, pc);
      pc->name = g_strdup_printf ("/parity/pytorch-reference/%s", own[i]);
      g_test_add_data_func (pc->name, pc, run_case);
    }
  /* the 8M shape (6 × 320 × 20), written by tests/models/plm-make-checkpoint at build time */
  {
    const char *gen = g_getenv ("PLM_TEST_MODEL_8M");
    g_assert_nonnull (gen);
    ParityCase *pc = g_new0 (ParityCase, 1);
    pc->model_dir = g_strdup (gen);
    pc->ref_dir = plm_test_data_path ("ref", "esm2_8Mshape_random", NULL);
    pc->fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
    pc->name = g_strdup ("/parity/pytorch-reference/esm2_8Mshape_random");
    g_ptr_array_add (cases, pc);
    g_test_add_data_func (pc->name, pc, run_case);
  }
  for (guint i = 0; i < G_N_ELEMENTS (upstream); i++)
    {
      g_autofree char *name = g_strdup_printf ("/parity/upstream-fair-esm/%s", upstream[i]);
      if (shared == NULL)
        {
          g_test_add_data_func (name, "extra check against upstream fair-esm outputs: ../shared/fixtures "
                                "(PLM_SHARED_FIXTURES) is not beside the source tree; /parity/pytorch-reference/* "
                                "covers the same shapes", skip_case);
          continue;
        }
      ParityCase *pc = g_new0 (ParityCase, 1);
      pc->model_dir = g_build_filename (shared, upstream[i], NULL);
      pc->ref_dir = g_build_filename (shared, upstream[i], "ref", NULL);
      pc->fasta = g_build_filename (shared, "upstream-seqs.fasta", NULL);
      pc->name = g_strdup (name);
      g_ptr_array_add (cases, pc);
      g_test_add_data_func (name, pc, run_case);
    }
  for (guint i = 0, n = cases->len; i < n; i++)
    {
      const ParityCase *plain = cases->pdata[i];
      ParityCase *pc = g_new0 (ParityCase, 1);
      pc->model_dir = g_strdup (plain->model_dir);
      pc->ref_dir = g_strdup (plain->ref_dir);
      pc->fasta = g_strdup (plain->fasta);
      pc->name = g_strconcat (plain->name, "/fp32-panels", NULL);
      pc->panels = TRUE;
      g_ptr_array_add (cases, pc);
      g_test_add_data_func (pc->name, pc, run_case);
    }
  g_test_add_func ("/parity/esm1b/length-limit", test_esm1b_length_limit);
  g_test_add_func ("/parity/esm1b/config", test_esm1b_config);
  return g_test_run ();
}
