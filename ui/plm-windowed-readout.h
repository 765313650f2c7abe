/* plm-windowed-readout.h: what the views say about a windowed run's pairs: which window a value
 * came from, and the grey of pairs no window holds. */
#pragma once

#include <glib.h>

#include "plm-inference-worker.h"

G_BEGIN_DECLS

/* "window 2 · residues 767–1788" for token pair (@query, @key) of a windowed @result (tokens:
 * residue i is token i + 1), "not computed: no window holds both" for a pair none holds; NULL
 * for a whole-length result. */
char       *plm_windowed_readout_pair   (PlmInferenceResult *result,
                                         int                 query,
                                         int                 key);
/* The legend line for the grey cells of a windowed map, as Pango markup with a grey swatch. */
char       *plm_windowed_readout_legend (void);

G_END_DECLS
