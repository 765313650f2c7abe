/* plm-heatmap-gl.c: two passes — the R32F values are coloured once into an RGBA texture at
 * data resolution (only when data, scale or colour map change), then every frame samples that
 * texture cell by cell (NEAREST by construction: texelFetch of the cell under each pixel). */
#include "plm-heatmap-gl-private.h"

#include <epoxy/gl.h>
#include <string.h>

#include "plm-gl-program.h"
#include "plm-scale-thresholds.h"

struct _PlmHeatmapGl
{
  GLuint       color_program;
  GLuint       view_program;
  GLuint       vao;
  GLuint       values_tex;     /* R32F, cols × rows, uploaded once per data set */
  GLuint       lut_tex;        /* RGBA8, 256 × 1 */
  GLuint       colors_tex;     /* RGBA8, cols × rows, the coloured cells */
  GLuint       fbo;
  GLint        max_size;

  guint        serial;         /* data uploaded */
  gboolean     have_values;
  int          rows;
  int          cols;
  gboolean     have_colors;
  PlmScale     colored_scale;  /* colouring of colors_tex */
  PlmColorMap  colored_map;
  gboolean     have_lut;
  PlmColorMap  lut_map;

  guint        n_uploads;
  guint        n_recolors;
  guint        n_frames;

  /* uniforms */
  GLint        c_values, c_lut, c_thresholds, c_index_at_inf;
  GLint        v_colors, v_origin, v_cells_per_px, v_viewport, v_window, v_data_size;
};

static const char vertex_source[] =
  "void main () {\n"
  "  /* a full-viewport quad from the vertex id: no vertex buffer */\n"
  "  vec2 p = vec2 (float ((gl_VertexID & 1) * 2 - 1), float ((gl_VertexID >> 1) * 2 - 1));\n"
  "  gl_Position = vec4 (p, 0.0, 1.0);\n"
  "}\n";

/* Pass 1, one fragment per cell: plm_scale_index as 255 thresholds computed on the CPU from
 * plm_scale_index itself, so GL, cairo and exported figures give every cell the same colour. */
static const char color_source[] =
  "uniform sampler2D u_values;\n"
  "uniform sampler2D u_lut;\n"
  "uniform float u_thresholds[256];\n"
  "uniform int u_index_at_inf;\n"
  "out vec4 frag_color;\n"
  "void main () {\n"
  "  float v = texelFetch (u_values, ivec2 (gl_FragCoord.xy), 0).r;\n"
  "  int idx = 0;\n"
  "  if (isnan (v)) {\n"   /* PLM_COLOR_MISSING */
  "    frag_color = vec4 (vec3 (140.0 / 255.0), 1.0);\n"
  "    return;\n"
  "  } else {\n"
  "    for (int step = 128; step > 0; step /= 2)\n"
  "      if (idx + step < 256 && v >= u_thresholds[idx + step])\n"
  "        idx += step;\n"
  "    idx = min (idx, u_index_at_inf);\n"
  "  }\n"
  "  frag_color = vec4 (texelFetch (u_lut, ivec2 (idx, 0), 0).rgb, 1.0);\n"
  "}\n";

/* Pass 2, every frame: one quad over the visible cells, textured with NEAREST sampling, the
 * cheapest shape for a software rasteriser (llvmpipe). A pixel shows the cell under its centre,
 * floor (origin + p × cells per pixel), the mapping of plm_heatmap_view_lookup; where a cell
 * boundary falls exactly on a pixel centre either neighbour may be chosen, as in pixman. */
static const char view_vertex_source[] =
  "uniform vec2 u_origin;\n"
  "uniform vec2 u_cells_per_px;\n"
  "uniform vec2 u_viewport;\n"
  "uniform vec4 u_window;\n"
  "uniform vec2 u_data_size;\n"
  "out vec2 v_uv;\n"
  "void main () {\n"
  "  vec2 corner = vec2 (float (gl_VertexID & 1), float (gl_VertexID >> 1));\n"
  "  vec2 cell = mix (u_window.xy, u_window.zw, corner);\n"
  "  vec2 px = (cell - u_origin) / u_cells_per_px;\n"
  "  gl_Position = vec4 (px.x / u_viewport.x * 2.0 - 1.0, 1.0 - px.y / u_viewport.y * 2.0, 0.0, 1.0);\n"
  "  v_uv = cell / u_data_size;\n"
  "}\n";

static const char view_source[] =
  "uniform sampler2D u_colors;\n"
  "in vec2 v_uv;\n"
  "out vec4 frag_color;\n"
  "void main () {\n"
  "  frag_color = texture (u_colors, v_uv);\n"
  "}\n";

