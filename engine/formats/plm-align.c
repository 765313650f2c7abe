/* plm-align.c: see plm-align.h. */
#include "plm-align.h"

#include <math.h>
#include <string.h>

#include "plm-error.h"

/* BLOSUM62 (Henikoff & Henikoff 1992), NCBI's table, in this order of letters. */
static const char order[] = "ARNDCQEGHILKMFPSTWYVBZX";
static const signed char blosum62[23][23] = {
  /*        A   R   N   D   C   Q   E   G   H   I   L   K   M   F   P   S   T   W   Y   V   B   Z   X */
  /* A */ { 4, -1, -2, -2,  0, -1, -1,  0, -2, -1, -1, -1, -1, -2, -1,  1,  0, -3, -2,  0, -2, -1,  0 },
  /* R */ {-1,  5,  0, -2, -3,  1,  0, -2,  0, -3, -2,  2, -1, -3, -2, -1, -1, -3, -2, -3, -1,  0, -1 },
  /* N */ {-2,  0,  6,  1, -3,  0,  0,  0,  1, -3, -3,  0, -2, -3, -2,  1,  0, -4, -2, -3,  3,  0, -1 },
  /* D */ {-2, -2,  1,  6, -3,  0,  2, -1, -1, -3, -4, -1, -3, -3, -1,  0, -1, -4, -3, -3,  4,  1, -1 },
  /* C */ { 0, -3, -3, -3,  9, -3, -4, -3, -3, -1, -1, -3, -1, -2, -3, -1, -1, -2, -2, -1, -3, -3, -2 },
  /* Q */ {-1,  1,  0,  0, -3,  5,  2, -2,  0, -3, -2,  1,  0, -3, -1,  0, -1, -2, -1, -2,  0,  3, -1 },
  /* E */ {-1,  0,  0,  2, -4,  2,  5, -2,  0, -3, -3,  1, -2, -3, -1,  0, -1, -3, -2, -2,  1,  4, -1 },
  /* G */ { 0, -2,  0, -1, -3, -2, -2,  6, -2, -4, -4, -2, -3, -3, -2,  0, -2, -2, -3, -3, -1, -2, -1 },
  /* H */ {-2,  0,  1, -1, -3,  0,  0, -2,  8, -3, -3, -1, -2, -1, -2, -1, -2, -2,  2, -3,  0,  0, -1 },
  /* I */ {-1, -3, -3, -3, -1, -3, -3, -4, -3,  4,  2, -3,  1,  0, -3, -2, -1, -3, -1,  3, -3, -3, -1 },
  /* L */ {-1, -2, -3, -4, -1, -2, -3, -4, -3,  2,  4, -2,  2,  0, -3, -2, -1, -2, -1,  1, -4, -3, -1 },
  /* K */ {-1,  2,  0, -1, -3,  1,  1, -2, -1, -3, -2,  5, -1, -3, -1,  0, -1, -3, -2, -2,  0,  1, -1 },
  /* M */ {-1, -1, -2, -3, -1,  0, -2, -3, -2,  1,  2, -1,  5,  0, -2, -1, -1, -1, -1,  1, -3, -1, -1 },
  /* F */ {-2, -3, -3, -3, -2, -3, -3, -3, -1,  0,  0, -3,  0,  6, -4, -2, -2,  1,  3, -1, -3, -3, -1 },
  /* P */ {-1, -2, -2, -1, -3, -1, -1, -2, -2, -3, -3, -1, -2, -4,  7, -1, -1, -4, -3, -2, -2, -1, -2 },
  /* S */ { 1, -1,  1,  0, -1,  0,  0,  0, -1, -2, -2,  0, -1, -2, -1,  4,  1, -3, -2, -2,  0,  0,  0 },
  /* T */ { 0, -1,  0, -1, -1, -1, -1, -2, -2, -1, -1, -1, -1, -2, -1,  1,  5, -2, -2,  0, -1, -1,  0 },
  /* W */ {-3, -3, -4, -4, -2, -2, -3, -2, -2, -3, -2, -3, -1,  1, -4, -3, -2, 11,  2, -3, -4, -3, -2 },
  /* Y */ {-2, -2, -2, -3, -2, -1, -2, -3,  2, -1, -1, -2, -1,  3, -3, -2, -2,  2,  7, -1, -3, -2, -1 },
  /* V */ { 0, -3, -3, -3, -1, -2, -2, -3, -3,  3,  1, -2,  1, -1, -2, -2,  0, -3, -1,  4, -3, -2, -1 },
  /* B */ {-2, -1,  3,  4, -3,  0,  1, -1,  0, -3, -4,  0, -3, -3, -2,  0, -1, -4, -3, -3,  4,  1, -1 },
  /* Z */ {-1,  0,  0,  1, -3,  3,  4, -2,  0, -3, -3,  1, -1, -3, -1,  0, -1, -3, -2, -2,  1,  4, -1 },
  /* X */ { 0, -1, -1, -1, -2, -1, -1, -1, -1, -1, -1, -1, -1, -1, -2,  0,  0, -2, -1, -1, -1, -1, -1 },
};

