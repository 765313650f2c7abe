/* plm-nm-train.c: the NM-Transformer training loop.
 *
 * Reproducibility: epoch e shuffles and samples negatives from a generator seeded with
 * (seed, e) only, so a run resumed after epoch e continues exactly as if never stopped;
 * the resumable state is (epoch, Adam moments and step, best head, early-stopping counter)
 * (plm-nm-checkpoint.c). Metrics are in plm-nm-metrics.c, the frozen path's embeddings in
 * plm-nm-emb-cache.c. */
#include "plm-nm-train-private.h"

#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-esm.h"
#include "plm-rng.h"

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

gboolean
plm_nm_objective_parse (const char *name, PlmNmObjective *objective)
{
  for (PlmNmObjective o = PLM_NM_OBJECTIVE_NM; o <= PLM_NM_OBJECTIVE_MLP; o++)
    if (g_strcmp0 (name, plm_nm_objective_name (o)) == 0)
      {
        *objective = o;
        return TRUE;
      }
  return FALSE;
}

const char *
plm_nm_plm_mode_name (PlmNmPlmMode mode)
{
  switch (mode)
    {
    case PLM_NM_PLM_FROZEN: return "frozen";
    case PLM_NM_PLM_FINETUNE: return "finetune";
    case PLM_NM_PLM_SCRATCH: return "scratch";
    default: return "?";
    }
}

gboolean
plm_nm_plm_mode_parse (const char *name, PlmNmPlmMode *mode)
{
  for (PlmNmPlmMode m = PLM_NM_PLM_FROZEN; m <= PLM_NM_PLM_SCRATCH; m++)
    if (g_strcmp0 (name, plm_nm_plm_mode_name (m)) == 0)
      {
        *mode = m;
        return TRUE;
      }
  return FALSE;
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
  c->weight_decay = -1.0f;
  c->epochs = 100;
  c->batch = 50;
  c->max_len = 512;
  c->seed = 42;
  c->patience = 4;
  c->d_hidden = 128;
  c->n_heads = 1;
  c->plm_mode = PLM_NM_PLM_FROZEN;
  c->valid_fraction = 0.1;
  c->test_fraction = 0.1;
  c->split_seed = -1;
}

static gboolean
check_cancelled (GCancellable *cancellable, GError **error)
{
  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, PLM_ERROR, PLM_ERROR_CANCELLED, "training cancelled");
  return TRUE;
}

/* ---- the trainer ---- */

PlmNmTrainer *
plm_nm_trainer_new (const PlmNmTrainConfig *config, PlmModel *model, PlmNmEncoder *encoder,
                    PlmDataset *train, PlmDataset *valid, PlmDataset *test, GPtrArray *classes)
{
  g_return_val_if_fail (model != NULL || encoder != NULL, NULL);
  g_return_val_if_fail (train != NULL && train->label != NULL, NULL);

  PlmNmTrainer *tr = g_new0 (PlmNmTrainer, 1);
  tr->config = *config;
  if (tr->config.weight_decay < 0)
    tr->config.weight_decay = config->objective == PLM_NM_OBJECTIVE_MLP ? 0.0f : 1e-5f;
  tr->model = model;
  tr->encoder = encoder;
  tr->train = train;
  tr->valid = valid;
  tr->test = test;
  tr->classes = g_ptr_array_ref (classes);
  tr->caches = g_hash_table_new_full (NULL, NULL, NULL, plm_nm_emb_cache_free);
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
                      1.0f, tr->config.weight_decay);
  if (encoder != NULL)
    {
      gsize n_enc, n_enc_g;
      float *ep = encoder->param_data (encoder->self, &n_enc);
      float *eg = encoder->grad_data (encoder->self, &n_enc_g);
      g_assert (n_enc == n_enc_g);
      plm_adam_add_group (tr->adam, ep, eg, n_enc, config->esm_coe, tr->config.weight_decay);
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

PlmNmHead *
plm_nm_trainer_get_head (PlmNmTrainer *tr)
{
  return tr->head;
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

  plm_engine_thread_init ();   /* this thread's BLAS threads: see plm_esm_trunk () */
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
      if (r.improved && !plm_nm_trainer_save_best (tr, error))
        return FALSE;
      if (!plm_nm_trainer_save_last (tr, error))
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
  if (!plm_nm_trainer_save_best (tr, error))
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
