/* plm-resources.h: memory estimates and limits checked before long work starts. */
#pragma once

#include <glib.h>

#include "plm-model.h"

G_BEGIN_DECLS

/* Bytes of memory available to this process now (MemAvailable, bounded by RLIMIT_AS and
 * the cgroup limit), or 0 when unknown. */
guint64  plm_resources_available_memory (void);

/* Refuses (PLM_ERROR_RESOURCES) when a forward pass of @n_tokens, plus @extra_bytes, would not
 * fit in available memory; the message says how much is needed and what to do. */
gboolean plm_resources_check_forward    (const PlmModel *model,
                                         int             n_tokens,
                                         guint64         extra_bytes,
                                         const char     *what,
                                         GError        **error);

G_END_DECLS