enum { X_ROW = 22 };

/* Row of BLOSUM62 for a letter (anything unknown → X). */
static int
row_of (char c)
{
  const char *p;

  c = g_ascii_toupper (c);
  if (c == '\0')
    return X_ROW;
  p = strchr (order, c);
  return p ? (int) (p - order) : X_ROW;
}

int
plm_align_blosum62 (char a,
                    char b)
{
  return blosum62[row_of (a)][row_of (b)];
}

void
plm_alignment_free (PlmAlignment *alignment)
{
  if (alignment == NULL)
    return;
  g_free (alignment->seq_to_observed);
  g_free (alignment);
}

/* Identical: the same letter, one of the twenty, B, Z, U (selenocysteine) or O (pyrrolysine). */
static gboolean
same_letter (char a,
             char b)
{
  a = g_ascii_toupper (a);
  b = g_ascii_toupper (b);
  return a == b && a != '\0' && strchr ("ACDEFGHIKLMNPQRSTVWYBZUO", a) != NULL;
}

enum { ST_M = 0, ST_X = 1, ST_Y = 2 };   /* pair; sequence residue vs gap; observed residue vs gap */
#define NEG (G_MININT32 / 4)

static inline int
best3 (int a, int b, int c, int *which)
{
  /* ties: the first */
  if (a >= b && a >= c)
    {
      *which = 0;
      return a;
    }
  if (b >= c)
    {
      *which = 1;
      return b;
    }
  *which = 2;
  return c;
}

