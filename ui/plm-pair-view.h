/* plm-pair-view.h: cross-attention of two chains under a fine-tuned NM head, a positive and a negative pair. */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"
#include "plm-figure.h"
#include "plm-inference-worker.h"
#include "plm-nm-head.h"

G_BEGIN_DECLS

#define PLM_PAIR_TOP_K 5

#define PLM_TYPE_PAIR_VIEW (plm_pair_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmPairView, plm_pair_view, PLM, PAIR_VIEW, GtkWidget)

GtkWidget   *plm_pair_view_new            (void);
/* The worker embeds the chains (its current model; results are cached like any other run). */
void         plm_pair_view_set_worker     (PlmPairView        *self,
                                           PlmInferenceWorker *worker);
/* An attention head saved by the NM trainer; FALSE with @error for MLP heads or a width that
 * does not match the loaded model. */
gboolean     plm_pair_view_load_head      (PlmPairView        *self,
                                           const char         *path,
                                           GError            **error);
/* The file name of the loaded head, or NULL. */
const char  *plm_pair_view_get_head_name  (PlmPairView        *self);
/* Chains of slot 0 (positive pair) or 1 (negative pair). */
void         plm_pair_view_set_chains     (PlmPairView        *self,
                                           int                 slot,
                                           const char         *chain_a,
                                           const char         *chain_b);
/* Embeds the four chains through the worker and computes both maps in a worker thread, under
 * the engine lease (plm-compute.h); "computed" when done. A newer Compute or dispose cancels. */
void         plm_pair_view_compute        (PlmPairView        *self);
/* Slot @slot's A-residues × B-residues map (NULL before computing) and its top-k residues
 * (0-based, by received cross-attention) of chain A (@chain 0) or B (@chain 1). */
const float *plm_pair_view_get_matrix     (PlmPairView        *self,
                                           int                 slot,
                                           int                *rows,
                                           int                *cols);
const int   *plm_pair_view_get_top        (PlmPairView        *self,
                                           int                 slot,
                                           int                 chain,
                                           int                *n);
/* The residues of chain A (@chain 0) or B (1) of pair @slot as computed, or NULL before. */
const char  *plm_pair_view_get_sequence   (PlmPairView        *self,
                                           int                 slot,
                                           int                 chain);
void         plm_pair_view_set_color_map  (PlmPairView        *self,
                                           PlmColorMap         map);
GtkWidget   *plm_pair_view_get_heatmap    (PlmPairView        *self,
                                           int                 slot);
/* Both pairs' cross-attention side by side with the marked residues, for export; NULL until
 * both are computed. */
PlmFigure   *plm_pair_view_create_figure  (PlmPairView        *self);
/* A file name stem for that figure from the two computed pairs,
 * "pair-<A1>-<B1>-vs-<A2>-<B2>" with each chain's first residues; NULL until both are computed. */
char        *plm_pair_view_dup_figure_name (PlmPairView       *self);

/* The head's prediction for pair @slot as shown ("P(interaction) 0.93 · interacting"), "" before. */
const char         *plm_pair_view_get_prediction   (PlmPairView        *self,
                                                    int                 slot);

G_END_DECLS
