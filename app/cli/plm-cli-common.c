/* plm-cli-common.c: error reporting, option parsing and a progress line for plmlens-cli. */
#include "plm-cli-common.h"
#include "plm-fasta.h"

#include <stdio.h>
#include <unistd.h>

#include "plm-error.h"
#include "plm-tokenizer.h"
#include "plm-windowed.h"

int
plm_cli_report_error (const GError *error)
{
  g_printerr ("plmlens-cli: %s\n", error->message);
  if (error->domain != PLM_ERROR)
    return PLM_EXIT_FAILURE;
  switch ((PlmErrorCode) error->code)
    {
    case PLM_ERROR_FORMAT:
    case PLM_ERROR_CONFIG:
    case PLM_ERROR_TENSOR:
    case PLM_ERROR_INPUT:
    case PLM_ERROR_RESOURCES:
      return PLM_EXIT_BAD_INPUT;
    case PLM_ERROR_IO:
      /* a file that is missing or unreadable is bad input too */
      return PLM_EXIT_BAD_INPUT;
    case PLM_ERROR_CANCELLED:
    default:
      return PLM_EXIT_FAILURE;
    }
}

int
plm_cli_usage_error (const char *command, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_printerr ("plmlens-cli %s: %s (see plmlens-cli %s --help)\n", command, msg, command);
  return PLM_EXIT_BAD_INPUT;
}

char *
plm_cli_record_dir_name (GHashTable *used,
                         const char *id)
{
  char *name = plm_fasta_safe_name (id);

  /* two records with the same identifier must not overwrite each other */
  for (int n = 2; g_hash_table_contains (used, name); n++)
    {
      g_autofree char *base = plm_fasta_safe_name (id);

      g_free (name);
      name = g_strdup_printf ("%s_%d", base, n);
    }
  g_hash_table_add (used, g_strdup (name));
  return name;
}

int
plm_cli_check_window (const char *command,
                      int         max_residues,
                      gboolean    windowed,
                      int        *window_size,
                      int         overlap)
{
  if (*window_size < 0 || *window_size > max_residues)
    return plm_cli_usage_error (command, "--window-size must be between 1 and the model's %d residues", max_residues);
  if (!windowed && (*window_size != 0 || overlap != PLM_WINDOW_DEFAULT_OVERLAP))
    return plm_cli_usage_error (command, "--window-size and --window-overlap need --window");
  if (*window_size == 0)
    *window_size = max_residues;
  if (windowed && (overlap < 0 || overlap >= *window_size))
    return plm_cli_usage_error (command, "--window-overlap must be at least 0 and below the window (%d residues)",
                                *window_size);
  return PLM_EXIT_OK;
}

int
plm_cli_parse_precision (const char *command, const char *name, PlmPrecision *precision)
{
  *precision = PLM_PRECISION_FP32;
  if (name == NULL || plm_precision_parse (name, precision))
    return PLM_EXIT_OK;
  return plm_cli_usage_error (command, "--precision must be fp32, bf16 or int8, not '%s'", name);
}

gboolean
plm_cli_check_dir (const char *path)
{
  if (path == NULL || g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_printerr ("plmlens-cli: %s: not a directory\n", path);
  return FALSE;
}

gboolean
plm_cli_parse_options (const char *command, const char *parameter_string, const char *summary,
                       GOptionEntry *entries, int *argc, char ***argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("plmlens-cli %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      plm_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

struct _PlmProgress {
  char    *what;
  guint64  total;
  gboolean quiet;
  gboolean tty;
  gint64   start;
  gint64   last_draw;
  int      last_percent;
};

PlmProgress *
plm_progress_new (const char *what, guint64 total, gboolean quiet)
{
  PlmProgress *p = g_new0 (PlmProgress, 1);
  p->what = g_strdup (what);
  p->total = total;
  p->quiet = quiet;
  p->tty = isatty (STDERR_FILENO);
  p->start = g_get_monotonic_time ();
  p->last_percent = -1;
  return p;
}

static void
format_duration (char *buf, gsize n, double s)
{
  if (s < 0 || s > 1e8)
    g_snprintf (buf, n, "--:--");
  else if (s >= 3600)
    g_snprintf (buf, n, "%d:%02d:%02d", (int) s / 3600, ((int) s / 60) % 60, (int) s % 60);
  else
    g_snprintf (buf, n, "%02d:%02d", (int) s / 60, (int) s % 60);
}

void
plm_progress_update (PlmProgress *p, guint64 done, const char *item)
{
  if (p->quiet || p->total == 0)
    return;
  gint64 now = g_get_monotonic_time ();
  int percent = (int) (100 * done / p->total);
  if (p->tty ? (now - p->last_draw < 100000 && done < p->total) : (percent / 5 == p->last_percent / 5))
    return;
  p->last_draw = now;
  p->last_percent = percent;

  double elapsed = (now - p->start) / 1e6;
  double rate = elapsed > 0 ? done / elapsed : 0;
  double eta = rate > 0 ? (p->total - done) / rate : -1;
  char ebuf[32], rbuf[32];
  format_duration (ebuf, sizeof ebuf, elapsed);
  format_duration (rbuf, sizeof rbuf, eta);
  int width = 30, filled = (int) (width * done / p->total);
  char bar[64];
  for (int i = 0; i < width; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  g_printerr ("%s%s [%s] %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " %3d%%  %.2f/s  elapsed %s  ETA %s  %-20.20s%s",
              p->tty ? "\r" : "", p->what, bar, done, p->total, percent, rate, ebuf, rbuf,
              item ? item : "", p->tty ? "" : "\n");
}

void
plm_progress_finish (PlmProgress *p)
{
  if (p == NULL)
    return;
  if (!p->quiet && p->tty && p->last_draw != 0)
    g_printerr ("\n");
  g_free (p->what);
  g_free (p);
}

int32_t *
plm_cli_record_tokens (const PlmModel *model, const char *fasta, const PlmFastaRecord *r, gboolean keep_case,
                       gboolean allow_long, char **sequence, int *n_tokens)
{
  int max_residues = plm_esm_config_max_residues (&model->config);
  g_autofree char *seq = keep_case ? g_strdup (r->sequence) : plm_sequence_upper (r->sequence);
  int T = 0;
  int32_t *tokens = plm_tokenize (seq, &T);

  if (T - 2 > max_residues && !allow_long)
    {
      g_printerr ("plmlens-cli: %s:%d: record '%s' has %d residues; %s was trained on at most %d "
                  "(use --allow-long to run it anyway)\n", fasta, r->line, r->id, T - 2, model->name, max_residues);
      g_free (tokens);
      return NULL;
    }
  *n_tokens = T;
  if (sequence != NULL)
    *sequence = g_steal_pointer (&seq);
  return tokens;
}
