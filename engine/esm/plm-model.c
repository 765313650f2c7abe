/* plm-model.c: loads an ESM-2 or ESM-1b/1v checkpoint (HF layout, F32/F16/BF16, single or
 * sharded) and checks every tensor it uses against config.json before use. */
#include "plm-model.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "plm-error.h"
#include "plm-model-pt.h"

/* Sanity bounds: generous for ESM-2 15B (48 layers, 5120 wide), tight enough to refuse nonsense
 * before any arithmetic on them can overflow. */
#define MAX_LAYERS 256
#define MAX_WIDTH  32768
#define MAX_HEADS  1024
#define MAX_FFN    (4 * MAX_WIDTH)
#define MAX_CONFIG_BYTES (1024 * 1024)

static gboolean
config_int (JsonObject *o, const char *path, const char *key, int lo, int hi,
            gboolean required, int fallback, int *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: required field \"%s\" is missing", path, key);
          return FALSE;
        }
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: field \"%s\" must be an integer", path, key);
      return FALSE;
    }
  gint64 v = json_node_get_int (n);
  if (v < lo || v > hi)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: field \"%s\" = %" G_GINT64_FORMAT
                   " is outside %d..%d", path, key, v, lo, hi);
      return FALSE;
    }
  *out = (int) v;
  return TRUE;
}

static const char *
config_string (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
config_bool (JsonObject *o, const char *path, const char *key, gboolean fallback,
             gboolean *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: field \"%s\" must be true or false", path, key);
      return FALSE;
    }
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean config_parse (const char *path, const char *text, gsize len, PlmEsmConfig *c, GError **error);

gboolean
plm_esm_config_load (const char *path, PlmEsmConfig *c, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;

  memset (c, 0, sizeof *c);
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot read: %s", path, local->message);
      return FALSE;
    }
  return config_parse (path, text, len, c, error);
}

/* @path names the text in messages. */
static gboolean
config_parse (const char *path, const char *text, gsize len, PlmEsmConfig *c, GError **error)
{
  g_autoptr(GError) local = NULL;

  memset (c, 0, sizeof *c);
  if (len > MAX_CONFIG_BYTES)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: %zu bytes is too large for a config", path, len);
      return FALSE;
    }
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: invalid JSON: %s", path, local->message);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: not a JSON object", path);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (root);

  const char *model_type = config_string (o, "model_type");
  if (model_type != NULL && g_strcmp0 (model_type, "esm") != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: model_type \"%s\" is not an ESM model", path, model_type);
      return FALSE;
    }
  const char *pos = config_string (o, "position_embedding_type");
  if (pos != NULL && g_strcmp0 (pos, "rotary") != 0 && g_strcmp0 (pos, "absolute") != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG,
                   "%s: position_embedding_type \"%s\" is not supported (ESM-2 uses \"rotary\", "
                   "ESM-1b \"absolute\")", path, pos);
      return FALSE;
    }
  c->absolute_positions = g_strcmp0 (pos, "absolute") == 0;
  const char *act = config_string (o, "hidden_act");
  if (act != NULL && g_strcmp0 (act, "gelu") != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: hidden_act \"%s\" is not supported (ESM-2 uses \"gelu\")",
                   path, act);
      return FALSE;
    }

  if (!config_int (o, path, "num_hidden_layers", 1, MAX_LAYERS, TRUE, 0, &c->n_layers, error)
      || !config_int (o, path, "hidden_size", 1, MAX_WIDTH, TRUE, 0, &c->d_model, error)
      || !config_int (o, path, "num_attention_heads", 1, MAX_HEADS, TRUE, 0, &c->n_heads, error)
      || !config_int (o, path, "intermediate_size", 1, MAX_FFN, TRUE, 0, &c->d_ffn, error)
      || !config_int (o, path, "vocab_size", 33, 33, TRUE, 33, &c->vocab_size, error)
      || !config_int (o, path, "max_position_embeddings", 3, 1 << 20, FALSE, 1026, &c->max_positions, error)
      || !config_int (o, path, "mask_token_id", 32, 32, FALSE, 32, &c->mask_token_id, error)
      || !config_int (o, path, "pad_token_id", 1, 1, FALSE, 1, &c->pad_token_id, error)
      || !config_bool (o, path, "token_dropout", TRUE, &c->token_dropout, error)
      || !config_bool (o, path, "emb_layer_norm_before", FALSE, &c->emb_layer_norm_before, error))
    return FALSE;
  if (c->absolute_positions && c->max_positions < c->pad_token_id + 4)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG,
                   "%s: max_position_embeddings %d leaves no room for a residue with absolute positions",
                   path, c->max_positions);
      return FALSE;
    }
  if (c->d_model % c->n_heads != 0 || (c->d_model / c->n_heads) % 2 != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG,
                   "%s: hidden_size %d must split into %d heads of an even width", path, c->d_model, c->n_heads);
      return FALSE;
    }
  c->d_head = c->d_model / c->n_heads;

  c->layer_norm_eps = 1e-5f;
  JsonNode *eps = json_object_get_member (o, "layer_norm_eps");
  if (eps != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (eps)
          || (json_node_get_value_type (eps) != G_TYPE_DOUBLE && json_node_get_value_type (eps) != G_TYPE_INT64)
          || !(json_node_get_double (eps) > 0.0 && json_node_get_double (eps) < 1.0))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: layer_norm_eps must be a number in (0, 1)", path);
          return FALSE;
        }
      c->layer_norm_eps = (float) json_node_get_double (eps);
    }
  return TRUE;
}

