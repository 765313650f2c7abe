/* plm-figure-check.h: the acceptance check of exported figures, shared by the CLI and the GUI
 * export tests: the pixel at the centre of each heatmap cell is the colour map of its value. */
#pragma once

#include "plm-figure.h"

G_BEGIN_DECLS

/* Cells of one panel of a figure and the values they must show. */
typedef struct {
  int          panel;
  const float *values;   /* [rows, cols], the independent reference */
  int          rows, cols;
  int          trim;     /* rows/columns hidden at each end (<cls>/<eos>) */
  int          band;     /* > 0: only |i − j| < band (contacts: the marks live elsewhere) */
} PlmCellRef;

/* Checks every cell of @refs in @png (the figure drawn at @dpi): ±1 colour step for values on
 * a step boundary (fp16 or another reference), ±@tol per channel (rasterised PDF or SVG).
 * Cells under 3 pt on a panel's edge are skipped (they lie under the frame), and cells whose
 * reference value is NaN (under a mark, such as a wild-type dot). Aborts with the
 * cell, pixel and expected colour on a mismatch; returns how many cells were checked. */
int      plm_check_figure_cells (PlmFigure        *figure,
                                 const char       *png,
                                 double            dpi,
                                 int               tol,
                                 const PlmCellRef *refs,
                                 int               n_refs);
/* The NM pair mode's marks in the rectangle [@x0, @x1) × [@y0, @y1) of ARGB32 @data (@stride
 * bytes a row): pixels clearly red (chain A's top residues) and clearly blue (chain B's). */
void     plm_check_count_marks  (const uint8_t    *data,
                                 int               stride,
                                 int               x0,
                                 int               x1,
                                 int               y0,
                                 int               y1,
                                 int              *red,
                                 int              *blue);
/* Asserts that the two-panel NM pair figure @png (positive and negative pair side by side, its
 * legend in the bottom @legend_px rows) is wider than tall and holds red and blue marks in each
 * half above the legend. */
void     plm_check_two_panels   (const char       *png,
                                 int               legend_px);
gboolean plm_check_have_tool    (const char       *name);
/* Runs a shell command line, aborting with its stderr when it fails. */
void     plm_check_run          (const char       *cmdline);

G_END_DECLS
