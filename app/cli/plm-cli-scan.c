/* plm-cli-scan.c: `plmlens-cli scan`: variant-effect scores of every substitution of one protein
 * (or of the mutants listed in a file) from ESM-2's language-model head, fair-esm's rule.
 *
 * A masked-marginal scan is L forwards; each finished position's log-probabilities are appended
 * to OUT.partial (flushed after every batch), so --resume after a kill or a cancel recomputes
 * only the missing positions. The TSV appears atomically once complete; the partial file then
 * goes away. */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-resources.h"
#include "plm-scan.h"
#include "plm-tokenizer.h"

#define PARTIAL_MAGIC "# plmlens-cli scan partial 1"

typedef struct {
  FILE         *partial;        /* masked mode: appended position rows, or NULL */
  GString      *pending;        /* rows of the running batch */
  PlmProgress  *progress;
  GCancellable *cancellable;
  int           cancel_after;   /* test hook: positions after which to cancel, or -1 */
  int           computed;
  GError       *write_error;
} ScanRun;

static void
on_position (int position, const float *log_probs, int V, gpointer data)
{
  ScanRun *run = data;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  run->computed++;
  if (run->partial == NULL)
    return;
  g_string_append_printf (run->pending, "%d", position + 1);
  for (int v = 0; v < V; v++)
    {
      /* 9 significant digits give the float back exactly */
      g_string_append_c (run->pending, '\t');
      g_string_append (run->pending, g_ascii_formatd (buf, sizeof buf, "%.9g", log_probs[v]));
    }
  g_string_append_c (run->pending, '\n');
}

static void
on_progress (int done, int total, gpointer data)
{
  ScanRun *run = data;

  if (run->partial != NULL && run->pending->len > 0 && run->write_error == NULL)
    {
      if (fwrite (run->pending->str, 1, run->pending->len, run->partial) != run->pending->len
          || fflush (run->partial) != 0 || fsync (fileno (run->partial)) != 0)
        {
          g_set_error (&run->write_error, PLM_ERROR, PLM_ERROR_IO, "cannot write the partial results: %s",
                       g_strerror (errno));
          g_cancellable_cancel (run->cancellable);
        }
      g_string_truncate (run->pending, 0);
    }
  plm_progress_update (run->progress, (guint64) done, NULL);
  (void) total;
  if (run->cancel_after >= 0 && run->computed >= run->cancel_after)
    g_cancellable_cancel (run->cancellable);
}

/* What the partial results belong to: the mode, the checkpoint (canonical path), the sequence
 * (SHA-256) and the shape. */
static char *
partial_header (const char *mode, const PlmModel *model, const char *sequence, int V)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, sequence, -1);
  g_autofree char *path = g_canonicalize_filename (model->path, NULL);
  return g_strdup_printf ("%s\t%s\t%s\t%s\t%d\t%d", PARTIAL_MAGIC, mode, path, sum,
                          (int) strlen (sequence), V);
}

/* Reads the rows of a partial file written for @header into @log_probs, marking @done. A last
 * line cut short by a kill is ignored. Returns the number of positions read, or −1. */
static int
read_partial (const char *path, const char *header, int L, int V, float *log_probs, gboolean *done,
              GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, error))
    return -1;
  char *nl = strchr (text, '\n');
  if (nl == NULL || strncmp (text, header, nl - text) != 0 || strlen (header) != (gsize) (nl - text))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   "%s was written for another model, sequence or mode; delete it or run without --resume", path);
      return -1;
    }
  int n = 0, line = 1;
  for (char *p = nl + 1; *p != '\0'; line++)
    {
      char *end = strchr (p, '\n');
      if (end == NULL)
        break;   /* cut short */
      *end = '\0';
      g_auto(GStrv) f = g_strsplit (p, "\t", -1);
      char *e = NULL;
      guint64 pos = g_strv_length (f) == (guint) V + 1 ? g_ascii_strtoull (f[0], &e, 10) : 0;
      if (pos < 1 || pos > (guint64) L || *e != '\0')
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: not a row of a scan's partial results", path, line + 1);
          return -1;
        }
      for (int v = 0; v < V; v++)
        {
          log_probs[(pos - 1) * V + v] = (float) g_ascii_strtod (f[v + 1], &e);
          if (*e != '\0' || e == f[v + 1])
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: not a number: '%s'", path, line + 1, f[v + 1]);
              return -1;
            }
        }
      if (!done[pos - 1])
        n++;
      done[pos - 1] = TRUE;
      p = end + 1;
    }
  return n;
}

