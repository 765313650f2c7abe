/* plm-structure-render.c: the scene drawn with cairo, back to front (painter's algorithm), and
 * picking. The cairo fallback of the view and the SVG/PDF/PNG export both draw through here. */
#include "plm-structure-scene.h"

#include <math.h>

typedef enum { PRIM_LINK, PRIM_TUBE, PRIM_SPHERE } PrimKind;

typedef struct {
  double   z;
  PrimKind kind;
  int      first, last;   /* tube: samples [first, last]; sphere: residue; link: link */
} Prim;

typedef struct {
  double x, y, z;
} Projected;

static int
prim_cmp (const void *a, const void *b)
{
  const Prim *p = a, *q = b;
  if (p->z != q->z)
    return p->z < q->z ? -1 : 1;
  if (p->kind != q->kind)
    return (int) p->kind - (int) q->kind;
  return p->first - q->first;
}

static void
set_argb (cairo_t *cr, uint32_t argb, double alpha)
{
  cairo_set_source_rgba (cr, ((argb >> 16) & 0xff) / 255.0, ((argb >> 8) & 0xff) / 255.0, (argb & 0xff) / 255.0,
                         alpha * ((argb >> 24) & 0xff) / 255.0);
}

/* @argb scaled towards black (@f < 1) or white (@f > 1). */
static uint32_t
shade (uint32_t argb, double f)
{
  uint32_t out = argb & 0xff000000u;
  for (int shift = 0; shift <= 16; shift += 8)
    {
      double c = (argb >> shift) & 0xff;
      c = f <= 1 ? c * f : c + (255 - c) * (f - 1);
      out |= (uint32_t) CLAMP (lround (c), 0, 255) << shift;
    }
  return out;
}

static void
tube_path (cairo_t *cr, const Projected *pp, int first, int last, double dx, double dy)
{
  cairo_new_path (cr);
  cairo_move_to (cr, pp[first].x + dx, pp[first].y + dy);
  for (int k = first + 1; k <= last; k++)
    cairo_line_to (cr, pp[k].x + dx, pp[k].y + dy);
}

