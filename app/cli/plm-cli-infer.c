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
#include "plm-windowed.h"

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

/* What infer writes: every output the model has. */
static PlmForwardOptions
infer_options (const PlmModel *model)
{
  PlmForwardOptions opt = {
    .want_logits = model->has_lm_head,
    .want_embeddings = TRUE,
    .want_contacts = model->has_contact_head,
  };

  return opt;
}

static gboolean
write_record (PlmEsmState *state, const PlmModel *model, const PlmFastaRecord *rec, const char *sequence,
              const char *dir, gboolean attentions, GError **error)
{
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (sequence, &T);
  AttentionSink sink = { NULL, error };
  PlmForwardOptions opt = infer_options (model);
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

/* Windowed (plm-windowed.h): each window runs as its own sequence; per-residue rows and pairs
 * are taken from the window the rule picks; attention is written per window. windows.tsv is
 * written last, so its presence marks a complete record. */
static gboolean
write_record_windowed (PlmEsmState *state, const PlmModel *model, const char *sequence, const char *dir,
                       gboolean attentions, int window, int overlap, GError **error)
{
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (sequence, &T);
  const PlmEsmConfig *c = &model->config;
  PlmWindowedOutput wo;
  int L = T - 2;

  if (!plm_windowed_output_init (&wo, L, window, overlap, error))
    return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot create directory: %s", dir, g_strerror (errno));
      plm_windowed_output_clear (&wo);
      return FALSE;
    }
  gboolean ok = TRUE;
  GString *tsv = g_string_new ("window\tstart\tend\n");
  for (int k = 0; ok && k < wo.plan.n_windows; k++)
    {
      int Tw = wo.plan.size + 2;
      g_autofree int32_t *wt = plm_window_tokens (&wo.plan, k, tokens);
      AttentionSink sink = { NULL, error };
      PlmForwardOptions opt = infer_options (model);
      PlmForwardOutput out = { 0 };
      g_autofree char *name = g_strdup_printf ("attentions_w%d.npy", k);
      g_autofree char *att_path = g_build_filename (dir, name, NULL);
      if (attentions)
        {
          int64_t shape[4] = { c->n_layers, c->n_heads, Tw, Tw };
          sink.writer = plm_npy_writer_new (att_path, PLM_NPY_F32, 4, shape, error);
          if (sink.writer == NULL)
            {
              ok = FALSE;
              break;
            }
          opt.attention_func = write_attention_layer;
          opt.attention_data = &sink;
        }
      if (!plm_esm_forward (state, wt, Tw, &opt, &out, error))
        {
          plm_npy_writer_abort (sink.writer);
          ok = FALSE;
          break;
        }
      if (sink.writer != NULL && !plm_npy_writer_commit (sink.writer, error))
        ok = FALSE;
      plm_windowed_output_add (&wo, k, &out);
      plm_forward_output_clear (&out);
      g_string_append_printf (tsv, "%d\t%d\t%d\n", k, wo.plan.starts[k], wo.plan.starts[k] + wo.plan.size);
    }

  g_autofree char *p_tokens = g_build_filename (dir, "tokens.npy", NULL);
  g_autofree char *p_logits = g_build_filename (dir, "logits.npy", NULL);
  g_autofree char *p_emb = g_build_filename (dir, "embeddings.npy", NULL);
  g_autofree char *p_contacts = g_build_filename (dir, "contacts.npy", NULL);
  g_autofree char *p_mask = g_build_filename (dir, "pairs_mask.npy", NULL);
  g_autofree char *p_tsv = g_build_filename (dir, "windows.tsv", NULL);
  int64_t s_tokens[1] = { T };
  int64_t s_logits[2] = { T, c->vocab_size };
  int64_t s_emb[2] = { T, c->d_model };
  int64_t s_pairs[2] = { L, L };
  ok = ok && plm_npy_write (p_tokens, PLM_NPY_I32, tokens, 1, s_tokens, error)
    && (wo.logits == NULL || plm_npy_write (p_logits, PLM_NPY_F32, wo.logits, 2, s_logits, error))
    && plm_npy_write (p_emb, PLM_NPY_F32, wo.embeddings, 2, s_emb, error);
  /* [L, L] maps streamed row by row: memory stays one row, not L² */
  if (ok)
    {
      PlmNpyWriter *cw = wo.contacts != NULL ? plm_npy_writer_new (p_contacts, PLM_NPY_F32, 2, s_pairs, error) : NULL;
      PlmNpyWriter *mw = plm_npy_writer_new (p_mask, PLM_NPY_U8, 2, s_pairs, error);
      g_autofree float *row = g_new (float, MAX (L, 1));
      g_autofree guint8 *mask = g_new (guint8, MAX (L, 1));
      ok = mw != NULL && (wo.contacts == NULL || cw != NULL);
      for (int i = 0; ok && i < L; i++)
        {
          plm_windowed_contacts_row (&wo, i, row, mask);
          ok = (cw == NULL || plm_npy_writer_append (cw, row, (guint64) L, error))
            && plm_npy_writer_append (mw, mask, (guint64) L, error);
        }
      if (ok)
        ok = (cw == NULL || plm_npy_writer_commit (cw, error)) && plm_npy_writer_commit (mw, error);
      else
        {
          if (cw != NULL)
            plm_npy_writer_abort (cw);
          if (mw != NULL)
            plm_npy_writer_abort (mw);
        }
    }
  if (ok)
    {
      g_autoptr(GError) local = NULL;
      if (!g_file_set_contents (p_tsv, tsv->str, (gssize) tsv->len, &local))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", p_tsv, local->message);
          ok = FALSE;
        }
    }
  g_string_free (tsv, TRUE);
  plm_windowed_output_clear (&wo);
  return ok;
}

