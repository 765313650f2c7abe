/* plm-bench-util.h: what the C benchmarks share: a clock and the median of their samples. */
#pragma once

#include <glib.h>
#include <stdlib.h>

/* Seconds on the monotonic clock. */
static inline double
plm_bench_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static inline int
plm_bench_compare_double (const void *a,
                          const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of @n samples (the upper one of the middle two for even @n); sorts them in place. */
static inline double
plm_bench_median (double *samples,
                  int     n)
{
  qsort (samples, n, sizeof *samples, plm_bench_compare_double);
  return samples[n / 2];
}
