/* plm-figure.h: publication figures of every view, drawn with cairo + pango (GTK-free); the one
 * code path behind the GUI's export dialog and `plmlens-cli export`. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "plm-color-map.h"

G_BEGIN_DECLS

typedef enum {
  PLM_FIGURE_ATTENTION,   /* one matrix (a layer/head or a head-mean) */
  PLM_FIGURE_GRID,        /* chosen layers × heads, one shared colour bar */
  PLM_FIGURE_HASITES,     /* layers × L heatmap, HA-site and annotation tracks, sorted curve + fit */
  PLM_FIGURE_CONTACTS,    /* contact map, top L/k marked (true/false positives), optional true contacts */
  PLM_FIGURE_PAIR,        /* cross-attention of a positive and a negative pair side by side */
  PLM_FIGURE_MUTATIONS,   /* 20 × L variant scores, wild type marked, symmetric diverging scale */
  PLM_FIGURE_STRUCTURE,   /* the 3D structure: tube, spheres, attention links (plm-structure-scene.h) */
} PlmFigureView;

typedef enum {
  PLM_FIGURE_PNG,
  PLM_FIGURE_SVG,
  PLM_FIGURE_PDF,
} PlmFigureFormat;

typedef enum {
  PLM_FIGURE_UNIT_MM,
  PLM_FIGURE_UNIT_PX,     /* pixels at the style's dpi */
} PlmFigureUnit;

/* How the figure looks. Strings are owned by the figure (g_free'd with it); NULL labels take the
 * view's default, "" hides them. */
typedef struct {
  PlmFigureUnit unit;
  double        width, height;      /* in @unit; 0 = the view's default */
  double        dpi;                /* PNG resolution and the px ↔ pt conversion (default 300) */
  char         *title;
  char         *font_family;        /* default "Sans" */
  double        font_size;          /* pt, default 8 */
  gboolean      transparent;        /* no background fill */
  PlmColorMap   color_map;
  PlmScaleKind  scale_kind;
  double        percentile_lo;      /* for PLM_SCALE_PERCENTILE (default 1 … 99) */
  double        percentile_hi;
  gboolean      fixed_scale;        /* use @scale as given instead of fitting it to the data */
  PlmScale      scale;
  char         *colorbar_label;
  char         *x_label;
  char         *y_label;
  gboolean      ticks;              /* residue numbers on the axes */
  gboolean      letters;            /* residue letters when the cells are large enough */
  gboolean      specials;           /* show <cls>/<eos> rows and columns when the data has them */
} PlmFigureStyle;

/* An annotation track: residue ranges [start, end] (0-based, inclusive; start == end is a site). */
typedef struct {
  const char *name;
  int         n;
  const int  *start;
  const int  *end;
} PlmFigureTrack;

/* Everything the HA-site figure shows (copied by plm_figure_set_hasites). */
typedef struct {
  int                   n_layers;
  int                   length;        /* L residues */
  const float          *heatmap;       /* [n_layers, L] normalised received attention */
  const char           *sequence;      /* L letters, or NULL */
  int                   layer;         /* the layer whose sorted curve is drawn */
  const float          *sorted;        /* [L] that layer's profile in descending order */
  double                breakpoint;    /* on x = linspace(0, 1, L) */
  double                intercept;     /* fitted value at x = 0 */
  double                m1, m2;        /* slopes left and right of the breakpoint */
  double                theta;         /* degrees */
  int                   loc;           /* layer of convergence, −1 if none */
  int                   n_sites;
  const int            *sites;         /* 0-based residues */
  int                   n_tracks;
  const PlmFigureTrack *tracks;
} PlmFigureHaData;

typedef enum {
  PLM_FIGURE_AXIS_ROWS,
  PLM_FIGURE_AXIS_COLS,
} PlmFigureAxis;

typedef enum {
  PLM_FIGURE_TEXT_TITLE,
  PLM_FIGURE_TEXT_X_LABEL,
  PLM_FIGURE_TEXT_Y_LABEL,
  PLM_FIGURE_TEXT_COLORBAR_LABEL,
} PlmFigureText;

typedef struct _PlmFigure PlmFigure;

PlmFigure      *plm_figure_new               (PlmFigureView          view);
void            plm_figure_free              (PlmFigure             *figure);
PlmFigureView   plm_figure_get_view          (PlmFigure             *figure);
/* The style, to be changed in place before drawing. */
PlmFigureStyle *plm_figure_get_style         (PlmFigure             *figure);

/* The title drawn when the style has none (NULL: the view's own default). */
void            plm_figure_set_default_title (PlmFigure             *figure,
                                              const char            *title);
/* The text that is drawn: the style's, else the view's default; NULL or "" when none. */
const char     *plm_figure_get_text          (PlmFigure             *figure,
                                              PlmFigureText          which);

/* Adds a heatmap panel (values [rows, cols] row-major, copied) and returns its index.
 * @row_seq/@col_seq are the residue letters (rows − 2 and cols − 2 of them when @has_specials,
 * i.e. the first and last row/column are <cls>/<eos>), or NULL. @label is drawn above the panel.
 * Attention, contacts: one panel; grid: one per layer/head; pair: positive then negative. */
int             plm_figure_add_heatmap       (PlmFigure             *figure,
                                              const char            *label,
                                              const float           *values,
                                              int                    rows,
                                              int                    cols,
                                              const char            *row_seq,
                                              const char            *col_seq,
                                              gboolean               has_specials);
