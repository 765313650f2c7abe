/* test-training-worker.c: background fine-tuning: a short run writes its head; pause holds the
 * thread; a cancelled run leaves a loadable checkpoint and resuming it ends exactly where an
 * uninterrupted run ends (frozen PLM: the trainer is deterministic given the seed). */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-nm-head.h"
#include "plm-nm-train.h"
#include "plm-training-worker.h"

static const char *test_data;
static char *tmp_dir;

/* Two classes told apart by composition, as tests/test-nm-train.c. */
static char *
make_csv (const char *name,
          int         n,
          guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) csv = g_string_new ("label,sequence\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  for (int i = 0; i < n; i++)
    {
      int label = i % 2, len = 10 + g_rand_int_range (rand, 0, 20);
      const char *alphabet = label ? "KRHDE" : "LIVFAW";
      g_string_append_printf (csv, "%s,", label ? "polar" : "apolar");
      for (int k = 0; k < len; k++)
        g_string_append_c (csv, alphabet[g_rand_int_range (rand, 0, strlen (alphabet))]);
      g_string_append_c (csv, '\n');
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, &error));
  g_assert_no_error (error);
  return path;
}

static PlmTrainingSettings *
make_settings (const char *out_name)
{
  PlmTrainingSettings *s = plm_training_settings_new ();

  s->train = make_csv ("train.csv", 40, 1);
  s->valid = make_csv ("valid.csv", 16, 2);
  s->test = make_csv ("test.csv", 16, 3);
  s->model_path = g_build_filename (test_data, "models", "tiny-f32", NULL);
  s->out_path = g_build_filename (tmp_dir, out_name, NULL);
  s->config.epochs = 12;
  s->config.batch = 8;
  s->config.patience = 0;     /* every epoch runs: the runs compared below have the same length */
  s->config.lr = 1e-2;
  s->config.max_len = 64;
  s->n_threads = 1;
  return s;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  int       n_epochs;
  int       n_progress;
  int       cancel_after_epoch;   /* 0 = never */
  gboolean  saw_embedding;
  gboolean  saw_eta;
} Run;

static void
on_finished (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  run->ok = plm_training_worker_start_finish (PLM_TRAINING_WORKER (object), result, &run->error);
  run->done = TRUE;
}

static void
on_epoch (PlmTrainingWorker      *worker,
          const PlmNmEpochReport *r,
          Run                    *run)
{
  run->n_epochs++;
  /* the loss parts are what the panel plots: CE, the NM part and their sum */
  g_assert_true (isfinite (r->train_ce) && r->train_ce > 0);
  g_assert_true (isfinite (r->train_neg) && r->train_neg > 0);
  g_assert_cmpfloat_with_epsilon (r->train_loss, r->train_ce + 0.1 * r->train_neg, 1e-5);
  g_assert_true (isfinite (r->valid.accuracy));
  if (r->epoch == run->cancel_after_epoch)
    plm_training_worker_cancel (worker);
}

static void
on_progress (PlmTrainingWorker *worker,
             Run               *run)
{
  double f = plm_training_worker_get_fraction (worker);

  g_assert_true (f >= 0.0 && f <= 1.0);
  run->n_progress++;
  if (plm_training_worker_get_state (worker) == PLM_TRAINING_EMBEDDING)
    run->saw_embedding = TRUE;
  if (plm_training_worker_get_eta (worker) >= 0.0)
    run->saw_eta = TRUE;
}

