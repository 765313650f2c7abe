/* plm-nm-train.c: the NM-Transformer training loop, metrics and head checkpoints.
 *
 * Reproducibility: epoch e shuffles and samples negatives from a generator seeded with
 * (seed, e) only, so a run resumed after epoch e continues exactly as if never stopped;
 * the resumable state is (epoch, Adam moments and step, best head, early-stopping counter). */
#include "plm-nm-train.h"
#include "plm-esm-train.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "plm-adam.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-resources.h"
#include "plm-rng.h"
#include "plm-safetensors.h"
#include "plm-tokenizer.h"

#define HEAD_FORMAT "plmlens-nm-head-1"

/* a local alias, so that an autoptr for the engine type added later cannot clash */
typedef PlmSafetensors NmSafetensors;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NmSafetensors, plm_safetensors_free)

const char *
plm_nm_objective_name (PlmNmObjective objective)
{
  switch (objective)
    {
    case PLM_NM_OBJECTIVE_NM: return "nm";
    case PLM_NM_OBJECTIVE_CE: return "ce";
    case PLM_NM_OBJECTIVE_MLP: return "mlp";
    default: return "?";
    }
}

void
plm_nm_train_config_init (PlmNmTrainConfig *c)
{
  memset (c, 0, sizeof *c);
  c->task = PLM_DATA_PROTEIN;
  c->objective = PLM_NM_OBJECTIVE_NM;
  c->fasta_label = PLM_FASTA_LABEL_LOCATION;
  c->n_neg = 2;
  c->lambda = 0.1f;
  c->lr = 1e-4f;
  c->esm_coe = 10.0f;
  c->weight_decay = 1e-5f;
  c->epochs = 100;
  c->batch = 50;
  c->max_len = 512;
  c->seed = 42;
  c->patience = 4;
  c->d_hidden = 128;
  c->n_heads = 1;
  c->plm_mode = "frozen";
}

static gboolean
check_cancelled (GCancellable *cancellable, GError **error)
{
  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, PLM_ERROR, PLM_ERROR_CANCELLED, "training cancelled");
  return TRUE;
}

/* ---- metrics ---- */

typedef struct { float score; int positive; } Scored;

static int
compare_scored (const void *a, const void *b)
{
  float x = ((const Scored *) a)->score, y = ((const Scored *) b)->score;
  return x < y ? -1 : x > y ? 1 : 0;
}

void
plm_nm_metrics_compute (const float *logits, const int *labels, int n, int C, PlmNmMetrics *out)
{
  g_autofree int *tp = g_new0 (int, C), *pred_n = g_new0 (int, C), *true_n = g_new0 (int, C);
  int correct = 0;

  out->n = n;
  out->auroc = NAN;
  for (int i = 0; i < n; i++)
    {
      const float *l = logits + (gsize) i * C;
      int best = 0;
      for (int c = 1; c < C; c++)
        if (l[c] > l[best])
          best = c;
      pred_n[best]++;
      true_n[labels[i]]++;
      if (best == labels[i])
        {
          correct++;
          tp[best]++;
        }
    }
  out->accuracy = n > 0 ? (double) correct / n : NAN;

  /* macro-F1 over the classes present in the labels or the predictions (as scikit-learn) */
  double f1_sum = 0.0;
  int n_cls = 0;
  for (int c = 0; c < C; c++)
    {
      if (true_n[c] == 0 && pred_n[c] == 0)
        continue;
      n_cls++;
      if (tp[c] > 0)
        f1_sum += 2.0 * tp[c] / (pred_n[c] + true_n[c]);
    }
  out->macro_f1 = n_cls > 0 ? f1_sum / n_cls : NAN;

  if (C == 2 && true_n[0] > 0 && true_n[1] > 0)
    {
      /* Mann-Whitney: AUROC = (rank sum of positives − n₊(n₊+1)/2) / (n₊·n₋), mid-ranks for ties */
      g_autofree Scored *s = g_new (Scored, n);
      for (int i = 0; i < n; i++)
        {
          /* softmax(logits)[1] is monotone in logit₁ − logit₀ */
          s[i].score = logits[(gsize) i * 2 + 1] - logits[(gsize) i * 2];
          s[i].positive = labels[i] == 1;
        }
      qsort (s, n, sizeof (Scored), compare_scored);
      double rank_sum = 0.0;
      for (int i = 0; i < n;)
        {
          int j = i;
          while (j < n && s[j].score == s[i].score)
            j++;
          double mid = 0.5 * (i + 1 + j);   /* ranks i+1 .. j */
          for (int k = i; k < j; k++)
            if (s[k].positive)
              rank_sum += mid;
          i = j;
        }
      double np = true_n[1], nn = true_n[0];
      out->auroc = (rank_sum - np * (np + 1) / 2) / (np * nn);
    }
}

/* ---- tokens and embeddings ---- */

int32_t *
plm_nm_tokenize (const char *sequence, int max_len, int *n_tokens)
{
  int T = 0;
  int32_t *tokens = plm_tokenize (sequence, &T);
  if (max_len >= 3 && T > max_len)
    {
      tokens[max_len - 1] = PLM_TOKEN_EOS;
      T = max_len;
    }
  *n_tokens = T;
  return tokens;
}

float *
plm_nm_embed_sequence (PlmEsmState *state, const char *sequence, int max_len, int *n_tokens,
                       GCancellable *cancellable, GError **error)
{
  int T = 0;
  g_autofree int32_t *tokens = plm_nm_tokenize (sequence, max_len, &T);
  PlmForwardOptions opt = { .want_embeddings = TRUE, .cancellable = cancellable };
  PlmForwardOutput out = { 0 };
  if (!plm_esm_forward (state, tokens, T, &opt, &out, error))
    return NULL;
  float *emb = g_steal_pointer (&out.embeddings);
  plm_forward_output_clear (&out);
  *n_tokens = T;
  return emb;
}

gboolean
plm_nm_evaluate_dataset (PlmNmHead *head, PlmModel *model, PlmDataset *ds, int max_len,
                         PlmNmMetrics *metrics, float *logits_out, PlmNmEmbedFunc progress,
                         gpointer progress_data, GCancellable *cancellable, GError **error)
{
  int C = plm_nm_head_get_config (head)->n_classes;
  gboolean pair = plm_nm_head_get_config (head)->pair;
  g_autofree float *logits = g_new (float, (gsize) MAX (ds->n_items, 1) * C);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  PlmNmLossParts parts = { 0 };

  if (pair != (ds->item_b != NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: the head is for %s data",
                   ds->name, pair ? "pair" : "single-protein");
      return FALSE;
    }
  for (int i = 0; i < ds->n_items; i++)
    {
      PlmNmGroup g = { 0 };
      g_autofree float *a = NULL, *b = NULL;
      a = plm_nm_embed_sequence (state, g_ptr_array_index (ds->seqs, ds->item_a[i]), max_len,
                                 &g.len_a, cancellable, error);
      if (a == NULL)
        return FALSE;
      if (pair)
        {
          b = plm_nm_embed_sequence (state, g_ptr_array_index (ds->seqs, ds->item_b[i]), max_len,
                                     &g.len_b, cancellable, error);
          if (b == NULL)
            return FALSE;
        }
      g.a = a;
      g.b = b;
      g.label = ds->label[i];
      plm_nm_head_group (head, &g, 0, 0, FALSE, logits + (gsize) i * C, &parts);
      if (progress != NULL)
        progress (i + 1, ds->n_items, progress_data);
    }
  plm_nm_metrics_compute (logits, ds->label, ds->n_items, C, metrics);
  metrics->loss = ds->n_items > 0 ? parts.ce / ds->n_items : NAN;
  metrics->l_neg = NAN;
  if (logits_out != NULL)
    memcpy (logits_out, logits, sizeof (float) * ds->n_items * C);
  return TRUE;
}