int
plm_esm_config_max_tokens (const PlmEsmConfig *c)
{
  /* position ids pad + 1 … pad + T must index the table's max_positions rows */
  return c->absolute_positions ? c->max_positions - c->pad_token_id - 1 : 0;
}

int
plm_esm_config_max_residues (const PlmEsmConfig *c)
{
  int hard = plm_esm_config_max_tokens (c);
  return (hard > 0 ? hard : c->max_positions) - 2;
}

const char *
plm_esm_config_architecture (const PlmEsmConfig *c)
{
  return c->absolute_positions || c->emb_layer_norm_before ? "ESM-1b" : "ESM-2";
}

guint64
plm_esm_config_weight_bytes (const PlmEsmConfig *c)
{
  guint64 d = (guint64) c->d_model, f = (guint64) c->d_ffn;
  guint64 per_layer = 4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d;
  guint64 n = (guint64) c->n_layers * per_layer + (guint64) c->vocab_size * d + 2 * d
              + d * d + 3 * d + (guint64) c->vocab_size + (guint64) c->n_layers * c->n_heads + 1;
  if (c->absolute_positions)
    n += (guint64) c->max_positions * d;
  if (c->emb_layer_norm_before)
    n += 2 * d;
  return 4 * n;
}

/* ---- tensor lookup across one or more files ---- */

typedef struct {
  PlmModel *model;
  GHashTable *where;   /* tensor name → const PlmTensorInfo* */
  const char *path;
  /* pass 1 counts arena floats; pass 2 fills */
  gboolean filling;
  gsize arena_used;
} Loader;

static gboolean
is_aligned_f32 (const PlmTensorInfo *t)
{
  return t->dtype == PLM_DTYPE_F32 && ((guintptr) t->data % sizeof (float)) == 0;
}

static const PlmTensorInfo *
find_tensor (Loader *ld, const char *name, const char **found_name)
{
  const char *candidates[2] = { name, NULL };
  g_autofree char *prefixed = NULL;

  /* EsmForMaskedLM stores the encoder under "esm."; a bare EsmModel does not. */
  if (!g_str_has_prefix (name, "lm_head."))
    {
      prefixed = g_strconcat ("esm.", name, NULL);
      candidates[0] = prefixed;
      candidates[1] = name;
    }
  for (int i = 0; i < 2 && candidates[i] != NULL; i++)
    {
      const PlmTensorInfo *t = g_hash_table_lookup (ld->where, candidates[i]);
      if (t != NULL)
        {
          *found_name = candidates[i] == name ? name : NULL;
          return t;
        }
    }
  return NULL;
}