static void
run_worker (PlmTrainingWorker *worker,
            gboolean           resume,
            Run               *run)
{
  gulong h1 = g_signal_connect (worker, "epoch", G_CALLBACK (on_epoch), run);
  gulong h2 = g_signal_connect (worker, "progress", G_CALLBACK (on_progress), run);

  run->done = FALSE;
  plm_training_worker_start_async (worker, resume, on_finished, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (worker, h1);
  g_signal_handler_disconnect (worker, h2);
}

static PlmNmHead *
load_head (const char *path)
{
  g_autoptr(GError) error = NULL;
  PlmNmHead *head = plm_nm_head_load (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (head);
  return head;
}

static void
assert_same_head (const char *a_path,
                  const char *b_path)
{
  PlmNmHead *a = load_head (a_path), *b = load_head (b_path);
  gsize na, nb;
  const float *pa = plm_nm_head_param_data (a, &na), *pb = plm_nm_head_param_data (b, &nb);

  g_assert_cmpuint (na, ==, nb);
  g_assert_cmpint (memcmp (pa, pb, na * sizeof (float)), ==, 0);
  plm_nm_head_free (a);
  plm_nm_head_free (b);
}

static char *reference_head;   /* the uninterrupted run's head */
static PlmTrainingResults reference_results;
static GArray *reference_history;

static void
test_short_run (void)
{
  g_autoptr(PlmTrainingSettings) s = make_settings ("full.safetensors");
  g_autoptr(PlmTrainingWorker) worker = plm_training_worker_new (s);
  Run run = { 0 };

  run_worker (worker, FALSE, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (plm_training_worker_get_state (worker), ==, PLM_TRAINING_FINISHED);
  g_assert_cmpint (run.n_epochs, ==, 12);
  g_assert_cmpuint (plm_training_worker_get_history (worker)->len, ==, 12);
  g_assert_true (run.saw_embedding);
  g_assert_true (run.saw_eta);
  g_assert_cmpfloat (plm_training_worker_get_elapsed (worker), >, 0.0);
  g_assert_true (g_file_test (s->out_path, G_FILE_TEST_EXISTS));

  const PlmTrainingResults *r = plm_training_worker_get_results (worker);
  g_assert_nonnull (r);
  g_assert_true (r->have_valid && r->have_test);
  g_assert_cmpint (r->n_classes, ==, 2);
  g_assert_cmpint (r->best_epoch, >=, 1);
  g_assert_cmpint (r->test.n, ==, 16);
  /* the classes differ in composition: a few epochs separate them well above chance */
  g_test_message ("test accuracy %.3f, L_neg %.4g → %.4g", r->test.accuracy, r->l_neg_before, r->l_neg_after);
  g_assert_cmpfloat (r->test.accuracy, >, 0.6);

  g_autoptr(PlmNmHead) head = load_head (s->out_path);
  reference_head = g_strdup (s->out_path);
  reference_results = *r;
  reference_history = g_array_ref (plm_training_worker_get_history (worker));
}

static void
test_cancel_resume (void)
{
  g_autoptr(PlmTrainingSettings) s = make_settings ("resumed.safetensors");
  g_autoptr(PlmTrainingWorker) worker = plm_training_worker_new (s);
  Run run = { .cancel_after_epoch = 2 };

  g_assert_nonnull (reference_head);
  run_worker (worker, FALSE, &run);
  g_assert_error (run.error, PLM_ERROR, PLM_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_false (run.ok);
  g_assert_cmpint (plm_training_worker_get_state (worker), ==, PLM_TRAINING_CANCELLED);
  g_assert_null (plm_training_worker_get_results (worker));

  /* The cancel is asynchronous: the thread stops before the next batch after it saw it, so
   * the checkpoint is the last epoch reported (at least 2), complete and loadable. */
  guint k = plm_training_worker_get_history (worker)->len;
  g_test_message ("cancelled after epoch %u", k);
  g_assert_cmpuint (k, >=, 2);
  g_assert_cmpuint (k, <, 12);
  const char *last = plm_training_worker_get_last_path (worker);
  GHashTable *md = NULL;
  g_autoptr(GError) error = NULL;
  PlmNmHead *head = plm_nm_head_load (last, &md, &error);
  g_assert_no_error (error);
  g_assert_nonnull (head);
  const char *state = g_hash_table_lookup (md, "state");
  g_autofree char *want = g_strdup_printf ("\"epochs_done\":%u", k);
  g_assert_nonnull (state);
  g_assert_nonnull (strstr (state, want));
  plm_nm_head_free (head);
  g_hash_table_unref (md);

  run.cancel_after_epoch = 0;
  run.n_epochs = 0;
  run_worker (worker, TRUE, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (run.n_epochs, ==, 12 - (int) k);   /* only the missing epochs */

  /* identical to the uninterrupted run: the head, the metrics and the per-epoch losses */
  assert_same_head (reference_head, s->out_path);
  const PlmTrainingResults *r = plm_training_worker_get_results (worker);
  g_assert_cmpfloat (r->test.accuracy, ==, reference_results.test.accuracy);
  g_assert_cmpfloat (r->test.loss, ==, reference_results.test.loss);
  g_assert_cmpfloat (r->valid.loss, ==, reference_results.valid.loss);
  GArray *h = plm_training_worker_get_history (worker);
  g_assert_cmpuint (h->len, ==, 12);
  for (guint i = 0; i < 12; i++)
    {
      const PlmNmEpochReport *a = &g_array_index (h, PlmNmEpochReport, i);
      const PlmNmEpochReport *b = &g_array_index (reference_history, PlmNmEpochReport, i);
      g_assert_cmpint (a->epoch, ==, b->epoch);
      g_assert_cmpfloat (a->train_ce, ==, b->train_ce);
      g_assert_cmpfloat (a->train_neg, ==, b->train_neg);
      g_assert_cmpfloat (a->valid.loss, ==, b->valid.loss);
    }
}

typedef struct
{
  PlmTrainingWorker *worker;
  Run               *run;
  double             fraction;
  int                checks;
} PauseCheck;

static gboolean
check_paused (gpointer data)
{
  PauseCheck *pc = data;
  double f = plm_training_worker_get_fraction (pc->worker);

  /* paused before the first batch or embedded sequence: nothing progresses meanwhile */
  if (plm_training_worker_get_state (pc->worker) == PLM_TRAINING_PAUSED
      && g_atomic_int_get (&pc->run->n_epochs) == 0 && (pc->checks == 0 || f == pc->fraction))
    {
      pc->fraction = f;
      if (++pc->checks < 3)
        return G_SOURCE_CONTINUE;
    }
  else
    g_error ("training went on while paused (epochs %d, fraction %g → %g)", pc->run->n_epochs, pc->fraction, f);
  plm_training_worker_unpause (pc->worker);
  return G_SOURCE_REMOVE;
}

static void
test_pause (void)
{
  g_autoptr(PlmTrainingSettings) s = make_settings ("paused.safetensors");
  g_autoptr(PlmTrainingWorker) worker = plm_training_worker_new (s);
  Run run = { 0 };
  PauseCheck pc = { worker, &run, 0.0, 0 };
  gulong h1 = g_signal_connect (worker, "epoch", G_CALLBACK (on_epoch), &run);

  plm_training_worker_start_async (worker, FALSE, on_finished, &run);
  plm_training_worker_pause (worker);
  g_assert_cmpint (plm_training_worker_get_state (worker), ==, PLM_TRAINING_PAUSED);
  g_timeout_add (200, check_paused, &pc);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (worker, h1);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (pc.checks, ==, 3);
  g_assert_cmpint (run.n_epochs, ==, 12);
  /* a pause does not change the result */
  assert_same_head (reference_head, s->out_path);
}

static void
test_bad_input (void)
{
  g_autoptr(PlmTrainingSettings) s = make_settings ("bad.safetensors");
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.csv", NULL);
  const char text[] = "label,sequence\npolar,KRKR\napolar,LI1V\n";
  Run run = { 0 };

  g_assert_true (g_file_set_contents (bad, text, -1, NULL));
  g_free (s->train);
  s->train = g_strdup (bad);
  g_autoptr(PlmTrainingWorker) worker = plm_training_worker_new (s);
  run_worker (worker, FALSE, &run);
  g_assert_false (run.ok);
  g_assert_nonnull (run.error);
  /* the error names the file and line */
  g_test_message ("%s", run.error->message);
  g_assert_nonnull (strstr (run.error->message, "bad.csv:3"));
  g_assert_cmpint (plm_training_worker_get_state (worker), ==, PLM_TRAINING_FAILED);
  g_clear_error (&run.error);
}

/* Pairs of one family interact (label 1), pairs across families do not (0). */
static void
test_pair_task (void)
{
  g_autoptr(PlmTrainingSettings) s = plm_training_settings_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(GString) dict = g_string_new (NULL);
  g_autoptr(GString) pairs = g_string_new ("id_a id_b label\n");
  Run run = { 0 };

  for (int p = 0; p < 30; p++)
    {
      const char *alphabet = p % 2 ? "KRDE" : "LIVF";
      g_string_append_printf (dict, "P%02d\t", p);
      for (int k = 0, len = 12 + g_rand_int_range (rand, 0, 12); k < len; k++)
        g_string_append_c (dict, alphabet[g_rand_int_range (rand, 0, 4)]);
      g_string_append_c (dict, '\n');
    }
  for (int i = 0; i < 80; i++)
    {
      int a = g_rand_int_range (rand, 0, 30), b = g_rand_int_range (rand, 0, 30);
      g_string_append_printf (pairs, "P%02d P%02d %d\n", a, b, a % 2 == b % 2);
    }
  s->config.task = PLM_DATA_PAIR;
  s->train = g_build_filename (tmp_dir, "pairs.tsv", NULL);
  s->dictionary = g_build_filename (tmp_dir, "dict.tsv", NULL);
  g_assert_true (g_file_set_contents (s->train, pairs->str, -1, NULL));
  g_assert_true (g_file_set_contents (s->dictionary, dict->str, -1, NULL));
  s->model_path = g_build_filename (test_data, "models", "tiny-f32", NULL);
  s->out_path = g_build_filename (tmp_dir, "pair-head.safetensors", NULL);
  s->config.epochs = 3;
  s->config.batch = 8;
  s->config.patience = 0;
  s->config.max_len = 64;
  s->n_threads = 1;
  s->config.valid_fraction = 0.2;
  s->config.test_fraction = 0.2;

  g_autoptr(PlmTrainingWorker) worker = plm_training_worker_new (s);
  run_worker (worker, FALSE, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (run.n_epochs, ==, 3);
  const PlmTrainingResults *r = plm_training_worker_get_results (worker);
  g_assert_true (r->have_valid && r->have_test);
  g_assert_cmpint (r->n_classes, ==, 2);
  /* binary: AUROC is defined */
  g_assert_true (isfinite (r->test.auroc));
  g_autoptr(PlmNmHead) head = load_head (s->out_path);

  /* without the dictionary the run fails with a clear message, before any work */
  g_clear_pointer (&s->dictionary, g_free);
  g_autoptr(PlmTrainingWorker) bad = plm_training_worker_new (s);
  run_worker (bad, FALSE, &run);
  g_assert_false (run.ok);
  g_assert_error (run.error, PLM_ERROR, PLM_ERROR_INPUT);
  g_test_message ("%s", run.error->message);
  g_clear_error (&run.error);
}

/* --plm finetune through the worker: the tuned PLM is written beside the head, and a finished
 * run can be resumed for more epochs (the encoder's weights are in the checkpoint). */
static void
test_finetune (void)
{
  g_autoptr(PlmTrainingSettings) s = make_settings ("tuned.safetensors");
  Run run = { 0 };

  s->config.plm_mode = PLM_NM_PLM_FINETUNE;
  s->config.epochs = 2;
  g_autoptr(PlmTrainingWorker) worker = plm_training_worker_new (s);
  run_worker (worker, FALSE, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (run.n_epochs, ==, 2);
  g_autofree char *plm = g_strdup_printf ("%s.plm", s->out_path);
  g_assert_true (g_file_test (plm, G_FILE_TEST_IS_DIR));

  s->config.epochs = 3;
  g_autoptr(PlmTrainingWorker) more = plm_training_worker_new (s);
  Run run2 = { 0 };
  run_worker (more, TRUE, &run2);
  g_assert_no_error (run2.error);
  g_assert_true (run2.ok);
  g_assert_true (g_file_test (plm, G_FILE_TEST_IS_DIR));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_data = g_getenv ("PLM_TEST_DATA");
  g_assert_nonnull (test_data);
  tmp_dir = g_dir_make_tmp ("plm-training-XXXXXX", NULL);

  g_test_add_func ("/training-worker/short-run", test_short_run);
  g_test_add_func ("/training-worker/cancel-resume", test_cancel_resume);
  g_test_add_func ("/training-worker/pause", test_pause);
  g_test_add_func ("/training-worker/bad-input", test_bad_input);
  g_test_add_func ("/training-worker/pair-task", test_pair_task);
  g_test_add_func ("/training-worker/finetune", test_finetune);
  int status = g_test_run ();

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (reference_head);
  g_clear_pointer (&reference_history, g_array_unref);
  g_free (tmp_dir);
  return status;
}
