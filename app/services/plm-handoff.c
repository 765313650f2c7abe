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
