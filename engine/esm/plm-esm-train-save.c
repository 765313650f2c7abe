/* plm-esm-train-save.c: a trained encoder written as a Hugging Face checkpoint (model.safetensors,
 * then config.json), with the untrained heads of its source model. */
#include "plm-esm-train-private.h"

#include <errno.h>
#include <json-glib/json-glib.h>

#include "plm-error.h"
#include "plm-safetensors.h"

static char *
config_json (const PlmEsmConfig *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
#define S(k, v) do { json_builder_set_member_name (b, k); json_builder_add_string_value (b, v); } while (0)
#define I(k, v) do { json_builder_set_member_name (b, k); json_builder_add_int_value (b, v); } while (0)
#define B(k, v) do { json_builder_set_member_name (b, k); json_builder_add_boolean_value (b, v); } while (0)
  json_builder_set_member_name (b, "architectures");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "EsmForMaskedLM");
  json_builder_end_array (b);
  S ("model_type", "esm");
  I ("hidden_size", c->d_model);
  I ("num_hidden_layers", c->n_layers);
  I ("num_attention_heads", c->n_heads);
  I ("intermediate_size", c->d_ffn);
  I ("vocab_size", c->vocab_size);
  I ("max_position_embeddings", c->max_positions > 0 ? c->max_positions : 1026);
  S ("position_embedding_type", c->absolute_positions ? "absolute" : "rotary");
  B ("token_dropout", c->token_dropout);
  json_builder_set_member_name (b, "layer_norm_eps");
  /* the float's shortest decimal (1e-05, not 9.99999974737875e-06) */
  char eps[32];
  g_ascii_formatd (eps, sizeof eps, "%.7g", c->layer_norm_eps);
  json_builder_add_double_value (b, g_ascii_strtod (eps, NULL));
  I ("mask_token_id", c->mask_token_id);
  I ("pad_token_id", c->pad_token_id);
  B ("emb_layer_norm_before", c->emb_layer_norm_before);
  S ("hidden_act", "gelu");
  json_builder_set_member_name (b, "attention_probs_dropout_prob");
  json_builder_add_double_value (b, 0.0);
  json_builder_set_member_name (b, "hidden_dropout_prob");
  json_builder_add_double_value (b, 0.0);
  json_builder_set_member_name (b, "initializer_range");
  json_builder_add_double_value (b, 0.02);
  S ("torch_dtype", "float32");
#undef S
#undef I
#undef B
  json_builder_end_object (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

gboolean
plm_esm_trainable_save (PlmEsmTrainable *t, const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot create directory: %s", dir, g_strerror (errno));
      return FALSE;
    }
  guint n = t->info->len + t->frozen_info->len;
  g_autofree PlmTensorOut *out = g_new0 (PlmTensorOut, n);
  guint k = 0;
  for (int pass = 0; pass < 2; pass++)
    {
      GArray *info = pass == 0 ? t->info : t->frozen_info;
      const float *base = pass == 0 ? t->memory : t->frozen;
      for (guint i = 0; i < info->len; i++, k++)
        {
          const PlmEsmParamInfo *pi = &g_array_index (info, PlmEsmParamInfo, i);
          out[k].name = pi->name;
          out[k].data = base + pi->offset;
          out[k].n_dims = pi->n_dims;
          out[k].shape[0] = pi->shape[0];
          out[k].shape[1] = pi->shape[1];
        }
    }
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (meta, "format", "pt");
  g_autofree char *st_path = g_build_filename (dir, "model.safetensors", NULL);
  if (!plm_safetensors_write (st_path, out, n, meta, error))
    return FALSE;

  /* config.json last and atomically: a directory with a config has complete weights */
  g_autofree char *json = config_json (&t->config);
  g_autofree char *cfg_path = g_build_filename (dir, "config.json", NULL);
  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents (cfg_path, json, -1, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot write: %s", cfg_path, local->message);
      return FALSE;
    }
  return TRUE;
}
