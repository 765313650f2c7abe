/* plm-error.h: the engine's GError domain and codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PLM_ERROR (plm_error_quark ())

typedef enum {
  PLM_ERROR_IO,          /* a file could not be read or written */
  PLM_ERROR_FORMAT,      /* a file is malformed (safetensors, JSON, FASTA, npy, TSV, PDB) */
  PLM_ERROR_CONFIG,      /* config.json missing fields or unsupported values */
  PLM_ERROR_TENSOR,      /* a tensor is missing, has the wrong dtype, shape or byte range */
  PLM_ERROR_INPUT,       /* a sequence or argument is invalid */
  PLM_ERROR_RESOURCES,   /* the work would not fit in memory or exceeds a limit */
  PLM_ERROR_CANCELLED,   /* the caller cancelled */
} PlmErrorCode;

GQuark plm_error_quark (void);

G_END_DECLS
