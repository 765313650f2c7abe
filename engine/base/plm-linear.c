/* plm-linear.c: activations × weight matrix products. The engine's threads share out the output
 * columns (or, for narrow outputs, the rows) and each runs a single-threaded product on its
 * block: one fork/join per call however many weights it has, and the bias and GELU are applied
 * to each block while it is still in cache, instead of in passes of their own. Weights with fp32
 * panels (plm-quant.h) go through plm-gemm-f32.c in 48-column × 128-row tasks; others through
 * OpenBLAS's sgemm. */
#include "plm-linear.h"

#include <cblas.h>
#include <glib.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "plm-ops.h"

#define MIN_L(a, b) ((a) < (b) ? (a) : (b))
#define MAX_L(a, b) ((a) > (b) ? (a) : (b))

/* Columns a thread's block is a multiple of (the widest kernels' register tile). */
#define COLUMN_GRAIN 32

/* OpenBLAS's small-matrix sgemm kernels (0.3.21, SkylakeX/Cooperlake: in this layout when
 * rows × columns ≤ 1,200 and rows × columns × inner ≤ 10^6) sum in another order than its blocked
 * kernels, so a row's result would depend on how many rows share its call. Products that small run
 * padded with zero rows: a sequence in a packed batch gets exactly what it gets alone. */
#define SMALL_KERNEL_MN 1200

static void linear_block (float *out, int ld_out, const float *x, int M, int n_in, const float *w,
                          const float *b, int n, PlmLinearEpilogue epilogue);

static void
linear_block_padded (float *out, int ld_out, const float *x, int M, int n_in, const float *w, const float *b,
                     int n, PlmLinearEpilogue epilogue)
{
  int Mp = SMALL_KERNEL_MN / n + 1;
  float *xp = g_new0 (float, (gsize) Mp * n_in), *op = g_new0 (float, (gsize) Mp * n);

  memcpy (xp, x, sizeof (float) * (gsize) M * n_in);
  for (int t = 0; epilogue == PLM_LINEAR_ACCUMULATE && t < M; t++)
    memcpy (op + (gsize) t * n, out + (gsize) t * ld_out, sizeof (float) * n);
  linear_block (op, n, xp, Mp, n_in, w, b, n, epilogue);
  for (int t = 0; t < M; t++)
    memcpy (out + (gsize) t * ld_out, op + (gsize) t * n, sizeof (float) * n);
  g_free (xp);
  g_free (op);
}

/* out[M, n] (rows ld_out apart) = epilogue (x[M, n_in] · w[n, n_in]ᵀ + b[n]) on the calling
 * thread: the one place that multiplies by a weight. */
static void
linear_block (float *out, int ld_out, const float *x, int M, int n_in, const float *w, const float *b, int n,
              PlmLinearEpilogue epilogue)
{
  if (M <= 0 || n <= 0)
    return;
  if ((long) M * n <= SMALL_KERNEL_MN)
    {
      linear_block_padded (out, ld_out, x, M, n_in, w, b, n, epilogue);
      return;
    }
  if (b != NULL)
    for (int t = 0; t < M; t++)
      {
        float *o = out + (size_t) t * ld_out;
        if (epilogue == PLM_LINEAR_ACCUMULATE)
          for (int j = 0; j < n; j++)
            o[j] += b[j];
        else
          memcpy (o, b, sizeof (float) * n);
      }
  float beta = b != NULL || epilogue == PLM_LINEAR_ACCUMULATE ? 1.0f : 0.0f;
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, n, n_in, 1.0f, x, n_in, w, n_in, beta, out, ld_out);
  if (epilogue == PLM_LINEAR_GELU)
    plm_gelu_block (out, M, n, ld_out);
}

/* Thread @tid of @nt: its share of the columns of all targets (contiguous across targets), or of
 * the rows when @by_rows. */
