/* plm-handoff.c: see plm-handoff.h. */
#include "plm-handoff.h"

void
plm_handoff_send (GMainContext  *context,
                  GSourceFunc    func,
                  gpointer       data,
                  GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[plmlens] hand-off");
  g_source_attach (source, context);
  g_source_unref (source);
}

gboolean
plm_handoff_post (GMainContext  *context,
                  gint          *pending,
                  GSourceFunc    func,
                  gpointer       data,
                  GDestroyNotify notify)
{
  if (!g_atomic_int_compare_and_exchange (pending, FALSE, TRUE))
    {
      if (notify != NULL)
        notify (data);
      return FALSE;
    }
  plm_handoff_send (context, func, data, notify);
  return TRUE;
}

void
plm_handoff_taken (gint *pending)
{
  g_atomic_int_set (pending, FALSE);
}

void
plm_handoff_progress_init (PlmHandoffProgress     *progress,
                           GTask                  *task,
                           PlmHandoffProgressFunc  func,
                           gpointer                data)
{
  progress->task = task;
  progress->context = g_main_context_ref_thread_default ();
  progress->func = func;
  progress->data = data;
  g_mutex_init (&progress->lock);
  progress->done = 0;
  progress->total = 0;
  progress->pending = FALSE;
}

void
plm_handoff_progress_clear (PlmHandoffProgress *progress)
{
  g_clear_pointer (&progress->context, g_main_context_unref);
  g_mutex_clear (&progress->lock);
}

/* After the delivery (or instead of it): the reference the post took. Last, as it may free
 * @progress with the task's data. */
static void
progress_release (gpointer data)
{
  PlmHandoffProgress *progress = data;

  g_object_unref (progress->task);
}

static gboolean
progress_idle (gpointer data)
{
  PlmHandoffProgress *progress = data;
  GCancellable *cancellable = g_task_get_cancellable (progress->task);
  gint64 done, total;

  plm_handoff_taken (&progress->pending);
  g_mutex_lock (&progress->lock);
  done = progress->done;
  total = progress->total;
  g_mutex_unlock (&progress->lock);

  if (!g_task_get_completed (progress->task) && !g_cancellable_is_cancelled (cancellable))
    progress->func (done, total, progress->data);
  return G_SOURCE_REMOVE;
}

void
plm_handoff_progress_post (PlmHandoffProgress *progress,
                           gint64              done,
                           gint64              total)
{
  g_mutex_lock (&progress->lock);
  progress->done = done;
  progress->total = total;
  g_mutex_unlock (&progress->lock);

  if (progress->func == NULL)
    return;
  g_object_ref (progress->task);
  plm_handoff_post (progress->context, &progress->pending, progress_idle, progress, progress_release);
}
