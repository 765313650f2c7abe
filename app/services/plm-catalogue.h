/* plm-catalogue.h: the list of downloadable models (data/models.json), strictly validated. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PLM_CATALOGUE_MAX_BYTES (1024 * 1024)
#define PLM_CATALOGUE_MAX_MODELS 256
#define PLM_CATALOGUE_MAX_FILES 16

typedef struct
{
  char    *name;          /* a plain file name inside the model directory */
  char    *url;           /* https:// */
  gint64   size;          /* bytes, or -1 when unknown */
  char    *sha256;        /* 64 lower-case hex digits, or NULL when unknown */
} PlmCatalogueFile;

typedef struct
{
  char              *id;           /* directory name: [A-Za-z0-9_.-], no leading dot */
  char              *name;         /* "ESM-2 8M" */
  char              *description;
  int                n_layers;
  int                n_heads;
  int                d_model;
  gint64             approximate_size;  /* bytes to download, for display */
  PlmCatalogueFile  *files;
  guint              n_files;
} PlmCatalogueEntry;

typedef struct
{
  PlmCatalogueEntry *entries;
  guint              n_entries;
} PlmCatalogue;

/* Parses a catalogue; anything unexpected (types, ranges, URLs, names, nesting) is an
 * error naming @source and the offending model or key. */
PlmCatalogue            *plm_catalogue_parse     (const char    *data,
                                                  gsize          length,
                                                  const char    *source,
                                                  GError       **error);
void                     plm_catalogue_free      (PlmCatalogue  *self);
const PlmCatalogueEntry *plm_catalogue_lookup    (const PlmCatalogue *self,
                                                  const char    *id);
/* Total bytes to download (known sizes only). */
gint64                   plm_catalogue_entry_size (const PlmCatalogueEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmCatalogue, plm_catalogue_free)

G_END_DECLS
