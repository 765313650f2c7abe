/* plm-hastats.h: distances and cluster statistics for the HA-site family analysis. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* scipy.spatial.distance.cosine: 1 − a·b / (‖a‖·‖b‖), in double. A zero vector (scipy: NaN)
 * gives NaN here too, so callers can drop it. */
double   plm_cosine_distance     (const float  *a,
                                  const float  *b,
                                  int           dim);

/* The paper's HA-based protein distance: all cosine distances between the HA vectors of
 * protein A (@na rows of @dim) and protein B; the mean of the row minima and the mean of the
 * column minima, averaged (a symmetric best-match / Chamfer distance). NaN entries are skipped;
 * NaN when either side has no usable vector. */
double   plm_ha_distance         (const float  *a,
                                  int           na,
                                  const float  *b,
                                  int           nb,
                                  int           dim);

/* Silhouette of one family in a full distance matrix @d [n, n] (row-major, NaN = unknown):
 * for each member i, a = mean distance to the other members, b = mean distance to all
 * non-members (one family against the rest), s = (b − a) / max(a, b); the family's value is
 * the mean s over members with both a and b defined. NaN when fewer than 2 members or no
 * non-member have distances. */
double   plm_family_silhouette   (const double   *d,
                                  int             n,
                                  const gboolean *member);

/* Median of @n values (sorted copy; mean of the middle two for even n). NaN when n = 0. */
double   plm_median              (const double   *values,
                                  int             n);

G_END_DECLS
