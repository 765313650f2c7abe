/* test-compute.c: the engine lease (app/services/plm-compute.h): one holder at a time, served in
 * the order asked, a waiter cancelled while queued leaves the queue, yield lets a waiter go first,
 * and the holder's thread count is the engine's. Threads are ordered by the lease itself: each
 * waiter is started only once the previous one is seen in the queue. */
#include "plm-compute.h"
#include "plm-esm.h"

typedef struct {
  int           n_threads;
  GCancellable *cancellable;
  GAsyncQueue  *log;          /* thread ids in the order they got the engine */
  int           id;
  gboolean      cancelled;
  int           engine_threads;
} Waiter;

static gpointer
waiter_thread (gpointer data)
{
  Waiter *w = data;
  g_autoptr(GError) error = NULL;
  PlmComputeLease *lease = plm_compute_acquire (w->n_threads, w->cancellable, &error);

  if (lease == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      w->cancelled = TRUE;
      return NULL;
    }
  w->engine_threads = plm_engine_get_threads ();
  g_async_queue_push (w->log, GINT_TO_POINTER (w->id));
  g_usleep (2000);
  plm_compute_release (lease);
  return NULL;
}

static void
wait_for_waiting (guint n)
{
  for (int i = 0; i < 10000 && plm_compute_n_waiting () != n; i++)
    g_usleep (1000);
  g_assert_cmpuint (plm_compute_n_waiting (), ==, n);
}

static void
test_fifo_and_threads (void)
{
  g_autoptr(GAsyncQueue) log = g_async_queue_new ();
  Waiter w[3];
  GThread *t[3];
  g_autoptr(GError) error = NULL;
  PlmComputeLease *held = plm_compute_acquire (1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (plm_engine_get_threads (), ==, 1);
  for (int i = 0; i < 3; i++)
    {
      w[i] = (Waiter) { .n_threads = i + 2, .log = log, .id = i + 1 };
      t[i] = g_thread_new ("waiter", waiter_thread, &w[i]);
      wait_for_waiting (i + 1);   /* queued in this order */
    }
  /* nobody runs while the engine is held */
  g_usleep (20000);
  g_assert_cmpint (g_async_queue_length (log), ==, 0);
  plm_compute_release (held);
  for (int i = 0; i < 3; i++)
    g_thread_join (t[i]);
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (GPOINTER_TO_INT (g_async_queue_pop (log)), ==, i + 1);
      /* what the engine makes of i + 2 threads here (OMP_THREAD_LIMIT caps it, as in TSan) */
      plm_engine_set_threads (i + 2);
      g_assert_cmpint (w[i].engine_threads, ==, plm_engine_get_threads ());
    }
  g_assert_cmpuint (plm_compute_n_waiting (), ==, 0);
}

static void
test_cancel_while_queued (void)
{
  g_autoptr(GAsyncQueue) log = g_async_queue_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter a = { .n_threads = 1, .log = log, .id = 1, .cancellable = cancellable };
  Waiter b = { .n_threads = 1, .log = log, .id = 2 };
  PlmComputeLease *held = plm_compute_acquire (1, NULL, NULL);
  GThread *ta, *tb;

  ta = g_thread_new ("a", waiter_thread, &a);
  wait_for_waiting (1);
  tb = g_thread_new ("b", waiter_thread, &b);
  wait_for_waiting (2);
  /* a is at the head; cancelled, it must leave at once, without the engine, and not block b */
  g_cancellable_cancel (cancellable);
  g_thread_join (ta);
  g_assert_true (a.cancelled);
  wait_for_waiting (1);
  plm_compute_release (held);
  g_thread_join (tb);
  g_assert_false (b.cancelled);
  g_assert_cmpint (GPOINTER_TO_INT (g_async_queue_pop (log)), ==, 2);
  g_assert_cmpint (g_async_queue_length (log), ==, 0);
}

static void
test_already_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (plm_compute_acquire (1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (plm_compute_n_waiting (), ==, 0);
}

static void
test_yield (void)
{
  g_autoptr(GAsyncQueue) log = g_async_queue_new ();
  Waiter w = { .n_threads = 3, .log = log, .id = 7 };
  PlmComputeLease *lease = plm_compute_acquire (1, NULL, NULL);
  GThread *t;

  /* nobody waiting: yield keeps the engine */
  g_assert_true (plm_compute_yield (lease, NULL, NULL));
  t = g_thread_new ("w", waiter_thread, &w);
  wait_for_waiting (1);
  /* a waiter: it runs (and logs) before yield returns, and the settings are ours again */
  g_assert_true (plm_compute_yield (lease, NULL, NULL));
  g_assert_cmpint (g_async_queue_length (log), ==, 1);
  g_assert_cmpint (plm_engine_get_threads (), ==, 1);
  plm_engine_set_threads (3);
  g_assert_cmpint (w.engine_threads, ==, plm_engine_get_threads ());
  /* suspended, the engine is free for others until yield takes it back */
  plm_compute_suspend (lease);
  {
    PlmComputeLease *other = plm_compute_acquire (2, NULL, NULL);
    g_assert_nonnull (other);
    plm_compute_release (other);
  }
  g_assert_true (plm_compute_yield (lease, NULL, NULL));
  plm_compute_release (lease);
  g_thread_join (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/fifo-and-threads", test_fifo_and_threads);
  g_test_add_func ("/compute/cancel-while-queued", test_cancel_while_queued);
  g_test_add_func ("/compute/already-cancelled", test_already_cancelled);
  g_test_add_func ("/compute/yield-and-suspend", test_yield);
  return g_test_run ();
}
