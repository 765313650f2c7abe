/* plm-ui-views.h: what the result-view tests share: synthetic results, windows, screenshots,
 * and the export of a view's figure in every format through the dialog. */
#pragma once

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-annotations.h"
#include "plm-attention-view.h"
#include "plm-contacts-view.h"
#include "plm-export-dialog.h"
#include "plm-figure-check.h"
#include "plm-ha-view.h"
#include "plm-hasites.h"
#include "plm-heatmap-thumbnail.h"
#include "plm-heatmap-view.h"
#include "plm-nm-train.h"
#include "plm-overview-view.h"
#include "plm-pair-view.h"
#include "plm-selection.h"
#include "plm-ui-test.h"

G_BEGIN_DECLS

/* TRUE when GDK_DEBUG has gl-disable: the heatmaps draw with cairo. */
extern gboolean plm_views_gl_disabled;
/* plm_ui_test_init, and plm_views_gl_disabled from GDK_DEBUG. */
void plm_views_init (int *argc, char ***argv);

/* Synthetic attention: per row a band at an offset that depends on the head, a few "hot" key
 * residues whose pull grows with depth (so HA sites converge), and a <cls> sink; rows sum to 1.
 * The fp32 maps also go through a PlmHaAccumulator, the engine's reference for the HA view. */
typedef struct {
  int    n_layers, n_heads, length;
  PlmHaResult ha;          /* from the fp32 attention */
} Synthetic;

typedef PlmExportDialog *(*OpenDialog) (gpointer data);

void plm_views_save_screenshot (GtkWidget  *widget, const char *name);
GtkWindow *plm_views_new_window (GtkWidget *child, int        width, int        height);
char *plm_views_synthetic_sequence (int length);
PlmInferenceResult *plm_views_synthetic_result (int        n_layers, int        n_heads, int        length, gboolean   with_ha_profiles, Synthetic *syn);
void plm_views_add_contacts (PlmInferenceResult *r);
char *plm_views_write_hairpin (int L);
void plm_views_on_exported (PlmExportDialog *dialog, const char      *path, gpointer         data);
void plm_views_export_every_format (OpenDialog     open, gpointer       data, const char    *name, const PlmCellRef *refs, int            n_refs);
PlmExportDialog *plm_views_open_attention (gpointer view);
PlmExportDialog *plm_views_open_ha (gpointer view);
PlmExportDialog *plm_views_open_contacts (gpointer view);
PlmExportDialog *plm_views_open_pair (gpointer view);
PlmExportDialog *plm_views_open_grid (gpointer result);
char *plm_views_write_text (const char *name, const char *text);

/* Asserts what every matrix view's heatmap shares: its row and column numbers against the map
 * (within @max_gap px), one tick step on both axes of a square map, and the linked-selection
 * crosshair confined to the map. Needs data and a highlighted cell (@row, @col). */
void plm_views_check_heatmap_geometry (PlmHeatmapView *heatmap,
                                       int             row,
                                       int             col,
                                       int             max_gap);
/* Moves the pointer onto the centre of cell (@row, @col) and returns the readout shown there. */
char *plm_views_hover_readout (PlmHeatmapView *heatmap,
                               int             row,
                               int             col);
/* The ARGB32 pixel at (@x, @y) of a rendered texture. */
guint32 plm_views_pixel (GdkTexture *texture,
                         int         x,
                         int         y);

G_END_DECLS
