/* plm-structure-gl.c: the tube as an indexed triangle mesh around the spline (6 sides, 3 rings per
 * residue; while the view moves 1 ring per residue, lit per vertex), spheres and link beads as instanced sphere impostors (ray-cast in the fragment
 * shader for shading and exact depth). Both project as plm_camera_project does and fade towards
 * the background with depth, as the cairo renderer. */
#include "plm-structure-gl.h"

#include <epoxy/gl.h>
#include <math.h>
#include <string.h>

#include "plm-gl-program.h"

/* The uniforms both programs share: the camera, the viewport and depth cueing. */
typedef struct {
  GLint rot, center, pan, zoom, viewport, depth, fog, background, zrange;
} Uniforms;

struct _PlmStructureGl
{
  GLuint  program;
  GLuint  vao;
  GLuint  vbo;
  guint   n_instances;
  GLuint  mesh_program;
  GLuint  mesh_vao;
  GLuint  mesh_vbo;
  GLuint  mesh_ibo;
  guint   n_indices;          /* the tube: 3 rings per residue */
  guint   n_fast_indices;     /* after them, 1 ring per residue: for frames in motion */
  Uniforms mesh_uniforms;
  GLuint  fast_program;       /* the tube lit per vertex: for frames in motion */
  Uniforms fast_uniforms;
  guint   serial;
  gboolean uploaded;
  Uniforms uniforms;
};

typedef struct {
  float pos[3];
  float radius;
  float rgba[4];
} Instance;

typedef struct {
  float pos[3];
  float normal[3];
  float rgba[4];
} Vertex;

/* sides of the tube's cross-section */
#define TUBE_SIDES 6

/* Shared by the shaders: the camera's projection (plm-camera.h: rotate about the centre, scale
 * by the zoom, pan in pixels) and the shading (light from the upper left with a highlight, then
 * fog towards the background by depth within the scene). */
#define GLSL_PROJECT \
  "uniform mat3 u_rot;\n" \
  "uniform vec3 u_center;\n" \
  "uniform vec2 u_pan;\n" \
  "uniform float u_zoom;\n" \
  "uniform vec2 u_viewport;\n" \
  "uniform float u_depth;\n" \
  "vec3 to_view (vec3 p) { return u_rot * (p - u_center); }\n" \
  "vec4 to_clip (vec3 v, vec2 offset_px) {\n" \
  "  vec2 px = 0.5 * u_viewport + u_pan + u_zoom * vec2 (v.x, -v.y) + offset_px;\n" \
  "  vec2 ndc = px / u_viewport * 2.0 - 1.0;\n" \
  "  return vec4 (ndc.x, -ndc.y, -v.z / u_depth, 1.0);\n" \
  "}\n"

#define GLSL_SHADE \
  "uniform float u_fog;\n" \
  "uniform vec3 u_background;\n" \
  "uniform vec2 u_zrange;\n" \
  "vec3 shade (vec3 rgb, vec3 n, float z) {\n" \
  "  vec3 l = normalize (vec3 (-0.4, 0.5, 1.0));\n" \
  "  float diffuse = max (dot (n, l), 0.0);\n" \
  "  float spec = pow (max (dot (reflect (-l, n), vec3 (0.0, 0.0, 1.0)), 0.0), 24.0);\n" \
  "  vec3 c = rgb * (0.35 + 0.65 * diffuse) + 0.35 * spec;\n" \
  "  float t = u_zrange.x > u_zrange.y ? clamp ((u_zrange.x - z) / (u_zrange.x - u_zrange.y), 0.0, 1.0) : 0.0;\n" \
  "  return mix (c, u_background, u_fog * t);\n" \
  "}\n"

/* Spheres as screen-aligned quads, shaded as spheres per pixel, with their true depth. */
static const char vertex_source[] =
  "in vec4 a_sphere;\n"
  "in vec4 a_color;\n"
  GLSL_PROJECT
  "out vec2 v_uv;\n"
  "out vec4 v_color;\n"
  "out float v_z;\n"
  "out float v_r;\n"
  "void main () {\n"
  "  vec2 corner = vec2 (float ((gl_VertexID & 1) * 2 - 1), float ((gl_VertexID >> 1) * 2 - 1));\n"
  "  vec3 v = to_view (a_sphere.xyz);\n"
  "  gl_Position = to_clip (v, corner * a_sphere.w * u_zoom);\n"
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
  GLSL_SHADE
  "out vec4 frag_color;\n"
  "void main () {\n"
  "  float d2 = dot (v_uv, v_uv);\n"
  "  if (d2 > 1.0) discard;\n"
  "  vec3 n = vec3 (v_uv.x, -v_uv.y, sqrt (1.0 - d2));\n"
  "  float z = v_z + n.z * v_r;\n"
  "  gl_FragDepth = 0.5 * (-z / u_depth) + 0.5;\n"
  "  frag_color = vec4 (shade (v_color.rgb, n, v_z), 1.0);\n"
  "}\n";

