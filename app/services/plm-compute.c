/* plm-compute.c: a FIFO lease on the engine (see plm-compute.h). */
#include "plm-compute.h"

#include "plm-esm.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

struct _PlmComputeLease
{
  int      n_threads;
  gboolean held;
};

static GMutex lock;
static GCond cond;
static GQueue waiters = G_QUEUE_INIT;   /* threads asking, in arrival order: the head goes next */
static gboolean busy;

int
plm_compute_threads (int n_threads)
{
  if (n_threads > 0)
    return n_threads;
  return MAX (1, (int) g_get_num_processors () - 1);
}

static void
wake (GCancellable *cancellable,
      gpointer      data)
{
  g_mutex_lock (&lock);
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

/* Queues for the engine, waits until it is free and this thread is next, and takes it for
 * @lease. FALSE when @cancellable fires first. Called without the lock. */
static gboolean
take (PlmComputeLease *lease,
      GCancellable    *cancellable,
      GError         **error)
{
  GThread *me = g_thread_self ();
  /* connected outside the lock: the handler takes it (and runs at once if already cancelled) */
  gulong handler = cancellable != NULL ? g_cancellable_connect (cancellable, G_CALLBACK (wake), NULL, NULL) : 0;
  gboolean ok;

  g_mutex_lock (&lock);
  g_queue_push_tail (&waiters, me);
  while ((busy || g_queue_peek_head (&waiters) != me)
         && !(cancellable != NULL && g_cancellable_is_cancelled (cancellable)))
    g_cond_wait (&cond, &lock);
  ok = !busy && g_queue_peek_head (&waiters) == me
       && !(cancellable != NULL && g_cancellable_is_cancelled (cancellable));
  g_queue_remove (&waiters, me);
  if (ok)
    busy = TRUE;
  lease->held = ok;
  g_cond_broadcast (&cond);   /* the next in line may be the head now */
  g_mutex_unlock (&lock);
  g_cancellable_disconnect (cancellable, handler);
  if (!ok)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return FALSE;
    }
  /* the engine's settings are the holder's */
  plm_engine_set_threads (lease->n_threads);
  return TRUE;
}

PlmComputeLease *
plm_compute_acquire (int            n_threads,
                     GCancellable  *cancellable,
                     GError       **error)
{
  PlmComputeLease *lease = g_new0 (PlmComputeLease, 1);

  lease->n_threads = plm_compute_threads (n_threads);
  if (!take (lease, cancellable, error))
    {
      g_free (lease);
      return NULL;
    }
  return lease;
}

static void
give_back (PlmComputeLease *lease)
{
  if (!lease->held)
    return;
  lease->held = FALSE;
  busy = FALSE;
  g_cond_broadcast (&cond);
}

gboolean
plm_compute_yield (PlmComputeLease  *lease,
                   GCancellable     *cancellable,
                   GError          **error)
{
  gboolean requeue;

  g_return_val_if_fail (lease != NULL, FALSE);

  g_mutex_lock (&lock);
  requeue = g_queue_get_length (&waiters) > 0 || !lease->held;
  if (requeue)
    give_back (lease);
  g_mutex_unlock (&lock);
  return !requeue || take (lease, cancellable, error);
}

void
plm_compute_suspend (PlmComputeLease *lease)
{
  g_return_if_fail (lease != NULL);
  g_mutex_lock (&lock);
  give_back (lease);
  g_mutex_unlock (&lock);
}

void
plm_compute_release (PlmComputeLease *lease)
{
  if (lease == NULL)
    return;
  g_mutex_lock (&lock);
  give_back (lease);
  g_mutex_unlock (&lock);
  g_free (lease);
}

void
plm_compute_thread_init (void)
{
#ifdef __linux__
  /* per thread on Linux: the process's other threads (the UI) keep their priority */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 5);
#endif
}

guint
plm_compute_n_waiting (void)
{
  guint n;

  g_mutex_lock (&lock);
  n = g_queue_get_length (&waiters);
  g_mutex_unlock (&lock);
  return n;
}