/* Returns F32 data of tensor @name with the exact @shape (n_dims entries), or NULL when absent
 * and optional. Sets *failed and @error when present but wrong. */
static const float *
take (Loader *ld, const char *name, int n_dims, int64_t d0, int64_t d1, gboolean required,
      gboolean *failed, GError **error)
{
  const char *found = NULL;
  const PlmTensorInfo *t;

  if (*failed)
    return NULL;
  t = find_tensor (ld, name, &found);
  if (t == NULL)
    {
      if (required)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: required tensor '%s' is missing",
                       ld->path, name);
          *failed = TRUE;
        }
      return NULL;
    }
  if (t->dtype != PLM_DTYPE_F32 && t->dtype != PLM_DTYPE_F16 && t->dtype != PLM_DTYPE_BF16)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: tensor '%s' has dtype %s (F32, F16 or BF16 expected)",
                   ld->path, t->name, plm_dtype_name (t->dtype));
      *failed = TRUE;
      return NULL;
    }
  int64_t want[2] = { d0, d1 };
  gboolean ok = t->n_dims == n_dims;
  for (int i = 0; ok && i < n_dims; i++)
    ok = t->shape[i] == want[i];
  if (!ok)
    {
      GString *got = g_string_new ("[");
      for (int i = 0; i < t->n_dims; i++)
        g_string_append_printf (got, "%s%" G_GINT64_FORMAT, i ? ", " : "", t->shape[i]);
      g_string_append (got, "]");
      g_autofree char *got_s = g_string_free (got, FALSE);
      g_autofree char *want_s = n_dims == 1
        ? g_strdup_printf ("[%" G_GINT64_FORMAT "]", d0)
        : g_strdup_printf ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]", d0, d1);
      g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: tensor '%s' has shape %s but config.json implies %s",
                   ld->path, t->name, got_s, want_s);
      *failed = TRUE;
      return NULL;
    }

  if (is_aligned_f32 (t))
    {
      if (!ld->filling)
        ld->model->n_params += (gint64) t->n_elements;
      return t->data;   /* used in place from the mapping: no copy */
    }
  if (!ld->filling)
    {
      ld->model->n_params += (gint64) t->n_elements;
      ld->arena_used += t->n_elements;
      return NULL;
    }
  float *dst = ld->model->arena + ld->arena_used;
  if (t->dtype == PLM_DTYPE_F32)
    memcpy (dst, t->data, t->n_elements * sizeof (float));
  else
    plm_dtype_to_f32 (t->dtype, t->data, dst, t->n_elements);
  ld->arena_used += t->n_elements;
  return dst;
}

