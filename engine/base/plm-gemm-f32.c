/* plm-gemm-f32.c: out = x·Wᵀ (+ b) with W in fp32 panels packed once at load (plm-quant.h).
 * OpenBLAS re-packs a weight with every call, which at short sequences costs as much as the
 * product, and the sum order of its kernels depends on how many rows share a call. Here every
 * output is one fused multiply-add chain over k in order, whatever the kernel, tile or thread:
 * the AVX-512, AVX2 and scalar kernels give the same bits, and a row gets the same bits alone or
 * in a packed batch. */
#include "plm-quant.h"

#include <math.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
# include <immintrin.h>
# define PLM_X86 1
#endif

#define PANEL 16   /* outputs of a panel */

void
plm_f32_matrix_init (PlmF32Matrix *m, const float *w, int n_out, int n_in)
{
  m->n_out = n_out;
  m->n_in = n_in;
  m->np = (n_out + PLM_F32_TILE_N - 1) / PLM_F32_TILE_N * PLM_F32_TILE_N;
  m->w = g_malloc0_n ((gsize) m->np * n_in, sizeof (float));
  /* panel by panel, written in order from 16 rows read in order */
#pragma omp parallel for schedule(static) if ((gint64) n_out * n_in >= 1 << 20)
  for (int p = 0; p < (n_out + PANEL - 1) / PANEL; p++)
    {
      float *panel = m->w + (gsize) p * n_in * PANEL;
      int rows = MIN (PANEL, n_out - p * PANEL);
      for (int k = 0; k < n_in; k++)
        for (int j = 0; j < rows; j++)
          panel[(gsize) k * PANEL + j] = w[(gsize) (p * PANEL + j) * n_in + k];
    }
}

void
plm_f32_matrix_clear (PlmF32Matrix *m)
{
  g_clear_pointer (&m->w, g_free);
}

/* Stores a tile row's sums: + b, then onto what is there when @accumulate. */
static inline float
finish (float acc, const float *b, int n, const float *old, gboolean accumulate)
{
  if (b != NULL)
    acc += b[n];
  return accumulate ? *old + acc : acc;
}

static void
tile_scalar (int mr, float *out, int ld, const float *a, int K, const float *wp, const float *b, int n0, int N,
             gboolean accumulate)
{
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < PLM_F32_TILE_N && n0 + j < N; j++)
      {
        const float *col = wp + (gsize) (j / PANEL) * K * PANEL + j % PANEL;
        float acc = 0.0f;
        for (int k = 0; k < K; k++)
          acc = fmaf (a[(gsize) i * K + k], col[(gsize) k * PANEL], acc);
        float *o = out + (gsize) i * ld + n0 + j;
        *o = finish (acc, b, n0 + j, o, accumulate);
      }
}

#ifdef PLM_X86
/* 8 rows × 48 outputs in 24 registers; rows past @mr repeat the last one and are not stored. */
# define F32_MR 8
# define DECL(i) __m512 c##i##0 = _mm512_setzero_ps (), c##i##1 = c##i##0, c##i##2 = c##i##0; \
    const float *a##i = a + (gsize) MIN (i, mr - 1) * K
# define ROW(i) do { __m512 av = _mm512_set1_ps (a##i[k]); \
    c##i##0 = _mm512_fmadd_ps (av, b0, c##i##0); \
    c##i##1 = _mm512_fmadd_ps (av, b1, c##i##1); \
    c##i##2 = _mm512_fmadd_ps (av, b2, c##i##2); } while (0)
# define SAVE(i) acc[i][0] = c##i##0, acc[i][1] = c##i##1, acc[i][2] = c##i##2

