/* plm-structure-scene.c: the scene's residues, colourings, links, spline tube and camera. */
#include "plm-structure-scene.h"

#include <math.h>
#include <string.h>

static gboolean
chain_wanted (const char *chain, const char *const *chains, const PlmStructureMap *const *maps, int n_maps)
{
  for (int k = 0; k < n_maps; k++)
    if (maps[k] != NULL && strcmp (maps[k]->chain, chain) == 0)
      return TRUE;
  if (chains == NULL)
    return TRUE;
  for (int i = 0; chains[i] != NULL; i++)
    if (strcmp (chains[i], chain) == 0)
      return TRUE;
  return FALSE;
}

static int
chain_index (GPtrArray *chains, const char *chain)
{
  for (guint i = 0; i < chains->len; i++)
    if (strcmp (chains->pdata[i], chain) == 0)
      return (int) i;
  g_ptr_array_add (chains, g_strdup (chain));
  return (int) chains->len - 1;
}

/* The centroid of the Cα and the largest distance from it. */
static void
scene_bounds (PlmStructureScene *s)
{
  double c[3] = { 0, 0, 0 };
  for (guint i = 0; i < s->residues->len; i++)
    for (int d = 0; d < 3; d++)
      c[d] += g_array_index (s->residues, PlmSceneResidue, i).ca[d];
  for (int d = 0; d < 3; d++)
    s->center[d] = s->residues->len ? (float) (c[d] / s->residues->len) : 0.0f;
  s->radius = 1.0f;
  for (guint i = 0; i < s->residues->len; i++)
    s->radius = MAX (s->radius, (float) plm_structure_distance (s->center, g_array_index (s->residues, PlmSceneResidue, i).ca));
}

PlmStructureScene *
plm_structure_scene_new (const PlmStructure *structure, const char *const *chains,
                         const PlmStructureMap *const *maps, int n_maps)
{
  PlmStructureScene *s = g_new0 (PlmStructureScene, 1);
  s->residues = g_array_new (FALSE, TRUE, sizeof (PlmSceneResidue));
  s->links = g_array_new (FALSE, TRUE, sizeof (PlmSceneLink));
  s->chains = g_ptr_array_new_with_free_func (g_free);
  s->background = 0xffffffffu;
  s->fog = 0.55f;
  s->n_seqs = n_maps;
  s->seq_length = g_new0 (int, MAX (n_maps, 1));
  s->seq_residue = g_new0 (int *, MAX (n_maps, 1));

  int n = structure ? (int) structure->residues->len : 0;
  g_autofree int *scene_of = g_new (int, MAX (n, 1));   /* structure residue → scene residue */
  for (int r = 0; r < n; r++)
    {
      const PlmResidue *res = &g_array_index (structure->residues, PlmResidue, r);
      scene_of[r] = -1;
      if (!chain_wanted (res->chain, chains, maps, n_maps))
        continue;
      PlmSceneResidue sr = { 0 };
      memcpy (sr.ca, res->ca, sizeof sr.ca);
      sr.chain = chain_index (s->chains, res->chain);
      sr.seq = sr.index = -1;
      sr.structure_residue = r;
      sr.letter = res->letter;
      sr.number = res->number;
      sr.icode = res->icode;
      sr.color = PLM_SCENE_NEUTRAL_COLOR;
      sr.value = NAN;
      if (s->residues->len > 0)
        {
          const PlmSceneResidue *prev = &g_array_index (s->residues, PlmSceneResidue, s->residues->len - 1);
          sr.joined = prev->chain == sr.chain && plm_structure_distance (prev->ca, sr.ca) <= PLM_SCENE_BREAK_DISTANCE;
        }
      scene_of[r] = (int) s->residues->len;
      g_array_append_val (s->residues, sr);
    }
  for (int k = 0; k < n_maps; k++)
    {
      int L = maps[k] ? maps[k]->length : 0;
      s->seq_length[k] = L;
      s->seq_residue[k] = g_new (int, MAX (L, 1));
      for (int i = 0; i < L; i++)
        {
          int r = maps[k]->residue[i];
          int sc = r >= 0 && r < n ? scene_of[r] : -1;
          s->seq_residue[k][i] = sc;
          if (sc >= 0)
            {
              PlmSceneResidue *sr = &g_array_index (s->residues, PlmSceneResidue, sc);
              sr->seq = k;
              sr->index = i;
            }
        }
    }

  scene_bounds (s);
  return s;
}

