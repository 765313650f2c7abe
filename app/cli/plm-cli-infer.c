/* plm-cli-infer.c: `plmlens-cli infer`: ESM-2 / ESM-1b outputs for every FASTA record as .npy
 * files; with several models, an ensemble's mean logits (plm-cli-ensemble.c). */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-cli-ensemble.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-model.h"
#include "plm-npy.h"
#include "plm-resources.h"
#include "plm-tokenizer.h"

typedef struct {
  PlmNpyWriter *writer;
  GError      **error;
} AttentionSink;

/* Streams each layer's [heads, T, T] maps into attentions.npy as they appear. */
static gboolean
write_attention_layer (int layer, const float *probs, int n_heads, int T, gpointer data)
{
  AttentionSink *sink = data;
  return plm_npy_writer_append (sink->writer, probs, (guint64) n_heads * T * T, sink->error);
}

static gboolean
write_record (PlmEsmState *state, const PlmModel *model, const PlmFastaRecord *rec, const char *sequence,
              const char *dir, gboolean attentions, GError **error)
{
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (sequence, &T);
  AttentionSink sink = { NULL, error };
  PlmForwardOptions opt = {
    .want_logits = model->has_lm_head,
    .want_embeddings = TRUE,
    .want_contacts = model->has_contact_head,
  };
  PlmForwardOutput out = { 0 };
  const PlmEsmConfig *c = &model->config;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot create directory: %s", dir, g_strerror (errno));
      return FALSE;
    }
  g_autofree char *att_path = g_build_filename (dir, "attentions.npy", NULL);
  if (attentions)
    {
      int64_t shape[4] = { c->n_layers, c->n_heads, T, T };
      sink.writer = plm_npy_writer_new (att_path, PLM_NPY_F32, 4, shape, error);
      if (sink.writer == NULL)
        return FALSE;
      opt.attention_func = write_attention_layer;
      opt.attention_data = &sink;
    }
  if (!plm_esm_forward (state, tokens, T, &opt, &out, error))
    {
      plm_npy_writer_abort (sink.writer);
      /* a failing sink reports its own error; the forward pass then only says "cancelled" */
      return FALSE;
    }

  g_autofree char *p_tokens = g_build_filename (dir, "tokens.npy", NULL);
  g_autofree char *p_logits = g_build_filename (dir, "logits.npy", NULL);
  g_autofree char *p_emb = g_build_filename (dir, "embeddings.npy", NULL);
  g_autofree char *p_contacts = g_build_filename (dir, "contacts.npy", NULL);
  int64_t s_tokens[1] = { T };
  int64_t s_logits[2] = { T, c->vocab_size };
  int64_t s_emb[2] = { T, c->d_model };
  int64_t s_contacts[2] = { T - 2, T - 2 };
  gboolean ok = plm_npy_write (p_tokens, PLM_NPY_I32, tokens, 1, s_tokens, error)
    && (out.logits == NULL || plm_npy_write (p_logits, PLM_NPY_F32, out.logits, 2, s_logits, error))
    && plm_npy_write (p_emb, PLM_NPY_F32, out.embeddings, 2, s_emb, error)
    && (out.contacts == NULL || plm_npy_write (p_contacts, PLM_NPY_F32, out.contacts, 2, s_contacts, error));
  if (ok && sink.writer != NULL)
    ok = plm_npy_writer_commit (sink.writer, error);
  else
    plm_npy_writer_abort (sink.writer);
  plm_forward_output_clear (&out);
  (void) rec;
  return ok;
}

