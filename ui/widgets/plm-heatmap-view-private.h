/* plm-heatmap-view-private.h: in-tree API of PlmHeatmapView, for tests. */
#pragma once

#include "plm-heatmap-view.h"

G_BEGIN_DECLS

/* GL renderer counters since it was realised: data uploads, GPU re-colourings of the cells,
 * frames drawn. FALSE when the GL renderer is not in use. */
gboolean plm_heatmap_view_get_gl_stats (PlmHeatmapView *self,
                                        guint          *uploads,
                                        guint          *recolors,
                                        guint          *frames);

G_END_DECLS