void
plm_structure_scene_append (PlmStructureScene *s, const PlmStructureScene *other, const float *offset)
{
  int res_base = (int) s->residues->len, chain_base = (int) s->chains->len, seq_base = s->n_seqs;
  for (guint c = 0; c < other->chains->len; c++)
    g_ptr_array_add (s->chains, g_strdup (g_ptr_array_index (other->chains, c)));
  for (guint i = 0; i < other->residues->len; i++)
    {
      PlmSceneResidue r = g_array_index (other->residues, PlmSceneResidue, i);
      for (int d = 0; d < 3; d++)
        r.ca[d] += offset[d];
      r.chain += chain_base;
      r.seq = r.seq >= 0 ? r.seq + seq_base : -1;
      r.structure_residue = -1;   /* another structure's */
      if (i == 0)
        r.joined = FALSE;
      g_array_append_val (s->residues, r);
    }
  for (guint i = 0; i < other->links->len; i++)
    {
      PlmSceneLink l = g_array_index (other->links, PlmSceneLink, i);
      l.a += res_base;
      l.b += res_base;
      g_array_append_val (s->links, l);
    }
  s->n_seqs += other->n_seqs;
  s->seq_length = g_renew (int, s->seq_length, MAX (s->n_seqs, 1));
  s->seq_residue = g_renew (int *, s->seq_residue, MAX (s->n_seqs, 1));
  for (int k = 0; k < other->n_seqs; k++)
    {
      int L = other->seq_length[k];
      s->seq_length[seq_base + k] = L;
      s->seq_residue[seq_base + k] = g_new (int, MAX (L, 1));
      for (int i = 0; i < L; i++)
        s->seq_residue[seq_base + k][i] = other->seq_residue[k][i] >= 0 ? other->seq_residue[k][i] + res_base : -1;
    }
  scene_bounds (s);
}

void
plm_structure_scene_free (PlmStructureScene *s)
{
  if (s == NULL)
    return;
  for (int k = 0; k < s->n_seqs; k++)
    g_free (s->seq_residue[k]);
  g_free (s->seq_residue);
  g_free (s->seq_length);
  g_array_unref (s->residues);
  g_array_unref (s->links);
  g_ptr_array_unref (s->chains);
  g_free (s);
}

int
plm_structure_scene_lookup (const PlmStructureScene *s, int seq, int index)
{
  if (seq < 0 || seq >= s->n_seqs || index < 0 || index >= s->seq_length[seq])
    return -1;
  return s->seq_residue[seq][index];
}

/* ---- colourings ---- */

void
plm_structure_scene_color_uniform (PlmStructureScene *s, uint32_t argb)
{
  for (guint i = 0; i < s->residues->len; i++)
    {
      PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, i);
      r->color = argb;
      r->value = NAN;
    }
}

uint32_t
plm_structure_scene_chain_color (int chain)
{
  /* Okabe–Ito, distinguishable with colour-vision deficiencies */
  static const uint32_t palette[] = { 0xff0072b2u, 0xffe69f00u, 0xff009e73u, 0xffcc79a7u,
                                      0xff56b4e9u, 0xffd55e00u, 0xfff0e442u, 0xff666666u };
  return palette[(guint) chain % G_N_ELEMENTS (palette)];
}

void
plm_structure_scene_color_chains (PlmStructureScene *s)
{
  for (guint i = 0; i < s->residues->len; i++)
    {
      PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, i);
      r->color = plm_structure_scene_chain_color (r->chain);
      r->value = NAN;
    }
}

