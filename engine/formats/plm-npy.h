/* plm-npy.h: NumPy .npy (format 1.0) reading and atomic writing. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum { PLM_NPY_F32, PLM_NPY_I32, PLM_NPY_F64, PLM_NPY_I64, PLM_NPY_U8 } PlmNpyType;

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

G_BEGIN_DECLS
/* Streaming writer for arrays too large to hold at once (e.g. all attention maps): the
 * header is written first, data appended, and the file appears only on commit. */
typedef struct _PlmNpyWriter PlmNpyWriter;

PlmNpyWriter *plm_npy_writer_new    (const char     *path,
                                     PlmNpyType      type,
                                     int             n_dims,
                                     const int64_t  *shape,
                                     GError        **error);
gboolean      plm_npy_writer_append (PlmNpyWriter   *writer,
                                     const void     *data,
                                     guint64         n_elements,
                                     GError        **error);
/* Checks the element count, syncs and renames into place; frees @writer. */
gboolean      plm_npy_writer_commit (PlmNpyWriter   *writer,
                                     GError        **error);
/* Removes the temporary file; frees @writer. */
void          plm_npy_writer_abort  (PlmNpyWriter   *writer);
G_END_DECLS
