/* plm-rng.h: a small seeded generator (xoshiro256** seeded by splitmix64) whose whole state
 * can be saved in a checkpoint, so that training is reproducible and resumable. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
  uint64_t s[4];
} PlmRng;

void     plm_rng_seed     (PlmRng *rng, uint64_t seed);
uint64_t plm_rng_next     (PlmRng *rng);
/* Uniform in [0, 1) with 24 random bits (exactly representable as float). */
float    plm_rng_float    (PlmRng *rng);
/* Uniform integer in [0, n), unbiased (rejection); n > 0. */
uint32_t plm_rng_below    (PlmRng *rng, uint32_t n);
/* Fisher-Yates shuffle of @n ints. */
void     plm_rng_shuffle  (PlmRng *rng, int *items, int n);

G_END_DECLS
