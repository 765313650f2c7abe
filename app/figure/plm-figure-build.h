/* plm-figure-build.h: figures of the views built from the engine's results. The GUI's export
 * dialog and `plmlens-cli export` both build their figures here, so panel labels, titles,
 * marked residues and numbering are the same whichever made the file.
 * Figure text numbers layers, heads and residues from 1, as the views do; the arguments here
 * (and the CLI's --layer/--head, and every data file) are 0-based. */
#pragma once

#include "plm-figure.h"
#include "plm-contacts.h"
#include "plm-hasites.h"

G_BEGIN_DECLS

/* "layer 3 · head 2" or "layer 3 · mean of 20 heads" for 0-based @layer, @head (−1 = mean). */
char *plm_figure_attention_label  (int                   layer,
                                   int                   head,
                                   int                   n_heads);
/* Attention view: map [T, T] (with <cls>/<eos>) of (@layer, @head) of @record, whose residue
 * letters are @letters (T − 2 of them, or NULL). The panel label is the default title. */
void  plm_figure_build_attention  (PlmFigure            *figure,
                                   const char           *record,
                                   int                   layer,
                                   int                   head,
                                   int                   n_heads,
                                   const float          *map,
                                   int                   n_tokens,
                                   const char           *letters);
/* Grid view: one panel per call, in reading order; @record becomes the default title. */
void  plm_figure_build_grid_panel (PlmFigure            *figure,
                                   const char           *record,
                                   int                   layer,
                                   int                   head,
                                   int                   n_heads,
                                   const float          *map,
                                   int                   n_tokens,
                                   const char           *letters);
/* What the Contacts view and its figure mark (the same marks, colours and legend in both):
 * above the diagonal the top L/k predictions (|i − j| ≥ the minimum separation), below it the
 * structure's true contacts. */
typedef enum {
  PLM_CONTACT_MARK_TRUE_POSITIVE,   /* a top prediction in contact in the structure: green disc */
  PLM_CONTACT_MARK_FALSE_POSITIVE,  /* one not in contact: open red circle */
  PLM_CONTACT_MARK_PREDICTED,       /* no structure, or a residue not in it: white ring */
  PLM_CONTACT_MARK_TRUE_CONTACT,    /* a contact of the structure (lower triangle): grey square */
  PLM_CONTACT_N_MARKS
} PlmContactMarkKind;

typedef struct {
  int                row, col;
  PlmContactMarkKind kind;
} PlmContactMark;

/* 0xAARRGGBB of each PlmContactMarkKind */
extern const uint32_t plm_contact_mark_colors[PLM_CONTACT_N_MARKS];

/* The marks of the predicted contacts @values (row i at @values + i × @row_stride, [L, L]):
 * the top max (1, L / @divisor) pairs, classified against @truth [L, L] (NULL: none), then
 * @truth's contacts below the diagonal. @counts (may be NULL) gets how many of each kind. */
GArray *plm_contact_marks         (const float          *values,
                                   int                   length,
                                   gsize                 row_stride,
                                   int                   min_separation,
                                   int                   divisor,
                                   const guint8         *truth,
                                   int                  *counts);
/* plm_contact_marks of pairs already ranked: @top [n] (i × L + j, best first, as
 * plm_contacts_rank writes them), e.g. from a banded map. */
GArray *plm_contact_marks_ranked  (const int            *top,
                                   int                   n,
                                   int                   length,
                                   int                   min_separation,
                                   const guint8         *truth,
                                   int                  *counts);
/* The legend's name of a kind of mark: "true positive", "top L/5", … */
char   *plm_contact_mark_label    (PlmContactMarkKind    kind,
                                   int                   divisor,
                                   gboolean              has_truth);
/* Contacts view: predicted contacts [L, L]; @truth [L, L] (1 contact, 0 none, PLM_CONTACT_UNKNOWN
 * not observed) or NULL. The top L/5 are marked unless plm_figure_set_contact_top says else. */
void  plm_figure_build_contacts   (PlmFigure            *figure,
                                   const char           *record,
                                   const float          *contacts,
                                   int                   length,
                                   const char           *letters,
                                   const guint8         *truth,
                                   int                   min_separation);
/* HA-site view of a fitted result: the heatmap, the sorted curve of @layer (−1 = the LoC) with
 * its fit, the HA sites and @tracks. */
void  plm_figure_build_hasites    (PlmFigure            *figure,
                                   const char           *record,
                                   const PlmHaResult    *result,
                                   int                   layer,
                                   const char           *letters,
                                   const PlmFigureTrack *tracks,
                                   int                   n_tracks);
/* Pair view: one panel, chain A's residues (rows) over chain B's (columns), @block [La, Lb]
 * without specials; @top_a/@top_b the residues each chain attends to most (marked).
 * @name_a/@name_b may be NULL ("chain A", "chain B"). */
void  plm_figure_build_pair_panel (PlmFigure            *figure,
                                   gboolean              positive,
                                   const char           *name_a,
                                   const char           *name_b,
                                   const float          *block,
                                   int                   la,
                                   int                   lb,
                                   const char           *seq_a,
                                   const char           *seq_b,
                                   const int            *top_a,
                                   int                   n_top_a,
                                   const int            *top_b,
                                   int                   n_top_b);

/* Mutations view: variant scores @scores [20, L] (plm_scan_score_matrix) with rows in @order
 * (20 letters), the wild type of each column (@letters, L of them) dotted, the diverging colour
 * map on a symmetric scale; @mode is "masked-marginal" or "wt-marginal". */
void  plm_figure_build_mutations  (PlmFigure            *figure,
                                   const char           *record,
                                   const float          *scores,
                                   int                   length,
                                   const char           *order,
                                   const char           *letters,
                                   const char           *mode);

/* "0,2,4" or "1-3,7", numbered from @base (the CLI: 0, the dialog: 1) → 0-based indices in
 * [0, @limit) in the order given; "" or NULL → all. NULL with @error naming the bad item.
 * Used for the grid's layers and heads. */
GArray *plm_figure_parse_indices  (const char           *text,
                                   int                   base,
                                   int                   limit,
                                   GError              **error);

G_END_DECLS