static gboolean
bind_weights (Loader *ld, GError **error)
{
  PlmModel *m = ld->model;
  const PlmEsmConfig *c = &m->config;
  int d = c->d_model, f = c->d_ffn, V = c->vocab_size;
  gboolean failed = FALSE;

  m->n_params = 0;
  m->embed = take (ld, "embeddings.word_embeddings.weight", 2, V, d, TRUE, &failed, error);
  /* ESM-1b / ESM-1v: learned positions and the embedding LayerNorm (an ESM-2 file may carry an
   * unused position table: not read) */
  m->pos_embed = NULL;
  if (c->absolute_positions)
    m->pos_embed = take (ld, "embeddings.position_embeddings.weight", 2, c->max_positions, d, TRUE,
                         &failed, error);
  m->emb_ln_w = m->emb_ln_b = NULL;
  if (c->emb_layer_norm_before)
    {
      m->emb_ln_w = take (ld, "embeddings.layer_norm.weight", 1, d, 0, TRUE, &failed, error);
      m->emb_ln_b = take (ld, "embeddings.layer_norm.bias", 1, d, 0, TRUE, &failed, error);
    }
  for (int i = 0; i < c->n_layers; i++)
    {
      PlmEsmLayerWeights *w = &m->layers[i];
#define L(field, suffix, nd, a, b) \
      do { g_autofree char *nm = g_strdup_printf ("encoder.layer.%d.%s", i, suffix); \
           w->field = take (ld, nm, nd, a, b, TRUE, &failed, error); } while (0)
      L (ln_attn_w, "attention.LayerNorm.weight", 1, d, 0);
      L (ln_attn_b, "attention.LayerNorm.bias", 1, d, 0);
      L (wq, "attention.self.query.weight", 2, d, d);
      L (bq, "attention.self.query.bias", 1, d, 0);
      L (wk, "attention.self.key.weight", 2, d, d);
      L (bk, "attention.self.key.bias", 1, d, 0);
      L (wv, "attention.self.value.weight", 2, d, d);
      L (bv, "attention.self.value.bias", 1, d, 0);
      L (wo, "attention.output.dense.weight", 2, d, d);
      L (bo, "attention.output.dense.bias", 1, d, 0);
      L (ln_ffn_w, "LayerNorm.weight", 1, d, 0);
      L (ln_ffn_b, "LayerNorm.bias", 1, d, 0);
      L (w1, "intermediate.dense.weight", 2, f, d);
      L (b1, "intermediate.dense.bias", 1, f, 0);
      L (w2, "output.dense.weight", 2, d, f);
      L (b2, "output.dense.bias", 1, d, 0);
#undef L
    }
  m->final_ln_w = take (ld, "encoder.emb_layer_norm_after.weight", 1, d, 0, TRUE, &failed, error);
  m->final_ln_b = take (ld, "encoder.emb_layer_norm_after.bias", 1, d, 0, TRUE, &failed, error);

  /* The LM head is optional (a bare EsmModel has none) but must be complete when present. */
  const char *dummy;
  m->has_lm_head = find_tensor (ld, "lm_head.dense.weight", &dummy) != NULL;
  if (m->has_lm_head)
    {
      m->lm_dense_w = take (ld, "lm_head.dense.weight", 2, d, d, TRUE, &failed, error);
      m->lm_dense_b = take (ld, "lm_head.dense.bias", 1, d, 0, TRUE, &failed, error);
      m->lm_ln_w = take (ld, "lm_head.layer_norm.weight", 1, d, 0, TRUE, &failed, error);
      m->lm_ln_b = take (ld, "lm_head.layer_norm.bias", 1, d, 0, TRUE, &failed, error);
      m->lm_bias = take (ld, "lm_head.bias", 1, V, 0, TRUE, &failed, error);
      m->lm_decoder = take (ld, "lm_head.decoder.weight", 2, V, d, FALSE, &failed, error);
      if (m->lm_decoder == NULL && find_tensor (ld, "lm_head.decoder.weight", &dummy) == NULL)
        m->lm_decoder = m->embed;   /* tied to the word embeddings */
    }

  m->has_contact_head = find_tensor (ld, "contact_head.regression.weight", &dummy) != NULL;
  if (m->has_contact_head)
    {
      m->contact_w = take (ld, "contact_head.regression.weight", 2, 1,
                           (int64_t) c->n_layers * c->n_heads, TRUE, &failed, error);
      const float *cb = take (ld, "contact_head.regression.bias", 1, 1, 0, TRUE, &failed, error);
      m->contact_b = cb != NULL ? cb[0] : 0.0f;
    }
  return !failed;
}

static gboolean
resolve_paths (const char *path, char **config_path, GPtrArray *weight_files, char **index_path,
               GError **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *single = g_build_filename (path, "model.safetensors", NULL);
      g_autofree char *index = g_build_filename (path, "model.safetensors.index.json", NULL);
      *config_path = g_build_filename (path, "config.json", NULL);
      if (g_file_test (single, G_FILE_TEST_EXISTS))
        g_ptr_array_add (weight_files, g_steal_pointer (&single));
      else if (g_file_test (index, G_FILE_TEST_EXISTS))
        *index_path = g_steal_pointer (&index);
      else
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_IO,
                       "%s: no model.safetensors or model.safetensors.index.json in this directory", path);
          return FALSE;
        }
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      *config_path = g_build_filename (dir, "config.json", NULL);
      if (g_str_has_suffix (path, ".index.json"))
        *index_path = g_strdup (path);
      else
        g_ptr_array_add (weight_files, g_strdup (path));
    }
  else
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: no such file or directory", path);
      return FALSE;
    }
  if (!g_file_test (*config_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: config.json is missing beside the weights", *config_path);
      return FALSE;
    }
  return TRUE;
}

