/* plm-ha-view.h: High Attention sites: the layers × residues map, the fitted curve, HA and feature tracks. */
#pragma once

#include <gtk/gtk.h>

#include "plm-annotations.h"
#include "plm-color-map.h"
#include "plm-figure.h"
#include "plm-hasites.h"
#include "plm-inference-worker.h"
#include "plm-loaded-structure.h"
#include "plm-selection.h"

G_BEGIN_DECLS

#define PLM_TYPE_HA_VIEW (plm_ha_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmHaView, plm_ha_view, PLM, HA_VIEW, GtkWidget)

GtkWidget         *plm_ha_view_new               (void);
/* Fits every layer: from result->ha_profiles (fp32, filled by the worker) when present, else
 * from the stored fp16 head means — profiles then within one 0.01 rounding step, but the LoC
 * can move to a neighbouring layer whose θ is as close to 90°. */
void               plm_ha_view_set_result        (PlmHaView          *self,
                                                  PlmInferenceResult *result);
/* The FASTA id of the sequence, used to pick its entries from annotation files. */
void               plm_ha_view_set_protein_id    (PlmHaView          *self,
                                                  const char         *protein_id);
gboolean           plm_ha_view_load_annotations  (PlmHaView          *self,
                                                  const char         *path,
                                                  GError            **error);
/* The structure whose distances in space (Cα, Å) from each HA site to the nearest loaded active
 * site are listed, shared with the other views (the window's); the view has one of its own
 * until then. Residues the structure lacks show "—". */
void               plm_ha_view_set_structure     (PlmHaView          *self,
                                                  PlmLoadedStructure *structure);
/* The layer whose sorted curve is drawn (0-based); the LoC after each new result. */
void               plm_ha_view_set_layer         (PlmHaView          *self,
                                                  int                 layer);
int                plm_ha_view_get_layer         (PlmHaView          *self);
/* NULL before a result. */
const PlmHaResult *plm_ha_view_get_ha_result     (PlmHaView          *self);
/* One line per HA site: "K45 · active site 3 residues, 7.2 Å to H93 · domain 0 residues", after
 * a summary (count, layer, with a structure the median distance in Å). */
const char        *plm_ha_view_get_distances     (PlmHaView          *self);
void               plm_ha_view_set_color_map     (PlmHaView          *self,
                                                  PlmColorMap         map);
void               plm_ha_view_set_selection     (PlmHaView          *self,
                                                  PlmSelection       *selection);
int                plm_ha_view_get_highlighted   (PlmHaView          *self);
/* The tracks under the map (PlmResidueTrack, plm-residue-track-area.h): the HA sites of the layer
 * of convergence, then each kind of loaded annotation present; NULL before a result. Also
 * drawn under the Mutations view's map. */
GArray            *plm_ha_view_dup_tracks        (PlmHaView          *self);
/* Rows = layers, columns = residues. */
GtkWidget         *plm_ha_view_get_heatmap       (PlmHaView          *self);
/* The HA-site figure (heatmap, tracks of HA sites and loaded annotations, the shown layer's
 * sorted curve and fit) for export; NULL before a result. */
PlmFigure         *plm_ha_view_create_figure     (PlmHaView          *self,
                                                  const char         *record);

G_END_DECLS
