/* plm-structure-gl.c: instanced sphere impostors (see the header). The tube is its spline samples
 * (4 per residue, 0.7 Å), spheres the highlighted residues, links rows of beads; the vertex
 * shader projects as plm_camera_project does, the fragment shader ray-casts the sphere for
 * shading and depth, and fades towards the background with depth as the cairo renderer. */
#include "plm-structure-gl.h"

#include <epoxy/gl.h>
#include <math.h>

#include "plm-gl-program.h"

struct _PlmStructureGl
{
  GLuint  program;
  GLuint  vao;
  GLuint  vbo;
  guint   n_instances;
  guint   serial;
  gboolean uploaded;
  GLint   u_rot, u_center, u_pan, u_zoom, u_viewport, u_depth, u_fog, u_background, u_zrange;
};

typedef struct {
  float pos[3];
  float radius;
  float rgba[4];
} Instance;

static const char vertex_source[] =
  "in vec4 a_sphere;\n"
  "in vec4 a_color;\n"
  "uniform mat3 u_rot;\n"
  "uniform vec3 u_center;\n"
  "uniform vec2 u_pan;\n"
  "uniform float u_zoom;\n"
  "uniform vec2 u_viewport;\n"
  "uniform float u_depth;\n"
  "out vec2 v_uv;\n"
  "out vec4 v_color;\n"
  "out float v_z;\n"
  "out float v_r;\n"
  "void main () {\n"
  "  vec2 corner = vec2 (float ((gl_VertexID & 1) * 2 - 1), float ((gl_VertexID >> 1) * 2 - 1));\n"
  "  vec3 v = u_rot * (a_sphere.xyz - u_center);\n"
  "  vec2 px = 0.5 * u_viewport + u_pan + u_zoom * vec2 (v.x, -v.y) + corner * a_sphere.w * u_zoom;\n"
  "  vec2 ndc = px / u_viewport * 2.0 - 1.0;\n"
  "  gl_Position = vec4 (ndc.x, -ndc.y, -v.z / u_depth, 1.0);\n"
  "  v_uv = corner;\n"
  "  v_color = a_color;\n"
  "  v_z = v.z;\n"
  "  v_r = a_sphere.w;\n"
  "}\n";

static const char fragment_source[] =
  "in vec2 v_uv;\n"
  "in vec4 v_color;\n"
  "in float v_z;\n"
  "in float v_r;\n"
  "uniform float u_depth;\n"
  "uniform float u_fog;\n"
  "uniform vec3 u_background;\n"
  "uniform vec2 u_zrange;\n"
  "out vec4 frag_color;\n"
  "void main () {\n"
  "  float d2 = dot (v_uv, v_uv);\n"
  "  if (d2 > 1.0) discard;\n"
  "  vec3 n = vec3 (v_uv.x, -v_uv.y, sqrt (1.0 - d2));\n"
  "  float z = v_z + n.z * v_r;\n"
  "  gl_FragDepth = 0.5 * (-z / u_depth) + 0.5;\n"
  "  vec3 l = normalize (vec3 (-0.4, 0.5, 1.0));\n"
  "  float diffuse = max (dot (n, l), 0.0);\n"
  "  float spec = pow (max (dot (reflect (-l, n), vec3 (0.0, 0.0, 1.0)), 0.0), 24.0);\n"
  "  vec3 c = v_color.rgb * (0.35 + 0.65 * diffuse) + 0.35 * spec;\n"
  "  float t = u_zrange.x > u_zrange.y ? clamp ((u_zrange.x - v_z) / (u_zrange.x - u_zrange.y), 0.0, 1.0) : 0.0;\n"
  "  frag_color = vec4 (mix (c, u_background, u_fog * t), 1.0);\n"
  "}\n";

PlmStructureGl *
plm_structure_gl_new (GdkGLContext *context, GError **error)
{
  const char *header = gdk_gl_context_get_use_es (context)
    ? "#version 300 es\nprecision highp float;\nprecision highp int;\n"
    : "#version 330 core\n";
  PlmStructureGl *gl = g_new0 (PlmStructureGl, 1);

  if (!(gl->program = plm_gl_link_program (header, vertex_source, fragment_source, error)))
    {
      g_free (gl);
      return NULL;
    }
  gl->u_rot = glGetUniformLocation (gl->program, "u_rot");
  gl->u_center = glGetUniformLocation (gl->program, "u_center");
  gl->u_pan = glGetUniformLocation (gl->program, "u_pan");
  gl->u_zoom = glGetUniformLocation (gl->program, "u_zoom");
  gl->u_viewport = glGetUniformLocation (gl->program, "u_viewport");
  gl->u_depth = glGetUniformLocation (gl->program, "u_depth");
  gl->u_fog = glGetUniformLocation (gl->program, "u_fog");
  gl->u_background = glGetUniformLocation (gl->program, "u_background");
  gl->u_zrange = glGetUniformLocation (gl->program, "u_zrange");
  glGenVertexArrays (1, &gl->vao);
  glGenBuffers (1, &gl->vbo);
  glBindVertexArray (gl->vao);
  glBindBuffer (GL_ARRAY_BUFFER, gl->vbo);
  GLint a_sphere = glGetAttribLocation (gl->program, "a_sphere"), a_color = glGetAttribLocation (gl->program, "a_color");
  glEnableVertexAttribArray (a_sphere);
  glVertexAttribPointer (a_sphere, 4, GL_FLOAT, GL_FALSE, sizeof (Instance), (void *) 0);
  glVertexAttribDivisor (a_sphere, 1);
  glEnableVertexAttribArray (a_color);
  glVertexAttribPointer (a_color, 4, GL_FLOAT, GL_FALSE, sizeof (Instance), (void *) (4 * sizeof (float)));
  glVertexAttribDivisor (a_color, 1);
  glBindVertexArray (0);
  return gl;
}