/* ---- head checkpoints ---- */

static const char *tensor_names[7] = {
  "custom_attention.W_q.weight", "custom_attention.W_k.weight", "custom_attention.W_v.weight",
  "readout.0.weight", "readout.0.bias", "classifier.0.weight", "classifier.0.bias",
};

static int
head_tensors (PlmNmHead *head, PlmTensorOut *t)
{
  const PlmNmHeadConfig *c = plm_nm_head_get_config (head);
  PlmNmHeadParams *p = plm_nm_head_params (head);
  int64_t D = c->d_model, Hd = c->d_hidden, O = c->d_hidden + c->n_classes;
  int n = 0;
  if (c->kind == PLM_NM_HEAD_ATTENTION)
    {
      t[n++] = (PlmTensorOut) { tensor_names[0], p->wq, 2, { D, D } };
      t[n++] = (PlmTensorOut) { tensor_names[1], p->wk, 2, { D, D } };
      t[n++] = (PlmTensorOut) { tensor_names[2], p->wv, 2, { D, D } };
    }
  t[n++] = (PlmTensorOut) { tensor_names[3], p->w_read, 2, { Hd, D } };
  t[n++] = (PlmTensorOut) { tensor_names[4], p->b_read, 1, { Hd } };
  t[n++] = (PlmTensorOut) { tensor_names[5], p->w_cls, 2, { O, Hd } };
  t[n++] = (PlmTensorOut) { tensor_names[6], p->b_cls, 1, { O } };
  return n;
}

static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Metadata JSON goes through json-glib, whose numbers do not follow the user's locale. */
#define JS(k, v) do { json_builder_set_member_name (b, k); json_builder_add_string_value (b, v); } while (0)
#define JI(k, v) do { json_builder_set_member_name (b, k); json_builder_add_int_value (b, v); } while (0)
#define JD(k, v) do { json_builder_set_member_name (b, k); json_builder_add_double_value (b, v); } while (0)
#define JB(k, v) do { json_builder_set_member_name (b, k); json_builder_add_boolean_value (b, v); } while (0)

static char *
head_config_json (const PlmNmHeadConfig *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  JS ("kind", c->kind == PLM_NM_HEAD_ATTENTION ? "attention" : "mlp");
  JI ("d_model", c->d_model);
  JI ("d_hidden", c->d_hidden);
  JI ("n_classes", c->n_classes);
  JI ("n_heads", c->n_heads);
  JB ("scaled", c->scaled);
  JB ("pair", c->pair);
  json_builder_end_object (b);
  return builder_to_string (b);
}

static gboolean
save_with_extra (PlmNmHead *head, const char *path, GHashTable *metadata,
                 const PlmTensorOut *extra, int n_extra, GError **error)
{
  PlmTensorOut t[16];
  int n = head_tensors (head, t);
  for (int i = 0; i < n_extra; i++)
    t[n++] = extra[i];
  g_autoptr(GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (metadata != NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, metadata);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_hash_table_insert (md, g_strdup (k), g_strdup (v));
    }
  g_hash_table_insert (md, g_strdup ("format"), g_strdup (HEAD_FORMAT));
  g_hash_table_insert (md, g_strdup ("head"), head_config_json (plm_nm_head_get_config (head)));
  return plm_safetensors_write (path, t, n, md, error);
}

gboolean
plm_nm_head_save (PlmNmHead *head, const char *path, GHashTable *metadata, GError **error)
{
  return save_with_extra (head, path, metadata, NULL, 0, error);
}

static gboolean
json_get_int (JsonObject *o, const char *key, int *out)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = (int) json_node_get_int (n);
  return TRUE;
}

static gboolean
copy_tensor (PlmSafetensors *st, const char *name, float *dst, gsize n, const char *path,
             GError **error)
{
  const PlmTensorInfo *t = plm_safetensors_lookup (st, name);
  if (t == NULL || t->n_elements != n)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: tensor \"%s\" is missing or has %s shape",
                   path, name, t == NULL ? "no" : "the wrong");
      return FALSE;
    }
  plm_dtype_to_f32 (t->dtype, t->data, dst, n);
  return TRUE;
}

PlmNmHead *
plm_nm_head_load (const char *path, GHashTable **metadata, GError **error)
{
  g_autoptr(NmSafetensors) st = plm_safetensors_open (path, error);
  if (st == NULL)
    return NULL;
  GHashTable *md = plm_safetensors_metadata (st);
  const char *format = md != NULL ? g_hash_table_lookup (md, "format") : NULL;
  const char *hjson = md != NULL ? g_hash_table_lookup (md, "head") : NULL;
  if (format == NULL || strcmp (format, HEAD_FORMAT) != 0 || hjson == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   "%s: not a PLM Lens fine-tuned head (metadata \"format\" is not %s)", path, HEAD_FORMAT);
      return NULL;
    }
  g_autoptr(JsonParser) parser = json_parser_new ();
  PlmNmHeadConfig c = { 0 };
  JsonObject *o = NULL;
  if (json_parser_load_from_data (parser, hjson, -1, NULL))
    o = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
        ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (o == NULL || !json_get_int (o, "d_model", &c.d_model) || !json_get_int (o, "d_hidden", &c.d_hidden)
      || !json_get_int (o, "n_classes", &c.n_classes) || !json_get_int (o, "n_heads", &c.n_heads)
      || c.d_model <= 0 || c.d_hidden <= 0 || c.n_classes < 2 || c.n_heads < 1
      || c.d_model % c.n_heads != 0 || c.d_model > 65536 || c.d_hidden > 65536 || c.n_classes > 1000000)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: invalid head configuration in metadata", path);
      return NULL;
    }
  c.kind = g_strcmp0 (json_object_get_string_member_with_default (o, "kind", ""), "mlp") == 0
           ? PLM_NM_HEAD_MLP : PLM_NM_HEAD_ATTENTION;
  c.scaled = json_object_get_boolean_member_with_default (o, "scaled", FALSE);
  c.pair = json_object_get_boolean_member_with_default (o, "pair", FALSE);

  g_autoptr(PlmNmHead) head = plm_nm_head_new (&c);
  PlmTensorOut t[8];
  int n = head_tensors (head, t);
  for (int i = 0; i < n; i++)
    {
      gsize count = 1;
      for (int d = 0; d < t[i].n_dims; d++)
        count *= t[i].shape[d];
      if (!copy_tensor (st, t[i].name, (float *) t[i].data, count, path, error))
        return NULL;
    }
  if (metadata != NULL)
    *metadata = g_hash_table_ref (md);
  return g_steal_pointer (&head);
}

/* ---- the trainer ---- */

