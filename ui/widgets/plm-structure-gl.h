/* plm-structure-gl.h: the structure scene drawn with OpenGL (3.3 core / ES 3.0): the tube as a
 * triangle mesh, spheres and link beads as instanced, ray-cast sphere impostors. */
#pragma once

#include <gtk/gtk.h>

#include "plm-structure-scene.h"

typedef struct _PlmStructureGl PlmStructureGl;

/* With @context current; NULL and @error when the shaders do not build. */
PlmStructureGl *plm_structure_gl_new    (GdkGLContext             *context,
                                         GError                  **error);
/* With the context current. */
void            plm_structure_gl_free   (PlmStructureGl           *gl);
/* Re-uploads the geometry when @serial differs from the last upload's. @moving: a frame of a
 * rotation, pan or zoom in progress, drawn with a coarse tube (one ring per residue, through the
 * Cα) lit per vertex, so that a software rasteriser keeps up with the display; the frame after
 * the movement is drawn in full. */
void            plm_structure_gl_draw   (PlmStructureGl           *gl,
                                         const PlmStructureScene  *scene,
                                         guint                     serial,
                                         const PlmCamera          *camera,
                                         int                       width,
                                         int                       height,
                                         gboolean                  moving);
/* Primitives uploaded: impostors (spheres, link beads) + tube triangles. */
guint           plm_structure_gl_get_n_instances (PlmStructureGl  *gl);
