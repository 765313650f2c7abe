/* plm-ha-view-private.h: PlmHaView's instance, shared by plm-ha-view.c (the widget, its data
 * and fits) and plm-ha-view-draw.c (the residue tracks and the profile plot). */
#pragma once

#include "plm-color-bar.h"
#include "plm-ha-view.h"
#include "plm-heatmap-view.h"
#include "plm-residue-track-area.h"
#include "plm-structure-bar.h"

G_BEGIN_DECLS

struct _PlmHaView
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkAdjustment      *layer_adjustment;
  GtkButton          *annotations_button;
  PlmStructureBar    *structure_bar;
  GtkLabel           *loc_label;
  PlmHeatmapView     *heatmap;
  PlmColorBar        *color_bar;
  PlmResidueTrackArea *track_area;
  GtkDrawingArea     *curve_area;
  GtkLabel           *distances_label;

  PlmInferenceResult *result;
  PlmHaResult         ha;
  gboolean            has_ha;
  int                 layer;
  char               *protein_id;
  GPtrArray          *features;        /* PlmFeature, or NULL */
  char               *features_name;
  char               *features_path;   /* re-read for each new protein */
  char               *distances;
  PlmLoadedStructure *structure;      /* shared with the Contacts view (plm_ha_view_set_structure) */
  gulong              structure_handler;
  double             *angstrom;       /* [n_sites]: Cα distance to the nearest active site, NaN: unknown */
  int                *nearest;        /* [n_sites]: that active-site residue (0-based), or −1 */
  double              median_angstrom;
  PlmSelection       *selection;
  gulong              selection_handler;
  int                 highlighted;
  gboolean            updating;
  gboolean            dirty;          /* the fits do not match the result yet (not mapped) */
};

/* A feature kind's track title; PLM_N_FEATURE_KINDS is the HA-site track. */
const char *plm_ha_view_kind_title    (PlmFeatureKind  kind);
/* plm-ha-view-structure.c: the HA sites' distances in space to the active sites, when a
 * structure and active sites are loaded (angstrom, nearest, median_angstrom). */
void        plm_ha_view_update_angstrom (PlmHaView   *self);
/* Appends the summary line (median in Å and in residues) to @text; nothing without distances. */
void        plm_ha_view_append_angstrom_summary (PlmHaView *self,
                                                 GString   *text);
/* ", 7.2 Å to H93" or ", — (not in the structure)" for HA site @s; nothing without distances. */
void        plm_ha_view_append_angstrom (PlmHaView   *self,
                                         GString     *text,
                                         int          s);
/* The HA sites at most @angstrom (Cα) from an active site into @sites (room for every HA site);
 * how many. 0 without distances. The exported figure's track of them, and its title. */
#define PLM_HA_NEAR_ANGSTROM 8.0
int         plm_ha_view_near_sites    (PlmHaView   *self,
                                       double       angstrom,
                                       int         *sites);
const char *plm_ha_view_near_title    (void);
void        plm_ha_view_draw_tracks   (PlmResidueTrackArea *area,
                                       cairo_t        *cr,
                                       int             width,
                                       int             height,
                                       double          x0,
                                       double          dx,
                                       gpointer        data);
void        plm_ha_view_draw_curve    (GtkDrawingArea *area,
                                       cairo_t        *cr,
                                       int             width,
                                       int             height,
                                       gpointer        data);

G_END_DECLS
