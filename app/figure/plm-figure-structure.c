/* plm-figure-structure.c: the Structure view's figure: title, the scene in a square panel, and a
 * colour bar (values) or a legend (categories). The scene is drawn with plm-structure-render.c,
 * so SVG and PDF get paths, as the cairo view draws. */
#include "plm-figure-private.h"

#include <string.h>

#include "plm-structure-scene.h"

static void
legend_entry_clear (gpointer data)
{
  g_free (((PlmFigureLegendEntry *) data)->label);
}

void
plm_figure_structure_clear (PlmFigure *f)
{
  g_clear_pointer (&f->scene, plm_structure_scene_free);
  g_clear_pointer (&f->scene2, plm_structure_scene_free);
  g_clear_pointer (&f->panel_title[0], g_free);
  g_clear_pointer (&f->panel_title[1], g_free);
  g_clear_pointer (&f->legend, g_array_unref);
}

void
plm_figure_set_structure_right (PlmFigure *f, const char *left_title, PlmStructureScene *right, const float *rotation,
                                const char *right_title)
{
  static const float identity[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  g_clear_pointer (&f->scene2, plm_structure_scene_free);
  f->scene2 = right;
  memcpy (f->scene2_rot, rotation ? rotation : identity, sizeof f->scene2_rot);
  g_free (f->panel_title[0]);
  g_free (f->panel_title[1]);
  f->panel_title[0] = g_strdup (left_title);
  f->panel_title[1] = g_strdup (right_title);
  f->scene_values = FALSE;
}

void
plm_figure_set_structure (PlmFigure *f, PlmStructureScene *scene, const float *rotation, const PlmScale *scale)
{
  g_clear_pointer (&f->scene, plm_structure_scene_free);
  f->scene = scene;
  static const float identity[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  memcpy (f->scene_rot, rotation ? rotation : identity, sizeof f->scene_rot);
  f->scene_values = scale != NULL;
  if (scale != NULL)
    f->scene_scale = *scale;
}

void
plm_figure_add_legend_entry (PlmFigure *f, uint32_t argb, const char *label)
{
  if (f->legend == NULL)
    {
      f->legend = g_array_new (FALSE, TRUE, sizeof (PlmFigureLegendEntry));
      g_array_set_clear_func (f->legend, legend_entry_clear);
    }
  PlmFigureLegendEntry e = { argb, g_strdup (label) };
  g_array_append_val (f->legend, e);
}

/* Legend entries laid out in lines no wider than @avail; returns the line count, @xs gets each
 * entry's x offset and @line its line. */
static int
legend_lines (PlmFigureCtx *ctx, double avail, double *xs, int *line)
{
  PlmFigure *f = ctx->figure;
  double fs = f->style.font_size * 0.9, x = 0;
  int lines = f->legend && f->legend->len ? 1 : 0;
  for (guint i = 0; f->legend && i < f->legend->len; i++)
    {
      double w;
      plm_figure_text_size (ctx, g_array_index (f->legend, PlmFigureLegendEntry, i).label, fs, FALSE, &w, NULL);
      w += 1.1 * fs;
      if (x > 0 && x + w > avail)
        {
          lines++;
          x = 0;
        }
      xs[i] = x;
      line[i] = lines - 1;
      x += w + 1.0 * fs;
    }
  return lines;
}

void
plm_figure_layout_structure (PlmFigure *f, PlmFigureCtx *ctx)
{
  double fs = f->style.font_size, title_h = 0, line_h, legend_h = 0, cbar = 0;
  double page_w = f->style.width > 0 ? plm_figure_to_pt (f, f->style.width) : (f->scene2 ? 180 : 100) * MM_TO_PT;
  const char *title = plm_figure_title_text (f);

  if (plm_figure_has_text (title))
    {
      plm_figure_text_size (ctx, title, fs * 1.1, TRUE, NULL, &title_h);
      title_h += 0.4 * fs;
    }
  f->scale = f->scene_values ? f->scene_scale : (PlmScale) { PLM_SCALE_LINEAR, 0, 1 };
  if (f->scene_values)
    cbar = f->pad + plm_figure_colorbar_width (ctx, plm_figure_colorbar_label_text (f));
  plm_figure_text_size (ctx, "Ag", fs * 0.9, FALSE, NULL, &line_h);
  guint n = f->legend ? f->legend->len : 0;
  g_autofree double *xs = g_new (double, MAX (n, 1));
  g_autofree int *line = g_new (int, MAX (n, 1));
  int lines = legend_lines (ctx, page_w - 2 * f->pad, xs, line);
  if (lines > 0)
    legend_h = lines * line_h + 0.4 * fs;

  /* two panels: each half the width less a gap, with its title above */
  int panels = f->scene2 != NULL ? 2 : 1;
  double gap = panels == 2 ? f->pad : 0, panel_title_h = 0;
  if (panels == 2)
    {
      plm_figure_text_size (ctx, "Ag", fs, TRUE, NULL, &panel_title_h);
      panel_title_h += 0.3 * fs;
    }
  double side = MAX ((page_w - 2 * f->pad - cbar - gap) / panels, 4 * fs);
  if (f->style.height > 0)
    {
      double page_h = plm_figure_to_pt (f, f->style.height);
      side = MAX (MIN (side, page_h - 2 * f->pad - title_h - panel_title_h - legend_h), 4 * fs);
    }
  f->width = page_w;
  f->height = f->style.height > 0 ? plm_figure_to_pt (f, f->style.height)
                                  : 2 * f->pad + title_h + panel_title_h + side + legend_h;
  f->title_y = f->pad;
  f->scene_side = side;
  f->scene_x = f->pad + MAX (0, (page_w - 2 * f->pad - cbar - gap - panels * side) / 2);
  f->scene2_x = f->scene_x + side + gap;
  f->panel_title_y = f->pad + title_h;
  f->scene_y = f->pad + title_h + panel_title_h;
  f->legend_y = f->scene_y + side + 0.4 * fs;
  f->cbar_w = 1.2 * fs;
  f->cbar_h = f->scene_values ? 0.8 * side : 0;
  f->cbar_x = f->scene_x + side + f->pad;
  f->cbar_y = f->scene_y + 0.1 * side;
}

static void
scene_camera (PlmFigure *f, PlmCamera *cam)
{
  plm_camera_fit (cam, f->scene, f->scene_side, f->scene_side);
  memcpy (cam->rot, f->scene_rot, sizeof cam->rot);
}

static void
draw_scene (PlmFigureCtx *ctx, const PlmStructureScene *scene, const float *rot, double x)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  PlmCamera cam;
  plm_camera_fit (&cam, scene, f->scene_side, f->scene_side);
  memcpy (cam.rot, rot, sizeof cam.rot);
  cairo_save (cr);
  cairo_rectangle (cr, x, f->scene_y, f->scene_side, f->scene_side);
  cairo_clip (cr);
  cairo_translate (cr, x, f->scene_y);
  plm_structure_scene_draw (scene, &cam, cr, f->scene_side, f->scene_side);
  cairo_restore (cr);
}

gboolean
plm_figure_structure_point (PlmFigure *f, const float *world, double *x, double *y)
{
  if (f->scene == NULL)
    return FALSE;
  double z;
  PlmCamera cam;
  plm_figure_ensure_layout (f);
  scene_camera (f, &cam);
  plm_camera_project (&cam, f->scene_side, f->scene_side, world, x, y, &z);
  *x += f->scene_x;
  *y += f->scene_y;
  return TRUE;
}

void
plm_figure_draw_structure (PlmFigureCtx *ctx)
{
  PlmFigure *f = ctx->figure;
  cairo_t *cr = ctx->cr;
  double fs = f->style.font_size * 0.9, line_h;

  if (f->scene != NULL)
    draw_scene (ctx, f->scene, f->scene_rot, f->scene_x);
  if (f->scene2 != NULL)
    {
      draw_scene (ctx, f->scene2, f->scene2_rot, f->scene2_x);
      cairo_set_source_rgb (cr, 0, 0, 0);
      for (int p = 0; p < 2; p++)
        if (plm_figure_has_text (f->panel_title[p]))
          plm_figure_text_draw_fit (ctx, f->panel_title[p], f->style.font_size, TRUE,
                                    (p == 0 ? f->scene_x : f->scene2_x) + f->scene_side / 2, f->panel_title_y, 0.5, 0,
                                    f->scene_side);
    }
  if (f->scene_values)
    plm_figure_draw_colorbar (ctx, plm_figure_colorbar_label_text (f));
  guint n = f->legend ? f->legend->len : 0;
  if (n == 0)
    return;
  g_autofree double *xs = g_new (double, n);
  g_autofree int *line = g_new (int, n);
  legend_lines (ctx, f->width - 2 * f->pad, xs, line);
  plm_figure_text_size (ctx, "Ag", fs, FALSE, NULL, &line_h);
  for (guint i = 0; i < n; i++)
    {
      const PlmFigureLegendEntry *e = &g_array_index (f->legend, PlmFigureLegendEntry, i);
      double x = f->pad + xs[i], y = f->legend_y + line[i] * line_h + line_h / 2;
      plm_figure_set_rgb (cr, e->argb);
      cairo_new_path (cr);
      cairo_arc (cr, x + 0.4 * fs, y, 0.35 * fs, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      plm_figure_text_draw (ctx, e->label, fs, FALSE, x + 1.1 * fs, y, 0, 0.5, 0);
    }
}
