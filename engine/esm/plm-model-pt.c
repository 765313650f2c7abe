/* plm-model-pt.c: fair-esm .pt checkpoints in HF layout. The archive is read by plm-torch.c
 * (nothing executed); here the fair-esm key names become HF names and `args` (ESM-1b/1v) or
 * `cfg["model"]` (ESM-2) become an HF config.json, so plm-model.c loads them like any HF file. */
#include "plm-model-pt.h"
#include "plm-model.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "plm-error.h"
#include "plm-torch.h"

#define MASK_TOKEN 32

gboolean
plm_fair_esm_is_checkpoint (const char *path)
{
  if (!(g_str_has_suffix (path, ".pt") || g_str_has_suffix (path, ".pth"))
      || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    return TRUE;   /* let the reader report why it cannot be opened */
  unsigned char magic[4] = { 0 };
  size_t n = fread (magic, 1, 4, f);
  fclose (f);
  return n == 4 && magic[0] == 'P' && magic[1] == 'K';
}

/* fair-esm's own upgrade strips "encoder.sentence_encoder." and "encoder."; then the module
 * names map one to one onto HF's EsmForMaskedLM. */
char *
plm_fair_esm_hf_name (const char *key)
{
  static const struct { const char *from, *to; } layer_map[] = {
    { "self_attn.q_proj.", "attention.self.query." },
    { "self_attn.k_proj.", "attention.self.key." },
    { "self_attn.v_proj.", "attention.self.value." },
    { "self_attn.out_proj.", "attention.output.dense." },
    { "self_attn.rot_emb.inv_freq", "attention.self.rotary_embeddings.inv_freq" },
    { "self_attn_layer_norm.", "attention.LayerNorm." },
    { "fc1.", "intermediate.dense." },
    { "fc2.", "output.dense." },
    { "final_layer_norm.", "LayerNorm." },
  };
  static const struct { const char *from, *to; } top_map[] = {
    { "embed_tokens.weight", "esm.embeddings.word_embeddings.weight" },
    { "embed_positions.weight", "esm.embeddings.position_embeddings.weight" },
    { "emb_layer_norm_before.weight", "esm.embeddings.layer_norm.weight" },
    { "emb_layer_norm_before.bias", "esm.embeddings.layer_norm.bias" },
    { "emb_layer_norm_after.weight", "esm.encoder.emb_layer_norm_after.weight" },
    { "emb_layer_norm_after.bias", "esm.encoder.emb_layer_norm_after.bias" },
    { "lm_head.dense.weight", "lm_head.dense.weight" },
    { "lm_head.dense.bias", "lm_head.dense.bias" },
    { "lm_head.layer_norm.weight", "lm_head.layer_norm.weight" },
    { "lm_head.layer_norm.bias", "lm_head.layer_norm.bias" },
    { "lm_head.weight", "lm_head.decoder.weight" },
    { "lm_head.bias", "lm_head.bias" },
    { "contact_head.regression.weight", "esm.contact_head.regression.weight" },
    { "contact_head.regression.bias", "esm.contact_head.regression.bias" },
  };
  if (g_str_has_prefix (key, "encoder.sentence_encoder."))
    key += strlen ("encoder.sentence_encoder.");
  else if (g_str_has_prefix (key, "encoder."))
    key += strlen ("encoder.");

  for (guint i = 0; i < G_N_ELEMENTS (top_map); i++)
    if (strcmp (key, top_map[i].from) == 0)
      return g_strdup (top_map[i].to);
  if (g_str_has_prefix (key, "layers."))
    {
      const char *p = key + strlen ("layers.");
      char *end = NULL;
      if (!g_ascii_isdigit (*p))
        return NULL;
      errno = 0;
      guint64 n = g_ascii_strtoull (p, &end, 10);
      if (errno != 0 || n > 100000 || *end != '.')
        return NULL;
      const char *rest = end + 1;
      for (guint i = 0; i < G_N_ELEMENTS (layer_map); i++)
        {
          gsize len = strlen (layer_map[i].from);
          gboolean exact = layer_map[i].from[len - 1] != '.';
          if (exact ? strcmp (rest, layer_map[i].from) == 0 : (g_str_has_prefix (rest, layer_map[i].from)
                                                                && (strcmp (rest + len, "weight") == 0
                                                                    || strcmp (rest + len, "bias") == 0)))
            return g_strdup_printf ("esm.encoder.layer.%" G_GUINT64_FORMAT ".%s%s", n, layer_map[i].to,
                                    exact ? "" : rest + len);
        }
    }
  return NULL;
}

/* Keys fair-esm files may carry that are not weights. */
static gboolean
ignorable_key (const char *key)
{
  return g_str_has_suffix (key, ".version") || g_str_has_suffix (key, "._float_tensor");
}

static gboolean
get_int (const PlmPyValue *ns, const char *path, const char *what, const char *const *keys,
         gint64 lo, gint64 hi, gboolean required, gint64 fallback, gint64 *out, GError **error)
{
  for (int i = 0; keys[i] != NULL; i++)
    {
      const PlmPyValue *v = plm_py_get (ns, keys[i]);
      if (v == NULL)
        continue;
      if (!plm_py_as_int (v, out) || *out < lo || *out > hi)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: %s.%s must be an integer in %" G_GINT64_FORMAT
                       "..%" G_GINT64_FORMAT, path, what, keys[i], lo, hi);
          return FALSE;
        }
      return TRUE;
    }
  if (required)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: %s has no %s", path, what, keys[0]);
      return FALSE;
    }
  *out = fallback;
  return TRUE;
}

