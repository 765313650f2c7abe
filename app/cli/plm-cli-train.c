/* plm-cli-train.c: `plmlens-cli train`: fine-tune an NM-Transformer head on ESM-2 (a frozen,
 * fine-tuned or from-scratch PLM), set up by plm_nm_session_load/_start. */
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-cli-nm.h"
#include "plm-dataset.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-model.h"
#include "plm-nm-session.h"

typedef struct {
  gboolean          quiet;
  double            lambda;
  gboolean          nm;
  PlmCliNmProgress  progress;
} TrainUi;

static void
embed_progress (int done, int total, gpointer data)
{
  TrainUi *ui = data;
  plm_cli_nm_embed_progress (done, total, &ui->progress);
}

static void
print_epoch (const PlmNmEpochReport *r, gpointer data)
{
  TrainUi *ui = data;
  if (ui->quiet)
    return;
  printf ("epoch %3d/%d  train loss %.4f (ce %.4f", r->epoch, r->epochs, r->train_loss, r->train_ce);
  if (ui->nm)
    printf (" + %.3g·nm %.4f", ui->lambda, r->train_neg);
  printf (")");
  if (!isnan (r->valid.loss))
    {
      printf ("  valid loss %.4f acc %.4f f1 %.4f", r->valid.loss, r->valid.accuracy, r->valid.macro_f1);
      if (!isnan (r->valid.auroc))
        printf (" auroc %.4f", r->valid.auroc);
    }
  printf ("  %.1f samples/s  %.1f s%s\n", r->samples_per_second, r->seconds,
          r->improved ? "  *best" : "");
  fflush (stdout);
}

static void
print_metrics (const char *name, const PlmNmMetrics *m)
{
  printf ("%s: n %d  accuracy %.4f  macro-F1 %.4f", name, m->n, m->accuracy, m->macro_f1);
  if (!isnan (m->auroc))
    printf ("  AUROC %.4f", m->auroc);
  if (!isnan (m->loss))
    printf ("  loss %.4f", m->loss);
  printf ("\n");
}

/* Training runs in a worker thread so that Ctrl-C can cancel it between batches; the last
 * completed epoch stays resumable. */
typedef struct {
  PlmNmSession *session;
  GCancellable *cancellable;
  GMainLoop    *loop;
  GError       *error;
  gboolean      ok;
} TrainJob;

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
train_thread (gpointer data)
{
  TrainJob *job = data;
  job->ok = plm_nm_session_run (job->session, job->cancellable, &job->error);
  g_idle_add (quit_loop, job->loop);
  return NULL;
}

static gboolean
on_interrupt (gpointer data)
{
  TrainJob *job = data;
  g_printerr ("plmlens-cli train: interrupted; stopping after the current batch\n");
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_CONTINUE;
}