/* Parses the mutants file: one mutant per line, blank lines and # comments skipped. Fills
 * @texts and @groups (a GArray of PlmMutation per line); one-line errors name file:line. */
static gboolean
read_mutants (const char *path, const int32_t *tokens, int T, GPtrArray *texts, GPtrArray *groups, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *s = g_strstrip (lines[i]);
      if (*s == '\0' || *s == '#')
        continue;
      GArray *muts = g_array_new (FALSE, FALSE, sizeof (PlmMutation));
      g_ptr_array_add (groups, muts);
      if (!plm_scan_parse_mutant (s, tokens, T, muts, error))
        {
          g_prefix_error (error, "%s:%d: ", path, i + 1);
          return FALSE;
        }
      g_ptr_array_add (texts, g_strdup (s));
    }
  if (texts->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no mutants", path);
      return FALSE;
    }
  return TRUE;
}

static const PlmFastaRecord *
pick_record (GPtrArray *records, const char *fasta, const char *id, GError **error)
{
  if (id == NULL && records->len == 1)
    return records->pdata[0];
  if (id == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s holds %u records: choose one with --record",
                   fasta, records->len);
      return NULL;
    }
  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (((PlmFastaRecord *) records->pdata[i])->id, id) == 0)
      return records->pdata[i];
  g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no record '%s'", fasta, id);
  return NULL;
}

static void
append_score (GString *out, double score)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", score));
  g_string_append_c (out, '\n');
}

/* The table of every substitution: positions ascending, mutants in PLM_SCAN_AMINO_ACIDS order,
 * the wild type itself left out (19 rows, or 20 at a non-standard residue such as X). */
static void
format_scan (GString *out, const float *lp, int V, const int32_t *tokens, int T)
{
  g_string_append (out, "position\twt\tmt\tscore\n");
  for (int i = 0; i < T - 2; i++)
    for (const char *a = PLM_SCAN_AMINO_ACIDS; *a; a++)
      {
        PlmMutation m = { i, tokens[i + 1], plm_token_for_char (*a) };
        if (m.mt == m.wt)
          continue;
        g_string_append_printf (out, "%d\t%c\t%c\t", i + 1, plm_token_letter (m.wt), *a);
        append_score (out, plm_scan_mutant_score (lp, V, &m, 1));
      }
}