/* The tube as triangles: a ring of TUBE_SIDES vertices around every spline sample, normals
 * outwards, so the depth test works early and each pixel is shaded once. */
static const char mesh_vertex_source[] =
  "layout (location = 0) in vec3 a_pos;\n"
  "layout (location = 1) in vec3 a_normal;\n"
  "layout (location = 2) in vec4 a_color;\n"
  GLSL_PROJECT
  "out vec3 v_normal;\n"
  "out vec4 v_color;\n"
  "out float v_z;\n"
  "void main () {\n"
  "  vec3 v = to_view (a_pos);\n"
  "  gl_Position = to_clip (v, vec2 (0.0));\n"
  "  v_normal = u_rot * a_normal;\n"
  "  v_color = a_color;\n"
  "  v_z = v.z;\n"
  "}\n";

static const char mesh_fragment_source[] =
  "in vec3 v_normal;\n"
  "in vec4 v_color;\n"
  "in float v_z;\n"
  GLSL_SHADE
  "out vec4 frag_color;\n"
  "void main () {\n"
  "  frag_color = vec4 (shade (v_color.rgb, normalize (v_normal), v_z), 1.0);\n"
  "}\n";

/* The tube lit per vertex (Gouraud), for the frames drawn while the view moves: per pixel only
 * the colour is interpolated (on llvmpipe the per-pixel lighting is much of a frame's cost). */
static const char mesh_fast_vertex_source[] =
  "layout (location = 0) in vec3 a_pos;\n"
  "layout (location = 1) in vec3 a_normal;\n"
  "layout (location = 2) in vec4 a_color;\n"
  GLSL_PROJECT
  GLSL_SHADE
  "out vec3 v_rgb;\n"
  "void main () {\n"
  "  vec3 v = to_view (a_pos);\n"
  "  gl_Position = to_clip (v, vec2 (0.0));\n"
  "  v_rgb = shade (a_color.rgb, u_rot * a_normal, v.z);\n"
  "}\n";

static const char mesh_fast_fragment_source[] =
  "in vec3 v_rgb;\n"
  "out vec4 frag_color;\n"
  "void main () {\n"
  "  frag_color = vec4 (v_rgb, 1.0);\n"
  "}\n";

static void
uniforms_locate (GLuint program, Uniforms *u)
{
  u->rot = glGetUniformLocation (program, "u_rot");
  u->center = glGetUniformLocation (program, "u_center");
  u->pan = glGetUniformLocation (program, "u_pan");
  u->zoom = glGetUniformLocation (program, "u_zoom");
  u->viewport = glGetUniformLocation (program, "u_viewport");
  u->depth = glGetUniformLocation (program, "u_depth");
  u->fog = glGetUniformLocation (program, "u_fog");
  u->background = glGetUniformLocation (program, "u_background");
  u->zrange = glGetUniformLocation (program, "u_zrange");
}

