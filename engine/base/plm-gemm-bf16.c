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

/* One tile of @mr rows × @nv panels; constant @mr and @nv after inlining, so the accumulators
 * live in registers. @wp: the first panel; panels are kp·16 apart. */
AVX512_BF16 __attribute__((always_inline)) static inline void
tile_avx512 (int mr, int nv, float *out, int N, const uint16_t *a, int kp, const uint16_t *wp,
             const float *b, int n0)
{
  __m512 acc[MR][NV];

  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nv; j++)
      acc[i][j] = _mm512_setzero_ps ();
  for (int k = 0; k < kp; k += 2)
    {
      __m512bh bv[NV];
      for (int j = 0; j < nv; j++)
        bv[j] = (__m512bh) _mm512_loadu_si512 (wp + (gsize) j * kp * 16 + (gsize) k * 16);
      for (int i = 0; i < mr; i++)
        {
          int32_t pair;
          memcpy (&pair, a + (gsize) i * kp + k, sizeof pair);
          __m512bh av = (__m512bh) _mm512_set1_epi32 (pair);
          for (int j = 0; j < nv; j++)
            acc[i][j] = _mm512_dpbf16_ps (acc[i][j], av, bv[j]);
        }
    }
  for (int j = 0; j < nv; j++)
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

# define TILE(MRc, NVc) tile_avx512 (MRc, NVc, out, N, a, kp, wp, b, n0)
# define TILE_NV(MRc) \
  do { if (nv == 3) TILE (MRc, 3); else if (nv == 2) TILE (MRc, 2); else TILE (MRc, 1); } while (0)

AVX512_BF16 static void
tile_any (int mr, int nv, float *out, int N, const uint16_t *a, int kp, const uint16_t *wp, const float *b, int n0)
{
  switch (mr)
    {
    case 8: TILE_NV (8); break;
    case 7: TILE_NV (7); break;
    case 6: TILE_NV (6); break;
    case 5: TILE_NV (5); break;
    case 4: TILE_NV (4); break;
    case 3: TILE_NV (3); break;
    case 2: TILE_NV (2); break;
    default: TILE_NV (1); break;
    }
}

static void
gemm_avx512 (float *out, const uint16_t *a, const PlmBf16Matrix *w, const float *b, int M)
{
  const int N = w->n_out, kp = w->kp, panels = w->np / 16;
  const int n_tiles = (panels + NV - 1) / NV, m_blocks = (M + MB - 1) / MB;

#pragma omp parallel for schedule(static)
  for (int t = 0; t < n_tiles * m_blocks; t++)
    {
      int nt = t / m_blocks, mb = t % m_blocks;
      int n0 = nt * NV * 16, nv = MIN (NV, panels - nt * NV), m_end = MIN (M, (mb + 1) * MB);
      const uint16_t *wp = w->w + (gsize) n0 * kp;
      for (int m = mb * MB; m < m_end; m += MR)
        tile_any (MIN (MR, m_end - m), nv, out + (gsize) m * N, N, a + (gsize) m * kp, kp, wp, b, n0);
    }
}
#endif

void
plm_gemm_bf16 (PlmIsa isa, float *out, const float *x, const PlmBf16Matrix *w, const float *b, int M)
{
  if (M <= 0)
    return;
  uint16_t *a = g_new (uint16_t, (gsize) M * w->kp);

  plm_bf16_convert_rows (isa, a, x, M, w->n_in, w->kp);
#ifdef PLM_X86
  if (isa == PLM_ISA_AVX512)
    gemm_avx512 (out, a, w, b, M);
  else
#endif
    gemm_scalar (out, a, w, b, M);
  g_free (a);
}
