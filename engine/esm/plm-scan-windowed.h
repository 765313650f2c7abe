/* plm-scan-windowed.h: variant scans of proteins longer than a model's positions, by the windowed
 * rule (plm-windowed.h): residue i's log-probabilities come from the window that owns i, with the
 * masked forward of i (or the unmasked one, wt-marginal) run on that window alone. */
#pragma once

#include "plm-scan.h"
#include "plm-windowed.h"

G_BEGIN_DECLS

/* plm_scan_log_probs of @tokens (the whole protein's, T = L + 2) in windows of @size residues
 * with @overlap: every window runs plm_scan_log_probs on its own tokens for the residues it
 * owns. @log_probs [L, vocab]; @skip, @options and the callbacks count in whole-protein
 * residues (progress: residues done of L). L ≤ @size is one window, the plain scan. */
gboolean plm_scan_log_probs_windowed (PlmEsmState          *state,
                                      const int32_t        *tokens,
                                      int                   n_tokens,
                                      PlmScanMode           mode,
                                      const gboolean       *skip,
                                      const PlmScanOptions *options,
                                      int                   size,
                                      int                   overlap,
                                      float                *log_probs,
                                      GError              **error);

G_END_DECLS