/* With @program in use. */
static void
uniforms_set (const Uniforms *u, const PlmCamera *cam, int width, int height, float depth, float fog, const float *bg,
              float z_front, float z_back)
{
  glUniformMatrix3fv (u->rot, 1, GL_TRUE, cam->rot);
  glUniform3fv (u->center, 1, cam->center);
  glUniform2f (u->pan, cam->pan[0], cam->pan[1]);
  glUniform1f (u->zoom, cam->zoom);
  glUniform2f (u->viewport, (float) width, (float) height);
  glUniform1f (u->depth, depth);
  glUniform1f (u->fog, fog);
  glUniform3fv (u->background, 1, bg);
  glUniform2f (u->zrange, z_front, z_back);
}

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
  if (!(gl->mesh_program = plm_gl_link_program (header, mesh_vertex_source, mesh_fragment_source, error)))
    {
      glDeleteProgram (gl->program);
      g_free (gl);
      return NULL;
    }
  if (!(gl->fast_program = plm_gl_link_program (header, mesh_fast_vertex_source, mesh_fast_fragment_source, error)))
    {
      glDeleteProgram (gl->program);
      glDeleteProgram (gl->mesh_program);
      g_free (gl);
      return NULL;
    }
  uniforms_locate (gl->fast_program, &gl->fast_uniforms);
  uniforms_locate (gl->mesh_program, &gl->mesh_uniforms);
  uniforms_locate (gl->program, &gl->uniforms);
  glGenVertexArrays (1, &gl->mesh_vao);
  glGenBuffers (1, &gl->mesh_vbo);
  glGenBuffers (1, &gl->mesh_ibo);
  glBindVertexArray (gl->mesh_vao);
  glBindBuffer (GL_ARRAY_BUFFER, gl->mesh_vbo);
  {
    GLint a_pos = glGetAttribLocation (gl->mesh_program, "a_pos");
    GLint a_normal = glGetAttribLocation (gl->mesh_program, "a_normal");
    GLint a_col = glGetAttribLocation (gl->mesh_program, "a_color");
    glEnableVertexAttribArray (a_pos);
    glVertexAttribPointer (a_pos, 3, GL_FLOAT, GL_FALSE, sizeof (Vertex), (void *) 0);
    glEnableVertexAttribArray (a_normal);
    glVertexAttribPointer (a_normal, 3, GL_FLOAT, GL_FALSE, sizeof (Vertex), (void *) (3 * sizeof (float)));
    glEnableVertexAttribArray (a_col);
    glVertexAttribPointer (a_col, 4, GL_FLOAT, GL_FALSE, sizeof (Vertex), (void *) (6 * sizeof (float)));
  }
  glBindVertexArray (0);
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
  glDeleteProgram (gl->mesh_program);
  glDeleteBuffers (1, &gl->mesh_vbo);
  glDeleteBuffers (1, &gl->mesh_ibo);
  glDeleteVertexArrays (1, &gl->mesh_vao);
  glDeleteProgram (gl->fast_program);
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
normalize3 (float *v)
{
  float n = sqrtf (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (n > 0)
    for (int d = 0; d < 3; d++)
      v[d] /= n;
}

static void
cross3 (const float *a, const float *b, float *out)
{
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

static void
push_vertex (GArray *mesh, const float *p, const float *n, uint32_t argb)
{
  Vertex v = { { p[0] + PLM_SCENE_TUBE_RADIUS * n[0], p[1] + PLM_SCENE_TUBE_RADIUS * n[1], p[2] + PLM_SCENE_TUBE_RADIUS * n[2] },
               { n[0], n[1], n[2] },
               { ((argb >> 16) & 0xff) / 255.0f, ((argb >> 8) & 0xff) / 255.0f, (argb & 0xff) / 255.0f, 1.0f } };
  g_array_append_val (mesh, v);
}

/* Triangles of the tube around the samples of each joined piece; the cross-section's frame is
 * carried along by parallel transport so the tube does not twist. Ends are closed by the
 * round caps of the piece's neighbours or left open (a 0.7 Å hole is not visible). */
static void
tube_mesh (GArray *tube, GArray *mesh, GArray *indices)
{
  const PlmTubeSample *t = (const PlmTubeSample *) (void *) tube->data;
  int n = (int) tube->len;
  for (int a = 0; a < n;)
    {
      int b = a + 1;
      while (b < n && !t[b].start)
        b++;
      if (b - a >= 2)
        {
          float normal[3] = { 0, 0, 0 }, ring[TUBE_SIDES][3];
          for (int k = a; k < b; k++)
            {
              float tan[3];
              const float *p0 = t[MAX (k - 1, a)].p, *p1 = t[MIN (k + 1, b - 1)].p;
              for (int d = 0; d < 3; d++)
                tan[d] = p1[d] - p0[d];
              normalize3 (tan);
              if (k == a)
                {
                  /* any vector not along the tangent */
                  float up[3] = { 0, 0, 1 };
                  if (fabsf (tan[2]) > 0.9f)
                    up[0] = 1, up[2] = 0;
                  cross3 (tan, up, normal);
                }
              else
                {
                  /* parallel transport: remove the tangent's component */
                  float dot = normal[0] * tan[0] + normal[1] * tan[1] + normal[2] * tan[2];
                  for (int d = 0; d < 3; d++)
                    normal[d] -= dot * tan[d];
                }
              normalize3 (normal);
              float binormal[3];
              cross3 (tan, normal, binormal);
              for (int j = 0; j < TUBE_SIDES; j++)
                {
                  float ang = 2 * G_PI * j / TUBE_SIDES, c = cosf (ang), sn = sinf (ang);
                  for (int d = 0; d < 3; d++)
                    ring[j][d] = c * normal[d] + sn * binormal[d];
                }
              guint base = mesh->len;
              for (int j = 0; j < TUBE_SIDES; j++)
                push_vertex (mesh, t[k].p, ring[j], t[k].color);
              if (k > a)
                for (int j = 0; j < TUBE_SIDES; j++)
                  {
                    /* two triangles per side between this ring and the previous one */
                    guint j1 = (j + 1) % TUBE_SIDES, prev = base - TUBE_SIDES;
                    guint quad[6] = { prev + j, base + j, prev + j1, prev + j1, base + j, base + j1 };
                    g_array_append_vals (indices, quad, 6);
                  }
            }
        }
      a = b;
    }
}

static void
upload (PlmStructureGl *gl, const PlmStructureScene *s)
{
  g_autoptr(GArray) tube = g_array_new (FALSE, FALSE, sizeof (PlmTubeSample));
  g_autoptr(GArray) inst = g_array_new (FALSE, FALSE, sizeof (Instance));
  plm_structure_scene_tube (s, 3, tube);
  g_autoptr(GArray) mesh = g_array_new (FALSE, FALSE, sizeof (Vertex));
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  tube_mesh (tube, mesh, indices);
  guint n_fine = indices->len;
  {
    /* the coarse tube for frames in motion: a ring at every Cα only */
    g_autoptr(GArray) coarse = g_array_new (FALSE, FALSE, sizeof (PlmTubeSample));
    g_autoptr(GArray) coarse_indices = g_array_new (FALSE, FALSE, sizeof (guint));
    plm_structure_scene_tube (s, 1, coarse);
    tube_mesh (coarse, mesh, coarse_indices);   /* indices into the whole mesh */
    g_array_append_vals (indices, coarse_indices->data, coarse_indices->len);
  }
  for (guint k = 0; k < tube->len; k++)
    {
      const PlmTubeSample *t = &g_array_index (tube, PlmTubeSample, k);
      /* the ends of each piece are closed by a ball of the tube's radius (a residue joined to
       * nothing is only that ball) */
      if (t->start || k + 1 == tube->len || g_array_index (tube, PlmTubeSample, k + 1).start)
        add (inst, t->p, PLM_SCENE_TUBE_RADIUS, t->color);
    }
  glBindBuffer (GL_ARRAY_BUFFER, gl->mesh_vbo);
  glBufferData (GL_ARRAY_BUFFER, (GLsizeiptr) (mesh->len * sizeof (Vertex)), mesh->data, GL_STATIC_DRAW);
  glBindVertexArray (gl->mesh_vao);
  glBindBuffer (GL_ELEMENT_ARRAY_BUFFER, gl->mesh_ibo);
  glBufferData (GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr) (indices->len * sizeof (guint)), indices->data, GL_STATIC_DRAW);
  glBindVertexArray (0);
  gl->n_indices = n_fine;
  gl->n_fast_indices = indices->len - n_fine;
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
                       int height, gboolean moving)
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
  float depth = 2.0f * (s->radius + 2 * PLM_SCENE_SPHERE_RADIUS) + 1.0f;
  glUseProgram (moving ? gl->fast_program : gl->mesh_program);
  uniforms_set (moving ? &gl->fast_uniforms : &gl->mesh_uniforms, cam, width, height, depth, s->fog, bg, zf, zb);
  glBindVertexArray (gl->mesh_vao);
  /* the tube's far side is hidden by its near side: not rasterised at all */
  glEnable (GL_CULL_FACE);
  glFrontFace (GL_CW);   /* the rings wind clockwise seen from outside, after the y flip */
  glCullFace (GL_BACK);
  /* in motion: the coarse tube, lit per vertex (a third of the triangles, and little work per pixel) */
  if (moving)
    glDrawElements (GL_TRIANGLES, (GLsizei) gl->n_fast_indices, GL_UNSIGNED_INT,
                    (void *) (gsize) (gl->n_indices * sizeof (guint)));
  else
    glDrawElements (GL_TRIANGLES, (GLsizei) gl->n_indices, GL_UNSIGNED_INT, NULL);
  glDisable (GL_CULL_FACE);
  glFrontFace (GL_CCW);
  glUseProgram (gl->program);
  uniforms_set (&gl->uniforms, cam, width, height, depth, s->fog, bg, zf, zb);
  glBindVertexArray (gl->vao);
  glDrawArraysInstanced (GL_TRIANGLE_STRIP, 0, 4, (GLsizei) gl->n_instances);
  glBindVertexArray (0);
  glUseProgram (0);
  glDisable (GL_DEPTH_TEST);
}

guint
plm_structure_gl_get_n_instances (PlmStructureGl *gl)
{
  return gl->n_instances + gl->n_indices / 3;
}
