/* plm-test-structure.h: synthetic PDB files for the structure tests and benchmark. */
#pragma once

#include <glib.h>

/* Writes @dir/@name: @n_chains chains (A, B, …) each carrying @sequence (its residue names) on a
 * compact "ball of yarn" — a spherical spiral with Cα every 3.8 Å, radius ∝ √L — the chains side
 * by side in a square grid. Returns the path. */
char *plm_test_write_fold (const char *dir,
                           const char *name,
                           const char *sequence,
                           int         n_chains);