static gboolean
get_bool (const PlmPyValue *ns, const char *key, gboolean fallback)
{
  const PlmPyValue *v = plm_py_get (ns, key);
  gint64 x;
  if (v == NULL || !plm_py_as_int (v, &x))
    return fallback;
  return x != 0;
}

/* Adds the tensors of a state dict under their HF names. */
static gboolean
add_state_dict (PlmFairEsm *fe, const PlmPyValue *sd, const char *path, GError **error)
{
  for (guint i = 0; i < plm_py_dict_size (sd); i++)
    {
      const char *key = plm_py_as_str (plm_py_dict_key (sd, i));
      const PlmPyValue *v = plm_py_dict_value (sd, i);
      if (key == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: a state-dict key is not a string", path);
          return FALSE;
        }
      if (v->kind != PLM_PY_TENSOR)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: state-dict entry '%s' is not a tensor", path, key);
          return FALSE;
        }
      g_autofree char *hf = plm_fair_esm_hf_name (key);
      if (hf == NULL)
        {
          if (ignorable_key (key))
            continue;
          g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR,
                       "%s: tensor '%s' is not part of an ESM-2, ESM-1b or ESM-1v model", path, key);
          return FALSE;
        }
      if (g_hash_table_contains (fe->tensors, hf))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: tensor '%s' appears twice", path, key);
          return FALSE;
        }
      PlmTensorInfo *t = g_new (PlmTensorInfo, 1);
      *t = v->tensor;
      t->name = g_steal_pointer (&hf);
      g_ptr_array_add (fe->owned, t);
      g_hash_table_insert (fe->tensors, t->name, t);
    }
  return TRUE;
}

static const PlmPyValue *
state_dict_of (const PlmPyValue *root, const char *path, GError **error)
{
  const PlmPyValue *sd = plm_py_get (root, "model");
  if (sd == NULL || sd->kind != PLM_PY_DICT)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no \"model\" state dict (not a fair-esm checkpoint)",
                   path);
      return NULL;
    }
  return sd;
}