static void
nearest_texture (GLuint texture)
{
  glBindTexture (GL_TEXTURE_2D, texture);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

PlmHeatmapGl *
plm_heatmap_gl_new (GdkGLContext *context, GError **error)
{
  const char *header = gdk_gl_context_get_use_es (context)
    ? "#version 300 es\nprecision highp float;\nprecision highp int;\nprecision highp sampler2D;\n"
    : "#version 330 core\n";
  PlmHeatmapGl *gl = g_new0 (PlmHeatmapGl, 1);
  GLint dims[2] = { 0, 0 };

  if (!(gl->color_program = plm_gl_link_program (header, vertex_source, color_source, error)) ||
      !(gl->view_program = plm_gl_link_program (header, view_vertex_source, view_source, error)))
    {
      plm_heatmap_gl_free (gl);
      return NULL;
    }
  gl->c_values = glGetUniformLocation (gl->color_program, "u_values");
  gl->c_lut = glGetUniformLocation (gl->color_program, "u_lut");
  gl->c_thresholds = glGetUniformLocation (gl->color_program, "u_thresholds");
  gl->c_index_at_inf = glGetUniformLocation (gl->color_program, "u_index_at_inf");
  gl->v_colors = glGetUniformLocation (gl->view_program, "u_colors");
  gl->v_origin = glGetUniformLocation (gl->view_program, "u_origin");
  gl->v_cells_per_px = glGetUniformLocation (gl->view_program, "u_cells_per_px");
  gl->v_viewport = glGetUniformLocation (gl->view_program, "u_viewport");
  gl->v_window = glGetUniformLocation (gl->view_program, "u_window");
  gl->v_data_size = glGetUniformLocation (gl->view_program, "u_data_size");

  glGenVertexArrays (1, &gl->vao);
  glGenTextures (1, &gl->values_tex);
  glGenTextures (1, &gl->lut_tex);
  glGenTextures (1, &gl->colors_tex);
  glGenFramebuffers (1, &gl->fbo);
  nearest_texture (gl->values_tex);
  nearest_texture (gl->lut_tex);
  nearest_texture (gl->colors_tex);
  glGetIntegerv (GL_MAX_TEXTURE_SIZE, &gl->max_size);
  glGetIntegerv (GL_MAX_VIEWPORT_DIMS, dims);
  gl->max_size = MIN (gl->max_size, MIN (dims[0], dims[1]));
  return gl;
}

void
plm_heatmap_gl_free (PlmHeatmapGl *gl)
{
  if (!gl)
    return;
  if (gl->color_program)
    glDeleteProgram (gl->color_program);
  if (gl->view_program)
    glDeleteProgram (gl->view_program);
  if (gl->vao)
    glDeleteVertexArrays (1, &gl->vao);
  if (gl->fbo)
    glDeleteFramebuffers (1, &gl->fbo);
  if (gl->values_tex)
    glDeleteTextures (1, &gl->values_tex);
  if (gl->lut_tex)
    glDeleteTextures (1, &gl->lut_tex);
  if (gl->colors_tex)
    glDeleteTextures (1, &gl->colors_tex);
  g_free (gl);
}

int
plm_heatmap_gl_max_size (PlmHeatmapGl *gl)
{
  return gl->max_size;
}

static void
upload_values (PlmHeatmapGl *gl, const PlmHeatmapFrame *f)
{
  glBindTexture (GL_TEXTURE_2D, gl->values_tex);
  glPixelStorei (GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, 0);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_R32F, f->cols, f->rows, 0, GL_RED, GL_FLOAT, f->values);
  glBindTexture (GL_TEXTURE_2D, gl->colors_tex);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_RGBA8, f->cols, f->rows, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
  glBindFramebuffer (GL_FRAMEBUFFER, gl->fbo);
  glFramebufferTexture2D (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, gl->colors_tex, 0);
  gl->serial = f->serial;
  gl->rows = f->rows;
  gl->cols = f->cols;
  gl->have_values = TRUE;
  gl->have_colors = FALSE;
  gl->n_uploads++;
}

