/* plm-cli-evaluate.c: `plmlens-cli evaluate`: metrics of a fine-tuned head on a test file. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-cli-nm.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-model.h"
#include "plm-nm-train.h"

/* The training configuration and class list stored in a head's metadata. */
static gboolean
read_head_metadata (GHashTable *md, const char *path, JsonParser *cfg_parser, JsonParser *cls_parser,
                    JsonObject **config, JsonArray **classes, GError **error)
{
  const char *cfg = g_hash_table_lookup (md, "config");
  const char *cls = g_hash_table_lookup (md, "classes");
  if (cfg == NULL || cls == NULL || !json_parser_load_from_data (cfg_parser, cfg, -1, NULL)
      || !json_parser_load_from_data (cls_parser, cls, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (cfg_parser))
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (cls_parser)))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: the head's metadata lack its configuration or classes", path);
      return FALSE;
    }
  *config = json_node_get_object (json_parser_get_root (cfg_parser));
  *classes = json_node_get_array (json_parser_get_root (cls_parser));
  return TRUE;
}

int
plm_cli_evaluate (int argc, char **argv)
{
  g_autofree char *head_path = NULL, *model_path = NULL, *test_path = NULL, *dict = NULL, *metrics_path = NULL;
  int threads = 0;
  gboolean quiet = FALSE;
  g_autofree char *precision_name = NULL;
  PlmPrecision weight_precision;
  GOptionEntry entries[] = {
    { "head", 0, 0, G_OPTION_ARG_FILENAME, &head_path, "Fine-tuned head written by train", "HEAD" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The ESM-2 checkpoint it was trained on", "MODEL" },
    { "test", 0, 0, G_OPTION_ARG_FILENAME, &test_path, "Labelled test data (same format as in training)", "FILE" },
    { "sequences", 0, 0, G_OPTION_ARG_FILENAME, &dict, "Pair task: sequence dictionary TSV", "FILE" },
    { "metrics", 0, 0, G_OPTION_ARG_FILENAME, &metrics_path, "Write {\"test\": {...}} as JSON", "FILE" },
    PLM_CLI_PRECISION_ENTRY (precision_name),
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress output", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("evaluate", "", "Evaluate a fine-tuned head on labelled data.", entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("evaluate", "unexpected argument '%s'", argv[1]);
  if (head_path == NULL || model_path == NULL || test_path == NULL)
    return plm_cli_usage_error ("evaluate", "--head, --model and --test are required");
  if (threads < 0 || threads > 1024)
    return plm_cli_usage_error ("evaluate", "--threads must be between 0 and 1024");
  plm_engine_set_threads (threads);
  int precision_status = plm_cli_parse_precision ("evaluate", precision_name, &weight_precision);
  if (precision_status != PLM_EXIT_OK)
    return precision_status;

  g_autoptr(GHashTable) md = NULL;
  g_autoptr(PlmNmHead) head = plm_nm_head_load (head_path, &md, &error);
  if (head == NULL)
    return plm_cli_report_error (error);
  g_autoptr(JsonParser) cp = json_parser_new (), lp = json_parser_new ();
  JsonObject *config;
  JsonArray *cls;
  if (!read_head_metadata (md, head_path, cp, lp, &config, &cls, &error))
    return plm_cli_report_error (error);
  const PlmNmHeadConfig *hc = plm_nm_head_get_config (head);
  if ((int) json_array_get_length (cls) != hc->n_classes)
    return plm_cli_report_error ((error = g_error_new (PLM_ERROR, PLM_ERROR_FORMAT,
                                                       "%s: %u class names for %d outputs", head_path,
                                                       json_array_get_length (cls), hc->n_classes)));
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (cls); i++)
    g_ptr_array_add (classes, g_strdup (json_array_get_string_element (cls, i)));
  PlmDataTask task = hc->pair ? PLM_DATA_PAIR : PLM_DATA_PROTEIN;
  PlmFastaLabel fl = g_strcmp0 (json_object_get_string_member_with_default (config, "fasta_label", ""), "membrane") == 0
                     ? PLM_FASTA_LABEL_MEMBRANE : PLM_FASTA_LABEL_LOCATION;
  int max_len = json_object_get_int_member_with_default (config, "max_len", 1026);
  if (task == PLM_DATA_PAIR && dict == NULL)
    return plm_cli_usage_error ("evaluate", "this head is for pairs: --sequences DICT.tsv is needed");

  PlmDatasetOptions opt = { fl, dict };
  g_autoptr(PlmDataset) ds = plm_dataset_read (test_path, task, &opt, &error);
  if (ds == NULL || !plm_dataset_map_labels (ds, classes, &error))
    return plm_cli_report_error (error);

  g_autoptr(PlmModel) model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);

  plm_model_set_precision (model, weight_precision, PLM_ISA_AVX512);
  if (model->config.d_model != hc->d_model)
    {
      g_printerr ("plmlens-cli: %s: the head expects width %d, %s has %d\n", head_path, hc->d_model,
                  model->name, model->config.d_model);
      return PLM_EXIT_BAD_INPUT;
    }
  const char *trained_on = json_object_get_string_member_with_default (config, "model", "");
  if (!quiet && *trained_on != '\0' && g_strcmp0 (trained_on, model->name) != 0)
    g_printerr ("plmlens-cli: warning: the head was trained on %s, not %s\n", trained_on, model->name);

  PlmNmMetrics m;
  PlmCliNmProgress progress = { NULL, quiet };
  gboolean ok = plm_nm_evaluate_dataset (head, model, ds, max_len, &m, NULL, plm_cli_nm_embed_progress,
                                         &progress, NULL, &error);
  plm_cli_nm_progress_finish (&progress);
  if (!ok)
    {
      plm_cli_report_error (error);
      return PLM_EXIT_FAILURE;
    }
  printf ("test: n %d  accuracy %.4f  macro-F1 %.4f", m.n, m.accuracy, m.macro_f1);
  if (!isnan (m.auroc))
    printf ("  AUROC %.4f", m.auroc);
  printf ("  loss %.4f\n", m.loss);

  if (metrics_path != NULL)
    {
      g_autofree char *body = plm_nm_metrics_json ("test", &m);
      g_autofree char *json = g_strconcat (body, "\n", NULL);
      if (!g_file_set_contents (metrics_path, json, -1, &error))
        return plm_cli_report_error (error);
    }
  return PLM_EXIT_OK;
}
