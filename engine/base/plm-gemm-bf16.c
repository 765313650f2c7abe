/* plm-gemm-bf16.c: out = x·Wᵀ + b with W in bf16 panels (plm-quant.h): the activations are rounded
 * to bf16, pairs of products are accumulated in fp32 by vdpbf16ps (AVX512-BF16), odd element first
 * as the instruction does; the scalar kernel is the reference of the same arithmetic. */
#include "plm-quant.h"

#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
# include <immintrin.h>
# define PLM_X86 1
#endif

#include "plm-half.h"

#define MR 8    /* rows of a tile */
#define NV 3    /* 16-output panels of a tile */
#define MB 64   /* rows of a task: a tile's panels are reused over them from L1/L2 */

static void
gemm_scalar (float *out, const uint16_t *a, const PlmBf16Matrix *w, const float *b, int M)
{
  const int N = w->n_out, kp = w->kp;

#pragma omp parallel for schedule(static)
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++)
      {
        const uint16_t *am = a + (gsize) m * kp;
        const uint16_t *wp = w->w + (gsize) (n / 16) * kp * 16 + (n % 16) * 2;
        float acc = 0.0f;
        for (int k = 0; k < kp; k += 2, wp += 32)
          {
            /* bf16 × bf16 is exact in fp32, so each step rounds once, as vdpbf16ps does */
            acc += plm_bf16_to_f32 (am[k + 1]) * plm_bf16_to_f32 (wp[1]);
            acc += plm_bf16_to_f32 (am[k]) * plm_bf16_to_f32 (wp[0]);
          }
        out[(gsize) m * N + n] = b != NULL ? acc + b[n] : acc;
      }
}

#ifdef PLM_X86
# define AVX512_BF16 __attribute__((target ("avx512f,avx512bw,avx512vl,avx512bf16")))

/* Accumulates one 8-row × 48-output tile over all of kp in plain variables (see plm-gemm-int8.c).
 * Rows beyond M are zero padding. */
# define ROW(i) do { int32_t pair; memcpy (&pair, a + (gsize) (i) * kp + k, sizeof pair); \
    __m512bh av = (__m512bh) _mm512_set1_epi32 (pair); \
    c##i##0 = _mm512_dpbf16_ps (c##i##0, av, b0); \
    c##i##1 = _mm512_dpbf16_ps (c##i##1, av, b1); \
    c##i##2 = _mm512_dpbf16_ps (c##i##2, av, b2); } while (0)
# define DECL(i) __m512 c##i##0 = _mm512_setzero_ps (), c##i##1 = c##i##0, c##i##2 = c##i##0
# define SAVE(i) acc[i][0] = c##i##0, acc[i][1] = c##i##1, acc[i][2] = c##i##2

AVX512_BF16 static void
tile_avx512 (int mr, float *out, int N, const uint16_t *a, int kp, const uint16_t *wp, const float *b, int n0)
{
  __m512 acc[MR][NV];
  DECL (0); DECL (1); DECL (2); DECL (3); DECL (4); DECL (5); DECL (6); DECL (7);

  for (int k = 0; k < kp; k += 2)
    {
      __m512bh b0 = (__m512bh) _mm512_loadu_si512 (wp + (gsize) k * 16);
      __m512bh b1 = (__m512bh) _mm512_loadu_si512 (wp + (gsize) kp * 16 + (gsize) k * 16);
      __m512bh b2 = (__m512bh) _mm512_loadu_si512 (wp + (gsize) kp * 32 + (gsize) k * 16);
      ROW (0); ROW (1); ROW (2); ROW (3); ROW (4); ROW (5); ROW (6); ROW (7);
    }
  SAVE (0); SAVE (1); SAVE (2); SAVE (3); SAVE (4); SAVE (5); SAVE (6); SAVE (7);
  for (int j = 0; j < NV; j++)
    {
      int n = n0 + 16 * j, left = N - n;
      if (left <= 0)
        break;
      __mmask16 mask = left >= 16 ? 0xffff : (__mmask16) ((1u << left) - 1);
      __m512 bias = b != NULL ? _mm512_maskz_loadu_ps (mask, b + n) : _mm512_setzero_ps ();
      for (int i = 0; i < mr; i++)
        _mm512_mask_storeu_ps (out + (gsize) i * N + n, mask,
                               b != NULL ? _mm512_add_ps (acc[i][j], bias) : acc[i][j]);
    }
}

static void
gemm_avx512 (float *out, const uint16_t *a, const PlmBf16Matrix *w, const float *b, int M)
{
  const int N = w->n_out, kp = w->kp, n_tiles = w->np / (16 * NV), m_blocks = (M + MB - 1) / MB;

#pragma omp parallel for schedule(static)
  for (int t = 0; t < n_tiles * m_blocks; t++)
    {
      int n0 = (t / m_blocks) * NV * 16, mb = t % m_blocks, m_end = MIN (M, (mb + 1) * MB);
      const uint16_t *wp = w->w + (gsize) n0 * kp;
      for (int m = mb * MB; m < m_end; m += MR)
        tile_avx512 (MIN (MR, m_end - m), out + (gsize) m * N, N, a + (gsize) m * kp, kp, wp, b, n0);
    }
}
#endif

void
plm_gemm_bf16 (PlmIsa isa, float *out, const float *x, const PlmBf16Matrix *w, const float *b, int M)
{
  if (M <= 0)
    return;
  /* rows up to a whole tile: the padding rows are zeros */
  int Mp = (M + MR - 1) / MR * MR;
  uint16_t *a = g_new (uint16_t, (gsize) Mp * w->kp);

  plm_bf16_convert_rows (isa, a, x, M, w->n_in, w->kp);
  memset (a + (gsize) M * w->kp, 0, sizeof (uint16_t) * (gsize) (Mp - M) * w->kp);
#ifdef PLM_X86
  if (isa == PLM_ISA_AVX512)
    gemm_avx512 (out, a, w, b, M);
  else
#endif
    gemm_scalar (out, a, w, b, M);
  g_free (a);
}