typedef struct {
  float **emb;   /* per sequence index of the data set's table, NULL when unused */
  int    *len;
  int     n;
} EmbCache;

/* One item's group, ready for the head: its embeddings and sampled negatives. */
typedef struct _Prepared {
  PlmNmGroup   g;
  const float *neg[64];
  int          len_neg[64], neg_seq[64], neg_side[64];
} Prepared;

struct _PlmNmTrainer {
  PlmNmTrainConfig  config;
  PlmModel         *model;
  PlmNmEncoder     *encoder;
  PlmDataset       *train, *valid, *test;
  GPtrArray        *classes;
  PlmNmHead        *head;
  PlmAdam          *adam;
  PlmNmSampler     *sampler;
  GHashTable       *caches;        /* GPtrArray *seqs → EmbCache* */
  char             *out_path, *last_path;
  char             *emb_cache_path;
  PlmNmEpochFunc    epoch_func;
  PlmNmEmbedFunc    embed_func;
  gpointer          user_data;
  PlmNmBatchFunc    batch_func;
  gpointer          batch_data;

  /* state */
  int               epochs_done;
  double            best_val;
  int               bad_epochs;
  int               best_epoch;
  float            *best_params;
  float            *best_encoder;   /* encoder parameters at the best epoch, or NULL */
  gboolean          have_best;
  double            l_neg_before, l_neg_after;
  PlmNmMetrics      valid_metrics, test_metrics;
  JsonArray        *history;       /* one object per epoch, for the resumable state */

  /* frozen path, data-parallel over a batch's groups: one head per extra thread (parameters
   * copied in before each batch, gradients summed after) and the batch's prepared groups */
  PlmNmHead       **workers;
  int               n_workers;
  Prepared         *prepared;
  const PlmNmGroup **group_ptrs;

  /* buffers for one group (encoder path) */
  float            *d_emb[2];
  float           **d_neg;
  int               n_d_slots;
};

static void
cache_free (gpointer data)
{
  EmbCache *c = data;
  for (int i = 0; i < c->n; i++)
    g_free (c->emb[i]);
  g_free (c->emb);
  g_free (c->len);
  g_free (c);
}

PlmNmTrainer *
plm_nm_trainer_new (const PlmNmTrainConfig *config, PlmModel *model, PlmNmEncoder *encoder,
                    PlmDataset *train, PlmDataset *valid, PlmDataset *test, GPtrArray *classes)
{
  g_return_val_if_fail (model != NULL || encoder != NULL, NULL);
  g_return_val_if_fail (train != NULL && train->label != NULL, NULL);

  PlmNmTrainer *tr = g_new0 (PlmNmTrainer, 1);
  tr->config = *config;
  tr->model = model;
  tr->encoder = encoder;
  tr->train = train;
  tr->valid = valid;
  tr->test = test;
  tr->classes = g_ptr_array_ref (classes);
  tr->caches = g_hash_table_new_full (NULL, NULL, NULL, cache_free);
  tr->history = json_array_new ();
  tr->best_val = INFINITY;
  tr->l_neg_before = tr->l_neg_after = NAN;

  int D = encoder != NULL ? encoder->d_model : model->config.d_model;
  PlmNmHeadConfig hc = {
    .kind = config->objective == PLM_NM_OBJECTIVE_MLP ? PLM_NM_HEAD_MLP : PLM_NM_HEAD_ATTENTION,
    .d_model = D,
    .d_hidden = config->d_hidden,
    .n_classes = classes->len,
    .n_heads = config->n_heads,
    .scaled = config->scaled,
    .pair = config->task == PLM_DATA_PAIR,
  };
  tr->head = plm_nm_head_new (&hc);
  plm_nm_head_init (tr->head, config->seed);

  gsize n_params;
  float *params = plm_nm_head_param_data (tr->head, &n_params);
  tr->adam = plm_adam_new (config->lr, 0.9f, 0.999f, 1e-8f);
  plm_adam_add_group (tr->adam, params, plm_nm_head_grad_data (tr->head, &n_params), n_params,
                      1.0f, config->weight_decay);
  if (encoder != NULL)
    {
      gsize n_enc, n_enc_g;
      float *ep = encoder->param_data (encoder->self, &n_enc);
      float *eg = encoder->grad_data (encoder->self, &n_enc_g);
      g_assert (n_enc == n_enc_g);
      plm_adam_add_group (tr->adam, ep, eg, n_enc, config->esm_coe, config->weight_decay);
      tr->n_d_slots = config->n_neg;
      for (int i = 0; i < 2; i++)
        tr->d_emb[i] = g_new0 (float, (gsize) config->max_len * D);
      tr->d_neg = g_new0 (float *, MAX (config->n_neg, 1));
      for (int i = 0; i < config->n_neg; i++)
        tr->d_neg[i] = g_new0 (float, (gsize) config->max_len * D);
    }
  tr->best_params = g_memdup2 (params, n_params * sizeof (float));
  if (encoder != NULL)
    {
      /* the tuned PLM saved beside the head must be the one of the best epoch too */
      gsize n_enc;
      float *ep = encoder->param_data (encoder->self, &n_enc);
      tr->best_encoder = g_memdup2 (ep, n_enc * sizeof (float));
    }
  tr->sampler = plm_nm_sampler_new (train);
  plm_nm_head_reserve (tr->head, config->max_len, config->n_neg);
#ifdef _OPENMP
  /* the trainable encoder keeps per-slot state, so only the frozen path runs groups in parallel */
  if (encoder == NULL)
    tr->n_workers = MIN (plm_engine_get_threads (), 64) - 1;
#endif
  if (tr->n_workers > 0)
    {
      tr->workers = g_new0 (PlmNmHead *, tr->n_workers);
      for (int w = 0; w < tr->n_workers; w++)
        {
          tr->workers[w] = plm_nm_head_new (&hc);
          plm_nm_head_reserve (tr->workers[w], config->max_len, config->n_neg);
        }
      tr->prepared = g_new0 (Prepared, MAX (config->batch, 1));
      tr->group_ptrs = g_new0 (const PlmNmGroup *, MAX (config->batch, 1));
    }
  return tr;
}

void
plm_nm_trainer_free (PlmNmTrainer *tr)
{
  if (tr == NULL)
    return;
  g_ptr_array_unref (tr->classes);
  plm_nm_head_free (tr->head);
  plm_adam_free (tr->adam);
  plm_nm_sampler_free (tr->sampler);
  g_hash_table_unref (tr->caches);
  g_free (tr->out_path);
  g_free (tr->last_path);
  g_free (tr->emb_cache_path);
  g_free (tr->best_params);
  g_free (tr->best_encoder);
  json_array_unref (tr->history);
  g_free (tr->d_emb[0]);
  g_free (tr->d_emb[1]);
  for (int i = 0; i < tr->n_d_slots; i++)
    g_free (tr->d_neg[i]);
  g_free (tr->d_neg);
  for (int i = 0; i < tr->n_workers; i++)
    plm_nm_head_free (tr->workers[i]);
  g_free (tr->workers);
  g_free (tr->prepared);
  g_free (tr->group_ptrs);
  g_free (tr);
}

