/* plm-structure-area.h: a 3D structure widget: GtkGLArea (plm-structure-gl.c) when the display
 * gives GL, else cairo through the figure renderer (plm-structure-render.c). Drag rotates,
 * right- or middle-drag pans, scrolling zooms, Home resets; hover and click pick residues. */
#pragma once

#include <gtk/gtk.h>

#include "plm-heatmap-view.h"
#include "plm-structure-scene.h"

G_BEGIN_DECLS

#define PLM_TYPE_STRUCTURE_AREA (plm_structure_area_get_type ())
G_DECLARE_FINAL_TYPE (PlmStructureArea, plm_structure_area, PLM, STRUCTURE_AREA, GtkWidget)

/* Tooltip text of scene residue @residue (g_free'd), or NULL. */
typedef char *(*PlmStructureReadoutFunc) (int residue, gpointer data);

GtkWidget         *plm_structure_area_new            (void);
/* Takes @scene (NULL clears); centres and fits it, with the current rotation kept unless @reset. */
void               plm_structure_area_set_scene      (PlmStructureArea        *self,
                                                      PlmStructureScene       *scene,
                                                      gboolean                 reset);
/* The scene to recolour in place; call plm_structure_area_scene_changed after. */
PlmStructureScene *plm_structure_area_get_scene      (PlmStructureArea        *self);
void               plm_structure_area_scene_changed  (PlmStructureArea        *self);
/* The camera (rotation, zoom, pan) and what it is fitted to. */
const PlmCamera   *plm_structure_area_get_camera     (PlmStructureArea        *self);
void               plm_structure_area_rotate         (PlmStructureArea        *self,
                                                      double                   x_degrees,
                                                      double                   y_degrees);
/* TRUE from a rotation, pan or zoom (drag, scroll, plm_structure_area_rotate) until 150 ms
 * after the last: GL frames are drawn fast meanwhile (plm_structure_gl_draw), and in full after. */
gboolean           plm_structure_area_get_moving     (PlmStructureArea        *self);
/* Identity rotation, centred and fitted (Home). */
void               plm_structure_area_reset_view     (PlmStructureArea        *self);
/* Widget coordinates of scene residue @residue's Cα; FALSE when there is none. */
gboolean           plm_structure_area_residue_point  (PlmStructureArea        *self,
                                                      int                      residue,
                                                      double                  *x,
                                                      double                  *y);
/* The front-most scene residue at widget point (@x, @y), −1 for none. */
int                plm_structure_area_pick           (PlmStructureArea        *self,
                                                      double                   x,
                                                      double                   y);
void               plm_structure_area_set_readout_func (PlmStructureArea      *self,
                                                        PlmStructureReadoutFunc func,
                                                        gpointer               data);
/* The tooltip hovering widget point (@x, @y) shows (the readout of the residue picked there), or NULL. */
char              *plm_structure_area_dup_readout    (PlmStructureArea        *self,
                                                      double                   x,
                                                      double                   y);
void               plm_structure_area_set_renderer   (PlmStructureArea        *self,
                                                      PlmHeatmapRenderer       renderer);
/* GL or CAIRO once realised. */
PlmHeatmapRenderer plm_structure_area_get_active_renderer (PlmStructureArea   *self);
/* Frames drawn so far (the benchmark's counter). */
guint              plm_structure_area_get_n_frames   (PlmStructureArea        *self);
/* For the benchmark: with @timed, each GL frame ends in glFinish (the rasteriser done), so
 * plm_structure_area_get_render_ms is the frame's drawing cost, not GTK's display-paced interval.
 * The cairo fallback's drawing is always timed (it is synchronous). */
void               plm_structure_area_set_timed      (PlmStructureArea        *self,
                                                      gboolean                 timed);
double             plm_structure_area_get_render_ms  (PlmStructureArea        *self);

G_END_DECLS
