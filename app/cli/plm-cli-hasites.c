/* plm-cli-hasites.c: `plmlens-cli hasites`: HA sites and layer of convergence for a FASTA file. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-hadata.h"
#include "plm-hasites.h"
#include "plm-hasites-windowed.h"
#include "plm-model.h"
#include "plm-npy.h"
#include "plm-resources.h"
#include "plm-tokenizer.h"
#include "plm-windowed.h"

#define TSV_HEADER "protein\tlength\tlayer\tha_sites\tangle\n"
#define PAPER_HA_HEADER "Protein,HA sites\n"
#define PAPER_LOC_HEADER "Protein,Layer\n"

typedef struct {
  const PlmFastaRecord *rec;
  char                 *protein;
  char                 *sequence;
} Item;

static void
item_clear (Item *item)
{
  g_free (item->protein);
  g_free (item->sequence);
}

/* One output table, appended a complete row at a time with write() + fsync(), so a kill at
 * any moment leaves whole rows only (a torn last row is cut off by --resume). */
typedef struct {
  char *path;
  int   fd;
} Table;

static gboolean
parse_shard (const char *text,
             int        *k,
             int        *n)
{
  g_auto(GStrv) parts = NULL;
  gint64 a, b;

  if (text == NULL)
    {
      *k = 0;
      *n = 1;
      return TRUE;
    }
  parts = g_strsplit (text, "/", -1);
  if (g_strv_length (parts) != 2 || !plm_parse_int (parts[1], 1, 1000000, &b) ||
      !plm_parse_int (parts[0], 0, b - 1, &a))
    return FALSE;
  *k = (int) a;
  *n = (int) b;
  return TRUE;
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t w = write (fd, data, len);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += w;
      len -= w;
    }
  return TRUE;
}

static gboolean
table_append (Table       *t,
              const char  *row,
              GError     **error)
{
  if (!write_all (t->fd, row, strlen (row)) || fsync (t->fd) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: cannot write: %s", t->path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
table_create (Table       *t,
              const char  *path,
              const char  *header,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: cannot create directory: %s", dir,
                   g_strerror (errno));
      return FALSE;
    }
  t->path = g_strdup (path);
  t->fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (t->fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: cannot create: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  return table_append (t, header, error);
}

/* Reads an existing table for --resume: the header must match and rows must name the expected
 * proteins in order. Sets *n_rows to the complete rows and *keep to the bytes they occupy. */
static gboolean
table_scan (const char  *path,
            const char  *header,
            char         sep,
            Item        *items,
            int          n_items,
            int         *n_rows,
            gsize       *keep,
            GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0, pos, hlen = strlen (header);
  int line = 1;

  *n_rows = 0;
  *keep = 0;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  if (len < hlen && memcmp (text, header, len) == 0)
    return TRUE;   /* killed while writing the header: start over */
  if (len < hlen || memcmp (text, header, hlen) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s:1: not a table written by this command (header differs); "
                   "refusing to --resume into it", path);
      return FALSE;
    }
  pos = hlen;
  *keep = pos;
  while (pos < len)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      const char *end;
      gsize id_len;

      line++;
      if (nl == NULL)
        break;   /* torn last row: dropped */
      end = memchr (text + pos, sep, nl - (text + pos));
      id_len = end ? (gsize) (end - (text + pos)) : 0;
      if (*n_rows >= n_items || end == NULL || strlen (items[*n_rows].protein) != id_len ||
          memcmp (items[*n_rows].protein, text + pos, id_len) != 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                       "%s:%d: row does not match protein %d of this input ('%s'); was it written with "
                       "another --fasta or --shard?", path, line, *n_rows + 1,
                       *n_rows < n_items ? items[*n_rows].protein : "(none left)");
          return FALSE;
        }
      (*n_rows)++;
      pos = nl - text + 1;
      *keep = pos;
    }
  return TRUE;
}

