/* plm-weak-ref.c: see plm-weak-ref.h. */
#include "plm-weak-ref.h"

gpointer
plm_weak_ref_new (gpointer object)
{
  GWeakRef *weak = g_new (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

gpointer
plm_weak_ref_take (gpointer weak)
{
  GWeakRef *ref = weak;
  gpointer object = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return object;
}