/* Marks residues (0-based, without specials) of a panel's axis, e.g. a pair's top-k residues. */
void            plm_figure_mark_residues     (PlmFigure             *figure,
                                              int                    panel,
                                              PlmFigureAxis          axis,
                                              const int             *residues,
                                              int                    n);
/* Panels per row of a grid (default: as square as possible). */
void            plm_figure_set_grid_columns  (PlmFigure             *figure,
                                              int                    n_columns);
/* Contacts view: true contacts [L, L] (1 = contact, 0 = none, PLM_CONTACT_UNKNOWN = a residue
 * not observed) drawn in the lower triangle, and precision at L/5 shown (over the known pairs,
 * see plm_contacts_rank_known); pairs closer than @min_separation in sequence are not ranked. */
void            plm_figure_set_true_contacts (PlmFigure             *figure,
                                              const guint8          *contacts,
                                              int                    length,
                                              int                    min_separation);
/* Contacts view: the top L / @divisor predictions are marked (default 5: L/5). */
void            plm_figure_set_contact_top   (PlmFigure             *figure,
                                              int                    divisor);
/* Precision of the top L/5 predicted contacts among the known pairs against the true ones, −1
 * without them (or when no pair is known). */
double          plm_figure_contact_precision (PlmFigure             *figure);
void            plm_figure_set_hasites       (PlmFigure             *figure,
                                              const PlmFigureHaData *data);
/* Mutations view: @summary [length] drawn as bars from 0 above the map, named @label (NULL: no
 * summary), and under it the HA sites (when @n_sites ≥ 0) and @tracks, as the HA figure's. */
void            plm_figure_set_residue_tracks (PlmFigure            *figure,
                                              const float           *summary,
                                              int                    length,
                                              const char            *label,
                                              const int             *sites,
                                              int                    n_sites,
                                              const PlmFigureTrack  *tracks,
                                              int                    n_tracks);
/* Mutations view: the wild type's row in each of @length columns (−1 = none), marked with a dot. */
void            plm_figure_set_wild_type     (PlmFigure             *figure,
                                              const int             *rows,
                                              int                    length);

/* Structure view: draws @scene (the figure takes it) seen through @rotation (row-major 3 × 3,
 * NULL = none), fitted to a square panel. With @scale, a colour bar of the style's colour map
 * over it (the scene's colouring shows values); without, a legend of the entries added with
 * plm_figure_add_legend_entry (chains, HA sites, …). */
typedef struct _PlmStructureScene PlmStructureScene;
void            plm_figure_set_structure     (PlmFigure             *figure,
                                              PlmStructureScene     *scene,
                                              const float           *rotation,
                                              const PlmScale        *scale);
/* Structure view with two panels side by side: the scene set with plm_figure_set_structure on
 * the left titled @left_title, @right (the figure takes it) seen through @rotation on the right
 * titled @right_title. No colour bar; the legend spans both. */
void            plm_figure_set_structure_right (PlmFigure           *figure,
                                              const char            *left_title,
                                              PlmStructureScene     *right,
                                              const float           *rotation,
                                              const char            *right_title);
/* One legend entry: a swatch of @argb (opaque 0xffRRGGBB) named @label. */
void            plm_figure_add_legend_entry  (PlmFigure             *figure,
                                              uint32_t               argb,
                                              const char            *label);
/* Where the figure draws a world point (Å) of its structure, in figure points; FALSE without one. */
gboolean        plm_figure_structure_point   (PlmFigure             *figure,
                                              const float           *world,
                                              double                *x,
                                              double                *y);

/* Size in points (1/72 in) and, for PNG, in pixels at the style's dpi. */
void            plm_figure_get_size          (PlmFigure             *figure,
                                              double                *width_pt,
                                              double                *height_pt);
void            plm_figure_get_pixel_size    (PlmFigure             *figure,
                                              int                   *width_px,
                                              int                   *height_px);
/* The scale the heatmaps are drawn with (fitted over all panels unless fixed). */
void            plm_figure_get_scale         (PlmFigure             *figure,
                                              PlmScale              *scale);
/* Rectangle of cell (@row, @col) of @panel in figure points (origin top left), indices into the
 * matrix as added. FALSE when out of range or hidden (a special token with specials off).
 * The HA figure's heatmap is panel 0 (rows = layers). */
gboolean        plm_figure_cell_rect         (PlmFigure             *figure,
                                              int                    panel,
                                              int                    row,
                                              int                    col,
                                              double                *x,
                                              double                *y,
                                              double                *width,
                                              double                *height);

/* Draws the whole figure on @cr in points (scale @cr beforehand for other units). */
void            plm_figure_draw              (PlmFigure             *figure,
                                              cairo_t               *cr);
/* Writes the figure to @path through a temporary file renamed into place. */
gboolean        plm_figure_export            (PlmFigure             *figure,
                                              PlmFigureFormat        format,
                                              const char            *path,
                                              GError               **error);
/* Frees the process-wide font caches of pango, cairo and fontconfig. Only at exit, when nothing
 * draws any more: keeps leak checkers (ASan, valgrind) quiet about library-global caches. */
void            plm_figure_release_fonts     (void);
/* TRUE when fontconfig knows @family (or it is a generic name such as "Sans"); pango silently
 * substitutes missing families, which a user asking for "Arial" should hear about. */
gboolean        plm_figure_font_family_available (const char    *family);
gboolean        plm_figure_format_from_name  (const char            *name,
                                              PlmFigureFormat       *format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmFigure, plm_figure_free)

G_END_DECLS
