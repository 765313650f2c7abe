/* plm-spill-file.h: an unlinked temporary file for data that should not stay in RAM. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PlmSpillFile PlmSpillFile;

/* Creates an unlinked file of @size bytes in the user cache dir (…/plmlens), or the temporary
 * dir when that cannot be written, and reserves its blocks so a full disk fails here, with a
 * message naming the directory and the size. The file has no name: the system frees it when
 * it is closed, also when the process dies. */
PlmSpillFile *plm_spill_file_new   (guint64       size,
                                    GError      **error);
void          plm_spill_file_free  (PlmSpillFile *self);
/* Positional reads and writes of whole ranges, safe from any thread. */
gboolean      plm_spill_file_write (PlmSpillFile *self,
                                    guint64       offset,
                                    const void   *data,
                                    gsize         len,
                                    GError      **error);
gboolean      plm_spill_file_read  (PlmSpillFile *self,
                                    guint64       offset,
                                    void         *data,
                                    gsize         len,
                                    GError      **error);
const char   *plm_spill_file_get_dir (PlmSpillFile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmSpillFile, plm_spill_file_free)

G_END_DECLS