/* Reads a sharded index: the distinct shard files named by "weight_map". */
static gboolean
read_index (const char *index_path, GPtrArray *weight_files, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  g_autofree char *dir = g_path_get_dirname (index_path);

  if (!json_parser_load_from_file (parser, index_path, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: invalid JSON: %s", index_path, local->message);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *map = root && JSON_NODE_HOLDS_OBJECT (root)
    ? json_object_get_member (json_node_get_object (root), "weight_map") : NULL;
  if (map == NULL || !JSON_NODE_HOLDS_OBJECT (map))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no \"weight_map\" object", index_path);
      return FALSE;
    }
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObjectIter it;
  const char *name;
  JsonNode *file;
  json_object_iter_init (&it, json_node_get_object (map));
  while (json_object_iter_next (&it, &name, &file))
    {
      const char *fname = JSON_NODE_HOLDS_VALUE (file) && json_node_get_value_type (file) == G_TYPE_STRING
        ? json_node_get_string (file) : NULL;
      /* Shards must be plain file names beside the index: no paths out of the directory. */
      if (fname == NULL || *fname == '\0' || strchr (fname, '/') != NULL || strcmp (fname, "..") == 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: weight_map entry for '%s' is not a plain file name",
                       index_path, name);
          return FALSE;
        }
      if (g_hash_table_add (seen, (gpointer) fname))
        {
          if (g_hash_table_size (seen) > 4096)
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: too many shards", index_path);
              return FALSE;
            }
          g_ptr_array_add (weight_files, g_build_filename (dir, fname, NULL));
        }
    }
  if (weight_files->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: \"weight_map\" is empty", index_path);
      return FALSE;
    }
  return TRUE;
}

static gboolean bind_all (PlmModel *m, GHashTable *where, const char *what, GError **error);
static PlmModel *load_fair_esm (const char *path, GError **error);

PlmModel *
plm_model_load (const char *path, GError **error)
{
  if (plm_fair_esm_is_checkpoint (path))
    return load_fair_esm (path, error);

  g_autoptr(PlmModel) m = g_new0 (PlmModel, 1);
  g_autofree char *config_path = NULL;
  g_autofree char *index_path = NULL;
  g_autoptr(GPtrArray) weight_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) where = g_hash_table_new (g_str_hash, g_str_equal);

  m->path = g_strdup (path);
  m->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plm_safetensors_free);
  if (!resolve_paths (path, &config_path, weight_files, &index_path, error))
    return NULL;
  {
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *dir = g_path_get_dirname (path);
    m->name = g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strdup (base) : g_path_get_basename (dir);
  }
  if (!plm_esm_config_load (config_path, &m->config, error))
    return NULL;
  if (index_path != NULL && !read_index (index_path, weight_files, error))
    return NULL;

  for (guint i = 0; i < weight_files->len; i++)
    {
      PlmSafetensors *st = plm_safetensors_open (weight_files->pdata[i], error);
      if (st == NULL)
        return NULL;
      g_ptr_array_add (m->files, st);
      m->file_size += plm_safetensors_file_size (st);
      for (guint j = 0; j < plm_safetensors_n_tensors (st); j++)
        {
          const PlmTensorInfo *t = plm_safetensors_get_nth (st, j);
          if (g_hash_table_contains (where, t->name))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: tensor '%s' appears in more than one shard",
                           plm_safetensors_path (st), t->name);
              return NULL;
            }
          g_hash_table_insert (where, t->name, (gpointer) t);
        }
    }

  const char *what = index_path ? index_path : weight_files->pdata[0];
  if (!bind_all (m, where, what, error))
    return NULL;
  return g_steal_pointer (&m);
}