static void
linear_share (const float *x, int M, int n_in, const PlmLinearTarget *targets, int n_targets,
              PlmLinearEpilogue epilogue, int tid, int nt, int by_rows)
{
  if (by_rows)
    {
      int r0 = (int) ((long) M * tid / nt), r1 = (int) ((long) M * (tid + 1) / nt);
      for (int i = 0; i < n_targets; i++)
        {
          const PlmLinearTarget *g = &targets[i];
          linear_block (g->out + (size_t) r0 * g->ld_out, g->ld_out, x + (size_t) r0 * n_in, r1 - r0, n_in,
                        g->w, g->b, g->n_out, epilogue);
        }
      return;
    }
  long total = 0;
  for (int i = 0; i < n_targets; i++)
    total += targets[i].n_out;
  long grains = (total + COLUMN_GRAIN - 1) / COLUMN_GRAIN;
  long c0 = MIN_L (grains * tid / nt * COLUMN_GRAIN, total);
  long c1 = MIN_L (grains * (tid + 1) / nt * COLUMN_GRAIN, total);
  long base = 0;
  for (int i = 0; i < n_targets && base < c1; base += targets[i].n_out, i++)
    {
      const PlmLinearTarget *g = &targets[i];
      long lo = MAX_L (c0, base) - base, hi = MIN_L (c1, base + g->n_out) - base;
      if (hi <= lo)
        continue;
      linear_block (g->out + lo, g->ld_out, x, M, n_in, g->w + (size_t) lo * n_in, g->b != NULL ? g->b + lo : NULL,
                    (int) (hi - lo), epilogue);
    }
}

/* An fp32-panel task is one 48-column weight tile times up to 128 rows: the tile is read from L2
 * for 16 register tiles (tried: row blocks sized to stay in L2, each over all tiles, were
 * 5-15 % slower at 150M). */
#define F32_TASK_ROWS 128
#define F32_MAX_TARGETS 8

/* All of @targets through their fp32 panels in one parallel loop; FALSE (nothing done) when one
 * has none. */
static gboolean
linear_f32 (const PlmLowp *lowp, const float *x, int M, int n_in, const PlmLinearTarget *targets, int n_targets,
            PlmLinearEpilogue epilogue, int nt)
{
  const PlmF32Matrix *p[F32_MAX_TARGETS];
  int first[F32_MAX_TARGETS + 1] = { 0 };

  if (n_targets > F32_MAX_TARGETS)
    return FALSE;
  for (int i = 0; i < n_targets; i++)
    {
      p[i] = plm_lowp_f32 (lowp, targets[i].w);
      if (p[i] == NULL || p[i]->n_in != n_in || p[i]->n_out != targets[i].n_out)
        return FALSE;
      first[i + 1] = first[i] + p[i]->np / PLM_F32_TILE_N;
    }
  const PlmIsa isa = plm_lowp_isa (lowp);
  const int m_blocks = (M + F32_TASK_ROWS - 1) / F32_TASK_ROWS, tasks = first[n_targets] * m_blocks;
  const gboolean accumulate = epilogue == PLM_LINEAR_ACCUMULATE;

#pragma omp parallel for schedule(dynamic) num_threads(nt) if (nt > 1)
  for (int task = 0; task < tasks; task++)
    {
      int tile = task / m_blocks, mb = task % m_blocks, i = 0;
      while (tile >= first[i + 1])
        i++;
      tile -= first[i];
      const PlmLinearTarget *g = &targets[i];
      int m0 = mb * F32_TASK_ROWS, rows = MIN_L (F32_TASK_ROWS, M - m0);
      float *out = g->out + (size_t) m0 * g->ld_out;
      plm_gemm_f32_block (isa, out, g->ld_out, x + (size_t) m0 * n_in, rows, p[i], tile, g->b, accumulate);
      if (epilogue == PLM_LINEAR_GELU)
        {
          int n0 = tile * PLM_F32_TILE_N;
          plm_gelu_block (out + n0, rows, MIN_L (PLM_F32_TILE_N, g->n_out - n0), g->ld_out);
        }
    }
  return TRUE;
}