void
plm_nm_trainer_set_callbacks (PlmNmTrainer *tr, PlmNmEpochFunc epoch_func,
                              PlmNmEmbedFunc embed_func, gpointer user_data)
{
  tr->epoch_func = epoch_func;
  tr->embed_func = embed_func;
  tr->user_data = user_data;
}

void
plm_nm_trainer_set_batch_func (PlmNmTrainer *tr, PlmNmBatchFunc batch_func, gpointer user_data)
{
  tr->batch_func = batch_func;
  tr->batch_data = user_data;
}

void
plm_nm_trainer_set_output (PlmNmTrainer *tr, const char *out_path)
{
  g_free (tr->out_path);
  g_free (tr->last_path);
  tr->out_path = g_strdup (out_path);
  tr->last_path = out_path != NULL ? g_strdup_printf ("%s.last.safetensors", out_path) : NULL;
}

void
plm_nm_trainer_set_embedding_cache (PlmNmTrainer *tr, const char *path)
{
  g_free (tr->emb_cache_path);
  tr->emb_cache_path = g_strdup (path);
}

static EmbCache *cache_for (PlmNmTrainer *tr, PlmDataset *ds);

/* What an embedding cache must match: the model's identity and the truncation. */
static char *
emb_cache_identity (PlmNmTrainer *tr)
{
  const PlmModel *m = tr->model;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  JS ("model", m->name);
  JI ("n_params", m->n_params);
  JI ("file_size", (gint64) m->file_size);
  JI ("d_model", m->config.d_model);
  JI ("max_len", tr->config.max_len);
  json_builder_end_object (b);
  return builder_to_string (b);
}

static char *
emb_cache_key (const char *sequence)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, sequence, -1);
}

/* Copies cached embeddings of the wanted sequences; returns the open file (kept for rewriting)
 * or NULL when there is no usable cache. */
static PlmSafetensors *
emb_cache_load (PlmNmTrainer *tr, GPtrArray *todo_ds, GArray *todo_idx, gboolean *found)
{
  if (tr->emb_cache_path == NULL || !g_file_test (tr->emb_cache_path, G_FILE_TEST_EXISTS))
    return NULL;
  g_autoptr(GError) local = NULL;
  PlmSafetensors *st = plm_safetensors_open (tr->emb_cache_path, &local);
  g_autofree char *want = emb_cache_identity (tr);
  GHashTable *md = st != NULL ? plm_safetensors_metadata (st) : NULL;
  if (md == NULL || g_strcmp0 (g_hash_table_lookup (md, "identity"), want) != 0)
    {
      /* another model or max_len: ignored, and replaced when written */
      g_clear_pointer (&st, plm_safetensors_free);
      return NULL;
    }
  int D = tr->model->config.d_model;
  for (guint i = 0; i < todo_idx->len; i++)
    {
      PlmDataset *ds = g_ptr_array_index (todo_ds, i);
      int idx = g_array_index (todo_idx, int, i);
      g_autofree char *key = emb_cache_key (g_ptr_array_index (ds->seqs, idx));
      const PlmTensorInfo *t = plm_safetensors_lookup (st, key);
      if (t == NULL || t->n_dims != 2 || t->shape[1] != D || t->shape[0] < 3 || t->dtype != PLM_DTYPE_F32)
        continue;
      EmbCache *c = cache_for (tr, ds);
      c->len[idx] = t->shape[0];
      c->emb[idx] = g_new (float, t->n_elements);
      plm_dtype_to_f32 (t->dtype, t->data, c->emb[idx], t->n_elements);
      found[i] = TRUE;
    }
  return st;
}

/* Writes the union of the old cache and this run's embeddings (atomically). */
static gboolean
emb_cache_save (PlmNmTrainer *tr, PlmSafetensors *old, GError **error)
{
  g_autoptr(GArray) tensors = g_array_new (FALSE, TRUE, sizeof (PlmTensorOut));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int D = tr->model->config.d_model;
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, tr->caches);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      GPtrArray *seqs = key;
      EmbCache *c = value;
      for (int i = 0; i < c->n; i++)
        {
          if (c->emb[i] == NULL)
            continue;
          char *name = emb_cache_key (g_ptr_array_index (seqs, i));
          if (!g_hash_table_add (seen, name))
            {
              g_free (name);
              continue;
            }
          g_ptr_array_add (names, name);
          PlmTensorOut t = { name, c->emb[i], 2, { c->len[i], D } };
          g_array_append_val (tensors, t);
        }
    }
  if (old != NULL)
    for (guint i = 0; i < plm_safetensors_n_tensors (old); i++)
      {
        const PlmTensorInfo *t = plm_safetensors_get_nth (old, i);
        if (g_hash_table_contains (seen, t->name) || t->dtype != PLM_DTYPE_F32 || t->n_dims != 2)
          continue;
        PlmTensorOut o = { t->name, t->data, 2, { t->shape[0], t->shape[1] } };
        g_array_append_val (tensors, o);
      }
  g_autoptr(GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (md, "identity", emb_cache_identity (tr));
  return plm_safetensors_write (tr->emb_cache_path, (PlmTensorOut *) (void *) tensors->data,
                                tensors->len, md, error);
}

PlmNmHead *
plm_nm_trainer_get_head (PlmNmTrainer *tr)
{
  return tr->head;
}

static EmbCache *
cache_for (PlmNmTrainer *tr, PlmDataset *ds)
{
  EmbCache *c = g_hash_table_lookup (tr->caches, ds->seqs);
  if (c == NULL)
    {
      c = g_new0 (EmbCache, 1);
      c->n = ds->seqs->len;
      c->emb = g_new0 (float *, c->n);
      c->len = g_new0 (int, c->n);
      g_hash_table_insert (tr->caches, ds->seqs, c);
    }
  return c;
}