static gboolean
build_config (PlmFairEsm *fe, const PlmPyValue *root, GError **error)
{
  const char *path = fe->path;
  const PlmPyValue *args = plm_py_get (root, "args");
  const PlmPyValue *cfg = plm_py_get (root, "cfg");
  gint64 layers, width, heads, ffn, max_pos = 1024;
  gboolean token_dropout;
  gboolean ln_before = FALSE;

  if (cfg != NULL)
    {
      const PlmPyValue *m = plm_py_get (cfg, "model");
      if (m == NULL || (m->kind != PLM_PY_NAMESPACE && m->kind != PLM_PY_DICT))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG, "%s: cfg has no \"model\" settings", path);
          return FALSE;
        }
      static const char *const k_layers[] = { "encoder_layers", NULL };
      static const char *const k_width[] = { "encoder_embed_dim", NULL };
      static const char *const k_heads[] = { "encoder_attention_heads", NULL };
      if (!get_int (m, path, "cfg.model", k_layers, 1, 256, TRUE, 0, &layers, error)
          || !get_int (m, path, "cfg.model", k_width, 1, 32768, TRUE, 0, &width, error)
          || !get_int (m, path, "cfg.model", k_heads, 1, 1024, TRUE, 0, &heads, error))
        return FALSE;
      ffn = 4 * width;   /* fair-esm's ESM2 class: the FFN is always 4 × the width */
      token_dropout = get_bool (m, "token_dropout", TRUE);
    }
  else if (args != NULL)
    {
      const char *arch = plm_py_as_str (plm_py_get (args, "arch"));
      if (g_strcmp0 (arch, "roberta_large") != 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG,
                       "%s: fair-esm architecture \"%s\" is not supported (ESM-1b/1v are \"roberta_large\")",
                       path, arch ? arch : "(none)");
          return FALSE;
        }
      static const char *const k_layers[] = { "encoder_layers", "layers", NULL };
      static const char *const k_width[] = { "encoder_embed_dim", "embed_dim", NULL };
      static const char *const k_heads[] = { "encoder_attention_heads", "attention_heads", NULL };
      static const char *const k_ffn[] = { "encoder_ffn_embed_dim", "ffn_embed_dim", NULL };
      static const char *const k_pos[] = { "max_positions", NULL };
      if (!get_int (args, path, "args", k_layers, 1, 256, TRUE, 0, &layers, error)
          || !get_int (args, path, "args", k_width, 1, 32768, TRUE, 0, &width, error)
          || !get_int (args, path, "args", k_heads, 1, 1024, TRUE, 0, &heads, error)
          || !get_int (args, path, "args", k_ffn, 1, 4 * 32768, TRUE, 0, &ffn, error)
          || !get_int (args, path, "args", k_pos, 1, 1 << 20, FALSE, 1024, &max_pos, error))
        return FALSE;
      token_dropout = get_bool (args, "token_dropout", FALSE);
      ln_before = g_hash_table_contains (fe->tensors, "esm.embeddings.layer_norm.weight");
      fe->esm1b = TRUE;
    }
  else
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CONFIG,
                   "%s: neither \"cfg\" (ESM-2) nor \"args\" (ESM-1b/1v) is present: not a fair-esm checkpoint", path);
      return FALSE;
    }

  /* the JSON HF's convert script would write */
  fe->config_json = plm_esm_config_json ((int) layers, (int) width, (int) heads, (int) ffn, (int) max_pos + 2,
                                         fe->esm1b, token_dropout, ln_before);
  return TRUE;
}

/* fair-esm zeroes the <mask> row of ESM-1b/1v embeddings when it loads them (token dropout);
 * HF's converted files carry the zeroed row, so the mapping does the same, on a copy. */
static gboolean
zero_mask_embedding (PlmFairEsm *fe, GError **error)
{
  PlmTensorInfo *t = g_hash_table_lookup (fe->tensors, "esm.embeddings.word_embeddings.weight");
  if (t == NULL)
    return TRUE;   /* plm-model.c reports it missing */
  if (t->n_dims != 2 || t->shape[0] <= MASK_TOKEN || plm_dtype_size (t->dtype) == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: embed_tokens.weight has an unexpected shape", fe->path);
      return FALSE;
    }
  guint8 *copy = g_memdup2 (t->data, t->n_bytes);
  gsize row = (gsize) t->shape[1] * plm_dtype_size (t->dtype);
  memset (copy + MASK_TOKEN * row, 0, row);
  g_ptr_array_add (fe->buffers, copy);
  t->data = copy;
  return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

PlmFairEsm *
plm_fair_esm_open (const char *path, GError **error)
{
  g_autoptr(PlmFairEsm) fe = g_new0 (PlmFairEsm, 1);
  fe->path = g_strdup (path);
  {
    g_autofree char *base = g_path_get_basename (path);
    char *dot = strrchr (base, '.');
    if (dot != NULL && dot != base)
      *dot = '\0';
    fe->name = g_steal_pointer (&base);
  }
  if (g_str_has_suffix (fe->name, "-contact-regression"))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   "%s: this is the contact-regression companion of a fair-esm model; open the model's own .pt "
                   "(it is found beside it)", path);
      return NULL;
    }
  fe->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plm_torch_free);
  fe->owned = g_ptr_array_new ();
  fe->buffers = g_ptr_array_new_with_free_func (g_free);
  fe->tensors = g_hash_table_new (g_str_hash, g_str_equal);

  PlmTorchFile *tf = plm_torch_open (path, error);
  if (tf == NULL)
    return NULL;
  g_ptr_array_add (fe->files, tf);
  fe->file_size = plm_torch_file_size (tf);
  const PlmPyValue *root = plm_torch_root (tf);
  const PlmPyValue *sd = state_dict_of (root, path, error);
  if (sd == NULL || !add_state_dict (fe, sd, path, error))
    return NULL;

  /* fair-esm keeps the contact head in <name>-contact-regression.pt beside the model. */
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *reg_base = g_strconcat (fe->name, "-contact-regression.pt", NULL);
  g_autofree char *reg = g_build_filename (dir, reg_base, NULL);
  if (g_file_test (reg, G_FILE_TEST_IS_REGULAR))
    {
      PlmTorchFile *rf = plm_torch_open (reg, error);
      if (rf == NULL)
        return NULL;
      g_ptr_array_add (fe->files, rf);
      fe->file_size += plm_torch_file_size (rf);
      const PlmPyValue *rsd = state_dict_of (plm_torch_root (rf), reg, error);
      if (rsd == NULL || !add_state_dict (fe, rsd, reg, error))
        return NULL;
      fe->regression_path = g_steal_pointer (&reg);
    }

  /* The decoder is tied to the embeddings when it is the same storage: HF files omit it then. */
  PlmTensorInfo *emb = g_hash_table_lookup (fe->tensors, "esm.embeddings.word_embeddings.weight");
  PlmTensorInfo *dec = g_hash_table_lookup (fe->tensors, "lm_head.decoder.weight");
  if (emb != NULL && dec != NULL && emb->data == dec->data && emb->dtype == dec->dtype
      && emb->n_elements == dec->n_elements)
    g_hash_table_remove (fe->tensors, "lm_head.decoder.weight");

  if (!build_config (fe, root, error))
    return NULL;
  if (fe->esm1b && !zero_mask_embedding (fe, error))
    return NULL;

  fe->names = g_ptr_array_new ();
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init (&it, fe->tensors);
  while (g_hash_table_iter_next (&it, &k, NULL))
    g_ptr_array_add (fe->names, k);
  g_ptr_array_sort (fe->names, compare_names);
  return g_steal_pointer (&fe);
}