static gboolean
table_reopen (Table       *t,
              const char  *path,
              const char  *header,
              gsize        keep,
              GError     **error)
{
  if (keep == 0)
    return table_create (t, path, header, error);
  t->path = g_strdup (path);
  t->fd = g_open (path, O_WRONLY | O_CLOEXEC, 0644);
  if (t->fd < 0 || ftruncate (t->fd, keep) != 0 || lseek (t->fd, 0, SEEK_END) < 0 || fsync (t->fd) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: cannot reopen for --resume: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
table_close (Table *t)
{
  if (t->fd >= 0)
    close (t->fd);
  t->fd = -1;
  g_clear_pointer (&t->path, g_free);
}

/* Byte offset just after the @n-th complete row (header counts as row 0). */
static gsize
offset_after_rows (const char *path,
                   int         n)
{
  g_autofree char *text = NULL;
  gsize len = 0, pos = 0;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return 0;
  for (int r = 0; r <= n; r++)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      if (nl == NULL)
        return pos;
      pos = nl - text + 1;
    }
  return pos;
}

typedef struct {
  PlmHaAccumulator *acc;
  PlmHaWindowed    *wacc;     /* windowed mode */
  int               window;
} Sink;

static gboolean
on_attention (int          layer,
              const float *probs,
              int          n_heads,
              int          n_tokens,
              gpointer     data)
{
  Sink *sink = data;
  if (sink->wacc != NULL)
    return plm_ha_windowed_add_layer (sink->wacc, sink->window, layer, probs, n_heads, n_tokens);
  return plm_ha_accumulator_add_layer (sink->acc, layer, probs, n_heads, n_tokens);
}

static char *
format_sites (const PlmHaResult *r)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < r->n_sites; i++)
    g_string_append_printf (s, "%s%d", i ? ";" : "", r->sites[i]);
  return g_string_free (s, FALSE);
}

static gboolean
run_one (PlmEsmState       *state,
         const PlmModel    *model,
         const Item        *item,
         const char        *heatmap_dir,
         const char        *embedding_dir,
         int                window,
         int                overlap,
         PlmHaResult       *result,
         GError           **error)
{
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (item->sequence, &T);
  g_autoptr(PlmHaAccumulator) acc = plm_ha_accumulator_new (model->config.n_layers, T - 2);
  Sink sink = { acc, NULL, 0 };
  PlmForwardOptions opt = {
    .attention_func = on_attention,
    .attention_data = &sink,
    .want_embeddings = embedding_dir != NULL,
  };
  PlmForwardOutput out = { 0 };
  g_autofree char *safe = plm_fasta_safe_name (item->protein);

  if (window > 0)
    {
      /* windowed (plm-hasites-windowed.h): received attention from each residue's own window,
       * embeddings assembled by the same rule */
      PlmWindowedOutput wo;
      if (!plm_windowed_output_init (&wo, T - 2, window, overlap, error))
        return FALSE;
      g_autoptr(PlmHaWindowed) wacc = plm_ha_windowed_new (&wo.plan, model->config.n_layers);
      sink.wacc = wacc;
      for (int k = 0; k < wo.plan.n_windows; k++)
        {
          g_autofree int32_t *wt = plm_window_tokens (&wo.plan, k, tokens);
          PlmForwardOutput wout = { 0 };
          sink.window = k;
          if (!plm_esm_forward (state, wt, wo.plan.size + 2, &opt, &wout, error))
            {
              plm_windowed_output_clear (&wo);
              return FALSE;
            }
          plm_windowed_output_add (&wo, k, &wout);
          plm_forward_output_clear (&wout);
        }
      gboolean ok = plm_ha_windowed_finish (wacc, result, error);
      out.n_tokens = T;
      out.n_residues = T - 2;
      out.d_model = model->config.d_model;
      out.embeddings = g_steal_pointer (&wo.embeddings);
      plm_windowed_output_clear (&wo);
      if (!ok)
        {
          plm_forward_output_clear (&out);
          return FALSE;
        }
    }
  else
    {
      if (!plm_esm_forward (state, tokens, T, &opt, &out, error))
        return FALSE;
      if (!plm_ha_accumulator_finish (acc, result, error))
        {
          plm_forward_output_clear (&out);
          return FALSE;
        }
    }
  if (heatmap_dir != NULL)
    {
      g_autofree char *name = g_strconcat (safe, ".npy", NULL);
      g_autofree char *path = g_build_filename (heatmap_dir, name, NULL);
      int64_t shape[2] = { result->n_layers, result->length };
      if (!plm_npy_write (path, PLM_NPY_F32, result->heatmap, 2, shape, error))
        {
          plm_forward_output_clear (&out);
          return FALSE;
        }
    }
  if (embedding_dir != NULL && out.embeddings != NULL)
    {
      /* mean over residues (no <cls>/<eos>), after the final LayerNorm: the paper's baseline */
      int d = out.d_model, L = T - 2;
      g_autofree float *mean = g_new0 (float, d);
      g_autofree double *acc_d = g_new0 (double, d);
      g_autofree char *name = g_strconcat (safe, ".npy", NULL);
      g_autofree char *path = g_build_filename (embedding_dir, name, NULL);
      int64_t shape[1] = { d };
      for (int t = 1; t <= L; t++)
        for (int j = 0; j < d; j++)
          acc_d[j] += out.embeddings[(gsize) t * d + j];
      for (int j = 0; j < d; j++)
        mean[j] = (float) (acc_d[j] / MAX (L, 1));
      if (!plm_npy_write (path, PLM_NPY_F32, mean, 1, shape, error))
        {
          plm_forward_output_clear (&out);
          return FALSE;
        }
    }
  plm_forward_output_clear (&out);
  return TRUE;
}