void
plm_structure_scene_color_values (PlmStructureScene *s, int seq, const float *values, int length,
                                  PlmColorMap map, const PlmScale *scale)
{
  const uint32_t *lut = plm_color_map_get_lut (map);
  for (guint i = 0; i < s->residues->len; i++)
    {
      PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, i);
      gboolean has = r->seq == seq && r->index >= 0 && r->index < length && !isnan (values[r->index]);
      r->value = has ? values[r->index] : NAN;
      r->color = has ? lut[plm_scale_index (scale, r->value)] : PLM_SCENE_NEUTRAL_COLOR;
    }
}

void
plm_structure_scene_clear_spheres (PlmStructureScene *s)
{
  for (guint i = 0; i < s->residues->len; i++)
    g_array_index (s->residues, PlmSceneResidue, i).sphere = 0;
}

void
plm_structure_scene_add_spheres (PlmStructureScene *s, int seq, const int *residues, int n, uint32_t argb)
{
  for (int k = 0; k < n; k++)
    {
      int sc = plm_structure_scene_lookup (s, seq, residues[k]);
      if (sc >= 0)
        g_array_index (s->residues, PlmSceneResidue, sc).sphere = argb;
    }
}

void
plm_structure_scene_clear_links (PlmStructureScene *s)
{
  g_array_set_size (s->links, 0);
}

gboolean
plm_structure_scene_add_link (PlmStructureScene *s, int seq_a, int i, int seq_b, int j, float weight, uint32_t argb)
{
  PlmSceneLink l = { plm_structure_scene_lookup (s, seq_a, i), plm_structure_scene_lookup (s, seq_b, j),
                     CLAMP (weight, 0.0f, 1.0f), argb };
  if (l.a < 0 || l.b < 0)
    return FALSE;
  g_array_append_val (s->links, l);
  return TRUE;
}

typedef struct { int i, j; float w; } Pair;

static int
pair_cmp (gconstpointer a, gconstpointer b)
{
  const Pair *p = a, *q = b;
  if (p->w != q->w)
    return p->w > q->w ? -1 : 1;
  return p->i != q->i ? p->i - q->i : p->j - q->j;
}

int
plm_structure_scene_top_links (PlmStructureScene *s, int seq, const float *A, int T, int k, float threshold,
                               int min_separation, uint32_t argb)
{
  int L = T - 2;
  if (k <= 0 || L < 2)
    return 0;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  for (int i = 0; i < L; i++)
    {
      if (plm_structure_scene_lookup (s, seq, i) < 0)
        continue;
      for (int j = i + MAX (min_separation, 1); j < L; j++)
        {
          if (plm_structure_scene_lookup (s, seq, j) < 0)
            continue;
          Pair p = { i, j, 0.5f * (A[(gsize) (i + 1) * T + j + 1] + A[(gsize) (j + 1) * T + i + 1]) };
          if (p.w >= threshold && p.w > 0)
            g_array_append_val (pairs, p);
        }
    }
  g_array_sort (pairs, pair_cmp);
  int n = MIN (k, (int) pairs->len);
  float top = n > 0 ? g_array_index (pairs, Pair, 0).w : 1.0f;
  for (int m = 0; m < n; m++)
    {
      const Pair *p = &g_array_index (pairs, Pair, m);
      plm_structure_scene_add_link (s, seq, p->i, seq, p->j, p->w / top, argb);
    }
  return n;
}

/* ---- the spline tube ---- */

static void
catmull_rom (const float *p0, const float *p1, const float *p2, const float *p3, float t, float *out)
{
  float t2 = t * t, t3 = t2 * t;
  for (int d = 0; d < 3; d++)
    out[d] = 0.5f * (2 * p1[d] + (-p0[d] + p2[d]) * t + (2 * p0[d] - 5 * p1[d] + 4 * p2[d] - p3[d]) * t2
                     + (-p0[d] + 3 * p1[d] - 3 * p2[d] + p3[d]) * t3);
}

