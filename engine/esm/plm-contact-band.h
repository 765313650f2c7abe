/* plm-contact-band.h: an [L, L] pair map kept only inside a band of columns per row.
 *
 * Row i holds columns [lo[i], hi[i]); everything outside reads as NaN. Memory is the sum of
 * the band widths, O(L·W) for the windowed contact maps (plm-windowed.h), where a row's band
 * is the union of the windows holding the residue, not O(L²). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int    length;   /* L rows and columns */
  int   *lo;       /* [L] first column kept in row i */
  int   *hi;       /* [L] one past the last */
  gsize *offset;   /* [L + 1] start of row i in values */
  float *values;   /* [offset[L]] NaN until set */
} PlmContactBand;

/* A band of NaN over columns [lo[i], hi[i]) of each row i (lo ≤ hi, both within 0..L). */
PlmContactBand *plm_contact_band_new        (int                   length,
                                             const int            *lo,
                                             const int            *hi);
void            plm_contact_band_free       (PlmContactBand       *band);
/* The value at (i, j), NaN outside the band (and for i, j outside 0..L). */
float           plm_contact_band_get        (const PlmContactBand *band,
                                             int                   i,
                                             int                   j);
/* Columns [@c0, @c1) of row @i into @out [c1 − c0], NaN outside the band (0 ≤ c0 ≤ c1 ≤ L). */
void            plm_contact_band_copy_row   (const PlmContactBand *band,
                                             int                   i,
                                             int                   c0,
                                             int                   c1,
                                             float                *out);
/* Row @i as a dense [L] row, NaN outside the band; @mask (or NULL) is 1 inside, 0 outside. */
void            plm_contact_band_dense_row  (const PlmContactBand *band,
                                             int                   i,
                                             float                *row,
                                             guint8               *mask);
/* The top @k pairs i < j, j − i ≥ @min_separation, by value of the band (NaN and pairs outside
 * it have no rank; with @truth [L, L], nor have PLM_CONTACT_UNKNOWN pairs), as i × L + j in
 * @pairs: exactly plm_contacts_rank_known of the dense map (ties by i, then j), in O(k) memory
 * over the band's pairs, not L²/2. Returns how many were written (≤ k). */
int             plm_contact_band_rank       (const PlmContactBand *band,
                                             int                   min_separation,
                                             int                   k,
                                             const guint8         *truth,
                                             int                  *pairs);
/* Pairs i < j, j − i ≥ @min_separation, that hold a value (not NaN). */
gint64          plm_contact_band_count      (const PlmContactBand *band,
                                             int                   min_separation);
/* Floats held: the sum of the band widths. */
gsize           plm_contact_band_n_values   (const PlmContactBand *band);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmContactBand, plm_contact_band_free)

G_END_DECLS
