/* plm-nm-emb-cache.c: tokens and embeddings of a frozen PLM, computed once per sequence before
 * training and optionally kept in a safetensors file across runs. */
#include "plm-nm-train-private.h"

#include <string.h>

#include "plm-error.h"
#include "plm-esm.h"
#include "plm-resources.h"
#include "plm-tokenizer.h"

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

/* Embeddings of @n sequences in one packed forward (plm_esm_forward_packed, each exactly what
 * plm_nm_embed_sequence gives alone) into @emb [n] and @n_tokens [n]. */
static gboolean
embed_packed (PlmEsmState *state, const char *const *sequences, int n, int max_len, float **emb, int *n_tokens,
              GCancellable *cancellable, GError **error)
{
  g_autofree int32_t **tokens = g_new0 (int32_t *, n);
  g_autofree PlmForwardOptions *opts = g_new0 (PlmForwardOptions, n);
  g_autofree const PlmForwardOptions **popts = g_new0 (const PlmForwardOptions *, n);
  g_autofree PlmForwardOutput *outs = g_new0 (PlmForwardOutput, n);

  for (int b = 0; b < n; b++)
    {
      tokens[b] = plm_nm_tokenize (sequences[b], max_len, &n_tokens[b]);
      opts[b] = (PlmForwardOptions) { .want_embeddings = TRUE, .cancellable = cancellable };
      popts[b] = &opts[b];
    }
  gboolean ok = plm_esm_forward_packed (state, n, (const int32_t *const *) tokens, n_tokens, popts, outs, error);
  for (int b = 0; b < n; b++)
    {
      emb[b] = ok ? g_steal_pointer (&outs[b].embeddings) : NULL;
      plm_forward_output_clear (&outs[b]);
      g_free (tokens[b]);
    }
  return ok;
}

void
plm_nm_emb_cache_free (gpointer data)
{
  EmbCache *c = data;
  for (int i = 0; i < c->n; i++)
    g_free (c->emb[i]);
  g_free (c->emb);
  g_free (c->len);
  g_free (c);
}

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
  return plm_nm_json_to_string (b);
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
      EmbCache *c = plm_nm_trainer_cache_for (tr, ds);
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

EmbCache *
plm_nm_trainer_cache_for (PlmNmTrainer *tr, PlmDataset *ds)
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
      EmbCache *c = plm_nm_trainer_cache_for (tr, ds);
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
  guint64 budget = plm_esm_pack_token_budget (&tr->model->config);
  g_autofree const char **group = g_new0 (const char *, MAX (todo_idx->len, 1));
  g_autofree guint *group_i = g_new0 (guint, MAX (todo_idx->len, 1));
  g_autofree float **group_emb = g_new0 (float *, MAX (todo_idx->len, 1));
  g_autofree int *group_len = g_new0 (int, MAX (todo_idx->len, 1));
  for (guint i = 0; i < todo_idx->len;)
    {
      /* the next sequences to compute, as many as fit one packed forward */
      int n = 0;
      guint64 tokens = 0;
      for (; i < todo_idx->len; i++)
        {
          if (found[i])
            continue;
          PlmDataset *owner = g_ptr_array_index (todo_ds, i);
          const char *seq = g_ptr_array_index (owner->seqs, g_array_index (todo_idx, int, i));
          guint64 t = strlen (seq) + 2;
          if (tr->config.max_len >= 3)
            t = MIN (t, (guint64) tr->config.max_len);
          if (n > 0 && tokens + t > budget)
            break;
          group[n] = seq;
          group_i[n++] = i;
          tokens += t;
        }
      if (n == 0)
        continue;
      if (!embed_packed (state, group, n, tr->config.max_len, group_emb, group_len, cancellable, error))
        {
          PlmDataset *owner = g_ptr_array_index (todo_ds, group_i[0]);
          int idx = g_array_index (todo_idx, int, group_i[0]);
          g_prefix_error (error, "%s: sequence \"%s\"%s: ", owner->name,
                          (char *) g_ptr_array_index (owner->seq_ids, idx), n > 1 ? " (and the next ones)" : "");
          g_clear_pointer (&old_cache, plm_safetensors_free);
          return FALSE;
        }
      for (int b = 0; b < n; b++)
        {
          PlmDataset *owner = g_ptr_array_index (todo_ds, group_i[b]);
          EmbCache *c = plm_nm_trainer_cache_for (tr, owner);
          int idx = g_array_index (todo_idx, int, group_i[b]);
          c->emb[idx] = group_emb[b];
          c->len[idx] = group_len[b];
          done++;
          computed++;
          if (tr->embed_func != NULL)
            tr->embed_func (done, total, tr->user_data);
        }
    }
  gboolean ok = TRUE;
  if (tr->emb_cache_path != NULL && computed > 0)
    ok = emb_cache_save (tr, old_cache, error);
  g_clear_pointer (&old_cache, plm_safetensors_free);
  return ok;
}