int
plm_cli_scan (int argc, char **argv)
{
  g_autofree char *model_path = NULL, *fasta = NULL, *out_path = NULL, *record_id = NULL, *mode_name = NULL,
                  *mutations_path = NULL;
  gboolean quiet = FALSE, allow_long = FALSE, resume = FALSE;
  int threads = 0, batch = 0;
  g_autofree char *precision_name = NULL;
  PlmPrecision weight_precision;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "ESM-2 checkpoint (directory or .safetensors)", "MODEL" },
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta, "Input sequence(s)", "FILE" },
    { "record", 'r', 0, G_OPTION_ARG_STRING, &record_id, "Record to scan (required when the FASTA holds several)", "ID" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name,
      "masked-marginal (default: one forward per position, that position masked) or wt-marginal (one forward)", "MODE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
      "Output TSV: position, wt, mt, score for the 19 substitutions of every position", "FILE" },
    { "mutations", 0, 0, G_OPTION_ARG_FILENAME, &mutations_path,
      "Score only these mutants (one a line: A23G, or A23G:L45P scored additively; # comments) into mutant, score",
      "FILE" },
    PLM_CLI_PRECISION_ENTRY (precision_name),
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Masked copies per forward (default: 2 to 8 by the model's width)", "N" },
    { "allow-long", 0, 0, G_OPTION_ARG_NONE, &allow_long, "Run sequences longer than the model was trained on", NULL },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
      "Keep the positions already in OUT.partial from an interrupted masked-marginal scan", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress and no pseudo-log-likelihood line", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("scan", "",
                              "Variant effects: log p(mutant) - log p(wild type) at every position of one protein "
                              "(fair-esm's masked-marginal or wt-marginal rule). A masked-marginal scan prints the "
                              "pseudo-log-likelihood and pseudo-perplexity on stderr.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("scan", "unexpected argument '%s'", argv[1]);
  if (model_path == NULL || fasta == NULL || out_path == NULL)
    return plm_cli_usage_error ("scan", "--model, --fasta and --out are required");
  PlmScanMode mode;
  if (mode_name == NULL || strcmp (mode_name, "masked-marginal") == 0)
    mode = PLM_SCAN_MASKED_MARGINAL;
  else if (strcmp (mode_name, "wt-marginal") == 0)
    mode = PLM_SCAN_WT_MARGINAL;
  else
    return plm_cli_usage_error ("scan", "--mode must be masked-marginal or wt-marginal, not '%s'", mode_name);
  if (threads < 0 || threads > 1024)
    return plm_cli_usage_error ("scan", "--threads must be between 0 and 1024");
  if (batch < 0 || batch > 4096)
    return plm_cli_usage_error ("scan", "--batch must be between 1 and 4096");
  plm_engine_set_threads (threads);
  int precision_status = plm_cli_parse_precision ("scan", precision_name, &weight_precision);
  if (precision_status != PLM_EXIT_OK)
    return precision_status;

  /* all input is checked before any work */
  g_autoptr(GPtrArray) records = plm_fasta_read (fasta, &error);
  if (records == NULL)
    return plm_cli_report_error (error);
  const PlmFastaRecord *rec = pick_record (records, fasta, record_id, &error);
  if (rec == NULL)
    return plm_cli_report_error (error);
  g_autoptr(PlmModel) model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);
  plm_model_set_precision (model, weight_precision, PLM_ISA_AVX512);
  g_autofree char *sequence = NULL;
  int T = 0;
  g_autofree int32_t *tokens = plm_cli_record_tokens (model, fasta, rec, FALSE, allow_long, &sequence, &T);
  if (tokens == NULL)
    return PLM_EXIT_BAD_INPUT;
  for (int t = 1; t < T - 1; t++)
    if (tokens[t] < 4 || tokens[t] > 28)
      {
        g_printerr ("plmlens-cli: %s:%d: record '%s': residue %d is %s, not an amino-acid letter\n",
                    fasta, rec->line, rec->id, t, plm_token_text (tokens[t]));
        return PLM_EXIT_BAD_INPUT;
      }
  const int L = T - 2, V = model->config.vocab_size;
  g_autoptr(GPtrArray) mutant_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mutant_groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  if (mutations_path != NULL && !read_mutants (mutations_path, tokens, T, mutant_texts, mutant_groups, &error))
    return plm_cli_report_error (error);
  int eff_batch = mode == PLM_SCAN_MASKED_MARGINAL ? (batch > 0 ? batch : plm_scan_default_batch (model, T)) : 1;
  g_autofree char *what = g_strdup_printf ("%s: record '%s' (%d masked copies per forward)", fasta, rec->id, eff_batch);
  /* one arena of eff_batch copies per thread (the batches run data-parallel) */
  guint64 copies = (guint64) eff_batch * (mode == PLM_SCAN_MASKED_MARGINAL ? MAX (plm_engine_get_threads (), 1) : 1);
  if (!plm_resources_check_forward (model, T, (copies - 1) * T * (6 * model->config.d_model + model->config.d_ffn) * 4,
                                    what, &error))
    return plm_cli_report_error (error);

  /* positions to compute: all, or those the mutants touch */
  g_autofree gboolean *skip = g_new0 (gboolean, L);
  g_autofree float *log_probs = g_new0 (float, (gsize) L * V);
  if (mutations_path != NULL)
    {
      for (int i = 0; i < L; i++)
        skip[i] = TRUE;
      for (guint g = 0; g < mutant_groups->len; g++)
        {
          GArray *muts = mutant_groups->pdata[g];
          for (guint k = 0; k < muts->len; k++)
            skip[g_array_index (muts, PlmMutation, k).position] = FALSE;
        }
    }

  ScanRun run = { .cancel_after = -1, .pending = g_string_new (NULL), .cancellable = g_cancellable_new () };
  const char *hook = g_getenv ("PLMLENS_SCAN_CANCEL_AFTER");   /* tests: a deterministic interruption */
  if (hook != NULL)
    run.cancel_after = atoi (hook);
  g_autofree char *partial_path = g_strconcat (out_path, ".partial", NULL);
  int n_resumed = 0;
  if (mode == PLM_SCAN_MASKED_MARGINAL)
    {
      g_autofree char *header = partial_header ("masked-marginal", model, sequence, V);
      g_autofree gboolean *have = g_new0 (gboolean, L);
      if (resume && g_file_test (partial_path, G_FILE_TEST_EXISTS))
        {
          n_resumed = read_partial (partial_path, header, L, V, log_probs, have, &error);
          if (n_resumed < 0)
            return plm_cli_report_error (error);
        }
      g_autofree char *dir = g_path_get_dirname (out_path);
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          g_printerr ("plmlens-cli: %s: cannot create directory: %s\n", dir, g_strerror (errno));
          return PLM_EXIT_FAILURE;
        }
      /* rewritten atomically with what was kept (a torn tail does not stay), then appended to */
      g_autoptr(GString) kept = g_string_new (header);
      g_string_append_c (kept, '\n');
      GString *pending = run.pending;
      run.pending = kept;
      for (int i = 0; i < L; i++)
        if (have[i])
          {
            on_position (i, log_probs + (gsize) i * V, V, &run);
            skip[i] = TRUE;
          }
      run.pending = pending;
      if (!g_file_set_contents (partial_path, kept->str, (gssize) kept->len, &error))
        return plm_cli_report_error (error);
      run.partial = g_fopen (partial_path, "a");
      if (run.partial == NULL)
        {
          g_printerr ("plmlens-cli: %s: %s\n", partial_path, g_strerror (errno));
          return PLM_EXIT_FAILURE;
        }
      run.computed = 0;
    }

  guint64 total = 0;
  for (int i = 0; i < L; i++)
    total += !skip[i];
  run.progress = plm_progress_new ("scan", mode == PLM_SCAN_MASKED_MARGINAL ? (guint64) L : (guint64) model->config.n_layers,
                                   quiet || total == 0);
  on_progress (0, L, &run);
  PlmScanOptions o = {
    .progress_func = on_progress, .progress_data = &run,
    .position_func = on_position, .position_data = &run,
    .cancellable = run.cancellable, .batch = eff_batch,
  };
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  gboolean ok = total == 0 || plm_scan_log_probs (state, tokens, T, mode, skip, &o, log_probs, &error);
  plm_progress_finish (run.progress);
  if (run.partial != NULL && fclose (run.partial) != 0 && ok)
    {
      g_set_error (&error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", partial_path, g_strerror (errno));
      ok = FALSE;
    }
  g_string_free (run.pending, TRUE);
  g_object_unref (run.cancellable);
  if (run.write_error != NULL)
    {
      g_clear_error (&error);
      g_propagate_prefixed_error (&error, run.write_error, "%s: ", partial_path);
      ok = FALSE;
    }
  if (!ok)
    {
      if (g_error_matches (error, PLM_ERROR, PLM_ERROR_CANCELLED) && mode == PLM_SCAN_MASKED_MARGINAL)
        g_prefix_error (&error, "scan of '%s' stopped; the finished positions are in %s (--resume continues): ",
                        rec->id, partial_path);
      plm_cli_report_error (error);
      return PLM_EXIT_FAILURE;
    }

  g_autoptr(GString) out = g_string_new (NULL);
  if (mutations_path != NULL)
    {
      g_string_append (out, "mutant\tscore\n");
      for (guint g = 0; g < mutant_groups->len; g++)
        {
          GArray *muts = mutant_groups->pdata[g];
          g_string_append_printf (out, "%s\t", (const char *) mutant_texts->pdata[g]);
          append_score (out, plm_scan_mutant_score (log_probs, V, (PlmMutation *) muts->data, (int) muts->len));
        }
    }
  else
    format_scan (out, log_probs, V, tokens, T);
  if (!g_file_set_contents (out_path, out->str, (gssize) out->len, &error))
    {
      plm_cli_report_error (error);
      return PLM_EXIT_FAILURE;
    }
  g_remove (partial_path);

  if (!quiet && n_resumed > 0)
    g_printerr ("plmlens-cli scan: %d of %d positions were already computed and kept\n", n_resumed, L);
  if (!quiet && mode == PLM_SCAN_MASKED_MARGINAL && mutations_path == NULL)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      double pll = plm_scan_pseudo_log_likelihood (log_probs, V, tokens, T);
      g_printerr ("plmlens-cli scan: %s: pseudo-log-likelihood %s, pseudo-perplexity %s (L = %d)\n", rec->id,
                  g_ascii_formatd (a, sizeof a, "%.6f", pll), g_ascii_formatd (b, sizeof b, "%.6f", exp (-pll / L)), L);
    }
  return PLM_EXIT_OK;
}
