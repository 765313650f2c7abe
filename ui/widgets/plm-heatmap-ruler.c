/* plm-heatmap-ruler.c: residue numbers at 1-2-5 steps and letters once cells are wide enough. */
#include "plm-heatmap-ruler.h"

#include <math.h>
#include <string.h>

/* The residue letter of data @index, '<' / '>' for special tokens before / after it. */
static char
residue_letter (const char *sequence, int offset, int index)
{
  int len = (int) strlen (sequence);

  if (index < offset)
    return '<';
  if (index >= offset + len)
    return '>';
  return sequence[index - offset];
}

char *
plm_heatmap_label_dup (const char *sequence, int offset, int index)
{
  char letter;

  if (!sequence)
    return g_strdup_printf ("%d", index + 1);
  letter = residue_letter (sequence, offset, index);
  if (letter == '<')
    return g_strdup (index == 0 ? "<cls>" : "<special>");
  if (letter == '>')
    return g_strdup ("<eos>");
  return g_strdup_printf ("%c%d", letter, index - offset + 1);
}

static double
nice_step (double cells_min)
{
  static const double mult[] = { 1, 2, 5 };
  for (double base = 1; base < 1e9; base *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (mult); i++)
      if (base * mult[i] >= cells_min)
        return base * mult[i];
  return 1e9;
}

double
plm_heatmap_ruler_step (double zoom, GtkOrientation orientation)
{
  return nice_step ((orientation == GTK_ORIENTATION_VERTICAL ? 20.0 : 48.0) / MAX (zoom, 1e-6));
}

/* Text with its (xalign, yalign) point at (x, y), moved inside @inside when given (a number
 * centred on the last residue would otherwise be cut by the ruler's end). */
static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y,
           double xalign, double yalign, const graphene_rect_t *inside)
{
  int w, h;
  double left, top;
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  left = x - xalign * w;
  top = y - yalign * h;
  if (inside != NULL)
    {
      left = MAX (inside->origin.x, MIN (left, inside->origin.x + inside->size.width - w));
      top = MAX (inside->origin.y, MIN (top, inside->origin.y + inside->size.height - h));
    }
  cairo_move_to (cr, left, top);
  pango_cairo_show_layout (cr, layout);
}

void
plm_heatmap_ruler_draw (cairo_t *cr, PangoLayout *layout, const PlmHeatmapAxis *axis,
                        GtkOrientation orientation, const graphene_rect_t *area, double map_start)
{
  gboolean vertical = orientation == GTK_ORIENTATION_VERTICAL;
  gboolean letters = axis->sequence && (axis->letters_only || axis->zoom >= PLM_HEATMAP_LETTER_ZOOM);
  /* the edge that touches the map */
  double edge = vertical ? area->origin.x + area->size.width : area->origin.y + area->size.height;
  int seq_end = axis->sequence ? axis->offset + (int) strlen (axis->sequence) : G_MAXINT;
  int i0 = MAX (axis->first, (int) floor (axis->origin));
  int i1 = MIN (axis->end, (int) ceil (axis->origin + axis->extent / axis->zoom));
  double step;
  int first;
  char buf[32];

  if (i1 <= i0)
    return;

  if (letters)
    for (int i = i0; i < i1; i++)
      {
        char letter = residue_letter (axis->sequence, axis->offset, i);
        double centre = map_start + (i + 0.5 - axis->origin) * axis->zoom;
        if (letter == '<' || letter == '>')
          continue;
        buf[0] = letter, buf[1] = 0;
        if (vertical)
          draw_text (cr, layout, buf, edge - 4, centre, 1.0, 0.5, NULL);
        else
          draw_text (cr, layout, buf, centre, edge - 2, 0.5, 1.0, NULL);
      }

  if (axis->letters_only)
    return;
  /* 1-based residue numbers, at least ~48 px (columns) / 20 px (rows) apart */
  step = axis->step > 0 ? axis->step : plm_heatmap_ruler_step (axis->zoom, orientation);
  first = (int) (ceil ((i0 - axis->offset + 1) / step) * step);
  if (first < 1)
    first = (int) step;
  for (int n = first; n <= i1 - axis->offset; n += (int) step)
    {
      int index = n - 1 + axis->offset;
      double centre = map_start + (index + 0.5 - axis->origin) * axis->zoom;
      if (index >= seq_end)
        break;
      g_snprintf (buf, sizeof buf, "%d", n);
      if (vertical)
        {
          draw_text (cr, layout, buf, edge - (letters ? 16 : 6), centre, 1.0, 0.5, area);
          cairo_rectangle (cr, edge - 3, centre - 0.5, 3, 1);
        }
      else
        {
          /* against the map, or above the letters */
          if (letters)
            draw_text (cr, layout, buf, centre, area->origin.y + 1, 0.5, 0.0, area);
          else
            draw_text (cr, layout, buf, centre, edge - 5, 0.5, 1.0, area);
          cairo_rectangle (cr, centre - 0.5, edge - 3, 1, 3);
        }
      cairo_fill (cr);
    }
}
