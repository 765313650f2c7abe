/* plm-mutations-view.h: variant effects: the 20 × L map of scores log p(mt) − log p(wt), a
 * per-position summary above it, the HA-site and annotation tracks under it. */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"
#include "plm-figure.h"
#include "plm-ha-view.h"
#include "plm-inference-worker.h"
#include "plm-selection.h"

G_BEGIN_DECLS

typedef enum {
  PLM_MUTATIONS_WT_MARGINAL,       /* free with every run: the unmasked forward's log-probabilities */
  PLM_MUTATIONS_MASKED_MARGINAL,   /* on request: one masked forward per position (a scan) */
} PlmMutationsMode;

typedef enum {
  PLM_MUTATIONS_ORDER_HYDROPHOBICITY,   /* Kyte–Doolittle, most hydrophobic first */
  PLM_MUTATIONS_ORDER_ALPHABETICAL,
  PLM_MUTATIONS_ORDER_ESM,              /* fair-esm's alphabet order */
} PlmMutationsOrder;

typedef enum {
  PLM_MUTATIONS_SUMMARY_MEAN,      /* mean score of the 19 substitutions */
  PLM_MUTATIONS_SUMMARY_ENTROPY,   /* entropy of the distribution over the 20 amino acids */
} PlmMutationsSummary;

#define PLM_TYPE_MUTATIONS_VIEW (plm_mutations_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmMutationsView, plm_mutations_view, PLM, MUTATIONS_VIEW, GtkWidget)

GtkWidget        *plm_mutations_view_new             (void);
/* The worker whose model runs masked-marginal scans (and caches them). */
void              plm_mutations_view_set_worker      (PlmMutationsView   *self,
                                                      PlmInferenceWorker *worker);
/* Shows the wild-type-marginal scores of @result, or the masked-marginal ones when the worker has
 * them cached and that mode is chosen; cancels a scan of the previous result. */
void              plm_mutations_view_set_result      (PlmMutationsView   *self,
                                                      PlmInferenceResult *result);
/* The HA view whose tracks (HA sites, loaded annotations) are drawn under the map. */
void              plm_mutations_view_set_track_source (PlmMutationsView  *self,
                                                      PlmHaView          *ha_view);
/* Scores are signed: the map always uses the diverging colour map centred on 0, whatever the
 * preference; a sequential map would hide the sign. Kept for the views' common interface. */
void              plm_mutations_view_set_color_map   (PlmMutationsView   *self,
                                                      PlmColorMap         map);
void              plm_mutations_view_set_selection   (PlmMutationsView   *self,
                                                      PlmSelection       *selection);
int               plm_mutations_view_get_highlighted (PlmMutationsView   *self);
/* Masked-marginal without a scan of this result starts one (shown when it has finished). */
void              plm_mutations_view_set_mode        (PlmMutationsView   *self,
                                                      PlmMutationsMode    mode);
PlmMutationsMode  plm_mutations_view_get_mode        (PlmMutationsView   *self);
void              plm_mutations_view_set_order       (PlmMutationsView   *self,
                                                      PlmMutationsOrder   order);
/* The 20 one-letter codes of the rows, top to bottom. */
const char       *plm_mutations_view_get_order_letters (PlmMutationsView *self);
void              plm_mutations_view_set_summary     (PlmMutationsView   *self,
                                                      PlmMutationsSummary summary);
/* [L] the summary track's values, NULL before a result. */
const float      *plm_mutations_view_get_summary_values (PlmMutationsView *self);
/* Starts the masked-marginal scan of the result (the button); "scan-finished" when it ends,
 * completed, cancelled or failed. */
void              plm_mutations_view_scan            (PlmMutationsView   *self);
void              plm_mutations_view_cancel_scan     (PlmMutationsView   *self);
gboolean          plm_mutations_view_get_scanning    (PlmMutationsView   *self);
/* [L, vocab] masked-marginal log-probabilities of the result, NULL until scanned. */
const float      *plm_mutations_view_get_masked_log_probs (PlmMutationsView *self);
/* The status line under the buttons ("Scanning…", "Scan cancelled", …). */
const char       *plm_mutations_view_get_status      (PlmMutationsView   *self);
/* Rows = amino acids in the chosen order, columns = residues. */
GtkWidget        *plm_mutations_view_get_heatmap     (PlmMutationsView   *self);
/* The figure of the shown scores for export; NULL before a result. */
PlmFigure        *plm_mutations_view_create_figure   (PlmMutationsView   *self,
                                                      const char         *record);

G_END_DECLS