__attribute__((target ("avx512f"))) static void
tile_avx512 (int mr, float *out, int ld, const float *a, int K, const float *wp, const float *b, int n0, int N,
             gboolean accumulate)
{
  __m512 acc[F32_MR][3];
  DECL (0); DECL (1); DECL (2); DECL (3); DECL (4); DECL (5); DECL (6); DECL (7);

  for (int k = 0; k < K; k++)
    {
      __m512 b0 = _mm512_loadu_ps (wp + (gsize) k * PANEL);
      __m512 b1 = _mm512_loadu_ps (wp + (gsize) (K + k) * PANEL);
      __m512 b2 = _mm512_loadu_ps (wp + (gsize) (2 * K + k) * PANEL);
      ROW (0); ROW (1); ROW (2); ROW (3); ROW (4); ROW (5); ROW (6); ROW (7);
    }
  SAVE (0); SAVE (1); SAVE (2); SAVE (3); SAVE (4); SAVE (5); SAVE (6); SAVE (7);
  for (int j = 0; j < 3; j++)
    {
      int n = n0 + PANEL * j, left = N - n;
      if (left <= 0)
        break;
      __mmask16 mask = left >= PANEL ? 0xffff : (__mmask16) ((1u << left) - 1);
      __m512 bias = b != NULL ? _mm512_maskz_loadu_ps (mask, b + n) : _mm512_setzero_ps ();
      for (int i = 0; i < mr; i++)
        {
          float *o = out + (gsize) i * ld + n;
          __m512 v = b != NULL ? _mm512_add_ps (acc[i][j], bias) : acc[i][j];
          if (accumulate)
            v = _mm512_add_ps (_mm512_maskz_loadu_ps (mask, o), v);
          _mm512_mask_storeu_ps (o, mask, v);
        }
    }
}
# undef DECL
# undef ROW
# undef SAVE

/* 6 rows × 16 outputs (one panel, two halves) in 12 registers, over the tile's three panels. */
# define DECL(i) __m256 l##i = _mm256_setzero_ps (), h##i = l##i; \
    const float *a##i = a + (gsize) MIN (i, mr - 1) * K
# define ROW(i) do { __m256 av = _mm256_broadcast_ss (a##i + k); \
    l##i = _mm256_fmadd_ps (av, bl, l##i); h##i = _mm256_fmadd_ps (av, bh, h##i); } while (0)
# define SAVE(i) _mm256_storeu_ps (acc[i], l##i), _mm256_storeu_ps (acc[i] + 8, h##i)

__attribute__((target ("avx2,fma"))) static void
rows6_avx2 (int mr, float *out, int ld, const float *a, int K, const float *wp, const float *b, int n0, int N,
            gboolean accumulate)
{
  for (int j = 0; j < 3 && n0 + PANEL * j < N; j++)
    {
      const float *panel = wp + (gsize) j * K * PANEL;
      float acc[6][PANEL];
      DECL (0); DECL (1); DECL (2); DECL (3); DECL (4); DECL (5);
      for (int k = 0; k < K; k++)
        {
          __m256 bl = _mm256_loadu_ps (panel + (gsize) k * PANEL);
          __m256 bh = _mm256_loadu_ps (panel + (gsize) k * PANEL + 8);
          ROW (0); ROW (1); ROW (2); ROW (3); ROW (4); ROW (5);
        }
      SAVE (0); SAVE (1); SAVE (2); SAVE (3); SAVE (4); SAVE (5);
      int n = n0 + PANEL * j;
      for (int i = 0; i < mr; i++)
        for (int c = 0; c < PANEL && n + c < N; c++)
          {
            float *o = out + (gsize) i * ld + n + c;
            *o = finish (acc[i][c], b, n + c, o, accumulate);
          }
    }
}
# undef DECL
# undef ROW
# undef SAVE
#endif

void
plm_gemm_f32_block (PlmIsa isa, float *out, int ld, const float *x, int M, const PlmF32Matrix *w, int tile,
                    const float *b, gboolean accumulate)
{
  const int K = w->n_in, N = w->n_out, n0 = tile * PLM_F32_TILE_N;
  const float *wp = w->w + (gsize) n0 * K;

#ifdef PLM_X86
  if (isa == PLM_ISA_AVX512)
    {
      for (int m = 0; m < M; m += F32_MR)
        tile_avx512 (MIN (F32_MR, M - m), out + (gsize) m * ld, ld, x + (gsize) m * K, K, wp, b, n0, N, accumulate);
      return;
    }
  if (isa == PLM_ISA_AVX2)
    {
      for (int m = 0; m < M; m += 6)
        rows6_avx2 (MIN (6, M - m), out + (gsize) m * ld, ld, x + (gsize) m * K, K, wp, b, n0, N, accumulate);
      return;
    }
#endif
  tile_scalar (M, out, ld, x, K, wp, b, n0, N, accumulate);
}