void
plm_fair_esm_free (PlmFairEsm *fe)
{
  if (fe == NULL)
    return;
  g_clear_pointer (&fe->names, g_ptr_array_unref);
  g_clear_pointer (&fe->tensors, g_hash_table_unref);
  if (fe->owned != NULL)
    for (guint i = 0; i < fe->owned->len; i++)
      {
        PlmTensorInfo *t = fe->owned->pdata[i];
        g_free (t->name);
        g_free (t);
      }
  g_clear_pointer (&fe->owned, g_ptr_array_unref);
  g_clear_pointer (&fe->buffers, g_ptr_array_unref);
  g_clear_pointer (&fe->files, g_ptr_array_unref);
  g_free (fe->config_json);
  g_free (fe->regression_path);
  g_free (fe->name);
  g_free (fe->path);
  g_free (fe);
}

gboolean
plm_fair_esm_write_hf (PlmFairEsm *fe, const char *out_dir, GError **error)
{
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot create directory: %s", out_dir, g_strerror (errno));
      return FALSE;
    }
  g_autoptr(GArray) outs = g_array_new (FALSE, TRUE, sizeof (PlmTensorOut));
  g_autoptr(GPtrArray) bufs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < fe->names->len; i++)
    {
      const PlmTensorInfo *t = g_hash_table_lookup (fe->tensors, fe->names->pdata[i]);
      if (t->dtype != PLM_DTYPE_F32 && t->dtype != PLM_DTYPE_F16 && t->dtype != PLM_DTYPE_BF16)
        continue;   /* integer buffers are not weights */
      float *f = g_try_malloc (MAX (t->n_elements, 1) * sizeof (float));
      if (f == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%s: not enough memory for tensor '%s'", fe->path,
                       t->name);
          return FALSE;
        }
      g_ptr_array_add (bufs, f);
      plm_dtype_to_f32 (t->dtype, t->data, f, t->n_elements);
      PlmTensorOut o = { .name = t->name, .data = f, .n_dims = t->n_dims };
      memcpy (o.shape, t->shape, sizeof o.shape);
      g_array_append_val (outs, o);
    }
  g_autofree char *config = g_build_filename (out_dir, "config.json", NULL);
  g_autofree char *weights = g_build_filename (out_dir, "model.safetensors", NULL);
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (meta, "format", "pt");
  g_autoptr(GError) local = NULL;
  if (!plm_safetensors_write (weights, (const PlmTensorOut *) outs->data, outs->len, meta, error))
    return FALSE;
  if (!g_file_set_contents (config, fe->config_json, -1, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", config, local->message);
      return FALSE;
    }
  return TRUE;
}