/* Proteins are handed out in order to @jobs worker threads (one forward state each); the main
 * thread appends finished rows strictly in input order. */
typedef struct {
  const PlmModel *model;
  Item           *items;
  int             n_items;
  int             next;
  gboolean        paper;
  const char     *heatmap_dir;
  const char     *embedding_dir;
  int             window;      /* residues per window, 0 = whole proteins */
  int             overlap;
  char          **rows;
  char          **loc_rows;
  GError        **errors;
  gboolean       *done;
  gboolean        abort;
  GMutex          lock;
  GCond           cond;
} Work;

static gpointer
work_thread (gpointer data)
{
  Work *w = data;
  g_autoptr(PlmEsmState) state = plm_esm_state_new (w->model);

  /* the --threads share of this job, not OpenMP's default of every core */
  plm_engine_thread_init ();
  for (;;)
    {
      PlmHaResult result = { 0 };
      GError *error = NULL;
      char *row = NULL, *loc_row = NULL;
      int i;

      g_mutex_lock (&w->lock);
      if (w->abort || w->next >= w->n_items)
        {
          g_mutex_unlock (&w->lock);
          break;
        }
      i = w->next++;
      g_mutex_unlock (&w->lock);

      if (run_one (state, w->model, &w->items[i], w->heatmap_dir, w->embedding_dir, w->window, w->overlap,
                   &result, &error))
        {
          g_autofree char *sites = format_sites (&result);
          if (w->paper)
            {
              row = g_strdup_printf ("%s,%s\n", w->items[i].protein, sites);
              loc_row = g_strdup_printf ("%s,%d\n", w->items[i].protein, result.loc);
            }
          else
            {
              char angle[G_ASCII_DTOSTR_BUF_SIZE];
              g_ascii_formatd (angle, sizeof angle, "%.6f", result.layers[result.loc].fit.theta);
              row = g_strdup_printf ("%s\t%d\t%d\t%s\t%s\n", w->items[i].protein, result.length, result.loc,
                                     sites, angle);
            }
          plm_ha_result_clear (&result);
        }
      g_mutex_lock (&w->lock);
      w->rows[i] = row;
      w->loc_rows[i] = loc_row;
      w->errors[i] = error;
      w->done[i] = TRUE;
      if (error != NULL)
        w->abort = TRUE;
      g_cond_broadcast (&w->cond);
      g_mutex_unlock (&w->lock);
    }
  return NULL;
}

