/* plm-nm-checkpoint.c: head checkpoints (safetensors with the authors' tensor names and JSON
 * metadata) and the trainer's resumable state "<out>.last.safetensors". */
#include "plm-nm-train-private.h"

#include <math.h>
#include <string.h>

#include "plm-error.h"

#define HEAD_FORMAT "plmlens-nm-head-1"

/* a local alias, so that an autoptr for the engine type added later cannot clash */
typedef PlmSafetensors NmSafetensors;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NmSafetensors, plm_safetensors_free)

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

char *
plm_nm_json_to_string (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

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
  return plm_nm_json_to_string (b);
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

static JsonObject *
parse_object (JsonParser *parser, const char *json)
{
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

/* The members written by config_json that describe a run to a reader; the rest keep defaults. */
static gboolean
summary_config (JsonObject *o, PlmNmTrainConfig *c)
{
  if (!plm_nm_objective_parse (json_object_get_string_member_with_default (o, "objective", ""), &c->objective))
    return FALSE;
  if (!plm_nm_plm_mode_parse (json_object_get_string_member_with_default (o, "plm", ""), &c->plm_mode))
    c->plm_mode = PLM_NM_PLM_FROZEN;   /* heads from before the PLM modes */
  c->task = g_strcmp0 (json_object_get_string_member_with_default (o, "task", ""), "pair") == 0
            ? PLM_DATA_PAIR : PLM_DATA_PROTEIN;
  c->n_neg = json_object_get_int_member_with_default (o, "negatives", c->n_neg);
  c->lambda = json_object_get_double_member_with_default (o, "lambda", c->lambda);
  c->lr = json_object_get_double_member_with_default (o, "lr", c->lr);
  c->epochs = json_object_get_int_member_with_default (o, "epochs", c->epochs);
  c->batch = json_object_get_int_member_with_default (o, "batch", c->batch);
  c->max_len = json_object_get_int_member_with_default (o, "max_len", c->max_len);
  c->seed = json_object_get_int_member_with_default (o, "seed", (gint64) c->seed);
  c->patience = json_object_get_int_member_with_default (o, "patience", c->patience);
  return TRUE;
}

static void
summary_metrics (JsonObject *o, PlmNmMetrics *m)
{
  m->accuracy = o != NULL ? json_object_get_double_member_with_default (o, "accuracy", NAN) : NAN;
  m->macro_f1 = o != NULL ? json_object_get_double_member_with_default (o, "macro_f1", NAN) : NAN;
  m->auroc = o != NULL ? json_object_get_double_member_with_default (o, "auroc", NAN) : NAN;
  m->loss = o != NULL ? json_object_get_double_member_with_default (o, "loss", NAN) : NAN;
  m->l_neg = NAN;
  m->n = o != NULL ? json_object_get_int_member_with_default (o, "n", 0) : 0;
}

gboolean
plm_nm_head_read_summary (const char *path, PlmNmHeadSummary *summary, GError **error)
{
  g_autoptr(GHashTable) md = NULL;
  g_autoptr(PlmNmHead) head = plm_nm_head_load (path, &md, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (head == NULL)
    return FALSE;
  memset (summary, 0, sizeof *summary);
  plm_nm_train_config_init (&summary->config);
  o = parse_object (parser, g_hash_table_lookup (md, "config"));
  summary->have_config = o != NULL && summary_config (o, &summary->config);
  o = parse_object (parser, g_hash_table_lookup (md, "metrics"));
  summary->have_metrics = o != NULL;
  if (o != NULL)
    {
      JsonObject *v = json_object_get_object_member (o, "valid");
      JsonObject *t = json_object_get_object_member (o, "test");
      summary->have_valid = v != NULL;
      summary->have_test = t != NULL;
      summary_metrics (v, &summary->valid);
      summary_metrics (t, &summary->test);
      summary->best_epoch = json_object_get_int_member_with_default (o, "best_epoch", 0);
    }
  else
    {
      summary_metrics (NULL, &summary->valid);
      summary_metrics (NULL, &summary->test);
    }
  return TRUE;
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
  JS ("plm", plm_nm_plm_mode_name (c->plm_mode));
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
  return plm_nm_json_to_string (b);
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
  return plm_nm_json_to_string (b);
}

static char *
classes_json (GPtrArray *classes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < classes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (classes, i));
  json_builder_end_array (b);
  return plm_nm_json_to_string (b);
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

gboolean
plm_nm_trainer_save_best (PlmNmTrainer *tr, GError **error)
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
  return plm_nm_json_to_string (b);
}

gboolean
plm_nm_trainer_save_last (PlmNmTrainer *tr, GError **error)
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
