/* heatmap-test-data.c: softmax over structured random scores, so maps look like attention. */
#include "heatmap-test-data.h"

#include <math.h>

float *
plm_test_attention_map (int L, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  float *a = g_new (float, (gsize) L * L);
  int hubs[4];
  int shift = 3 + (int) (seed % 7);

  for (int h = 0; h < 4; h++)
    hubs[h] = g_rand_int_range (rand, 0, L);
  for (int i = 0; i < L; i++)
    {
      float *row = a + (gsize) i * L;
      double max = -INFINITY, sum = 0;
      for (int j = 0; j < L; j++)
        {
          double s = g_rand_double (rand) * 1.5;
          s += 4.0 * exp (-fabs ((double) (i - j)) / 2.0);           /* local band */
          s += 3.0 * exp (-fabs ((double) (i + shift - j)) / 1.5);   /* shifted band */
          s += j == 0 ? 5.0 : 0;                                      /* <cls> sink */
          for (int h = 0; h < 4; h++)
            s += j == hubs[h] ? 3.0 : 0;
          /* a contact-like antiparallel patch */
          if (abs (i - L / 3) < L / 10 && abs (j - (2 * L / 3 - (i - L / 3))) < 2)
            s += 4.0;
          row[j] = (float) s;
          max = MAX (max, s);
        }
      for (int j = 0; j < L; j++)
        sum += row[j] = (float) exp (row[j] - max);
      for (int j = 0; j < L; j++)
        row[j] = (float) (row[j] / sum);
    }
  g_rand_free (rand);
  return a;
}

char *
plm_test_sequence (int L, guint32 seed)
{
  static const char amino[] = "ACDEFGHIKLMNPQRSTVWY";
  GRand *rand = g_rand_new_with_seed (seed);
  char *s = g_new (char, L + 1);

  for (int i = 0; i < L; i++)
    s[i] = amino[g_rand_int_range (rand, 0, 20)];
  s[L] = 0;
  g_rand_free (rand);
  return s;
}