gboolean
plm_nm_trainer_embed (PlmNmTrainer *tr, GCancellable *cancellable, GError **error)
{
  if (tr->encoder != NULL)
    return TRUE;   /* a trainable encoder computes embeddings every step */

  PlmDataset *sets[3] = { tr->train, tr->valid, tr->test };
  int total = 0, done = 0, computed = 0;
  guint64 bytes = 0;
  int D = tr->model->config.d_model;

  /* which sequences are used (items' chains; negatives come from the training items) */
  g_autoptr(GPtrArray) todo_ds = g_ptr_array_new ();
  g_autoptr(GArray) todo_idx = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) marked = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (int s = 0; s < 3; s++)
    {
      PlmDataset *ds = sets[s];
      if (ds == NULL)
        continue;
      EmbCache *c = cache_for (tr, ds);
      gboolean *used = g_hash_table_lookup (marked, c);
      if (used == NULL)
        {
          used = g_new0 (gboolean, MAX (c->n, 1));
          g_hash_table_insert (marked, c, used);
        }
      for (int i = 0; i < ds->n_items; i++)
        for (int k = 0; k < (ds->item_b != NULL ? 2 : 1); k++)
          {
            int idx = k == 0 ? ds->item_a[i] : ds->item_b[i];
            if (used[idx] || c->emb[idx] != NULL)
              continue;
            used[idx] = TRUE;
            g_ptr_array_add (todo_ds, ds);
            g_array_append_val (todo_idx, idx);
            const char *seq = g_ptr_array_index (ds->seqs, idx);
            bytes += (guint64) MIN ((int) strlen (seq) + 2, tr->config.max_len) * D * sizeof (float);
          }
    }
  g_autofree gboolean *found = g_new0 (gboolean, MAX (todo_idx->len, 1));
  PlmSafetensors *old_cache = emb_cache_load (tr, todo_ds, todo_idx, found);
  for (guint i = 0; i < todo_idx->len; i++)
    if (found[i])
      {
        PlmDataset *owner = g_ptr_array_index (todo_ds, i);
        const char *seq = g_ptr_array_index (owner->seqs, g_array_index (todo_idx, int, i));
        bytes -= (guint64) MIN ((int) strlen (seq) + 2, tr->config.max_len) * D * sizeof (float);
        done++;
      }
  total = todo_idx->len;

  guint64 avail = plm_resources_available_memory ();
  if (avail > 0 && bytes > avail * 0.8)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   "caching the embeddings of %d sequences needs %.1f GiB, more than the %.1f GiB "
                   "available; lower --max-len or use a smaller data set",
                   total, bytes / 1073741824.0, avail / 1073741824.0);
      g_clear_pointer (&old_cache, plm_safetensors_free);
      return FALSE;
    }

  g_autoptr(PlmEsmState) state = plm_esm_state_new (tr->model);
  for (guint i = 0; i < todo_idx->len; i++)
    {
      if (found[i])
        continue;
      PlmDataset *owner = g_ptr_array_index (todo_ds, i);
      EmbCache *c = cache_for (tr, owner);
      int idx = g_array_index (todo_idx, int, i);
      const char *seq = g_ptr_array_index (owner->seqs, idx);
      c->emb[idx] = plm_nm_embed_sequence (state, seq, tr->config.max_len, &c->len[idx],
                                           cancellable, error);
      if (c->emb[idx] == NULL)
        {
          g_prefix_error (error, "%s: sequence \"%s\": ", owner->name,
                          (char *) g_ptr_array_index (owner->seq_ids, idx));
          g_clear_pointer (&old_cache, plm_safetensors_free);
          return FALSE;
        }
      done++;
      computed++;
      if (tr->embed_func != NULL)
        tr->embed_func (done, total, tr->user_data);
    }
  gboolean ok = TRUE;
  if (tr->emb_cache_path != NULL && computed > 0)
    ok = emb_cache_save (tr, old_cache, error);
  g_clear_pointer (&old_cache, plm_safetensors_free);
  return ok;
}

/* Embeddings of sequence @idx of @ds: cached (frozen) or encoded into @slot (trainable). */
static const float *
get_embedding (PlmNmTrainer *tr, PlmDataset *ds, int idx, int slot, int *T, GError **error)
{
  if (tr->encoder == NULL)
    {
      EmbCache *c = g_hash_table_lookup (tr->caches, ds->seqs);
      g_assert (c != NULL && c->emb[idx] != NULL);
      *T = c->len[idx];
      return c->emb[idx];
    }
  g_autofree int32_t *tokens = plm_nm_tokenize (g_ptr_array_index (ds->seqs, idx),
                                                tr->config.max_len, T);
  return tr->encoder->encode (tr->encoder->self, slot, tokens, *T, error);
}

static void
epoch_rng (PlmNmTrainer *tr, int epoch, PlmRng *rng)
{
  plm_rng_seed (rng, tr->config.seed * 0x9e3779b97f4a7c15ull + (uint64_t) epoch + 1);
}

/* Looks up (or encodes) the item's embeddings and samples its negatives; consumes @rng in item
 * order, so training is deterministic whether the head then runs serially or in parallel. */
static gboolean
prepare_item (PlmNmTrainer *tr, PlmDataset *ds, PlmNmSampler *sampler, PlmRng *rng, int item,
              int n_neg, Prepared *p, GError **error)
{
  int positive;

  memset (&p->g, 0, sizeof p->g);
  n_neg = MIN (n_neg, 64);
  p->g.a = get_embedding (tr, ds, ds->item_a[item], 0, &p->g.len_a, error);
  if (p->g.a == NULL)
    return FALSE;
  if (ds->item_b != NULL)
    {
      p->g.b = get_embedding (tr, ds, ds->item_b[item], 1, &p->g.len_b, error);
      if (p->g.b == NULL)
        return FALSE;
    }
  p->g.label = ds->label[item];
  if (n_neg > 0)
    {
      plm_nm_sampler_sample (sampler, rng, item, n_neg, &positive, p->neg_seq, p->neg_side);
      for (int n = 0; n < n_neg; n++)
        {
          p->neg[n] = get_embedding (tr, ds, p->neg_seq[n], 2 + n, &p->len_neg[n], error);
          if (p->neg[n] == NULL)
            return FALSE;
        }
      p->g.n_neg = n_neg;
      p->g.neg = p->neg;
      p->g.len_neg = p->len_neg;
      p->g.neg_side = p->neg_side;
    }
  return TRUE;
}

/* Runs one item as a group. Training: backward into the grads (and the encoder). */
static gboolean
run_item (PlmNmTrainer *tr, PlmDataset *ds, PlmNmSampler *sampler, PlmRng *rng, int item,
          int n_neg, float ce_scale, float neg_scale, gboolean backward, float *logits,
          PlmNmLossParts *parts, GError **error)
{
  Prepared p;
  gboolean enc_backward = backward && tr->encoder != NULL;
  int D = plm_nm_head_get_config (tr->head)->d_model;

  if (!prepare_item (tr, ds, sampler, rng, item, n_neg, &p, error))
    return FALSE;
  n_neg = p.g.n_neg;
  if (enc_backward)
    {
      memset (tr->d_emb[0], 0, sizeof (float) * p.g.len_a * D);
      p.g.d_a = tr->d_emb[0];
      if (p.g.b != NULL)
        {
          memset (tr->d_emb[1], 0, sizeof (float) * p.g.len_b * D);
          p.g.d_b = tr->d_emb[1];
        }
      for (int n = 0; n < n_neg; n++)
        memset (tr->d_neg[n], 0, sizeof (float) * p.len_neg[n] * D);
      p.g.d_neg = tr->d_neg;
    }
  plm_nm_head_group (tr->head, &p.g, ce_scale, neg_scale, backward, logits, parts);
  if (enc_backward)
    {
      tr->encoder->backward (tr->encoder->self, 0, p.g.d_a);
      if (p.g.b != NULL)
        tr->encoder->backward (tr->encoder->self, 1, p.g.d_b);
      for (int n = 0; n < n_neg && neg_scale != 0.0f; n++)
        tr->encoder->backward (tr->encoder->self, 2 + n, tr->d_neg[n]);
    }
  return TRUE;
}

/* Frozen path: the batch's groups prepared in item order (deterministic sampling), then the head
 * runs them data-parallel (plm_nm_head_batch). */
static gboolean
run_batch_parallel (PlmNmTrainer *tr, PlmDataset *ds, const int *items, int B, PlmRng *rng, int n_neg,
                    float ce_scale, float neg_scale, PlmNmLossParts *parts, GError **error)
{
  const PlmNmGroup **groups = tr->group_ptrs;

  for (int k = 0; k < B; k++)
    {
      if (!prepare_item (tr, ds, tr->sampler, rng, items[k], n_neg, &tr->prepared[k], error))
        return FALSE;
      groups[k] = &tr->prepared[k].g;
    }
  plm_nm_head_batch (tr->head, tr->workers, tr->n_workers, groups, B, ce_scale, neg_scale, parts);
  return TRUE;
}