void
plm_structure_scene_draw (const PlmStructureScene *s, const PlmCamera *c, cairo_t *cr, double width, double height)
{
  int n = (int) s->residues->len;
  if (n == 0)
    return;
  g_autoptr(GArray) tube = g_array_new (FALSE, FALSE, sizeof (PlmTubeSample));
  plm_structure_scene_tube (s, 4, tube);
  const PlmTubeSample *ts = (const PlmTubeSample *) (void *) tube->data;
  int nt = (int) tube->len;
  g_autofree Projected *pr = g_new (Projected, n);
  g_autofree Projected *pt = g_new (Projected, MAX (nt, 1));
  double z_front = -G_MAXDOUBLE, z_back = G_MAXDOUBLE;
  for (int i = 0; i < n; i++)
    {
      plm_camera_project (c, width, height, g_array_index (s->residues, PlmSceneResidue, i).ca, &pr[i].x, &pr[i].y,
                          &pr[i].z);
      z_front = MAX (z_front, pr[i].z);
      z_back = MIN (z_back, pr[i].z);
    }
  for (int k = 0; k < nt; k++)
    plm_camera_project (c, width, height, ts[k].p, &pt[k].x, &pt[k].y, &pt[k].z);

  double tube_w = 2 * PLM_SCENE_TUBE_RADIUS * c->zoom, sphere_r = PLM_SCENE_SPHERE_RADIUS * c->zoom;
  g_autoptr(GArray) prims = g_array_new (FALSE, FALSE, sizeof (Prim));
  /* tube runs: consecutive samples of one colour whose depths stay within a tube diameter, drawn
   * as one path so joints inside a run need no caps */
  for (int k = 0; k + 1 < nt;)
    {
      if (ts[k + 1].start)
        {
          k++;
          continue;
        }
      int last = k + 1;
      double lo = MIN (pt[k].z, pt[last].z), hi = MAX (pt[k].z, pt[last].z);
      while (last + 1 < nt && !ts[last + 1].start && ts[last + 1].color == ts[k].color
             && MAX (hi, pt[last + 1].z) - MIN (lo, pt[last + 1].z) < 2 * PLM_SCENE_TUBE_RADIUS)
        {
          last++;
          lo = MIN (lo, pt[last].z);
          hi = MAX (hi, pt[last].z);
        }
      Prim p = { 0.5 * (lo + hi), PRIM_TUBE, k, last };
      g_array_append_val (prims, p);
      k = last;
    }
  /* a residue joined to nothing on either side is a dot of tube */
  for (int k = 0; k < nt; k++)
    if (ts[k].start && (k + 1 == nt || ts[k + 1].start))
      {
        Prim p = { pt[k].z, PRIM_TUBE, k, k };
        g_array_append_val (prims, p);
      }
  for (int i = 0; i < n; i++)
    if (g_array_index (s->residues, PlmSceneResidue, i).sphere != 0)
      {
        Prim p = { pr[i].z + PLM_SCENE_SPHERE_RADIUS, PRIM_SPHERE, i, i };   /* its front: over its own tube */
        g_array_append_val (prims, p);
      }
  for (guint l = 0; l < s->links->len; l++)
    {
      const PlmSceneLink *lk = &g_array_index (s->links, PlmSceneLink, l);
      Prim p = { 0.5 * (pr[lk->a].z + pr[lk->b].z), PRIM_LINK, (int) l, (int) l };
      g_array_append_val (prims, p);
    }
  g_array_sort (prims, prim_cmp);

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint q = 0; q < prims->len; q++)
    {
      const Prim *p = &g_array_index (prims, Prim, q);
      if (p->kind == PRIM_TUBE)
        {
          uint32_t col = plm_structure_scene_fade (s, ts[p->first].color, p->z, z_front, z_back);
          /* outline, body, then a highlight stripe towards the light (upper left) */
          if (p->first == p->last)
            {
              cairo_new_path (cr);
              cairo_arc (cr, pt[p->first].x, pt[p->first].y, 0.5 * tube_w, 0, 2 * G_PI);
              set_argb (cr, col, 1.0);
              cairo_fill_preserve (cr);
              set_argb (cr, shade (col, 0.6), 1.0);
              cairo_set_line_width (cr, MAX (0.08 * tube_w, 0.3));
              cairo_stroke (cr);
              continue;
            }
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
          tube_path (cr, pt, p->first, p->last, 0, 0);
          set_argb (cr, shade (col, 0.6), 1.0);
          cairo_set_line_width (cr, tube_w * 1.16);
          cairo_stroke (cr);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          tube_path (cr, pt, p->first, p->last, 0, 0);
          set_argb (cr, col, 1.0);
          cairo_set_line_width (cr, tube_w);
          cairo_stroke (cr);
          tube_path (cr, pt, p->first, p->last, -0.14 * tube_w, -0.14 * tube_w);
          set_argb (cr, shade (col, 1.45), 1.0);
          cairo_set_line_width (cr, tube_w * 0.3);
          cairo_stroke (cr);
        }
      else if (p->kind == PRIM_SPHERE)
        {
          const PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, p->first);
          uint32_t col = plm_structure_scene_fade (s, r->sphere, p->z, z_front, z_back);
          double x = pr[p->first].x, y = pr[p->first].y;
          cairo_pattern_t *g = cairo_pattern_create_radial (x - 0.35 * sphere_r, y - 0.35 * sphere_r, 0.05 * sphere_r,
                                                            x, y, sphere_r);
          uint32_t hi = shade (col, 1.5), lo = shade (col, 0.7);
          cairo_pattern_add_color_stop_rgb (g, 0, ((hi >> 16) & 0xff) / 255.0, ((hi >> 8) & 0xff) / 255.0, (hi & 0xff) / 255.0);
          cairo_pattern_add_color_stop_rgb (g, 0.45, ((col >> 16) & 0xff) / 255.0, ((col >> 8) & 0xff) / 255.0,
                                            (col & 0xff) / 255.0);
          cairo_pattern_add_color_stop_rgb (g, 1, ((lo >> 16) & 0xff) / 255.0, ((lo >> 8) & 0xff) / 255.0, (lo & 0xff) / 255.0);
          cairo_new_path (cr);
          cairo_arc (cr, x, y, sphere_r, 0, 2 * G_PI);
          cairo_set_source (cr, g);
          cairo_fill_preserve (cr);
          cairo_pattern_destroy (g);
          set_argb (cr, shade (col, 0.5), 1.0);
          cairo_set_line_width (cr, MAX (0.04 * sphere_r, 0.3));
          cairo_stroke (cr);
        }
      else
        {
          const PlmSceneLink *lk = &g_array_index (s->links, PlmSceneLink, p->first);
          uint32_t col = plm_structure_scene_fade (s, lk->color, p->z, z_front, z_back);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_new_path (cr);
          cairo_move_to (cr, pr[lk->a].x, pr[lk->a].y);
          cairo_line_to (cr, pr[lk->b].x, pr[lk->b].y);
          set_argb (cr, col, 0.35 + 0.65 * lk->weight);
          cairo_set_line_width (cr, MAX ((0.15 + 0.45 * lk->weight) * c->zoom, 0.5));
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

int
plm_structure_scene_pick (const PlmStructureScene *s, const PlmCamera *c, double width, double height, double x,
                          double y)
{
  int best = -1;
  double best_z = -G_MAXDOUBLE;
  for (guint i = 0; i < s->residues->len; i++)
    {
      const PlmSceneResidue *r = &g_array_index (s->residues, PlmSceneResidue, i);
      double px, py, pz;
      plm_camera_project (c, width, height, r->ca, &px, &py, &pz);
      double reach = r->sphere ? PLM_SCENE_SPHERE_RADIUS * c->zoom : MAX (PLM_SCENE_TUBE_RADIUS * c->zoom, 4.0);
      double zf = r->sphere ? pz + PLM_SCENE_SPHERE_RADIUS : pz;   /* a sphere's front */
      if (hypot (px - x, py - y) <= reach && zf > best_z)
        {
          best = (int) i;
          best_z = zf;
        }
    }
  return best;
}
