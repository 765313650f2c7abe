/* plm-length-histogram.h: a cairo histogram of sequence lengths for the data preview. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PLM_TYPE_LENGTH_HISTOGRAM (plm_length_histogram_get_type ())
G_DECLARE_FINAL_TYPE (PlmLengthHistogram, plm_length_histogram, PLM, LENGTH_HISTOGRAM, GtkWidget)

GtkWidget *plm_length_histogram_new         (void);
/* @lengths: int per sequence (copied); NULL clears. @max_len marks the truncation length
 * (0: none). */
void       plm_length_histogram_set_lengths (PlmLengthHistogram *self,
                                             GArray             *lengths,
                                             int                 max_len);
/* Counts per bin of the last set_lengths (for tests). */
const int *plm_length_histogram_get_bins    (PlmLengthHistogram *self,
                                             int                *n_bins,
                                             int                *bin_width);

G_END_DECLS