/* Validation/test metrics; also the mean L_neg of probe negatives fixed by the seed. */
static gboolean
evaluate (PlmNmTrainer *tr, PlmDataset *ds, PlmNmMetrics *m, GCancellable *cancellable,
          GError **error)
{
  int C = tr->classes->len;
  g_autofree float *logits = g_new (float, (gsize) MAX (ds->n_items, 1) * C);
  PlmNmLossParts parts = { 0 };
  for (int i = 0; i < ds->n_items; i++)
    {
      if (check_cancelled (cancellable, error))
        return FALSE;
      if (!run_item (tr, ds, NULL, NULL, i, 0, 0, 0, FALSE, logits + (gsize) i * C, &parts, error))
        return FALSE;
    }
  plm_nm_metrics_compute (logits, ds->label, ds->n_items, C, m);
  m->loss = ds->n_items > 0 ? parts.ce / ds->n_items : NAN;
  m->l_neg = NAN;
  return TRUE;
}

/* Mean L_neg over (probe item, negative) pairs: negatives sampled with a fixed generator from
 * the training items, so the same pairs are measured before and after training. */
static gboolean
probe_l_neg (PlmNmTrainer *tr, double *out, GError **error)
{
  *out = NAN;
  if (plm_nm_head_get_config (tr->head)->kind != PLM_NM_HEAD_ATTENTION)
    return TRUE;
  PlmRng rng;
  PlmNmLossParts parts = { 0 };
  int n = MIN (tr->train->n_items, 200);
  int n_neg = MAX (tr->config.n_neg, 1);
  plm_rng_seed (&rng, tr->config.seed ^ 0x5eed5eed5eedull);
  for (int i = 0; i < n; i++)
    {
      int item = (int) plm_rng_below (&rng, tr->train->n_items);
      if (!run_item (tr, tr->train, tr->sampler, &rng, item, n_neg, 0, 1.0f, FALSE, NULL,
                     &parts, error))
        return FALSE;
    }
  *out = parts.n_neg_pairs > 0 ? parts.neg / parts.n_neg_pairs : NAN;
  return TRUE;
}

static void
json_add_metrics (JsonBuilder *b, const char *name, const PlmNmMetrics *m, gboolean binary)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, m->n);
  json_builder_set_member_name (b, "accuracy");
  json_builder_add_double_value (b, m->accuracy);
  json_builder_set_member_name (b, "macro_f1");
  json_builder_add_double_value (b, m->macro_f1);
  if (binary && !isnan (m->auroc))
    {
      json_builder_set_member_name (b, "auroc");
      json_builder_add_double_value (b, m->auroc);
    }
  if (!isnan (m->loss))
    {
      json_builder_set_member_name (b, "loss");
      json_builder_add_double_value (b, m->loss);
    }
  json_builder_end_object (b);
}

char *
plm_nm_metrics_json (const char *name, const PlmNmMetrics *metrics)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_add_metrics (b, name, metrics, TRUE);
  json_builder_end_object (b);
  return builder_to_string (b);
}

/* The configuration as JSON; without "epochs" it fingerprints a run for resuming. */
static char *
config_json (PlmNmTrainer *tr, gboolean with_epochs)
{
  const PlmNmTrainConfig *c = &tr->config;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  JS ("task", c->task == PLM_DATA_PAIR ? "pair" : "protein");
  JS ("objective", plm_nm_objective_name (c->objective));
  JS ("plm", c->plm_mode != NULL ? c->plm_mode : "frozen");
  JS ("model", tr->model != NULL ? tr->model->name : "");
  JS ("fasta_label", c->fasta_label == PLM_FASTA_LABEL_MEMBRANE ? "membrane" : "location");
  JI ("negatives", c->n_neg);
  JD ("lambda", c->lambda);
  JD ("lr", c->lr);
  JD ("esm_coe", c->esm_coe);
  JD ("weight_decay", c->weight_decay);
  if (with_epochs)
    JI ("epochs", c->epochs);
  JI ("batch", c->batch);
  JI ("max_len", c->max_len);
  JI ("seed", (gint64) c->seed);
  JI ("patience", c->patience);
  json_builder_set_member_name (b, "patience_never_resets");
  json_builder_add_boolean_value (b, c->patience_never_resets);
  JI ("d_hidden", c->d_hidden);
  JI ("n_heads", c->n_heads);
  json_builder_set_member_name (b, "scaled");
  json_builder_add_boolean_value (b, c->scaled);
  json_builder_end_object (b);
  return builder_to_string (b);
}

static char *
data_json (PlmNmTrainer *tr)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  PlmDataset *sets[3] = { tr->train, tr->valid, tr->test };
  const char *names[3] = { "train", "valid", "test" };
  json_builder_begin_object (b);
  for (int s = 0; s < 3; s++)
    {
      if (sets[s] == NULL)
        continue;
      json_builder_set_member_name (b, names[s]);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, sets[s]->name);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, sets[s]->sha256 != NULL ? sets[s]->sha256 : "");
      json_builder_set_member_name (b, "items");
      json_builder_add_int_value (b, sets[s]->n_items);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return builder_to_string (b);
}

static char *
classes_json (GPtrArray *classes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < classes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (classes, i));
  json_builder_end_array (b);
  return builder_to_string (b);
}

char *
plm_nm_trainer_metrics_json (PlmNmTrainer *tr)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean binary = tr->classes->len == 2;
  json_builder_begin_object (b);
  if (tr->valid != NULL)
    json_add_metrics (b, "valid", &tr->valid_metrics, binary);
  if (tr->test != NULL)
    json_add_metrics (b, "test", &tr->test_metrics, binary);
  json_builder_set_member_name (b, "objective");
  json_builder_add_string_value (b, plm_nm_objective_name (tr->config.objective));
  if (!isnan (tr->l_neg_before))
    {
      json_builder_set_member_name (b, "l_neg_before");
      json_builder_add_double_value (b, tr->l_neg_before);
      json_builder_set_member_name (b, "l_neg_after");
      json_builder_add_double_value (b, tr->l_neg_after);
    }
  json_builder_set_member_name (b, "best_epoch");
  json_builder_add_int_value (b, tr->best_epoch);
  json_builder_set_member_name (b, "epochs_run");
  json_builder_add_int_value (b, tr->epochs_done);
  json_builder_end_object (b);
  return builder_to_string (b);
}

static GHashTable *
base_metadata (PlmNmTrainer *tr)
{
  GHashTable *md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (md, g_strdup ("config"), config_json (tr, TRUE));
  g_hash_table_insert (md, g_strdup ("classes"), classes_json (tr->classes));
  g_hash_table_insert (md, g_strdup ("data"), data_json (tr));
  return md;
}

static gboolean
save_best (PlmNmTrainer *tr, GError **error)
{
  if (tr->out_path == NULL)
    return TRUE;
  g_autoptr(GHashTable) md = base_metadata (tr);
  g_hash_table_insert (md, g_strdup ("metrics"), plm_nm_trainer_metrics_json (tr));
  return plm_nm_head_save (tr->head, tr->out_path, md, error);
}

