/* plm-npy.h: NumPy .npy (format 1.0) reading and atomic writing. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum { PLM_NPY_F32, PLM_NPY_I32, PLM_NPY_F64, PLM_NPY_I64 } PlmNpyType;

typedef struct {
  PlmNpyType type;
  int        n_dims;
  int64_t    shape[8];
  guint64    n_elements;
  void      *data;       /* owned; little-endian host order */
} PlmNpyArray;

gboolean plm_npy_write      (const char       *path,
                             PlmNpyType        type,
                             const void       *data,
                             int               n_dims,
                             const int64_t    *shape,
                             GError          **error);
gboolean plm_npy_read       (const char       *path,
                             PlmNpyArray      *out,
                             GError          **error);
void     plm_npy_array_clear (PlmNpyArray     *array);

G_END_DECLS
