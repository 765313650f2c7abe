/* plm-compute.h: the one owner of the engine in the application.
 *
 * The engine's thread count and the OpenBLAS/OpenMP settings are process-wide, so everything the
 * application computes (inference, cross-attention, training) runs under a lease: one holder at
 * a time, served in the order asked. The holder's thread count is set when the lease is granted.
 * Long work (training) yields between batches, so a queued inference waits one batch, not a run. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _PlmComputeLease PlmComputeLease;

/* Threads for the engine: @n_threads when > 0, else every core but one (the UI keeps a core). */
int              plm_compute_threads      (int               n_threads);
/* Waits until the engine is free, then takes it with plm_compute_threads (@n_threads) threads.
 * NULL with G_IO_ERROR_CANCELLED when @cancellable fires while waiting. Blocks: call it from a
 * worker thread, never from the main loop. */
PlmComputeLease *plm_compute_acquire      (int               n_threads,
                                           GCancellable     *cancellable,
                                           GError          **error);
/* Lets any waiting holder run first, then takes the engine back (FALSE: cancelled meanwhile,
 * and the lease is no longer held: release it all the same). */
gboolean         plm_compute_yield        (PlmComputeLease  *lease,
                                           GCancellable     *cancellable,
                                           GError          **error);
/* Gives the engine back without ending the lease; plm_compute_yield () takes it again. */
void             plm_compute_suspend      (PlmComputeLease  *lease);
void             plm_compute_release      (PlmComputeLease  *lease);
/* First thing in a thread of its own that will compute: a lower scheduling priority than the UI
 * thread's (under contention the window stays responsive). */
void             plm_compute_thread_init  (void);
/* How many leases are waiting; for tests and the status line. */
guint            plm_compute_n_waiting    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmComputeLease, plm_compute_release)

G_END_DECLS
