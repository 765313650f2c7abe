/* plm-heatmap-ruler.h: residue labels and the axis rulers beside a heatmap (cairo + pango). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PLM_HEATMAP_LETTER_ZOOM 11.0   /* pixels per cell from which residue letters are drawn */

typedef struct {
  const char *sequence;   /* NULL: rulers show 1-based indices */
  int         offset;     /* data index of the first residue (leading special tokens) */
  double      zoom;       /* pixels per cell along this axis */
  double      origin;     /* data coordinate at the start of the map */
  int         first;      /* visible data indices [first, end) */
  int         end;
  double      extent;     /* length of the map on screen */
  double      step;       /* residue numbers every @step residues; 0: from the zoom */
  gboolean    letters_only; /* one letter per cell at any zoom and no numbers (rows that are
                           * kinds of residue, such as the Mutations view's 20 amino acids) */
} PlmHeatmapAxis;

/* The 1-2-5 step of residue numbers at least ~48 px (columns) / 20 px (rows) apart. */
double plm_heatmap_ruler_step (double                zoom,
                               GtkOrientation        orientation);

/* "M12" for residue 12, "<cls>"/"<special>" before @offset, "<eos>" past the sequence, or the
 * 1-based index without a sequence. */
char *plm_heatmap_label_dup  (const char           *sequence,
                              int                   offset,
                              int                   index);
/* Draws the ruler of @axis into @area (the strip left of the map for VERTICAL, above it for
 * HORIZONTAL) with the current source colour: residue numbers every 1-2-5 step and, zoomed
 * in to PLM_HEATMAP_LETTER_ZOOM, one letter per residue. @map_start is the map's first pixel
 * along the axis. */
void  plm_heatmap_ruler_draw (cairo_t              *cr,
                              PangoLayout          *layout,
                              const PlmHeatmapAxis *axis,
                              GtkOrientation        orientation,
                              const graphene_rect_t *area,
                              double                map_start);

G_END_DECLS
