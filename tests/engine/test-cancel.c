/* test-cancel.c: the forward pass stops at the next layer once its cancellable fires. The
 * cancellable is cancelled from the progress callback of layer 1, on the computing thread, so
 * the test is deterministic: a forward that ignored it would report every layer. */
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-model.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

typedef struct {
  GCancellable *cancellable;
  int           cancel_after;
  int           last_done;
  int           n_calls;
} Watch;

static void
on_progress (int done, int total, gpointer data)
{
  Watch *w = data;

  w->last_done = done;
  w->n_calls++;
  if (done == w->cancel_after)
    g_cancellable_cancel (w->cancellable);
}

static void
run_forward (const char *model_name, int cancel_after, Watch *w, GError **error)
{
  g_autofree char *dir = plm_test_data_path ("models", model_name, NULL);
  g_autoptr(PlmModel) model = plm_model_load (dir, error);
  g_assert_nonnull (model);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize ("MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ", &T);
  PlmForwardOptions opt = { 0 };
  PlmForwardOutput out = { 0 };

  w->cancellable = g_cancellable_new ();
  w->cancel_after = cancel_after;
  opt.progress_func = on_progress;
  opt.progress_data = w;
  opt.cancellable = w->cancellable;
  opt.want_logits = TRUE;
  opt.want_contacts = model->has_contact_head;
  if (plm_esm_forward (state, tokens, T, &opt, &out, error))
    g_assert_nonnull (out.logits);
  plm_forward_output_clear (&out);
  g_clear_object (&w->cancellable);
}

static void
test_stops_at_next_layer (void)
{
  g_autoptr(GError) error = NULL;
  Watch w = { 0 };

  run_forward ("tiny-f32", 1, &w, &error);
  g_assert_error (error, PLM_ERROR, PLM_ERROR_CANCELLED);
  /* tiny-f32 has 2 layers: the second never ran */
  g_assert_cmpint (w.last_done, ==, 1);
  g_assert_cmpint (w.n_calls, ==, 1);
}

static void
test_uncancelled_runs_every_layer (void)
{
  g_autoptr(GError) error = NULL;
  Watch w = { 0 };

  run_forward ("tiny-f32", -1, &w, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w.last_done, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  plm_engine_set_threads (1);
  g_test_add_func ("/cancel/forward-stops-at-next-layer", test_stops_at_next_layer);
  g_test_add_func ("/cancel/forward-uncancelled-runs-every-layer", test_uncancelled_runs_every_layer);
  return g_test_run ();
}
