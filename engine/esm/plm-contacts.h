/* plm-contacts.h: ranking predicted contacts and scoring them against a structure: the one
 * implementation behind the Contacts view, its figure and the CLI. */
#pragma once

#include <glib.h>

#include "plm-structure-map.h"

G_BEGIN_DECLS

/* Contacts are residue pairs with |i − j| ≥ this (medium and long range, as in ESM-2's paper). */
#define PLM_CONTACT_MIN_SEPARATION 6
/* Two residues are in contact when their Cβ (Gly: Cα) lie closer than this, in Å. */
#define PLM_CONTACT_CUTOFF 8.0

/* A true-contact map [L, L] holds 1 (contact), 0 (no contact) or this: unknown, because a
 * residue of the pair was not observed in the structure (or its distance is NaN). Unknown
 * pairs are neither ranked for precision nor counted. */
#define PLM_CONTACT_UNKNOWN 0xff

/* The @k best pairs (i < j, j − i ≥ @min_separation) of an [L, L] map, by value, descending; ties
 * by i, then j. Row i of the map starts at @values + i × @row_stride. Writes i × L + j for each to
 * @pairs and returns how many (≤ @k). */
int    plm_contacts_rank       (const float  *values,
                                int           length,
                                gsize         row_stride,
                                int           min_separation,
                                int           k,
                                int          *pairs);
/* plm_contacts_rank over the pairs whose @truth is known only (@truth NULL: all pairs): the
 * ranking precision at L/k is taken from, as in ESM's evaluation (unknown pairs are masked
 * before ranking, k stays L/k of the whole sequence). */
int    plm_contacts_rank_known (const float  *values,
                                int           length,
                                gsize         row_stride,
                                int           min_separation,
                                int           k,
                                const guint8 *truth,
                                int          *pairs);
/* Of @n pairs (i × L + j), how many are contacts in @truth [L, L] (1 = contact); pairs whose
 * truth is PLM_CONTACT_UNKNOWN count in neither numerator nor denominator. The fraction, or NaN
 * when no pair is known. @hits (may be NULL) gets the count. */
double plm_contacts_precision  (const int    *pairs,
                                int           n,
                                const guint8 *truth,
                                int          *hits);
/* True contacts [L, L] of a sequence mapped onto a structure: 1 when the Cβ (Gly: Cα; a
 * missing Cβ: Cα) of both residues lie closer than PLM_CONTACT_CUTOFF, 0 when not,
 * PLM_CONTACT_UNKNOWN when either residue is not in the structure. */
guint8 *plm_contacts_from_structure (const PlmStructure    *structure,
                                     const PlmStructureMap *map);

G_END_DECLS
