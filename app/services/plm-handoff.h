/* plm-handoff.h: handing work from a worker thread to the main context that started it.
 *
 * g_main_context_invoke () is not that: called from a worker whose thread-default context is
 * the global default (every GLib worker thread's), it runs the function *in the worker* whenever
 * it can acquire the context between two iterations of the main loop. These attach a source, so
 * the function always runs in the thread that iterates @context. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Queues @func (@data) on @context; @notify (@data) after it ran. */
void     plm_handoff_send  (GMainContext  *context,
                            GSourceFunc    func,
                            gpointer       data,
                            GDestroyNotify notify);
/* The same, coalesced: queued only when nothing is pending on @pending (an atomic flag the
 * receiver clears with plm_handoff_taken () first thing), so a fast worker cannot flood the
 * main loop. When not queued, @notify (@data) is called at once. Returns whether it queued. */
gboolean plm_handoff_post  (GMainContext  *context,
                            gint          *pending,
                            GSourceFunc    func,
                            gpointer       data,
                            GDestroyNotify notify);
/* In the receiver, before it reads the values: the next plm_handoff_post () queues again. */
void     plm_handoff_taken (gint          *pending);

/* Progress of a GTask's thread, delivered on the context that created the task: the thread
 * records (done, total) and at most one delivery is queued; the receiver gets the latest pair,
 * read together, and nothing once the task has completed or its cancellable fired (its owner
 * may be gone by then). Embed one in @task's data; init on the caller's thread, before the task
 * runs. The hand-off carries only @progress and a reference to @task: nothing the worker thread
 * allocates travels with it. */
typedef void (*PlmHandoffProgressFunc) (gint64   done,
                                        gint64   total,
                                        gpointer data);

typedef struct
{
  GTask                  *task;     /* not owned: @progress lives in its data */
  GMainContext           *context;
  PlmHandoffProgressFunc  func;
  gpointer                data;
  GMutex                  lock;      /* done and total */
  gint64                  done;
  gint64                  total;
  gint                    pending;
} PlmHandoffProgress;

void     plm_handoff_progress_init  (PlmHandoffProgress     *progress,
                                     GTask                  *task,
                                     PlmHandoffProgressFunc  func,
                                     gpointer                data);
void     plm_handoff_progress_clear (PlmHandoffProgress     *progress);
/* In the task's thread. */
void     plm_handoff_progress_post  (PlmHandoffProgress     *progress,
                                     gint64                  done,
                                     gint64                  total);

G_END_DECLS