/* One target through the reduced-precision kernels (threaded themselves), then its epilogue. */
static void
linear_lowp (const PlmLowp *lowp, const float *x, int M, int n_in, const PlmLinearTarget *g,
             PlmLinearEpilogue epilogue)
{
  const int n = g->n_out;
  gboolean direct = epilogue != PLM_LINEAR_ACCUMULATE && g->ld_out == n;
  float *tmp = direct ? g->out : g_new (float, (gsize) M * n);

  plm_lowp_linear (lowp, tmp, x, g->w, g->b, M, n_in, n);
  if (epilogue == PLM_LINEAR_GELU)
    plm_gelu_block (tmp, M, n, n);
  if (direct)
    return;
  for (int t = 0; t < M; t++)
    {
      float *o = g->out + (size_t) t * g->ld_out;
      const float *r = tmp + (size_t) t * n;
      if (epilogue == PLM_LINEAR_ACCUMULATE)
        for (int j = 0; j < n; j++)
          o[j] += r[j];
      else
        memcpy (o, r, sizeof (float) * n);
    }
  g_free (tmp);
}

void
plm_linear_n (const PlmLowp *lowp, const float *x, int M, int n_in, const PlmLinearTarget *targets,
              int n_targets, PlmLinearEpilogue epilogue)
{
  int nt = 1;
  long total = 0;

  gboolean all_lowp = lowp != NULL && M > 0;

  for (int i = 0; i < n_targets; i++)
    {
      total += targets[i].n_out;
      all_lowp = all_lowp && plm_lowp_has (lowp, targets[i].w);
    }
  if (all_lowp && plm_lowp_precision (lowp) == PLM_PRECISION_FP32)
    {
      nt = 1;
#ifdef _OPENMP
      if (!omp_in_parallel ())
        nt = MIN_L (omp_get_max_threads (), omp_get_thread_limit ());
#endif
      if ((double) M * (double) total * (double) n_in < 2e5)
        nt = 1;
      if (linear_f32 (lowp, x, M, n_in, targets, n_targets, epilogue, nt))
        return;
      all_lowp = FALSE;
    }
  if (all_lowp)
    {
      for (int i = 0; i < n_targets; i++)
        linear_lowp (lowp, x, M, n_in, &targets[i], epilogue);
      return;
    }
#ifdef _OPENMP
  /* never more than a team can have: a region whose team is one thread is not "in parallel" to
   * OpenBLAS's OpenMP build, whose sgemm then waits for threads that never come */
  if (!omp_in_parallel ())
    nt = MIN_L (omp_get_max_threads (), omp_get_thread_limit ());
#endif
  /* a block narrower than a few register tiles, or shorter than one, wastes the kernel */
  int by_rows = total < (long) nt * 4 * COLUMN_GRAIN;
  if (by_rows)
    nt = MIN_L (nt, M / 8);
  if ((double) M * (double) total * (double) n_in < 2e5)
    nt = 1;
  if (nt <= 1)
    {
      linear_share (x, M, n_in, targets, n_targets, epilogue, 0, 1, 0);
      return;
    }
#pragma omp parallel num_threads(nt)
  {
    int tid = 0, team = 1;
#ifdef _OPENMP
    tid = omp_get_thread_num ();
    team = omp_get_num_threads ();
#endif
    linear_share (x, M, n_in, targets, n_targets, epilogue, tid, team, by_rows);
  }
}

void
plm_linear (const PlmLowp *lowp, float *out, const float *x, const float *w, const float *b, int M, int n_in, int n_out,
            PlmLinearEpilogue epilogue)
{
  PlmLinearTarget t = { out, n_out, w, b, n_out };
  plm_linear_n (lowp, x, M, n_in, &t, 1, epilogue);
}
