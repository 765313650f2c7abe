/* plm-dataset-preview.h: what the training panel shows of a data file before a run: items per
 * class, sequence lengths and every bad row with its line number. */
#pragma once

#include <glib.h>

#include "plm-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  int   line;      /* 1-based, 0 when the problem is not one row's (e.g. a missing header) */
  char *message;   /* without the "file:line: " prefix */
} PlmPreviewError;

typedef struct
{
  char       *path;
  int         n_items;      /* readable rows */
  GPtrArray  *classes;      /* char*, sorted */
  GArray     *counts;       /* int per class */
  GArray     *lengths;      /* int per sequence of each item (pairs: both chains) */
  GArray     *errors;       /* PlmPreviewError, in line order */
  int         n_skipped;    /* records read but unused (DeepLoc "U") */
} PlmDatasetPreview;

/* Reads @path as plm_dataset_read would. Tables (CSV/TSV) are checked row by row so that all
 * bad rows are listed; FASTA and pair files stop at their first error. NULL only when the
 * file cannot be read at all (@error set). */
PlmDatasetPreview *plm_dataset_preview_new  (const char              *path,
                                             PlmDataTask              task,
                                             const PlmDatasetOptions *options,
                                             GError                 **error);
void               plm_dataset_preview_free (PlmDatasetPreview       *preview);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmDatasetPreview, plm_dataset_preview_free)

G_END_DECLS