/* Outputs appear only by rename once complete, so a record whose files all exist is done. */
static gboolean
record_complete (const char *dir, const PlmModel *model, gboolean attentions)
{
  const char *files[] = { "tokens.npy", "embeddings.npy",
                          model->has_lm_head ? "logits.npy" : NULL,
                          model->has_contact_head ? "contacts.npy" : NULL,
                          attentions ? "attentions.npy" : NULL };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      if (files[i] == NULL)
        continue;
      g_autofree char *p = g_build_filename (dir, files[i], NULL);
      if (!g_file_test (p, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    }
  return TRUE;
}

int
plm_cli_infer (int argc, char **argv)
{
  g_autofree char *fasta = NULL, *out_dir = NULL;
  g_auto(GStrv) model_paths = NULL;
  const char *model_path = NULL;
  gboolean attentions = FALSE, quiet = FALSE, allow_long = FALSE, keep_case = FALSE, resume = FALSE;
  int threads = 0;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME_ARRAY, &model_paths,
      "ESM-2 or ESM-1b/1v checkpoint (directory or .safetensors); given several times, or a directory of "
      "model directories, an ensemble: the mean of their logits", "MODEL" },
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta, "Input sequences", "FILE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Output directory (one sub-directory per record)", "DIR" },
    { "attentions", 'a', 0, G_OPTION_ARG_NONE, &attentions, "Also write attentions.npy [layers,heads,T,T]", NULL },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { "allow-long", 0, 0, G_OPTION_ARG_NONE, &allow_long, "Run sequences longer than the model was trained on", NULL },
    { "keep-case", 0, 0, G_OPTION_ARG_NONE, &keep_case,
      "Tokenise letters as written (fair-esm: lower case becomes <unk>); default upper-cases", NULL },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
      "Skip records whose outputs are all present (after a crash or kill; each file is written atomically)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress output", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("infer", "", "Run ESM-2 or ESM-1b/1v on every record of a FASTA file and write .npy "
                              "outputs. An ensemble (ESM-1v's five models) writes tokens.npy and the mean of the "
                              "models' logits.npy only.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("infer", "unexpected argument '%s'", argv[1]);
  if (model_paths == NULL || fasta == NULL || out_dir == NULL)
    return plm_cli_usage_error ("infer", "--model, --fasta and --out are required");
  if (threads < 0 || threads > 1024)
    return plm_cli_usage_error ("infer", "--threads must be between 0 and 1024");
  plm_engine_set_threads (threads);

  /* Validate all input before any work, so a bad record late in the file loses nothing. */
  g_autoptr(GPtrArray) records = plm_fasta_read (fasta, &error);
  if (records == NULL)
    return plm_cli_report_error (error);
  g_autoptr(GPtrArray) members = plm_cli_ensemble_members (model_paths, &error);
  if (members == NULL)
    return plm_cli_report_error (error);
  if (members->len > 1)
    {
      if (attentions)
        return plm_cli_usage_error ("infer", "--attentions needs one model: an ensemble averages logits only");
      if (allow_long)
        return plm_cli_usage_error ("infer", "--allow-long needs one model: an ensemble runs what all its models can");
      return plm_cli_infer_ensemble (members, records, fasta, out_dir, keep_case, resume, quiet);
    }
  model_path = members->pdata[0];
  g_autoptr(PlmModel) model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);

  int max_residues = model->config.max_positions - 2;
  /* ESM-1b / ESM-1v: learned positions end there, --allow-long or not */
  int hard_tokens = plm_esm_config_max_tokens (&model->config);
  if (hard_tokens > 0)
    max_residues = hard_tokens - 2;
  int longest = 0;
  g_autoptr(GPtrArray) sequences = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < records->len; i++)
    {
      PlmFastaRecord *r = records->pdata[i];
      char *seq = keep_case ? g_strdup (r->sequence) : plm_sequence_upper (r->sequence);
      int T = 0;
      g_free (plm_tokenize (seq, &T));   /* only its length is needed here */
      g_ptr_array_add (sequences, seq);
      if (T - 2 > max_residues && hard_tokens > 0)
        {
          g_printerr ("plmlens-cli: %s:%d: record '%s' has %d residues; %s (%s, learned positions) cannot "
                      "run more than %d\n", fasta, r->line, r->id, T - 2, model->name,
                      plm_esm_config_architecture (&model->config), max_residues);
          return PLM_EXIT_BAD_INPUT;
        }
      if (T - 2 > max_residues && !allow_long)
        {
          g_printerr ("plmlens-cli: %s:%d: record '%s' has %d residues; %s was trained on at most %d "
                      "(use --allow-long to run it anyway)\n", fasta, r->line, r->id, T - 2, model->name, max_residues);
          return PLM_EXIT_BAD_INPUT;
        }
      longest = MAX (longest, T);
    }
  g_autofree char *what = g_strdup_printf ("%s: longest record", fasta);
  if (!plm_resources_check_forward (model, longest, 0, what, &error))
    return plm_cli_report_error (error);

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_printerr ("plmlens-cli: %s: cannot create directory: %s\n", out_dir, g_strerror (errno));
      return PLM_EXIT_FAILURE;
    }

  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PlmProgress *progress = plm_progress_new ("infer", records->len, quiet || records->len < 2);
  guint n_skipped = 0;
  for (guint i = 0; i < records->len; i++)
    {
      PlmFastaRecord *r = records->pdata[i];
      g_autofree char *name = plm_fasta_safe_name (r->id);
      /* two records with the same identifier must not overwrite each other */
      for (int n = 2; g_hash_table_contains (used, name); n++)
        {
          g_free (name);
          g_autofree char *base = plm_fasta_safe_name (r->id);
          name = g_strdup_printf ("%s_%d", base, n);
        }
      g_hash_table_add (used, g_strdup (name));
      g_autofree char *dir = g_build_filename (out_dir, name, NULL);
      plm_progress_update (progress, i, r->id);
      if (resume && record_complete (dir, model, attentions))
        {
          n_skipped++;
          continue;
        }
      if (!write_record (state, model, r, sequences->pdata[i], dir, attentions, &error))
        {
          plm_progress_finish (progress);
          g_prefix_error (&error, "record '%s': ", r->id);
          plm_cli_report_error (error);
          return PLM_EXIT_FAILURE;
        }
    }
  plm_progress_update (progress, records->len, NULL);
  plm_progress_finish (progress);
  if (resume && !quiet && n_skipped > 0)
    g_printerr ("plmlens-cli infer: %u of %u records were already complete and kept\n", n_skipped, records->len);
  return PLM_EXIT_OK;
}
