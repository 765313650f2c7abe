/* plm-test-util.h: helpers shared by the C tests: fixture paths and tolerant array comparison. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-npy.h"

/* $PLM_TEST_DATA/…, the project's own committed fixtures. */
char    *plm_test_data_path     (const char *first, ...) G_GNUC_NULL_TERMINATED;
/* $PLM_SHARED_FIXTURES, or NULL (with the reason printed) when absent. */
char    *plm_test_shared_fixtures (void);
/* Loads an .npy file or fails the test. */
void     plm_test_load_npy      (const char *path, PlmNpyArray *out);
/* max|a−b| ≤ rel·max(1, max|b|); prints the worst entries on failure and returns the error. */
double   plm_test_compare       (const char  *what,
                                 const float *a,
                                 const float *b,
                                 guint64      n,
                                 double       rel,
                                 gboolean    *ok);
/* Writes @len bytes to a new file in a temporary directory; returns its path. */
char    *plm_test_write_file    (const char *dir,
                                 const char *name,
                                 const void *data,
                                 gsize       len);
/* Runs $PLM_CLI with @args (NULL-terminated, without the program name); asserts that it exited
 * rather than crashed and returns its exit status. @out and @err (may be NULL) receive stdout
 * and stderr; stderr is also logged when the status is not 0. */
int      plm_test_run_cli       (const char *const *args,
                                 char              **out,
                                 char              **err);
/* A small random head of @kind (a PlmNmHeadKind; d_model 32, 2 classes) saved as @dir/@name;
 * returns its path. */
char    *plm_test_write_random_head (const char *dir,
                                     const char *name,
                                     int         kind);
/* Removes @path and, for a directory, everything below it (test clean-up; errors ignored). */
void     plm_test_rm_rf         (const char *path);
/* @n uniform random floats in [@lo, @hi). */
void     plm_test_fill_random   (GRand      *rand,
                                 float      *x,
                                 gsize       n,
                                 double      lo,
                                 double      hi);

/* One chain of plm_test_write_helix_pdb: @sequence's residue i has author number @first + i
 * and its Cα at plm_test_helix_ca (@offset_x, i); residues @skip_from ≤ i < @skip_to are not
 * written (a missing loop). */
typedef struct {
  const char *chain;
  const char *sequence;
  int         first;
  int         skip_from, skip_to;
  double      offset_x;
} PlmTestChain;
/* The Cα of residue @i on an α-helix's trace (radius 2.3 Å, 100° and 1.5 Å per residue), moved
 * by @offset_x along x. */
void     plm_test_helix_ca      (double      offset_x,
                                 int         i,
                                 double      ca[3]);
/* A PDB file of @n_chains chains of Cα atoms in a temporary directory; returns its path. */
char    *plm_test_write_helix_pdb (const char         *name,
                                   const PlmTestChain *chains,
                                   int                 n_chains);
