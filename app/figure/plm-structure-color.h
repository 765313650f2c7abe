/* plm-structure-color.h: what the Structure view and its figure colour, computed once for the
 * GUI and `plmlens-cli export --view structure`: received attention with attention links, HA
 * sites at the layer of convergence, active sites, contact-prediction agreement, chains, and
 * the NM pair mode's top cross-attention residues. */
#pragma once

#include "plm-hasites.h"
#include "plm-structure-scene.h"

G_BEGIN_DECLS

typedef enum {
  PLM_STRUCTURE_COLOR_ATTENTION,
  PLM_STRUCTURE_COLOR_HASITES,
  PLM_STRUCTURE_COLOR_ACTIVE,
  PLM_STRUCTURE_COLOR_CONTACTS,
  PLM_STRUCTURE_COLOR_CHAIN,
  PLM_STRUCTURE_COLOR_PAIR,       /* NM pair mode: two chains, their top cross-attention residues */
  PLM_STRUCTURE_N_COLORS
} PlmStructureColoring;

#define PLM_STRUCTURE_LINK_COLOR   0xffe4572eu   /* attention links */
#define PLM_STRUCTURE_HA_COLOR     0xffd62728u   /* HA sites */
#define PLM_STRUCTURE_ACTIVE_COLOR 0xffff7f0eu   /* active sites, annotations */
#define PLM_STRUCTURE_PAIR_A_COLOR 0xffd62728u   /* NM pair mode: chain A's top residues (red) */
#define PLM_STRUCTURE_PAIR_B_COLOR 0xff1f77b4u   /* … chain B's (blue) */
#define PLM_STRUCTURE_PAIR_TUBE_A  0xffd9c7c7u
#define PLM_STRUCTURE_PAIR_TUBE_B  0xffc4cdd9u

/* "attention", "hasites", "active", "contacts", "chain", "pair" */
const char *plm_structure_coloring_name      (PlmStructureColoring   coloring);
gboolean    plm_structure_coloring_from_name (const char            *name,
                                              PlmStructureColoring  *coloring);

/* Attention received by each residue: c_j = Σ_i A[i, j] over residue rows and columns of the
 * map @attention [T, T] (with <cls>/<eos>); @received gets L = T − 2 values. */
void        plm_structure_received           (const float           *attention,
                                              int                    n_tokens,
                                              float                 *received);
/* Tube coloured by the received attention of sequence @seq's map [T, T] (scale fitted to the
 * residues in the structure, returned in @scale) and its @k strongest pairs as links. */
void        plm_structure_paint_attention    (PlmStructureScene     *scene,
                                              int                    seq,
                                              const float           *attention,
                                              int                    n_tokens,
                                              PlmColorMap            map,
                                              PlmScaleKind           kind,
                                              int                    k,
                                              PlmScale              *scale);
/* Tube coloured by the layer of convergence's normalised received attention (0 … 1), the HA
 * sites of that layer as spheres. */
void        plm_structure_paint_hasites      (PlmStructureScene     *scene,
                                              int                    seq,
                                              const PlmHaResult     *result,
                                              PlmColorMap            map,
                                              PlmScale              *scale);
/* Neutral tube, @residues [n] of @seq as active-site spheres. */
void        plm_structure_paint_sites        (PlmStructureScene     *scene,
                                              int                    seq,
                                              const int             *residues,
                                              int                    n);
/* Neutral tube, the predicted contacts @top [n] (i × L + j, best first: the top L/5 of
 * plm_contacts_rank or plm_inference_result_rank_contacts) as links: green when the structure
 * (@truth, see plm_contacts_from_structure) has them in contact, red when not, grey when a
 * residue is unobserved. @counts [3] (may be NULL) gets those numbers. */
void        plm_structure_paint_contacts     (PlmStructureScene     *scene,
                                              int                    seq,
                                              const int             *top,
                                              int                    n,
                                              int                    length,
                                              const guint8          *truth,
                                              int                    min_separation,
                                              int                   *counts);
/* NM pair mode: sequences 0 (chain A) and 1 (chain B) in pale red and blue, their top
 * cross-attention residues @top_a [na] and @top_b [nb] as red and blue spheres. */
void        plm_structure_paint_pair         (PlmStructureScene     *scene,
                                              const int             *top_a,
                                              int                    na,
                                              const int             *top_b,
                                              int                    nb);

G_END_DECLS

G_BEGIN_DECLS
typedef struct _PlmFigure PlmFigure;
/* The legend of a colouring in the structure figure: HA sites (with the layer of convergence
 * @loc, 0-based), active sites, the contact links' kinds, chains (the scene's), pair mode's two
 * chains. Nothing for attention (its colour bar says it). */
void        plm_structure_figure_legend      (PlmFigure               *figure,
                                              const PlmStructureScene *scene,
                                              int                      coloring,
                                              int                      loc);
/* NM pair mode: chain @map_a of @st_a (sequence 0) and the partner chain @map_b of @st_b
 * (sequence 1) as one scene. With @st_b another file than @st_a (the negative pair's partner),
 * its chain is moved beside chain A along x, 6 Å between their bounding spheres. */
PlmStructureScene *plm_structure_scene_new_pair (const PlmStructure      *st_a,
                                                 const PlmStructureMap   *map_a,
                                                 const PlmStructure      *st_b,
                                                 const PlmStructureMap   *map_b);
/* The NM pair mode's two panels (the NM-Transformer paper's Figure 4): @positive seen through
 * @positive_rot titled @positive_title on the left, @negative through @negative_rot titled
 * @negative_title on the right. The figure takes both scenes; no colour bar. */
void        plm_structure_figure_pairs       (PlmFigure               *figure,
                                              PlmStructureScene       *positive,
                                              const float             *positive_rot,
                                              PlmStructureScene       *negative,
                                              const float             *negative_rot,
                                              const char              *positive_title,
                                              const char              *negative_title);
/* A copy of @scene (residues, colours, spheres, links). */
PlmStructureScene *plm_structure_scene_copy  (const PlmStructureScene *scene);
G_END_DECLS
