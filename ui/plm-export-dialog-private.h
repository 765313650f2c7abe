/* plm-export-dialog-private.h: PlmExportDialog's instance structure, shared by
 * plm-export-dialog.c (controls, preview) and plm-export-dialog-save.c (writing the file). */
#pragma once

#include "plm-export-dialog.h"

G_BEGIN_DECLS

struct _PlmExportDialog
{
  AdwWindow           parent_instance;

  AdwToastOverlay    *toast_overlay;
  GtkButton          *cancel_button;
  GtkButton          *export_button;
  GtkSpinner         *spinner;
  GtkWidget          *body;
  GtkDrawingArea     *preview;
  GtkLabel           *size_label;
  AdwComboRow        *format_row;
  AdwEntryRow        *title_row;
  AdwEntryRow        *layers_row;
  AdwEntryRow        *heads_row;
  AdwActionRow       *columns_row;
  GtkAdjustment      *columns_adjustment;
  GtkLabel           *grid_error;
  AdwComboRow        *unit_row;
  GtkAdjustment      *width_adjustment;
  GtkAdjustment      *height_adjustment;
  GtkAdjustment      *dpi_adjustment;
  AdwEntryRow        *font_row;
  GtkAdjustment      *font_size_adjustment;
  AdwEntryRow        *colorbar_row;
  AdwEntryRow        *x_label_row;
  AdwEntryRow        *y_label_row;
  AdwComboRow        *color_map_row;
  AdwComboRow        *scale_row;
  GtkSwitch          *ticks_switch;
  GtkSwitch          *letters_switch;
  AdwActionRow       *specials_row;
  GtkSwitch          *specials_switch;
  GtkSwitch          *transparent_switch;

  GSettings          *settings;
  PlmFigure          *figure;        /* NULL while the grid selection is invalid */
  PlmFigureView       view;
  char               *basename;
  char               *error;
  /* grid */
  PlmInferenceResult *result;
  char               *record;
  /* preview: rendered off the draw handler, only when something changed */
  cairo_surface_t    *preview_surface;
  int                 preview_w, preview_h;
  guint               update_source;
  gboolean            exporting;     /* the worker thread owns the figure */
  gboolean            filling;       /* controls being set from code */
  PlmFigureUnit       unit;          /* unit the size adjustments hold */
};

/* File extensions by PlmFigureFormat. */
extern const char *const plm_export_format_ext[3];

void plm_export_dialog_apply_style   (PlmExportDialog *self);
void plm_export_dialog_choose_file   (PlmExportDialog *self);
void plm_export_dialog_emit_exported (PlmExportDialog *self,
                                      const char      *path);

G_END_DECLS