int
plm_cli_train (int argc, char **argv)
{
  PlmNmTrainConfig config;
  plm_nm_train_config_init (&config);   /* every option's default */
  g_autofree char *task = NULL, *model_path = NULL, *plm = NULL, *objective = NULL;
  g_autofree char *train_path = NULL, *valid_path = NULL, *test_path = NULL, *out = NULL;
  g_autofree char *metrics_path = NULL, *dict = NULL, *fasta_label = NULL, *emb_cache = NULL;
  int threads = 0;
  double lambda = config.lambda, lr = config.lr, esm_coe = config.esm_coe, weight_decay = config.weight_decay;
  gint64 seed = (gint64) config.seed;
  gboolean resume = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "task", 0, 0, G_OPTION_ARG_STRING, &task, "protein (default) or pair", "TASK" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "ESM checkpoint (HF directory, .safetensors or fair-esm .pt)", "MODEL" },
    { "plm", 0, 0, G_OPTION_ARG_STRING, &plm, "frozen (default), finetune or scratch", "MODE" },
    { "objective", 0, 0, G_OPTION_ARG_STRING, &objective, "nm (default), ce or mlp", "OBJ" },
    { "train", 0, 0, G_OPTION_ARG_FILENAME, &train_path, "Training data (CSV/TSV, DeepLoc FASTA, or pair TSV)", "FILE" },
    { "valid", 0, 0, G_OPTION_ARG_FILENAME, &valid_path, "Validation data (default: split from --train)", "FILE" },
    { "test", 0, 0, G_OPTION_ARG_FILENAME, &test_path, "Test data (default: split from --train when --valid is absent)", "FILE" },
    { "sequences", 0, 0, G_OPTION_ARG_FILENAME, &dict, "Pair task: sequence dictionary TSV (id, sequence)", "FILE" },
    { "fasta-label", 0, 0, G_OPTION_ARG_STRING, &fasta_label, "DeepLoc FASTA labels: location (default) or membrane", "KIND" },
    { "negatives", 0, 0, G_OPTION_ARG_INT, &config.n_neg, "Negatives per anchor (default 2)", "N" },
    { "lambda", 0, 0, G_OPTION_ARG_DOUBLE, &lambda, "Weight of the negative-mining loss (default 0.1)", "L" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, "Learning rate (default 1e-4)", "LR" },
    { "esm-coe", 0, 0, G_OPTION_ARG_DOUBLE, &esm_coe, "Encoder learning-rate multiplier (default 10)", "X" },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &weight_decay, "Adam weight decay (default 1e-5; 0 for mlp, as the authors)", "WD" },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &config.epochs, "Maximum epochs (default 100)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &config.batch, "Batch size (default 50)", "N" },
    { "max-len", 0, 0, G_OPTION_ARG_INT, &config.max_len, "Tokens per sequence incl. <cls>/<eos>; longer ones are truncated (default 512)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed for initialisation, shuffling and negatives (default 42)", "S" },
    { "split-seed", 0, 0, G_OPTION_ARG_INT64, &config.split_seed, "Seed of the train/valid/test split of a single file (default: --seed)", "S" },
    { "valid-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &config.valid_fraction, "Split fraction for validation (default 0.1)", "F" },
    { "test-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &config.test_fraction, "Split fraction for test (default 0.1)", "F" },
    { "max-items", 0, 0, G_OPTION_ARG_INT, &config.max_train, "Use at most N training items (seeded subset)", "N" },
    { "max-eval-items", 0, 0, G_OPTION_ARG_INT, &config.max_eval, "Use at most N validation and N test items (seeded subsets)", "N" },
    { "patience", 0, 0, G_OPTION_ARG_INT, &config.patience, "Stop after N epochs without validation improvement (default 4; 0 = never)", "N" },
    { "patience-never-resets", 0, 0, G_OPTION_ARG_NONE, &config.patience_never_resets, "The authors' early stopping: the counter is not reset by an improvement", NULL },
    { "heads", 0, 0, G_OPTION_ARG_INT, &config.n_heads, "Attention heads of the head (default 1, as the authors)", "N" },
    { "scaled", 0, 0, G_OPTION_ARG_NONE, &config.scaled, "Scale attention scores by 1/sqrt(d) (the authors do not)", NULL },
    { "hidden", 0, 0, G_OPTION_ARG_INT, &config.d_hidden, "Readout width (default 128)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Best head (.safetensors); OUT.last.safetensors holds the resumable state", "HEAD" },
    { "embedding-cache", 0, 0, G_OPTION_ARG_FILENAME, &emb_cache, "Keep the frozen PLM's embeddings in FILE.safetensors for later runs (same model and --max-len)", "FILE" },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, "Continue from OUT.last.safetensors when present", NULL },
    { "metrics", 0, 0, G_OPTION_ARG_FILENAME, &metrics_path, "Write validation and test metrics as JSON", "FILE" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress output", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("train", "", "Fine-tune an NM-Transformer head (Xu et al. 2024) on ESM-2 embeddings.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("train", "unexpected argument '%s'", argv[1]);
  if (model_path == NULL || train_path == NULL || out == NULL)
    return plm_cli_usage_error ("train", "--model, --train and --out are required");

  if (task != NULL && strcmp (task, "protein") != 0 && strcmp (task, "pair") != 0)
    return plm_cli_usage_error ("train", "--task must be protein or pair");
  config.task = task != NULL && strcmp (task, "pair") == 0 ? PLM_DATA_PAIR : PLM_DATA_PROTEIN;
  if (plm != NULL && !plm_nm_plm_mode_parse (plm, &config.plm_mode))
    return plm_cli_usage_error ("train", "--plm must be frozen, finetune or scratch");
  if (objective != NULL && !plm_nm_objective_parse (objective, &config.objective))
    return plm_cli_usage_error ("train", "--objective must be nm, ce or mlp");
  if (fasta_label != NULL && strcmp (fasta_label, "location") != 0 && strcmp (fasta_label, "membrane") != 0)
    return plm_cli_usage_error ("train", "--fasta-label must be location or membrane");
  config.fasta_label = fasta_label != NULL && strcmp (fasta_label, "membrane") == 0
                       ? PLM_FASTA_LABEL_MEMBRANE : PLM_FASTA_LABEL_LOCATION;
  if (config.n_neg < 1 || config.n_neg > 64)
    return plm_cli_usage_error ("train", "--negatives must be between 1 and 64");
  if (!(lambda >= 0 && lambda < 1e6) || !(lr > 0 && lr < 10) || !(esm_coe > 0)
      || !(weight_decay < 1.0))
    return plm_cli_usage_error ("train", "--lambda, --lr, --esm-coe or --weight-decay out of range");
  if (config.epochs < 1 || config.batch < 1 || config.max_len < 3 || config.patience < 0 || config.n_heads < 1
      || config.d_hidden < 1 || config.max_train < 0 || config.max_eval < 0)
    return plm_cli_usage_error ("train", "--epochs, --batch, --max-len, --patience, --heads, --hidden or --max-items out of range");
  if (!(config.valid_fraction >= 0 && config.test_fraction >= 0 && config.valid_fraction + config.test_fraction < 1))
    return plm_cli_usage_error ("train", "--valid-fraction and --test-fraction must be >= 0 and sum below 1");
  if (threads < 0 || threads > 1024)
    return plm_cli_usage_error ("train", "--threads must be between 0 and 1024");
  if (config.task == PLM_DATA_PAIR && dict == NULL)
    return plm_cli_usage_error ("train", "--task pair needs --sequences DICT.tsv");

  config.lambda = lambda;
  config.lr = lr;
  config.esm_coe = esm_coe;
  config.weight_decay = weight_decay;   /* < 0: the objective's */
  config.seed = seed;
  plm_engine_set_threads (threads);

  /* all input is validated before the model runs */
  PlmNmSessionFiles files = {
    .train = train_path, .valid = valid_path, .test = test_path, .dictionary = dict,
    .model = model_path, .out = out, .embedding_cache = emb_cache,
  };
  g_autoptr(PlmNmSession) session = plm_nm_session_load (&config, &files, &error);
  if (session == NULL)
    return plm_cli_report_error (error);
  const PlmModel *model = plm_nm_session_get_model (session);
  const PlmNmData *data = plm_nm_session_get_data (session);
  const PlmNmTrainConfig *run_config = plm_nm_session_get_config (session);
  if (model->config.d_model % config.n_heads != 0)
    return plm_cli_usage_error ("train", "--heads %d does not divide the model width %d", config.n_heads,
                                model->config.d_model);

  if (!quiet)
    for (int s = 0; s < 3; s++)
      if (data->sets[s] != NULL)
        {
          g_autofree char *report = plm_dataset_balance_report (data->sets[s], data->classes);
          printf ("%s\n", report);
        }

  TrainUi ui = { quiet, run_config->lambda, run_config->objective == PLM_NM_OBJECTIVE_NM, { NULL, quiet } };
  plm_nm_session_set_callbacks (session, print_epoch, embed_progress, NULL, &ui);
  gboolean resumed = FALSE;
  if (!plm_nm_session_start (session, resume, &resumed, &error))
    return plm_cli_report_error (error);
  if (resumed && !quiet)
    printf ("resumed from %s.last.safetensors\n", out);

  int status = PLM_EXIT_OK;
  TrainJob job = { session, g_cancellable_new (), g_main_loop_new (NULL, FALSE), NULL, FALSE };
  guint sig = g_unix_signal_add (SIGINT, on_interrupt, &job);
  guint sig_term = g_unix_signal_add (SIGTERM, on_interrupt, &job);
  GThread *thread = g_thread_new ("train", train_thread, &job);
  g_main_loop_run (job.loop);
  g_thread_join (thread);
  g_source_remove (sig);
  g_source_remove (sig_term);
  plm_cli_nm_progress_finish (&ui.progress);
  if (!job.ok)
    {
      plm_cli_report_error (job.error);
      status = job.error->domain == PLM_ERROR && job.error->code == PLM_ERROR_RESOURCES
               ? PLM_EXIT_BAD_INPUT : PLM_EXIT_FAILURE;
      g_autofree char *last = g_strdup_printf ("%s.last.safetensors", out);
      if (g_error_matches (job.error, PLM_ERROR, PLM_ERROR_CANCELLED) && !quiet
          && g_file_test (last, G_FILE_TEST_EXISTS))
        g_printerr ("plmlens-cli train: continue with --resume (from %s)\n", last);
      g_error_free (job.error);
    }
  g_main_loop_unref (job.loop);
  g_object_unref (job.cancellable);

  if (status == PLM_EXIT_OK)
    {
      PlmNmTrainer *trainer = plm_nm_session_get_trainer (session);
      PlmNmMetrics valid, test;
      double before, after;
      int best_epoch;
      plm_nm_trainer_get_results (trainer, &valid, &test, &before, &after, &best_epoch);
      if (!quiet)
        {
          printf ("best epoch %d; head written to %s\n", best_epoch, out);
          if (data->sets[1] != NULL)
            print_metrics ("valid", &valid);
          if (data->sets[2] != NULL)
            print_metrics ("test", &test);
          if (!isnan (before))
            printf ("mean L_neg of probe negatives: %.6f before, %.6f after\n", before, after);
        }
      if (metrics_path != NULL)
        {
          g_autofree char *json = plm_nm_trainer_metrics_json (trainer);
          if (!g_file_set_contents (metrics_path, json, -1, &error))
            status = plm_cli_report_error (error);
        }
    }
  return status;
}
