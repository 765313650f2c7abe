/* plm-export-dialog.h: "Export Figure": a live preview of the current view's figure, its size,
 * text and appearance, written as PNG, SVG or PDF through plm_figure_export — the renderer
 * `plmlens-cli export` uses. */
#pragma once

#include <adwaita.h>

#include "plm-figure.h"
#include "plm-inference-worker.h"

G_BEGIN_DECLS

#define PLM_TYPE_EXPORT_DIALOG (plm_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PlmExportDialog, plm_export_dialog, PLM, EXPORT_DIALOG, AdwWindow)

/* Exports @figure (transfer full), built by a view; @basename (no extension) is the suggested
 * file name. @settings (or NULL) remembers format, resolution, font and background. */
PlmExportDialog *plm_export_dialog_new        (GtkWindow          *parent,
                                               GSettings          *settings,
                                               PlmFigure          *figure,
                                               const char         *basename);
/* The layers × heads grid of @result, the layers and heads chosen in the dialog. */
PlmExportDialog *plm_export_dialog_new_grid   (GtkWindow          *parent,
                                               GSettings          *settings,
                                               PlmInferenceResult *result,
                                               const char         *record,
                                               const char         *basename);
/* The figure as it will be written (the dialog's choices applied); NULL while a grid
 * selection is invalid. Owned by the dialog. */
PlmFigure       *plm_export_dialog_get_figure (PlmExportDialog    *self);
void             plm_export_dialog_set_format (PlmExportDialog    *self,
                                               PlmFigureFormat     format);
PlmFigureFormat  plm_export_dialog_get_format (PlmExportDialog    *self);
/* Size in @unit; @height 0 fits the content. */
void             plm_export_dialog_set_size   (PlmExportDialog    *self,
                                               PlmFigureUnit       unit,
                                               double              width,
                                               double              height);
void             plm_export_dialog_set_dpi    (PlmExportDialog    *self,
                                               double              dpi);
/* Grid: layers and heads as typed in the dialog (numbered from 1, "1-3,6"; "" = all). */
void             plm_export_dialog_set_grid   (PlmExportDialog    *self,
                                               const char         *layers,
                                               const char         *heads);
/* The grid's error ("'9' is not a number or range in 1…6"), NULL when the selection is valid. */
const char      *plm_export_dialog_get_error  (PlmExportDialog    *self);
/* Writes the figure to @path in a worker thread (what the file chooser's answer does): the
 * format follows a .png/.svg/.pdf extension, else the Format row's extension is appended.
 * Emits "exported" (the path written) and closes, or shows the error and stays open. */
void             plm_export_dialog_export_to  (PlmExportDialog    *self,
                                               const char         *path);

G_END_DECLS
