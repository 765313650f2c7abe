/* plm-error.c: the engine's GError domain. */
#include "plm-error.h"

G_DEFINE_QUARK (plm-error-quark, plm_error)