PlmAlignment *
plm_align_global (const char  *sequence,
                  int          n,
                  const char  *observed,
                  int          m,
                  GError     **error)
{
  g_autofree int *rows = NULL;
  g_autofree guint8 *tb = NULL;
  g_autofree guint8 *srow = NULL, *orow = NULL;
  int *pm, *px, *py, *cm, *cx, *cy;
  gsize stride = (gsize) m + 1;
  PlmAlignment *a;
  int best = NEG, best_i = 0, best_state = ST_Y, i, j, state;

  if (n <= 0 || m <= 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "nothing to align: the %s is empty",
                   n <= 0 ? "sequence" : "structure chain");
      return NULL;
    }
  if (n > PLM_ALIGN_MAX_LENGTH || m > PLM_ALIGN_MAX_LENGTH || (gsize) n + 1 > PLM_ALIGN_MAX_CELLS / stride)
    {
      g_autofree char *need = g_format_size (((guint64) n + 1) * stride);
      g_autofree char *limit = g_format_size (PLM_ALIGN_MAX_CELLS);
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   "aligning %d sequence residues to %d structure residues would take %s, more than the limit of %s",
                   n, m, need, limit);
      return NULL;
    }

  srow = g_new (guint8, n);
  orow = g_new (guint8, m);
  for (i = 0; i < n; i++)
    srow[i] = (guint8) row_of (sequence[i]);
  for (j = 0; j < m; j++)
    orow[j] = (guint8) row_of (observed[j]);

  rows = g_new (int, 6 * stride);
  pm = rows; px = pm + stride; py = px + stride; cm = py + stride; cx = cm + stride; cy = cx + stride;
  tb = g_malloc ((gsize) (n + 1) * stride);   /* bits 0–1: M's predecessor, 2–3: X's, 4–5: Y's */

  /* row 0: observed residues before any sequence residue are gaps in the sequence row */
  pm[0] = 0;
  px[0] = py[0] = NEG;
  for (j = 1; j <= m; j++)
    {
      pm[j] = px[j] = NEG;
      py[j] = PLM_ALIGN_GAP_OPEN + (j - 1) * PLM_ALIGN_GAP_EXTEND;
      tb[j] = (guint8) ((j == 1 ? ST_M : ST_Y) << 4);
    }
  if (py[m] > best)
    best = py[m], best_i = 0, best_state = ST_Y;
  for (i = 1; i <= n; i++)
    {
      const signed char *score = blosum62[srow[i - 1]];
      guint8 *t = tb + (gsize) i * stride;

      /* column 0: leading sequence residues are free */
      cm[0] = cy[0] = NEG;
      cx[0] = 0;
      t[0] = 0;
      for (j = 1; j <= m; j++)
        {
          int wm, wx, wy;
          int vm = best3 (pm[j - 1], px[j - 1], py[j - 1], &wm);
          int vx = best3 (pm[j] + PLM_ALIGN_GAP_OPEN, px[j] + PLM_ALIGN_GAP_EXTEND, py[j] + PLM_ALIGN_GAP_OPEN, &wx);
          int vy = best3 (cm[j - 1] + PLM_ALIGN_GAP_OPEN, cx[j - 1] + PLM_ALIGN_GAP_OPEN, cy[j - 1] + PLM_ALIGN_GAP_EXTEND, &wy);

          cm[j] = vm + score[orow[j - 1]];
          cx[j] = vx;
          cy[j] = vy;
          /* best3 returns 0, 1, 2 in the order of its arguments: map to states */
          t[j] = (guint8) (wm | ((wx == 0 ? ST_M : wx == 1 ? ST_X : ST_Y) << 2)
                           | ((wy == 0 ? ST_M : wy == 1 ? ST_X : ST_Y) << 4));
        }
      /* trailing sequence residues are free: the alignment may end on any row */
      if (cm[m] >= best)
        best = cm[m], best_i = i, best_state = ST_M;
      if (cy[m] > best || (cy[m] == best && best_i < i))
        best = cy[m], best_i = i, best_state = ST_Y;
      { int *s; s = pm; pm = cm; cm = s; s = px; px = cx; cx = s; s = py; py = cy; cy = s; }
    }

  a = g_new0 (PlmAlignment, 1);
  a->seq_length = n;
  a->seq_to_observed = g_new (int, n);
  for (i = 0; i < n; i++)
    a->seq_to_observed[i] = -1;
  a->score = best;
  i = best_i;
  j = m;
  state = best_state;
  while (i > 0 && j > 0)
    {
      guint8 b = tb[(gsize) i * stride + j];
      if (state == ST_M)
        {
          a->seq_to_observed[i - 1] = j - 1;
          a->aligned++;
          a->identical += same_letter (sequence[i - 1], observed[j - 1]);
          state = b & 3;
          i--;
          j--;
        }
      else if (state == ST_X)
        {
          state = (b >> 2) & 3;
          i--;
        }
      else
        {
          state = (b >> 4) & 3;
          j--;
        }
    }
  a->identity = a->aligned > 0 ? (double) a->identical / a->aligned : NAN;
  a->coverage = (double) a->aligned / n;
  return a;
}
