/* plm-hasites.h: High Attention (HA) sites and layer of convergence (Nayar, Tartici & Altman 2025). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The published method (papers.md §1, authors' ESM_ha_loc.py), per layer ℓ:
 *   1. A = mean over heads of the post-softmax attention, <cls>/<eos> rows and columns dropped (L×L);
 *   2. c_j = Σ_i A[i,j] (attention received), h_j = c_j / max c, rounded to 2 decimals exactly like
 *      numpy's np.round on float32: fl32(rint(fl32(h·100)) / 100);
 *   3. sort h descending; fit a continuous 2-segment piecewise-linear curve to (x, v) with
 *      x = linspace(0, 1, L);
 *   4. HA sites = the first floor(b·L) − 1 residues of the descending order (0-based indices);
 *      θ = degrees(atan((m2 − m1) / (1 + m1·m2))).
 * LoC = argmin_ℓ |θ_ℓ − 90| (first layer wins ties); the protein's HA sites are the LoC layer's.
 *
 * Decisions where the authors' code is stochastic or undefined (tested in tests/test-hasites.c,
 * described in tests/reference/README_hasites.md):
 *   - Fit: deterministic and globally optimal. For b inside a grid interval (x_j, x_j+1) the SSE of
 *     the basis {1, x, max(0, x−b)} is smooth with one stationary point, available in closed form
 *     (a ratio of projected inner products); every interval is examined, the global minimum kept.
 *     Ties in SSE (relative 1e-12) go to the smallest b. pwlf searches b with differential evolution.
 *   - On (0, x_1] and [x_{L−2}, 1) the model space does not depend on b (the hinge only frees the
 *     end point), so the SSE is flat there: we report the closed end (b = x_1 or b = x_{L−2}) and
 *     flag the fit as not unique. b = 0 and b = 1 (a single line) never fit better.
 *   - Order of ties: the authors take np.argsort(h)[::-1] (ascending default sort, reversed); we
 *     use the reverse of a *stable* ascending sort, i.e. equal values in descending residue index.
 *     numpy's default sort is stable for ≤ 16 elements, unspecified beyond.
 *   - HA count = max(0, floor(b·L) − 1). Python's slice [:−1] would return L−1 residues when
 *     floor(b·L) = 0; that only happens for degenerate fits and is not reproduced.
 *   - 1 + m1·m2 == 0 (Python raises ZeroDivisionError): θ = ±90 from the IEEE quotient.
 *   - L < 3: no two-segment fit exists: b = 0, slopes from the single line (L = 2) or 0 (L = 1),
 *     θ = 0, no HA sites, fit flagged not unique. L = 3 fits exactly: b = 0.5, SSE 0, not unique.
 *   - A layer whose L×L block is all zero (max c = 0; numpy would give NaN): profile all 0.
 *   - Constant curves (and any curve a single line fits exactly): SSE 0 for every b; the smallest
 *     candidate wins, b = x_1 = 1/(L−1) (no HA sites), slopes equal, θ = 0, flagged not unique.
 */

typedef struct {
  double   breakpoint;  /* b in [0, 1] on the x = linspace(0,1,L) axis */
  double   intercept;   /* value of the fitted curve at x = 0 */
  double   m1;          /* slope left of b */
  double   m2;          /* slope right of b */
  double   sse;         /* residual sum of squares */
  double   theta;       /* degrees(atan((m2 − m1)/(1 + m1·m2))) */
  gboolean unique;      /* FALSE when another b (≥ 1e-9 away) fits as well */
} PlmHaFit;

typedef struct {
  PlmHaFit  fit;
  int       n_sites;    /* HA sites of this layer */
  int      *order;      /* [L] residue indices in descending-attention order; the first n_sites
                         * are the HA sites */
} PlmHaLayer;

typedef struct {
  int         n_layers;
  int         length;      /* L residues */
  float      *heatmap;     /* [n_layers, L] the rounded normalised profiles (the paper's figure) */
  PlmHaLayer *layers;      /* [n_layers] */
  int         loc;         /* 0-based layer of convergence */
  int         n_sites;     /* == layers[loc].n_sites */
  const int  *sites;       /* == layers[loc].order (first n_sites entries) */
} PlmHaResult;

/* fl32(rint(fl32(v·100))/100): numpy's np.round(v, 2) on a float32 value. */
float    plm_hasites_round2            (float         value);

/* One layer's rounded normalised received-attention profile from @probs [n_heads, T, T]
 * (T = L + 2, rows = query). @profile has L = T − 2 entries. */
void     plm_hasites_layer_profile     (const float  *probs,
                                        int           n_heads,
                                        int           n_tokens,
                                        float        *profile);

/* Residue indices sorted by descending @profile; ties in descending index (see above). */
void     plm_hasites_sort_desc         (const float  *profile,
                                        int           length,
                                        int          *order);

/* Globally optimal continuous 2-segment fit of @y (n values) against x = linspace(0,1,n). */
void     plm_hasites_fit_breakpoint    (const double *y,
                                        int           n,
                                        PlmHaFit     *fit);

/* SSE of the best fit with the breakpoint fixed at @b (for tests and the GUI). */
double   plm_hasites_sse_at            (const double *y,
                                        int           n,
                                        double        b);

/* HA count for breakpoint @b and length L: max(0, floor(b·L) − 1). */
int      plm_hasites_count             (double        b,
                                        int           length);

/* Fits one layer from its profile: order, fit, HA count. @layer->order must hold L ints. */
void     plm_hasites_fit_layer         (const float  *profile,
                                        int           length,
                                        PlmHaLayer   *layer);

/* argmin |θ − 90| over @n layers, first wins. */
int      plm_hasites_layer_of_convergence (const PlmHaLayer *layers,
                                           int               n_layers);

/* Streaming: feed each layer's attention from the PlmAttentionFunc callback; only the
 * [n_layers, L] heatmap is kept. */
typedef struct _PlmHaAccumulator PlmHaAccumulator;

PlmHaAccumulator *plm_ha_accumulator_new       (int                n_layers,
                                                int                length);
void              plm_ha_accumulator_free      (PlmHaAccumulator  *acc);
/* Returns FALSE (and ignores the data) when @layer or the shape does not match. */
gboolean          plm_ha_accumulator_add_layer (PlmHaAccumulator  *acc,
                                                int                layer,
                                                const float       *probs,
                                                int                n_heads,
                                                int                n_tokens);
/* Fits every layer and fills @result (free with plm_ha_result_clear). Fails with
 * PLM_ERROR_INPUT if a layer was never added. */
gboolean          plm_ha_accumulator_finish    (PlmHaAccumulator  *acc,
                                                PlmHaResult       *result,
                                                GError           **error);
/* Same from a complete heatmap [n_layers, L] (copied). */
void              plm_ha_result_from_heatmap   (const float       *heatmap,
                                                int                n_layers,
                                                int                length,
                                                PlmHaResult       *result);
void              plm_ha_result_clear          (PlmHaResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmHaAccumulator, plm_ha_accumulator_free)

G_END_DECLS