/* A fair-esm .pt: its tensors under HF names and the HF config they imply. */
static PlmModel *
load_fair_esm (const char *path, GError **error)
{
  g_autoptr(PlmModel) m = g_new0 (PlmModel, 1);
  m->path = g_strdup (path);
  m->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plm_fair_esm_free);
  PlmFairEsm *fe = plm_fair_esm_open (path, error);
  if (fe == NULL)
    return NULL;
  g_ptr_array_add (m->files, fe);
  m->name = g_strdup (fe->name);
  m->file_size = fe->file_size;
  if (!config_parse (path, fe->config_json, strlen (fe->config_json), &m->config, error))
    return NULL;
  if (!bind_all (m, fe->tensors, path, error))
    return NULL;
  return g_steal_pointer (&m);
}

/* Validates and binds every tensor of @m from @where (name → const PlmTensorInfo*). */
static gboolean
bind_all (PlmModel *m, GHashTable *where, const char *what, GError **error)
{
  const char *path = m->path;
  m->dtype = PLM_DTYPE_OTHER;
  m->layers = g_new0 (PlmEsmLayerWeights, m->config.n_layers);
  Loader ld = { .model = m, .where = where, .path = what };
  const char *dummy;
  const PlmTensorInfo *emb = find_tensor (&ld, "embeddings.word_embeddings.weight", &dummy);
  if (emb != NULL)
    m->dtype = emb->dtype;

  /* Pass 1: validate everything and size the conversion arena; pass 2: convert once. */
  if (!bind_weights (&ld, error))
    return FALSE;
  if (ld.arena_used > 0)
    {
      m->arena_floats = ld.arena_used;
      m->arena = g_try_malloc (ld.arena_used * sizeof (float));
      if (m->arena == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%s: not enough memory to convert %zu MB of weights",
                       path, ld.arena_used * sizeof (float) >> 20);
          return FALSE;
        }
      ld.filling = TRUE;
      ld.arena_used = 0;
      gint64 n_params = m->n_params;
      if (!bind_weights (&ld, error))
        return FALSE;
      m->n_params = n_params;
    }
  return TRUE;
}

void
plm_model_free (PlmModel *m)
{
  if (m == NULL)
    return;
  g_free (m->layers);
  plm_lowp_free (m->lowp);
  g_clear_pointer (&m->files, g_ptr_array_unref);
  g_free (m->arena);
  g_free (m->path);
  g_free (m->name);
  g_free (m);
}

char *
plm_esm_config_json (int      n_layers,
                     int      d_model,
                     int      n_heads,
                     int      d_ffn,
                     int      max_positions,
                     gboolean absolute,
                     gboolean token_dropout,
                     gboolean emb_layer_norm_before)
{
  /* integers and fixed literals only, so the locale plays no part */
  return g_strdup_printf (
    "{\n"
    "  \"architectures\": [\n    \"EsmForMaskedLM\"\n  ],\n"
    "  \"model_type\": \"esm\",\n"
    "  \"hidden_size\": %d,\n"
    "  \"num_hidden_layers\": %d,\n"
    "  \"num_attention_heads\": %d,\n"
    "  \"intermediate_size\": %d,\n"
    "  \"vocab_size\": 33,\n"
    "  \"max_position_embeddings\": %d,\n"
    "  \"position_embedding_type\": \"%s\",\n"
    "  \"token_dropout\": %s,\n"
    "  \"layer_norm_eps\": 1e-05,\n"
    "  \"mask_token_id\": 32,\n"
    "  \"pad_token_id\": 1,\n"
    "  \"emb_layer_norm_before\": %s,\n"
    "  \"hidden_act\": \"gelu\",\n"
    "  \"attention_probs_dropout_prob\": 0.0,\n"
    "  \"hidden_dropout_prob\": 0.0,\n"
    "  \"torch_dtype\": \"float32\"\n"
    "}\n",
    d_model, n_layers, n_heads, d_ffn, max_positions, absolute ? "absolute" : "rotary",
    token_dropout ? "true" : "false", emb_layer_norm_before ? "true" : "false");
}
