/* plm-rng.c: xoshiro256** (Blackman & Vigna) with splitmix64 seeding. */
#include "plm-rng.h"

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

void
plm_rng_seed (PlmRng *rng, uint64_t seed)
{
  uint64_t x = seed;
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

uint64_t
plm_rng_next (PlmRng *rng)
{
  uint64_t *s = rng->s;
  uint64_t result = rotl (s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

float
plm_rng_float (PlmRng *rng)
{
  return (float) (plm_rng_next (rng) >> 40) * (1.0f / 16777216.0f);
}

uint32_t
plm_rng_below (PlmRng *rng, uint32_t n)
{
  /* Reject the top partial block so every residue is equally likely. */
  uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
  uint64_t r;
  do
    r = plm_rng_next (rng);
  while (r >= limit);
  return (uint32_t) (r % n);
}

void
plm_rng_shuffle (PlmRng *rng, int *items, int n)
{
  for (int i = n - 1; i > 0; i--)
    {
      int j = (int) plm_rng_below (rng, (uint32_t) i + 1);
      int t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
}
