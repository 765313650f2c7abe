/* plm-scan-matrix.c: the 20 × L score matrix of a variant scan and its per-position summaries. */
#include "plm-scan-matrix.h"

#include <math.h>
#include <string.h>

#include "plm-scan.h"
#include "plm-tokenizer.h"

void
plm_scan_score_matrix (const float *log_probs, int V, const int32_t *tokens, int T, const char *order,
                       float *scores)
{
  int L = T - 2;

  for (int a = 0; a < 20; a++)
    {
      int mt = plm_token_for_char (order[a]);

      for (int i = 0; i < L; i++)
        {
          const float *row = log_probs + (gsize) i * V;
          scores[(gsize) a * L + i] = mt == tokens[i + 1] ? 0.0f : row[mt] - row[tokens[i + 1]];
        }
    }
}

int
plm_scan_order_row (const char *order, char letter)
{
  const char *p = letter != '\0' ? strchr (order, g_ascii_toupper (letter)) : NULL;
  return p != NULL && p - order < 20 ? (int) (p - order) : -1;
}

void
plm_scan_column_means (const float *scores, int L, const char *order, const char *sequence, float *means)
{
  for (int i = 0; i < L; i++)
    {
      int wt = plm_scan_order_row (order, sequence[i]);
      double sum = 0.0;

      for (int a = 0; a < 20; a++)
        if (a != wt)
          sum += scores[(gsize) a * L + i];
      means[i] = (float) (sum / (wt >= 0 ? 19 : 20));
    }
}

void
plm_scan_entropies (const float *log_probs, int V, int L, float *entropies)
{
  int ids[20];

  for (int a = 0; a < 20; a++)
    ids[a] = plm_token_for_char (PLM_SCAN_AMINO_ACIDS[a]);
  for (int i = 0; i < L; i++)
    {
      const float *row = log_probs + (gsize) i * V;
      double z = 0.0, h = 0.0;

      for (int a = 0; a < 20; a++)
        z += exp (row[ids[a]]);
      for (int a = 0; a < 20; a++)
        {
          double p = exp (row[ids[a]]) / z;
          if (p > 0.0)
            h -= p * log (p);
        }
      entropies[i] = (float) h;
    }
}
