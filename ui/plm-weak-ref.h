/* plm-weak-ref.h: a weak reference to pass as an async call's user_data, so that pending work
 * never keeps a closed window (and the results it holds) alive, and its callback never touches
 * one that is gone. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A new heap weak reference to @object, for one callback. */
gpointer plm_weak_ref_new  (gpointer object);
/* Frees @weak (from plm_weak_ref_new) and returns a strong reference to its object, or NULL when
 * the object was finalised meanwhile. */
gpointer plm_weak_ref_take (gpointer weak);

G_END_DECLS