void
plm_structure_gl_free (PlmStructureGl *gl)
{
  if (gl == NULL)
    return;
  glDeleteProgram (gl->program);
  glDeleteBuffers (1, &gl->vbo);
  glDeleteVertexArrays (1, &gl->vao);
  g_free (gl);
}

static void
add (GArray *out, const float *p, float radius, uint32_t argb)
{
  Instance in = { { p[0], p[1], p[2] }, radius,
                  { ((argb >> 16) & 0xff) / 255.0f, ((argb >> 8) & 0xff) / 255.0f, (argb & 0xff) / 255.0f, 1.0f } };
  g_array_append_val (out, in);
}

static void
upload (PlmStructureGl *gl, const PlmStructureScene *s)
{
  g_autoptr(GArray) tube = g_array_new (FALSE, FALSE, sizeof (PlmTubeSample));
  g_autoptr(GArray) inst = g_array_new (FALSE, FALSE, sizeof (Instance));
  plm_structure_scene_tube (s, 4, tube);
  for (guint k = 0; k < tube->len; k++)
    {
      const PlmTubeSample *t = &g_array_index (tube, PlmTubeSample, k);
      add (inst, t->p, PLM_SCENE_TUBE_RADIUS, t->color);
      /* beads a quarter of the way to the next sample keep the tube smooth where it bends */
      if (k + 1 < tube->len && !g_array_index (tube, PlmTubeSample, k + 1).start)
        {
          const float *q = g_array_index (tube, PlmTubeSample, k + 1).p;
          for (int b = 1; b < 4; b++)
            {
              float f = b / 4.0f, mid[3] = { t->p[0] + f * (q[0] - t->p[0]), t->p[1] + f * (q[1] - t->p[1]),
                                             t->p[2] + f * (q[2] - t->p[2]) };
              add (inst, mid, PLM_SCENE_TUBE_RADIUS, t->color);
            }
        }
    }
  for (guint i = 0; i < s->residues->len; i++)
    {
      const PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, i);
      if (r->sphere)
        add (inst, r->ca, PLM_SCENE_SPHERE_RADIUS, r->sphere);
    }
  for (guint l = 0; l < s->links->len; l++)
    {
      const PlmSceneLink *lk = &g_array_index (s->links, PlmSceneLink, l);
      const float *a = g_array_index (s->residues, PlmSceneResidue, lk->a).ca;
      const float *b = g_array_index (s->residues, PlmSceneResidue, lk->b).ca;
      float radius = 0.5f * (0.15f + 0.45f * lk->weight), len = (float) plm_structure_distance (a, b);
      int n = MAX (2, (int) ceilf (len / (0.8f * radius)));
      for (int k = 0; k <= n; k++)
        {
          float t = (float) k / n, p[3] = { a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2]) };
          add (inst, p, radius, lk->color);
        }
    }
  glBindBuffer (GL_ARRAY_BUFFER, gl->vbo);
  glBufferData (GL_ARRAY_BUFFER, (GLsizeiptr) (inst->len * sizeof (Instance)), inst->data, GL_STATIC_DRAW);
  gl->n_instances = inst->len;
}

void
plm_structure_gl_draw (PlmStructureGl *gl, const PlmStructureScene *s, guint serial, const PlmCamera *cam, int width,
                       int height)
{
  float bg[3] = { ((s->background >> 16) & 0xff) / 255.0f, ((s->background >> 8) & 0xff) / 255.0f,
                  (s->background & 0xff) / 255.0f };
  glViewport (0, 0, width, height);
  glClearColor (bg[0], bg[1], bg[2], 1.0f);
  glClearDepthf (1.0f);
  glClear (GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  if (s == NULL || s->residues->len == 0)
    return;
  if (!gl->uploaded || gl->serial != serial)
    {
      upload (gl, s);
      gl->serial = serial;
      gl->uploaded = TRUE;
    }
  /* depth cueing over the Cα depths, as plm_structure_scene_draw */
  float zf = -G_MAXFLOAT, zb = G_MAXFLOAT;
  for (guint i = 0; i < s->residues->len; i++)
    {
      const float *p = g_array_index (s->residues, PlmSceneResidue, i).ca;
      float z = 0;
      for (int d = 0; d < 3; d++)
        z += cam->rot[6 + d] * (p[d] - cam->center[d]);
      zf = MAX (zf, z);
      zb = MIN (zb, z);
    }
  glEnable (GL_DEPTH_TEST);
  glDepthFunc (GL_LESS);
  glUseProgram (gl->program);
  glUniformMatrix3fv (gl->u_rot, 1, GL_TRUE, cam->rot);
  glUniform3fv (gl->u_center, 1, cam->center);
  glUniform2f (gl->u_pan, cam->pan[0], cam->pan[1]);
  glUniform1f (gl->u_zoom, cam->zoom);
  glUniform2f (gl->u_viewport, (float) width, (float) height);
  glUniform1f (gl->u_depth, 2.0f * (s->radius + 2 * PLM_SCENE_SPHERE_RADIUS) + 1.0f);
  glUniform1f (gl->u_fog, s->fog);
  glUniform3fv (gl->u_background, 1, bg);
  glUniform2f (gl->u_zrange, zf, zb);
  glBindVertexArray (gl->vao);
  glDrawArraysInstanced (GL_TRIANGLE_STRIP, 0, 4, (GLsizei) gl->n_instances);
  glBindVertexArray (0);
  glUseProgram (0);
  glDisable (GL_DEPTH_TEST);
}

guint
plm_structure_gl_get_n_instances (PlmStructureGl *gl)
{
  return gl->n_instances;
}
