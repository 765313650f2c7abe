/* plm-safetensors.h: a validating reader and an atomic writer for the safetensors format. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-half.h"

G_BEGIN_DECLS

typedef enum {
  PLM_DTYPE_F32,
  PLM_DTYPE_F16,
  PLM_DTYPE_BF16,
  PLM_DTYPE_I64,
  PLM_DTYPE_I32,
  PLM_DTYPE_OTHER,
} PlmDType;

#define PLM_SAFETENSORS_MAX_HEADER (100u * 1024u * 1024u) /* upstream's own limit */
#define PLM_SAFETENSORS_MAX_TENSORS 100000
#define PLM_SAFETENSORS_MAX_DIMS 8

typedef struct {
  char      *name;
  PlmDType   dtype;
  int        n_dims;
  int64_t    shape[PLM_SAFETENSORS_MAX_DIMS];
  uint64_t   n_elements;
  const void *data;      /* inside the mapping */
  uint64_t   n_bytes;
} PlmTensorInfo;

typedef struct _PlmSafetensors PlmSafetensors;

/* Maps @path and validates its header: every tensor's dtype, shape and byte range. */
PlmSafetensors      *plm_safetensors_open          (const char      *path,
                                                    GError         **error);
void                 plm_safetensors_free          (PlmSafetensors  *st);
const char          *plm_safetensors_path          (PlmSafetensors  *st);
guint                plm_safetensors_n_tensors     (PlmSafetensors  *st);
const PlmTensorInfo *plm_safetensors_get_nth       (PlmSafetensors  *st,
                                                    guint            i);
const PlmTensorInfo *plm_safetensors_lookup        (PlmSafetensors  *st,
                                                    const char      *name);
/* The `__metadata__` string map, or NULL. */
GHashTable          *plm_safetensors_metadata      (PlmSafetensors  *st);
guint64              plm_safetensors_file_size     (PlmSafetensors  *st);

const char          *plm_dtype_name                (PlmDType         dtype);
gsize                plm_dtype_size                (PlmDType         dtype);
/* Converts @n elements of @dtype at @src to float. */
void                 plm_dtype_to_f32              (PlmDType         dtype,
                                                    const void      *src,
                                                    float           *dst,
                                                    gsize            n);

/* Writer: F32 tensors, optional string metadata; written to a temporary file and renamed. */
typedef struct {
  const char  *name;
  const float *data;
  int          n_dims;
  int64_t      shape[PLM_SAFETENSORS_MAX_DIMS];
} PlmTensorOut;

gboolean             plm_safetensors_write         (const char         *path,
                                                    const PlmTensorOut *tensors,
                                                    guint               n_tensors,
                                                    GHashTable         *metadata,
                                                    GError            **error);

G_END_DECLS