void
plm_structure_scene_tube (const PlmStructureScene *s, int subdivisions, GArray *out)
{
  int n = (int) s->residues->len;
  const PlmSceneResidue *r = (const PlmSceneResidue *) (void *) s->residues->data;
  subdivisions = MAX (subdivisions, 1);
  g_array_set_size (out, 0);
  for (int a = 0; a < n;)
    {
      int b = a + 1;   /* [a, b): one joined piece */
      while (b < n && r[b].joined)
        b++;
      for (int i = a; i < b; i++)
        {
          /* end points repeat themselves, so the spline runs through every Cα of the piece */
          const float *p0 = r[MAX (i - 1, a)].ca, *p1 = r[i].ca;
          const float *p2 = r[MIN (i + 1, b - 1)].ca, *p3 = r[MIN (i + 2, b - 1)].ca;
          int steps = i + 1 < b ? subdivisions : 1;
          for (int k = 0; k < steps; k++)
            {
              float t = (float) k / subdivisions;
              PlmTubeSample smp = { { 0 }, 0, t < 0.5f ? i : i + 1, i == a && k == 0 };
              catmull_rom (p0, p1, p2, p3, t, smp.p);
              smp.color = r[smp.residue].color;
              g_array_append_val (out, smp);
            }
        }
      a = b;
    }
}

/* ---- camera ---- */

void
plm_camera_fit (PlmCamera *c, const PlmStructureScene *s, double width, double height)
{
  memset (c, 0, sizeof *c);
  c->rot[0] = c->rot[4] = c->rot[8] = 1.0f;
  memcpy (c->center, s->center, sizeof c->center);
  double extent = 2.0 * (s->radius + PLM_SCENE_SPHERE_RADIUS) * 1.04;
  c->zoom = (float) (MAX (MIN (width, height), 1.0) / extent);
}

void
plm_camera_fill (PlmCamera *c, const PlmStructureScene *s, double width, double height)
{
  double hx = 0, hy = 0;
  for (guint i = 0; i < s->residues->len; i++)
    {
      const float *p = g_array_index (s->residues, PlmSceneResidue, i).ca;
      double vx = 0, vy = 0;
      for (int d = 0; d < 3; d++)
        {
          vx += c->rot[d] * (p[d] - c->center[d]);
          vy += c->rot[3 + d] * (p[d] - c->center[d]);
        }
      hx = MAX (hx, fabs (vx));
      hy = MAX (hy, fabs (vy));
    }
  double zoom = MIN (MAX (width, 1.0) / (2.0 * (hx + PLM_SCENE_SPHERE_RADIUS) * 1.04),
                     MAX (height, 1.0) / (2.0 * (hy + PLM_SCENE_SPHERE_RADIUS) * 1.04));
  c->zoom = (float) MAX ((double) c->zoom, zoom);
}

/* Eigenvectors of the symmetric 3 × 3 @m (cyclic Jacobi) as the columns of @v, eigenvalues in @e. */
static void
jacobi3 (double m[3][3], double v[3][3], double e[3])
{
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      v[i][j] = i == j;
  for (int sweep = 0; sweep < 50; sweep++)
    {
      double off = fabs (m[0][1]) + fabs (m[0][2]) + fabs (m[1][2]);
      if (off < 1e-12 * (fabs (m[0][0]) + fabs (m[1][1]) + fabs (m[2][2]) + 1e-30))
        break;
      for (int p = 0; p < 2; p++)
        for (int q = p + 1; q < 3; q++)
          {
            if (m[p][q] == 0)
              continue;
            double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
            double t = (theta >= 0 ? 1 : -1) / (fabs (theta) + sqrt (theta * theta + 1));
            double c = 1 / sqrt (t * t + 1), sn = t * c;
            for (int k = 0; k < 3; k++)
              {
                double mkp = m[k][p], mkq = m[k][q];
                m[k][p] = c * mkp - sn * mkq;
                m[k][q] = sn * mkp + c * mkq;
              }
            for (int k = 0; k < 3; k++)
              {
                double mpk = m[p][k], mqk = m[q][k];
                m[p][k] = c * mpk - sn * mqk;
                m[q][k] = sn * mpk + c * mqk;
              }
            for (int k = 0; k < 3; k++)
              {
                double vkp = v[k][p], vkq = v[k][q];
                v[k][p] = c * vkp - sn * vkq;
                v[k][q] = sn * vkp + c * vkq;
              }
          }
    }
  for (int i = 0; i < 3; i++)
    e[i] = m[i][i];
}

