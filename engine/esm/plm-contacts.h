/* plm-contacts.h: ranking predicted contacts and scoring them against a structure: the one
 * implementation behind the Contacts view, its figure and the CLI. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Contacts are residue pairs with |i − j| ≥ this (medium and long range, as in ESM-2's paper). */
#define PLM_CONTACT_MIN_SEPARATION 6

/* The @k best pairs (i < j, j − i ≥ @min_separation) of an [L, L] map, by value, descending; ties
 * by i, then j. Row i of the map starts at @values + i × @row_stride. Writes i × L + j for each to
 * @pairs and returns how many (≤ @k). */
int    plm_contacts_rank       (const float  *values,
                                int           length,
                                gsize         row_stride,
                                int           min_separation,
                                int           k,
                                int          *pairs);
/* Of @n pairs (i × L + j), how many are contacts in @truth [L, L] (non-zero = contact); the
 * fraction, or NaN when @n is 0. @hits (may be NULL) gets the count. */
double plm_contacts_precision  (const int    *pairs,
                                int           n,
                                const guint8 *truth,
                                int          *hits);

G_END_DECLS
