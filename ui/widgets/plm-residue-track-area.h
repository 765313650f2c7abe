/* plm-residue-track-area.h: a drawing area under or over a heatmap whose columns are residues,
 * drawn in the heatmap's residue coordinates (it follows zoom and pan): the HA view's HA-site and
 * annotation tracks, the Mutations view's summary plot and tracks. */
#pragma once

#include <gtk/gtk.h>

#include "plm-heatmap-view.h"

G_BEGIN_DECLS

#define PLM_RESIDUE_TRACK_HEIGHT 14
#define PLM_RESIDUE_TRACK_GAP 4

/* One track: residue ranges [start, end] (0-based, inclusive) in one colour. */
typedef struct {
  const char *title;     /* static or owned by whoever built the array */
  GdkRGBA     color;
  GArray     *ranges;    /* int pairs: start, end */
} PlmResidueTrack;

/* An empty array of PlmResidueTrack that frees the ranges with it. */
GArray          *plm_residue_tracks_new        (void);
PlmResidueTrack *plm_residue_tracks_add        (GArray          *tracks,
                                                const char      *title,
                                                const GdkRGBA   *color);
void             plm_residue_track_add_range   (PlmResidueTrack *track,
                                                int              start,
                                                int              end);

#define PLM_TYPE_RESIDUE_TRACK_AREA (plm_residue_track_area_get_type ())
G_DECLARE_FINAL_TYPE (PlmResidueTrackArea, plm_residue_track_area, PLM, RESIDUE_TRACK_AREA, GtkDrawingArea)

/* Residue i's column spans x0 + (i − 0.5) dx … x0 + (i + 0.5) dx in the area. */
typedef void (*PlmResidueTrackDrawFunc) (PlmResidueTrackArea *area,
                                         cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         double               x0,
                                         double               dx,
                                         gpointer             user_data);

GtkWidget *plm_residue_track_area_new          (void);
/* The heatmap whose columns are the residues (not referenced: a sibling in the same view). */
void       plm_residue_track_area_set_heatmap  (PlmResidueTrackArea    *self,
                                                PlmHeatmapView         *heatmap);
/* Called when the heatmap shows at least one residue; the linked residue is outlined over it. */
void       plm_residue_track_area_set_draw_func (PlmResidueTrackArea   *self,
                                                PlmResidueTrackDrawFunc func,
                                                gpointer                user_data);
/* The linked residue (−1: none), outlined across the area. */
void       plm_residue_track_area_set_highlight (PlmResidueTrackArea   *self,
                                                int                     residue);
/* Residue → x mapping of the heatmap's current view; FALSE when no residue is on screen. */
gboolean   plm_residue_track_area_get_mapping  (PlmResidueTrackArea    *self,
                                                double                 *x0,
                                                double                 *dx);
/* Rows of @tracks from @y down, each PLM_RESIDUE_TRACK_HEIGHT tall with its title at the left
 * margin; returns the y under the last row. */
double     plm_residue_track_area_draw_tracks  (PlmResidueTrackArea    *self,
                                                cairo_t                *cr,
                                                double                  y,
                                                double                  x0,
                                                double                  dx,
                                                GArray                 *tracks);
/* Small text at the left margin, vertically centred on a row of @height at @y. */
void       plm_residue_track_area_draw_label   (PlmResidueTrackArea    *self,
                                                cairo_t                *cr,
                                                const char             *text,
                                                double                  y,
                                                double                  height);
/* The height @n rows of tracks need. */
int        plm_residue_tracks_height           (int                     n);

G_END_DECLS