static char *
state_json (PlmNmTrainer *tr)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  JI ("epochs_done", tr->epochs_done);
  JI ("adam_step", (gint64) plm_adam_get_step (tr->adam));
  JD ("best_val", isinf (tr->best_val) ? 1e308 : tr->best_val);
  JI ("bad_epochs", tr->bad_epochs);
  JI ("best_epoch", tr->best_epoch);
  JB ("have_best", tr->have_best);
  JD ("l_neg_before", isnan (tr->l_neg_before) ? -1.0 : tr->l_neg_before);
  json_builder_set_member_name (b, "history");
  JsonNode *hist = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (hist, tr->history);
  json_builder_add_value (b, hist);
  json_builder_end_object (b);
  return builder_to_string (b);
}

static gboolean
save_last (PlmNmTrainer *tr, GError **error)
{
  if (tr->last_path == NULL)
    return TRUE;
  gsize n_moments, n_params;
  float *moments = plm_adam_state (tr->adam, &n_moments);
  plm_nm_head_param_data (tr->head, &n_params);
  PlmTensorOut extra[4] = {
    { "trainer.adam_moments", moments, 1, { (int64_t) n_moments } },
    { "trainer.best_params", tr->best_params, 1, { (int64_t) n_params } },
  };
  int n_extra = 2;
  if (tr->encoder != NULL)
    {
      /* a trainable PLM resumes too: its weights now and at the best epoch (Adam's moments
       * above already cover its parameter group) */
      gsize n_enc;
      float *ep = tr->encoder->param_data (tr->encoder->self, &n_enc);
      extra[n_extra++] = (PlmTensorOut) { "trainer.encoder_params", ep, 1, { (int64_t) n_enc } };
      extra[n_extra++] = (PlmTensorOut) { "trainer.encoder_best", tr->best_encoder, 1, { (int64_t) n_enc } };
    }
  g_autoptr(GHashTable) md = base_metadata (tr);
  g_hash_table_insert (md, g_strdup ("resume_config"), config_json (tr, FALSE));
  g_hash_table_insert (md, g_strdup ("state"), state_json (tr));
  return save_with_extra (tr->head, tr->last_path, md, extra, n_extra, error);
}