int
plm_cli_hasites (int    argc,
                 char **argv)
{
  g_autofree char *model_path = NULL, *fasta = NULL, *out_path = NULL, *heatmap_dir = NULL;
  g_autofree char *embedding_dir = NULL, *shard = NULL, *format = NULL, *loc_path = NULL;
  gboolean resume = FALSE, quiet = FALSE, allow_long = FALSE, keep_case = FALSE, windowed = FALSE;
  int window_size = 0, overlap = PLM_WINDOW_DEFAULT_OVERLAP;
  int threads = 0, jobs = 1, shard_k, shard_n, first, last, n_items, n_done = 0, n_skipped = 0;
  gboolean paper;
  g_autofree char *precision_name = NULL;
  PlmPrecision weight_precision;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "ESM checkpoint (HF directory, .safetensors or fair-esm .pt)", "MODEL" },
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta, "Input sequences (UniProt headers: the accession is used)", "FILE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "Output table (TSV, or the HA-sites CSV with --format paper)", "FILE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "tsv (default) or paper (the published two CSVs)", "FORMAT" },
    { "loc-out", 0, 0, G_OPTION_ARG_FILENAME, &loc_path, "With --format paper: the LoC CSV (default: protein_LoC.csv beside --out)", "FILE" },
    { "heatmaps", 0, 0, G_OPTION_ARG_FILENAME, &heatmap_dir, "Write <id>.npy float32 [layers, L] heatmaps here", "DIR" },
    { "embeddings", 0, 0, G_OPTION_ARG_FILENAME, &embedding_dir, "Write <id>.npy float32 [d] mean-pooled embeddings here", "DIR" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard, "Process only the K-th of N contiguous blocks (K = 0..N-1)", "K/N" },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, "Keep complete rows already in the output and continue", NULL },
    PLM_CLI_PRECISION_ENTRY (precision_name),
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads per forward pass (default: cores / jobs)", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
      "Proteins run in parallel, each with its own state (default 1; small models: --jobs CORES --threads 1)", "J" },
    { "allow-long", 0, 0, G_OPTION_ARG_NONE, &allow_long,
      "Also run sequences longer than the model was trained on, whole (rotary models only)", NULL },
    { "window", 0, 0, G_OPTION_ARG_NONE, &windowed,
      "Windowed mode: long proteins in overlapping windows; each residue's received attention from its own "
      "window (see the README)", NULL },
    { "window-overlap", 0, 0, G_OPTION_ARG_INT, &overlap, "Residues shared by neighbouring windows (default 256)", "N" },
    { "window-size", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &window_size,
      "Residues per window (tests; default the model's maximum)", "W" },
    { "keep-case", 0, 0, G_OPTION_ARG_NONE, &keep_case, "Tokenise letters as written (default upper-cases)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress output", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(PlmModel) model = NULL;
  g_autofree Item *items = NULL;
  Table table = { NULL, -1 }, loc_table = { NULL, -1 };
  PlmProgress *progress;
  int longest = 0, status = PLM_EXIT_OK;

  if (!plm_cli_parse_options ("hasites", "",
                              "High Attention sites (Nayar, Tartici & Altman 2025): per protein the layer of "
                              "convergence and its HA residues (0-based).", entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("hasites", "unexpected argument '%s'", argv[1]);
  if (model_path == NULL || fasta == NULL || out_path == NULL)
    return plm_cli_usage_error ("hasites", "--model, --fasta and --out are required");
  if (format != NULL && strcmp (format, "tsv") != 0 && strcmp (format, "paper") != 0)
    return plm_cli_usage_error ("hasites", "--format must be tsv or paper, not '%s'", format);
  paper = format != NULL && strcmp (format, "paper") == 0;
  if (loc_path != NULL && !paper)
    return plm_cli_usage_error ("hasites", "--loc-out needs --format paper");
  if (!parse_shard (shard, &shard_k, &shard_n))
    return plm_cli_usage_error ("hasites", "--shard must be K/N with 0 <= K < N, not '%s'", shard);
  if (threads < 0 || threads > 1024)
    return plm_cli_usage_error ("hasites", "--threads must be between 0 and 1024");
  if (jobs < 1 || jobs > 256)
    return plm_cli_usage_error ("hasites", "--jobs must be between 1 and 256");
  if (paper && loc_path == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (out_path);
      loc_path = g_build_filename (dir, "protein_LoC.csv", NULL);
    }
  if (paper && strcmp (loc_path, out_path) == 0)
    return plm_cli_usage_error ("hasites", "--out and --loc-out must differ");
  /* jobs × threads should not exceed the cores: by default split them */
  if (threads == 0 && jobs > 1)
    threads = MAX (1, (int) g_get_num_processors () / jobs);
  plm_engine_set_threads (threads);
  int precision_status = plm_cli_parse_precision ("hasites", precision_name, &weight_precision);
  if (precision_status != PLM_EXIT_OK)
    return precision_status;

  records = plm_fasta_read (fasta, &error);
  if (records == NULL)
    return plm_cli_report_error (error);
  model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);
  plm_model_set_precision (model, weight_precision, PLM_ISA_AVX512);

  /* contiguous blocks: concatenating the shards in K order gives the unsharded output */
  first = (int) ((gint64) records->len * shard_k / shard_n);
  last = (int) ((gint64) records->len * (shard_k + 1) / shard_n);
  items = g_new0 (Item, MAX (last - first, 1));
  n_items = 0;
  {
    g_autoptr(GHashTable) all_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    int max_residues = plm_esm_config_max_residues (&model->config);
    status = plm_cli_check_window ("hasites", max_residues, windowed, &window_size, overlap);
    if (status != PLM_EXIT_OK)
      goto out;
    for (guint i = 0; i < records->len; i++)
      {
        const PlmFastaRecord *r = records->pdata[i];
        char *protein = plm_ha_protein_id (r->id);
        g_autofree char *seq = NULL;
        int T = 0;
        g_autofree int32_t *tok = NULL;

        if (g_hash_table_contains (all_ids, protein))
          {
            g_printerr ("plmlens-cli: %s:%d: protein '%s' occurs twice; HA tables are keyed by protein\n",
                        fasta, r->line, protein);
            g_free (protein);
            for (int k = 0; k < n_items; k++)
              item_clear (&items[k]);
            return PLM_EXIT_BAD_INPUT;
          }
        g_hash_table_add (all_ids, protein);
        if ((int) i < first || (int) i >= last)
          continue;
        seq = keep_case ? g_strdup (r->sequence) : plm_sequence_upper (r->sequence);
        tok = plm_tokenize (seq, &T);
        if (T - 2 > max_residues && !allow_long && !windowed)
          {
            /* a proteome run must not stop for one giant protein (the authors skipped them too) */
            g_printerr ("plmlens-cli: warning: %s:%d: '%s' has %d residues (model limit %d), skipped; "
                        "--window or --allow-long runs it\n", fasta, r->line, protein, T - 2, max_residues);
            n_skipped++;
            continue;
          }
        items[n_items].rec = r;
        items[n_items].protein = g_strdup (protein);
        items[n_items].sequence = g_steal_pointer (&seq);
        longest = MAX (longest, windowed ? MIN (T, window_size + 2) : T);
        n_items++;
      }
  }

  if (longest > 0)
    {
      g_autofree char *what = g_strdup_printf ("%s: longest record", fasta);
      if (!plm_resources_check_forward (model, longest, 0, what, &error))
        {
          status = plm_cli_report_error (error);
          goto out;
        }
    }
  if (heatmap_dir != NULL && g_mkdir_with_parents (heatmap_dir, 0755) != 0)
    {
      g_printerr ("plmlens-cli: %s: cannot create directory: %s\n", heatmap_dir, g_strerror (errno));
      status = PLM_EXIT_FAILURE;
      goto out;
    }
  if (embedding_dir != NULL && g_mkdir_with_parents (embedding_dir, 0755) != 0)
    {
      g_printerr ("plmlens-cli: %s: cannot create directory: %s\n", embedding_dir, g_strerror (errno));
      status = PLM_EXIT_FAILURE;
      goto out;
    }

  /* open the outputs (fresh, or keep what a previous run completed) */
  {
    const char *header = paper ? PAPER_HA_HEADER : TSV_HEADER;
    char sep = paper ? ',' : '\t';
    if (resume)
      {
        int n1 = 0, n2 = 0;
        gsize keep1 = 0, keep2 = 0;
        if (!table_scan (out_path, header, sep, items, n_items, &n1, &keep1, &error) ||
            (paper && !table_scan (loc_path, PAPER_LOC_HEADER, ',', items, n_items, &n2, &keep2, &error)))
          {
            status = plm_cli_report_error (error);
            goto out;
          }
        if (paper && n1 != n2)
          {
            /* killed between the two appends: keep the rows both files have */
            n1 = n2 = MIN (n1, n2);
            keep1 = offset_after_rows (out_path, n1);
            keep2 = offset_after_rows (loc_path, n2);
          }
        n_done = n1;
        if (!table_reopen (&table, out_path, header, keep1, &error) ||
            (paper && !table_reopen (&loc_table, loc_path, PAPER_LOC_HEADER, keep2, &error)))
          {
            g_printerr ("plmlens-cli: %s\n", error->message);
            status = PLM_EXIT_FAILURE;
            goto out;
          }
        if (n_done > 0 && !quiet)
          g_printerr ("plmlens-cli: resuming after %d of %d proteins\n", n_done, n_items);
      }
    else if (!table_create (&table, out_path, header, &error) ||
             (paper && !table_create (&loc_table, loc_path, PAPER_LOC_HEADER, &error)))
      {
        g_printerr ("plmlens-cli: %s\n", error->message);
        status = PLM_EXIT_FAILURE;
        goto out;
      }
  }

  {
    Work work = {
      .model = model, .items = items, .n_items = n_items, .next = n_done, .paper = paper,
      .heatmap_dir = heatmap_dir, .embedding_dir = embedding_dir,
      .window = windowed ? window_size : 0, .overlap = overlap,
      .rows = g_new0 (char *, MAX (n_items, 1)), .loc_rows = g_new0 (char *, MAX (n_items, 1)),
      .errors = g_new0 (GError *, MAX (n_items, 1)), .done = g_new0 (gboolean, MAX (n_items, 1)),
    };
    GThread **threads_v = g_new0 (GThread *, jobs);
    int i;

    g_mutex_init (&work.lock);
    g_cond_init (&work.cond);
    for (int j = 0; j < jobs; j++)
      threads_v[j] = g_thread_new ("hasites", work_thread, &work);
    progress = plm_progress_new ("hasites", n_items, quiet);
    /* rows are committed in input order whatever order the workers finish in */
    for (i = n_done; i < n_items; i++)
      {
        plm_progress_update (progress, i, items[i].protein);
        g_mutex_lock (&work.lock);
        while (!work.done[i])
          g_cond_wait (&work.cond, &work.lock);
        g_mutex_unlock (&work.lock);
        if (work.errors[i] != NULL)
          {
            g_prefix_error (&work.errors[i], "%s:%d: protein '%s': ", fasta, items[i].rec->line, items[i].protein);
            g_printerr ("plmlens-cli: %s\n", work.errors[i]->message);
            status = PLM_EXIT_FAILURE;
            break;
          }
        if (!table_append (&table, work.rows[i], &error) ||
            (paper && !table_append (&loc_table, work.loc_rows[i], &error)))
          {
            g_printerr ("plmlens-cli: %s\n", error->message);
            status = PLM_EXIT_FAILURE;
            break;
          }
        g_clear_pointer (&work.rows[i], g_free);
        g_clear_pointer (&work.loc_rows[i], g_free);
      }
    g_mutex_lock (&work.lock);
    work.abort = TRUE;
    g_mutex_unlock (&work.lock);
    for (int j = 0; j < jobs; j++)
      g_thread_join (threads_v[j]);
    if (status == PLM_EXIT_OK)
      plm_progress_update (progress, n_items, NULL);
    plm_progress_finish (progress);
    for (int k = 0; k < n_items; k++)
      {
        g_free (work.rows[k]);
        g_free (work.loc_rows[k]);
        g_clear_error (&work.errors[k]);
      }
    g_free (work.rows);
    g_free (work.loc_rows);
    g_free (work.errors);
    g_free (work.done);
    g_free (threads_v);
    g_mutex_clear (&work.lock);
    g_cond_clear (&work.cond);
    if (status != PLM_EXIT_OK)
      goto out;
  }
  if (n_skipped > 0 && !quiet)
    g_printerr ("plmlens-cli: %d protein(s) skipped as too long\n", n_skipped);

out:
  table_close (&table);
  table_close (&loc_table);
  for (int k = 0; k < n_items; k++)
    item_clear (&items[k]);
  return status;
}
