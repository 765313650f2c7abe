/* plm-gl-program.h: compiles and links a GLSL program (heatmap and structure GL renderers). */
#pragma once

#include <epoxy/gl.h>
#include <gtk/gtk.h>

/* @header (the #version line and precision qualifiers) before each source; 0 and @error
 * (GDK_GL_ERROR) with the compiler's log on failure. */
GLuint plm_gl_link_program (const char  *header,
                            const char  *vertex,
                            const char  *fragment,
                            GError     **error);