static void
upload_lut (PlmHeatmapGl *gl, PlmColorMap map)
{
  const guint32 *lut = plm_color_map_get_lut (map);
  guint8 rgba[256 * 4];

  for (int i = 0; i < 256; i++)
    {
      rgba[4 * i + 0] = (lut[i] >> 16) & 0xff;
      rgba[4 * i + 1] = (lut[i] >> 8) & 0xff;
      rgba[4 * i + 2] = lut[i] & 0xff;
      rgba[4 * i + 3] = 0xff;
    }
  glBindTexture (GL_TEXTURE_2D, gl->lut_tex);
  glPixelStorei (GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  gl->lut_map = map;
  gl->have_lut = TRUE;
}

/* Pass 1 into colors_tex: one fragment per cell, only when the colouring changed. */
static void
color_cells (PlmHeatmapGl *gl, GtkGLArea *area, const PlmHeatmapFrame *f)
{
  float thresholds[PLM_SCALE_N_THRESHOLDS];
  int index_at_inf;

  plm_scale_thresholds (&f->scale, thresholds, &index_at_inf);
  glBindFramebuffer (GL_FRAMEBUFFER, gl->fbo);
  glViewport (0, 0, f->cols, f->rows);
  glUseProgram (gl->color_program);
  glActiveTexture (GL_TEXTURE0);
  glBindTexture (GL_TEXTURE_2D, gl->values_tex);
  glActiveTexture (GL_TEXTURE1);
  glBindTexture (GL_TEXTURE_2D, gl->lut_tex);
  glUniform1i (gl->c_values, 0);
  glUniform1i (gl->c_lut, 1);
  glUniform1fv (gl->c_thresholds, PLM_SCALE_N_THRESHOLDS, thresholds);
  glUniform1i (gl->c_index_at_inf, index_at_inf);
  glBindVertexArray (gl->vao);
  glDrawArrays (GL_TRIANGLE_STRIP, 0, 4);
  glActiveTexture (GL_TEXTURE0);
  /* back to the GL area's own framebuffer */
  gtk_gl_area_attach_buffers (area);
  gl->colored_scale = f->scale;
  gl->colored_map = f->color_map;
  gl->have_colors = TRUE;
  gl->n_recolors++;
}

void
plm_heatmap_gl_draw (PlmHeatmapGl *gl, GtkGLArea *area, const PlmHeatmapFrame *f)
{
  /* the shader works in device pixels */
  double cells_per_px_x = 1.0 / (f->zoom_x * f->scale_factor);
  double cells_per_px_y = 1.0 / (f->zoom_y * f->scale_factor);
  int width = f->width * f->scale_factor, height = f->height * f->scale_factor;

  glViewport (0, 0, width, height);
  if (!f->values || f->rows <= 0 || f->cols <= 0)
    {
      glClearColor (0, 0, 0, 0);
      glClear (GL_COLOR_BUFFER_BIT);
      return;
    }

  if (!gl->have_values || gl->serial != f->serial || gl->rows != f->rows || gl->cols != f->cols)
    upload_values (gl, f);
  if (!gl->have_lut || gl->lut_map != f->color_map)
    {
      upload_lut (gl, f->color_map);
      gl->have_colors = FALSE;
    }
  if (!gl->have_colors || gl->colored_map != f->color_map ||
      memcmp (&gl->colored_scale, &f->scale, sizeof f->scale) != 0)
    color_cells (gl, area, f);

  glViewport (0, 0, width, height);
  /* clear only where the quad leaves area uncovered (zoomed out beyond the map) */
  if ((f->window[0] - f->origin_x) / cells_per_px_x > 0 ||
      (f->window[1] - f->origin_y) / cells_per_px_y > 0 ||
      (f->window[2] - f->origin_x) / cells_per_px_x < width ||
      (f->window[3] - f->origin_y) / cells_per_px_y < height)
    {
      glClearColor (0, 0, 0, 0);
      glClear (GL_COLOR_BUFFER_BIT);
    }
  glDisable (GL_BLEND);
  glUseProgram (gl->view_program);
  glActiveTexture (GL_TEXTURE0);
  glBindTexture (GL_TEXTURE_2D, gl->colors_tex);
  glUniform1i (gl->v_colors, 0);
  glUniform2f (gl->v_origin, f->origin_x, f->origin_y);
  glUniform2f (gl->v_cells_per_px, cells_per_px_x, cells_per_px_y);
  glUniform2f (gl->v_viewport, width, height);
  glUniform4f (gl->v_window, f->window[0], f->window[1], f->window[2], f->window[3]);
  glUniform2f (gl->v_data_size, f->cols, f->rows);
  glBindVertexArray (gl->vao);
  glDrawArrays (GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray (0);
  glUseProgram (0);
  gl->n_frames++;
}

void
plm_heatmap_gl_get_stats (PlmHeatmapGl *gl, guint *uploads, guint *recolors, guint *frames)
{
  *uploads = gl->n_uploads;
  *recolors = gl->n_recolors;
  *frames = gl->n_frames;
}
