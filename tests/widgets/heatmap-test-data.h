/* heatmap-test-data.h: synthetic attention-like maps for the heatmap tests, demo and benchmark. */
#pragma once

#include <glib.h>

/* An L × L row-stochastic map (each row sums to 1) with the structures real ESM-2 heads show:
 * a diagonal band, attention to the first token, a few "hub" columns and an off-diagonal
 * (contact-like) band. Deterministic in @seed. g_free the result. */
float *plm_test_attention_map (int L, guint32 seed);
/* A short pseudo-protein sequence of @L residues (static storage not needed: g_free it). */
char  *plm_test_sequence      (int L, guint32 seed);
