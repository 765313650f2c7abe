/* plm-torch-private.h: what plm-torch.c (the pickle interpreter) and plm-torch-zip.c (the
 * archive around it) share: the file, its entries and the limits on hostile input. */
#pragma once

#include "plm-torch.h"

G_BEGIN_DECLS

/* Limits that keep hostile input cheap: a pickle can only build what its bytes describe, so
 * memory stays proportional to the file; these bound the rest. */
#define MAX_ENTRIES     (1u << 20)   /* zip entries */
#define MAX_NAME        4096         /* zip entry name, GLOBAL module/name */
#define MAX_DIM_SIZE    ((gint64) 1 << 40)

typedef struct {
  const char   *name;      /* without the archive's top-level folder */
  const guint8 *data;
  guint64       size;
} ZipEntry;

struct _PlmTorchFile {
  char         *path;
  GMappedFile  *mapped;
  const guint8 *base;
  guint64       size;
  GHashTable   *entries;    /* full entry name → ZipEntry* */
  GPtrArray    *entry_list; /* ZipEntry*, owns them */
  char         *prefix;     /* "archive/" or "<stem>/" */
  GPtrArray    *values;     /* every PlmPyValue, owns them */
  PlmPyValue   *root;
};

/* Little-endian integers of the zip and pickle formats. */

static inline guint16
rd16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static inline guint32
rd32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static inline guint64
rd64 (const guint8 *p)
{
  return (guint64) rd32 (p) | ((guint64) rd32 (p + 4) << 32);
}

/* Reads @tf's central directory into tf->entries (stored entries only, every range checked) and
 * finds "<folder>/data.pkl", setting tf->prefix. */
gboolean        plm_torch_read_zip  (PlmTorchFile *tf,
                                     GError      **error);
/* The entry "<prefix>@rel", or NULL. */
const ZipEntry *plm_torch_zip_entry (PlmTorchFile *tf,
                                     const char   *rel);

G_END_DECLS