gboolean
plm_nm_trainer_resume (PlmNmTrainer *tr, gboolean *resumed, GError **error)
{
  *resumed = FALSE;
  if (tr->last_path == NULL || !g_file_test (tr->last_path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autoptr(NmSafetensors) st = plm_safetensors_open (tr->last_path, error);
  if (st == NULL)
    return FALSE;
  GHashTable *md = plm_safetensors_metadata (st);
  g_autofree char *want = config_json (tr, FALSE), *want_data = data_json (tr);
  const char *have = md != NULL ? g_hash_table_lookup (md, "resume_config") : NULL;
  const char *have_data = md != NULL ? g_hash_table_lookup (md, "data") : NULL;
  const char *state = md != NULL ? g_hash_table_lookup (md, "state") : NULL;
  if (have == NULL || state == NULL || strcmp (have, want) != 0 || g_strcmp0 (have_data, want_data) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   "%s: a checkpoint of a different configuration or data; remove it to start afresh",
                   tr->last_path);
      return FALSE;
    }

  PlmTensorOut t[8];
  int n = head_tensors (tr->head, t);
  for (int i = 0; i < n; i++)
    {
      gsize count = 1;
      for (int d = 0; d < t[i].n_dims; d++)
        count *= t[i].shape[d];
      if (!copy_tensor (st, t[i].name, (float *) t[i].data, count, tr->last_path, error))
        return FALSE;
    }
  gsize n_moments, n_params;
  float *moments = plm_adam_state (tr->adam, &n_moments);
  plm_nm_head_param_data (tr->head, &n_params);
  if (!copy_tensor (st, "trainer.adam_moments", moments, n_moments, tr->last_path, error)
      || !copy_tensor (st, "trainer.best_params", tr->best_params, n_params, tr->last_path, error))
    return FALSE;
  if (tr->encoder != NULL)
    {
      gsize n_enc;
      float *ep = tr->encoder->param_data (tr->encoder->self, &n_enc);
      if (!copy_tensor (st, "trainer.encoder_params", ep, n_enc, tr->last_path, error)
          || !copy_tensor (st, "trainer.encoder_best", tr->best_encoder, n_enc, tr->last_path, error))
        return FALSE;
    }

  g_autoptr(JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, state, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: unreadable training state", tr->last_path);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  tr->epochs_done = json_object_get_int_member_with_default (o, "epochs_done", 0);
  plm_adam_set_step (tr->adam, json_object_get_int_member_with_default (o, "adam_step", 0));
  tr->best_val = json_object_get_double_member_with_default (o, "best_val", INFINITY);
  if (tr->best_val >= 1e308)
    tr->best_val = INFINITY;
  tr->bad_epochs = json_object_get_int_member_with_default (o, "bad_epochs", 0);
  tr->best_epoch = json_object_get_int_member_with_default (o, "best_epoch", 0);
  tr->have_best = json_object_get_boolean_member_with_default (o, "have_best", FALSE);
  tr->l_neg_before = json_object_get_double_member_with_default (o, "l_neg_before", -1.0);
  if (tr->l_neg_before < 0)
    tr->l_neg_before = NAN;
  JsonArray *hist = json_object_get_array_member (o, "history");
  if (hist != NULL)
    for (guint i = 0; i < json_array_get_length (hist); i++)
      json_array_add_element (tr->history, json_node_copy (json_array_get_element (hist, i)));
  *resumed = TRUE;
  return TRUE;
}

gboolean
plm_nm_trainer_run (PlmNmTrainer *tr, GCancellable *cancellable, GError **error)
{
  const PlmNmTrainConfig *c = &tr->config;
  PlmDataset *ds = tr->train;
  gboolean nm = c->objective == PLM_NM_OBJECTIVE_NM && c->lambda != 0.0f && c->n_neg > 0;
  int n_neg = nm ? c->n_neg : 0;
  gsize n_params;
  float *params = plm_nm_head_param_data (tr->head, &n_params);
  g_autofree int *order = g_new (int, MAX (ds->n_items, 1));

  if (tr->epochs_done == 0 && !probe_l_neg (tr, &tr->l_neg_before, error))
    return FALSE;

  gboolean stop = c->patience > 0 && tr->valid != NULL && tr->bad_epochs >= c->patience;
  for (int epoch = tr->epochs_done + 1; epoch <= c->epochs && !stop; epoch++)
    {
      PlmRng rng;
      PlmNmLossParts parts = { 0 };
      gint64 t0 = g_get_monotonic_time ();

      epoch_rng (tr, epoch, &rng);
      for (int i = 0; i < ds->n_items; i++)
        order[i] = i;
      plm_rng_shuffle (&rng, order, ds->n_items);

      for (int start = 0; start < ds->n_items; start += c->batch)
        {
          int B = MIN (c->batch, ds->n_items - start);
          float ce_scale = 1.0f / B, neg_scale = nm ? c->lambda / (B * n_neg) : 0.0f;
          if (tr->batch_func != NULL)
            tr->batch_func (epoch, start / c->batch, (ds->n_items + c->batch - 1) / c->batch,
                            tr->batch_data);
          if (check_cancelled (cancellable, error))
            return FALSE;
          plm_nm_head_zero_grad (tr->head);
          if (tr->encoder != NULL)
            {
              gsize ne;
              float *eg = tr->encoder->grad_data (tr->encoder->self, &ne);
              memset (eg, 0, ne * sizeof (float));
            }
          if (tr->n_workers > 0 && B > 1)
            {
              if (!run_batch_parallel (tr, ds, order + start, B, &rng, n_neg, ce_scale, neg_scale, &parts, error))
                return FALSE;
            }
          else
            for (int k = 0; k < B; k++)
              if (!run_item (tr, ds, tr->sampler, &rng, order[start + k], n_neg, ce_scale, neg_scale,
                             TRUE, NULL, &parts, error))
                return FALSE;
          plm_adam_step (tr->adam);
        }
      double train_seconds = (g_get_monotonic_time () - t0) / 1e6;

      PlmNmEpochReport r = { 0 };
      r.epoch = epoch;
      r.epochs = c->epochs;
      r.train_ce = parts.n_groups > 0 ? parts.ce / parts.n_groups : NAN;
      r.train_neg = parts.n_neg_pairs > 0 ? parts.neg / parts.n_neg_pairs : 0.0;
      r.train_loss = r.train_ce + (nm ? c->lambda * r.train_neg : 0.0);
      r.valid.loss = r.valid.accuracy = r.valid.macro_f1 = r.valid.auroc = r.valid.l_neg = NAN;
      if (tr->valid != NULL)
        {
          if (!evaluate (tr, tr->valid, &r.valid, cancellable, error))
            return FALSE;
          r.improved = r.valid.loss < tr->best_val;
        }
      else
        r.improved = TRUE;   /* without validation data the last epoch is kept */

      if (r.improved)
        {
          tr->best_val = tr->valid != NULL ? r.valid.loss : INFINITY;
          tr->best_epoch = epoch;
          tr->have_best = TRUE;
          if (tr->valid != NULL)
            tr->valid_metrics = r.valid;
          memcpy (tr->best_params, params, n_params * sizeof (float));
          if (tr->best_encoder != NULL)
            {
              gsize n_enc;
              float *ep = tr->encoder->param_data (tr->encoder->self, &n_enc);
              memcpy (tr->best_encoder, ep, n_enc * sizeof (float));
            }
          /* the authors' counter never resets; by default an improvement resets it */
          if (!c->patience_never_resets)
            tr->bad_epochs = 0;
        }
      else
        tr->bad_epochs++;
      r.bad_epochs = tr->bad_epochs;
      r.seconds = (g_get_monotonic_time () - t0) / 1e6;
      r.samples_per_second = train_seconds > 0 ? ds->n_items / train_seconds : 0.0;
      tr->epochs_done = epoch;

      JsonObject *h = json_object_new ();
      json_object_set_int_member (h, "epoch", epoch);
      json_object_set_double_member (h, "train_ce", r.train_ce);
      json_object_set_double_member (h, "train_neg", r.train_neg);
      json_object_set_double_member (h, "valid_loss", isnan (r.valid.loss) ? -1.0 : r.valid.loss);
      json_object_set_double_member (h, "valid_accuracy", isnan (r.valid.accuracy) ? -1.0 : r.valid.accuracy);
      json_object_set_double_member (h, "samples_per_second", r.samples_per_second);
      json_array_add_object_element (tr->history, h);

      /* best head first, then the resumable state: a kill between the two loses nothing */
      if (r.improved && !save_best (tr, error))
        return FALSE;
      if (!save_last (tr, error))
        return FALSE;
      if (tr->epoch_func != NULL)
        tr->epoch_func (&r, tr->user_data);
      if (c->patience > 0 && tr->valid != NULL && tr->bad_epochs >= c->patience)
        stop = TRUE;
    }

  /* restore the best head (and encoder) and measure it */
  memcpy (params, tr->best_params, n_params * sizeof (float));
  if (tr->best_encoder != NULL)
    {
      gsize n_enc;
      float *ep = tr->encoder->param_data (tr->encoder->self, &n_enc);
      memcpy (ep, tr->best_encoder, n_enc * sizeof (float));
    }
  if (!probe_l_neg (tr, &tr->l_neg_after, error))
    return FALSE;
  if (tr->valid != NULL && !evaluate (tr, tr->valid, &tr->valid_metrics, cancellable, error))
    return FALSE;
  if (tr->test != NULL && !evaluate (tr, tr->test, &tr->test_metrics, cancellable, error))
    return FALSE;
  if (!save_best (tr, error))
    return FALSE;
  if (tr->encoder != NULL && tr->encoder->save != NULL && tr->out_path != NULL)
    {
      g_autofree char *plm_path = g_strdup_printf ("%s.plm", tr->out_path);   /* an HF checkpoint directory */
      if (!tr->encoder->save (tr->encoder->self, plm_path, error))
        return FALSE;
    }
  return TRUE;
}

void
plm_nm_trainer_get_results (PlmNmTrainer *tr, PlmNmMetrics *valid, PlmNmMetrics *test,
                            double *l_neg_before, double *l_neg_after, int *best_epoch)
{
  if (valid != NULL)
    *valid = tr->valid_metrics;
  if (test != NULL)
    *test = tr->test_metrics;
  if (l_neg_before != NULL)
    *l_neg_before = tr->l_neg_before;
  if (l_neg_after != NULL)
    *l_neg_after = tr->l_neg_after;
  if (best_epoch != NULL)
    *best_epoch = tr->best_epoch;
}

/* ---- ESM-2 as a trainable encoder (--plm finetune|scratch) ---- */

static const float *
esm_encode (gpointer self, int slot, const int32_t *tokens, int n_tokens, GError **error)
{
  return plm_esm_trainable_encode_slot (self, slot, tokens, n_tokens, error);
}

static void
esm_backward (gpointer self, int slot, const float *d_embeddings)
{
  g_autoptr(GError) error = NULL;
  /* plm_nm_encoder_init_esm reserved the activations for max_len, so this cannot fail */
  if (!plm_esm_trainable_backward_slot (self, slot, d_embeddings, &error))
    g_error ("encoder backward failed after reserve: %s", error->message);
}

static float *
esm_params (gpointer self, gsize *n)
{
  return plm_esm_trainable_get_params (self, n);
}

static float *
esm_grads (gpointer self, gsize *n)
{
  return plm_esm_trainable_get_grads (self, n);
}

static gboolean
esm_save (gpointer self, const char *path, GError **error)
{
  return plm_esm_trainable_save (self, path, error);
}

gboolean
plm_nm_encoder_init_esm (PlmNmEncoder *encoder, PlmEsmTrainable *esm, int max_len, GError **error)
{
  if (!plm_esm_trainable_reserve (esm, max_len, error))
    return FALSE;
  encoder->d_model = plm_esm_trainable_get_config (esm)->d_model;
  encoder->encode = esm_encode;
  encoder->backward = esm_backward;
  encoder->param_data = esm_params;
  encoder->grad_data = esm_grads;
  encoder->save = esm_save;
  encoder->self = esm;
  return TRUE;
}