/* Outputs appear only by rename once complete, so a record whose files all exist is done. */
static gboolean
record_complete (const char *dir, const PlmModel *model, gboolean attentions, gboolean windowed)
{
  if (windowed)
    {
      g_autofree char *p = g_build_filename (dir, "windows.tsv", NULL);
      return g_file_test (p, G_FILE_TEST_IS_REGULAR);
    }
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
  gboolean windowed = FALSE;
  int threads = 0, overlap = PLM_WINDOW_DEFAULT_OVERLAP, window_size = 0;
  g_autofree char *precision_name = NULL;
  PlmPrecision weight_precision;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME_ARRAY, &model_paths,
      "ESM-2 or ESM-1b/1v checkpoint (HF directory, .safetensors or fair-esm .pt); given several times, or a "
      "directory of model directories, an ensemble: the mean of their logits", "MODEL" },
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta, "Input sequences", "FILE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Output directory (one sub-directory per record)", "DIR" },
    { "attentions", 'a', 0, G_OPTION_ARG_NONE, &attentions, "Also write attentions.npy [layers,heads,T,T]", NULL },
    PLM_CLI_PRECISION_ENTRY (precision_name),
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { "allow-long", 0, 0, G_OPTION_ARG_NONE, &allow_long,
      "Run sequences longer than the model was trained on as one sequence (rotary models only)", NULL },
    { "window", 0, 0, G_OPTION_ARG_NONE, &windowed,
      "Windowed mode: overlapping windows of the model's length, outputs assembled by the rule in the README "
      "(adds pairs_mask.npy, windows.tsv, attentions_w<k>.npy)", NULL },
    { "window-overlap", 0, 0, G_OPTION_ARG_INT, &overlap, "Residues shared by neighbouring windows (default 256)", "N" },
    { "window-size", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &window_size,
      "Residues per window (tests; default the model's maximum)", "W" },
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
  int precision_status = plm_cli_parse_precision ("infer", precision_name, &weight_precision);
  if (precision_status != PLM_EXIT_OK)
    return precision_status;

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
      if (windowed)
        return plm_cli_usage_error ("infer", "--window needs one model: an ensemble runs what all its models can");
      return plm_cli_infer_ensemble (members, records, fasta, out_dir, keep_case, resume, quiet);
    }
  model_path = members->pdata[0];
  g_autoptr(PlmModel) model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);
  plm_model_set_precision (model, weight_precision, PLM_ISA_AVX512);

  int max_residues = plm_esm_config_max_residues (&model->config);
  /* ESM-1b / ESM-1v: learned positions end there, --allow-long or not; a longer record runs in
   * windows, as if --window had been given */
  int hard_tokens = plm_esm_config_max_tokens (&model->config);
  int window_status = plm_cli_check_window ("infer", max_residues, windowed, &window_size, overlap);
  if (window_status != PLM_EXIT_OK)
    return window_status;
  for (guint i = 0; i < records->len && hard_tokens > 0 && !windowed; i++)
    {
      PlmFastaRecord *r = records->pdata[i];
      int T = 0;

      g_free (plm_tokenize (r->sequence, &T));
      if (T - 2 > max_residues)
        {
          windowed = TRUE;
          if (!quiet)
            g_printerr ("plmlens-cli: %s's learned positions end at %d residues: running in windows (--window)\n",
                        model->name, max_residues);
          /* the default overlap is for full-size models; a small test model's window may be shorter */
          if (overlap >= window_size)
            overlap = window_size / 4;
        }
    }
  int longest = 0;
  g_autoptr(GPtrArray) sequences = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < records->len; i++)
    {
      PlmFastaRecord *r = records->pdata[i];
      char *seq = NULL;
      int T = 0;
      int32_t *tokens;

      tokens = plm_cli_record_tokens (model, fasta, r, keep_case, TRUE, &seq, &T);
      if (tokens == NULL)
        return PLM_EXIT_BAD_INPUT;
      if (T - 2 > max_residues && !allow_long && !windowed)
        {
          g_printerr ("plmlens-cli: %s:%d: record '%s' has %d residues; %s was trained on at most %d "
                      "(use --window for overlapping windows, or --allow-long to run it whole)\n",
                      fasta, r->line, r->id, T - 2, model->name, max_residues);
          g_free (tokens);
          g_free (seq);
          return PLM_EXIT_BAD_INPUT;
        }
      g_free (tokens);   /* only the length is needed here */
      g_ptr_array_add (sequences, seq);
      if (T - 2 > max_residues && !windowed && !quiet)
        g_printerr ("plmlens-cli: warning: record '%s' has %d residues, more than the %d %s was trained on; "
                    "results beyond them are extrapolation\n", r->id, T - 2, max_residues, model->name);
      longest = MAX (longest, windowed ? MIN (T, window_size + 2) : T);
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
      g_autofree char *name = plm_cli_record_dir_name (used, r->id);
      g_autofree char *dir = g_build_filename (out_dir, name, NULL);
      plm_progress_update (progress, i, r->id);
      if (resume && record_complete (dir, model, attentions, windowed))
        {
          n_skipped++;
          continue;
        }
      if (windowed ? !write_record_windowed (state, model, sequences->pdata[i], dir, attentions, window_size, overlap,
                                             &error)
                   : !write_record (state, model, r, sequences->pdata[i], dir, attentions, &error))
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