void
plm_camera_orient (PlmCamera *c, const PlmStructureScene *s)
{
  double m[3][3] = { { 0 } }, v[3][3], e[3];
  guint n = s->residues->len;
  for (guint i = 0; i < n; i++)
    {
      const float *p = g_array_index (s->residues, PlmSceneResidue, i).ca;
      for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
          m[a][b] += ((double) p[a] - s->center[a]) * ((double) p[b] - s->center[b]);
    }
  jacobi3 (m, v, e);
  int order[3] = { 0, 1, 2 };
  for (int i = 0; i < 3; i++)
    for (int j = i + 1; j < 3; j++)
      if (e[order[j]] > e[order[i]])
        {
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
  /* rows of the world → view rotation: the two largest axes, then their cross product */
  double x[3] = { v[0][order[0]], v[1][order[0]], v[2][order[0]] };
  double y[3] = { v[0][order[1]], v[1][order[1]], v[2][order[1]] };
  double z[3] = { x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0] };
  for (int k = 0; k < 3; k++)
    {
      c->rot[k] = (float) x[k];
      c->rot[3 + k] = (float) y[k];
      c->rot[6 + k] = (float) z[k];
    }
}

static void
mat_mul (const float *a, const float *b, float *out)
{
  float t[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      t[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  memcpy (out, t, sizeof t);
}

void
plm_camera_rotate (PlmCamera *c, double xd, double yd, double zd)
{
  double ang[3] = { xd * G_PI / 180, yd * G_PI / 180, zd * G_PI / 180 };
  for (int axis = 0; axis < 3; axis++)
    {
      if (ang[axis] == 0)
        continue;
      float cs = (float) cos (ang[axis]), sn = (float) sin (ang[axis]);
      float m[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
      int u = (axis + 1) % 3, v = (axis + 2) % 3;
      m[u * 3 + u] = cs;
      m[u * 3 + v] = -sn;
      m[v * 3 + u] = sn;
      m[v * 3 + v] = cs;
      mat_mul (m, c->rot, c->rot);
    }
  /* re-orthonormalise (Gram–Schmidt on the rows) so many small drags do not skew the view */
  float *x = c->rot, *y = c->rot + 3, *z = c->rot + 6;
  float nx = sqrtf (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
  for (int d = 0; d < 3; d++)
    x[d] /= nx;
  float dot = x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
  for (int d = 0; d < 3; d++)
    y[d] -= dot * x[d];
  float ny = sqrtf (y[0] * y[0] + y[1] * y[1] + y[2] * y[2]);
  for (int d = 0; d < 3; d++)
    y[d] /= ny;
  z[0] = x[1] * y[2] - x[2] * y[1];
  z[1] = x[2] * y[0] - x[0] * y[2];
  z[2] = x[0] * y[1] - x[1] * y[0];
}

void
plm_camera_project (const PlmCamera *c, double width, double height, const float *p, double *x, double *y, double *z)
{
  double d[3] = { p[0] - c->center[0], p[1] - c->center[1], p[2] - c->center[2] };
  double v[3];
  for (int i = 0; i < 3; i++)
    v[i] = c->rot[i * 3] * d[0] + c->rot[i * 3 + 1] * d[1] + c->rot[i * 3 + 2] * d[2];
  *x = width / 2 + c->pan[0] + c->zoom * v[0];
  *y = height / 2 + c->pan[1] - c->zoom * v[1];
  *z = v[2];
}

uint32_t
plm_structure_scene_fade (const PlmStructureScene *s, uint32_t argb, double z, double z_front, double z_back)
{
  double t = z_front > z_back ? (z_front - z) / (z_front - z_back) : 0.0;
  double f = s->fog * CLAMP (t, 0.0, 1.0);
  uint32_t out = argb & 0xff000000u;
  for (int shift = 0; shift <= 16; shift += 8)
    {
      double c = (argb >> shift) & 0xff, b = (s->background >> shift) & 0xff;
      out |= (uint32_t) lround (c + f * (b - c)) << shift;
    }
  return out;
}
