/* plm-gemm-int8.c: out = x·Wᵀ + b with W in int8 panels (plm-quant.h) and x quantised per row:
 * exact int32 sums of int8 products, then out = fma (sum, scale_x · scale_w, b). vpdpbusd
 * (AVX512-VNNI) multiplies u8 by s8, so its activations carry +128, taken off with 128·Σ_k w;
 * AVX2 multiplies |x| by w with x's sign (vpmaddubsw cannot saturate below 2·127²); the scalar
 * kernel is the reference of the same arithmetic. All three give the same bits. */
#include "plm-quant.h"

#include <math.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
# include <immintrin.h>
# define PLM_X86 1
#endif

#define MR 8    /* rows of an AVX-512 tile */
#define NV 3    /* 16-output panels of an AVX-512 tile */
#define MR2 4   /* rows of an AVX2 tile (one panel) */
#define MB 64   /* rows of a task */

static void
gemm_scalar (float *out, const uint8_t *q, const float *sx, const PlmInt8Matrix *w, const float *b, int M)
{
  const int N = w->n_out, kp = w->kp;

#pragma omp parallel for schedule(static)
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++)
      {
        const int8_t *qm = (const int8_t *) q + (gsize) m * kp;
        const int8_t *wp = w->w + (gsize) (n / 16) * kp * 16 + (n % 16) * 4;
        int32_t acc = 0;
        for (int k = 0; k < kp; k += 4, wp += 64)
          for (int u = 0; u < 4; u++)
            acc += (int32_t) qm[k + u] * wp[u];
        out[(gsize) m * N + n] = fmaf ((float) acc, sx[m] * w->scale[n], b != NULL ? b[n] : 0.0f);
      }
}

#ifdef PLM_X86
# define AVX512_VNNI __attribute__((target ("avx512f,avx512bw,avx512vl,avx512vnni")))

/* Accumulates one 8-row × 48-output tile over all of kp: plain variables, not an array, so that
 * GCC keeps the 24 accumulators in registers without copies. Rows beyond M are zero padding. */
# define ROW(i) do { int32_t quad; memcpy (&quad, q + (gsize) (i) * kp + k, sizeof quad); \
    __m512i av = _mm512_set1_epi32 (quad); \
    c##i##0 = _mm512_dpbusd_epi32 (c##i##0, av, b0); \
    c##i##1 = _mm512_dpbusd_epi32 (c##i##1, av, b1); \
    c##i##2 = _mm512_dpbusd_epi32 (c##i##2, av, b2); } while (0)
# define DECL(i) __m512i c##i##0 = _mm512_setzero_si512 (), c##i##1 = c##i##0, c##i##2 = c##i##0
# define SAVE(i) acc[i][0] = c##i##0, acc[i][1] = c##i##1, acc[i][2] = c##i##2

AVX512_VNNI static void
tile_avx512 (int mr, float *out, int N, const uint8_t *q, const float *sx, int kp, const int8_t *wp,
             const PlmInt8Matrix *w, const float *b, int n0)
{
  __m512i acc[MR][NV];
  DECL (0); DECL (1); DECL (2); DECL (3); DECL (4); DECL (5); DECL (6); DECL (7);

  for (int k = 0; k < kp; k += 4)
    {
      __m512i b0 = _mm512_loadu_si512 (wp + (gsize) k * 16);
      __m512i b1 = _mm512_loadu_si512 (wp + (gsize) kp * 16 + (gsize) k * 16);
      __m512i b2 = _mm512_loadu_si512 (wp + (gsize) kp * 32 + (gsize) k * 16);
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
      __m512 sw = _mm512_maskz_loadu_ps (mask, w->scale + n);
      __m512i off = _mm512_slli_epi32 (_mm512_maskz_loadu_epi32 (mask, w->wsum + n), 7);
      for (int i = 0; i < mr; i++)
        {
          __m512 sum = _mm512_cvtepi32_ps (_mm512_sub_epi32 (acc[i][j], off));
          __m512 scale = _mm512_mul_ps (_mm512_set1_ps (sx[i]), sw);
          _mm512_mask_storeu_ps (out + (gsize) i * N + n, mask, _mm512_fmadd_ps (sum, scale, bias));
        }
    }
}

static void
gemm_avx512 (float *out, const uint8_t *q, const float *sx, const PlmInt8Matrix *w, const float *b, int M)
{
  const int N = w->n_out, kp = w->kp, n_tiles = w->np / (16 * NV), m_blocks = (M + MB - 1) / MB;

#pragma omp parallel for schedule(static)
  for (int t = 0; t < n_tiles * m_blocks; t++)
    {
      int n0 = (t / m_blocks) * NV * 16, mb = t % m_blocks, m_end = MIN (M, (mb + 1) * MB);
      const int8_t *wp = w->w + (gsize) n0 * kp;
      for (int m = mb * MB; m < m_end; m += MR)
        tile_avx512 (MIN (MR, m_end - m), out + (gsize) m * N, N, q + (gsize) m * kp, sx + m, kp, wp, w, b, n0);
    }
}

# define AVX2 __attribute__((target ("avx2,fma")))

/* @mr ≤ MR2 rows × one panel (two 8-output halves). */
AVX2 __attribute__((always_inline)) static inline void
tile_avx2 (int mr, float *out, int N, const uint8_t *q, const float *sx, int kp, const int8_t *wp,
           const PlmInt8Matrix *w, const float *b, int n0)
{
  const __m256i ones = _mm256_set1_epi16 (1);
  __m256i acc[MR2][2];

  for (int i = 0; i < mr; i++)
    acc[i][0] = acc[i][1] = _mm256_setzero_si256 ();
  for (int k = 0; k < kp; k += 4)
    {
      __m256i b0 = _mm256_loadu_si256 ((const __m256i *) (wp + (gsize) k * 16));
      __m256i b1 = _mm256_loadu_si256 ((const __m256i *) (wp + (gsize) k * 16 + 32));
      for (int i = 0; i < mr; i++)
        {
          int32_t quad;
          memcpy (&quad, q + (gsize) i * kp + k, sizeof quad);
          __m256i av = _mm256_set1_epi32 (quad), aabs = _mm256_abs_epi8 (av);
          __m256i p0 = _mm256_maddubs_epi16 (aabs, _mm256_sign_epi8 (b0, av));
          __m256i p1 = _mm256_maddubs_epi16 (aabs, _mm256_sign_epi8 (b1, av));
          acc[i][0] = _mm256_add_epi32 (acc[i][0], _mm256_madd_epi16 (p0, ones));
          acc[i][1] = _mm256_add_epi32 (acc[i][1], _mm256_madd_epi16 (p1, ones));
        }
    }
  int left = MIN (16, N - n0);
  float sw[16] = { 0 }, bias[16] = { 0 };
  memcpy (sw, w->scale + n0, sizeof (float) * left);
  if (b != NULL)
    memcpy (bias, b + n0, sizeof (float) * left);
  for (int i = 0; i < mr; i++)
    {
      float row[16];
      for (int h = 0; h < 2; h++)
        {
          __m256 scale = _mm256_mul_ps (_mm256_set1_ps (sx[i]), _mm256_loadu_ps (sw + 8 * h));
          _mm256_storeu_ps (row + 8 * h, _mm256_fmadd_ps (_mm256_cvtepi32_ps (acc[i][h]), scale,
                                                          _mm256_loadu_ps (bias + 8 * h)));
        }
      memcpy (out + (gsize) i * N + n0, row, sizeof (float) * left);
    }
}

AVX2 static void
tile2_any (int mr, float *out, int N, const uint8_t *q, const float *sx, int kp, const int8_t *wp,
           const PlmInt8Matrix *w, const float *b, int n0)
{
  switch (mr)
    {
    case 4: tile_avx2 (4, out, N, q, sx, kp, wp, w, b, n0); break;
    case 3: tile_avx2 (3, out, N, q, sx, kp, wp, w, b, n0); break;
    case 2: tile_avx2 (2, out, N, q, sx, kp, wp, w, b, n0); break;
    default: tile_avx2 (1, out, N, q, sx, kp, wp, w, b, n0); break;
    }
}

static void
gemm_avx2 (float *out, const uint8_t *q, const float *sx, const PlmInt8Matrix *w, const float *b, int M)
{
  const int N = w->n_out, kp = w->kp, panels = (N + 15) / 16, m_blocks = (M + MB - 1) / MB;

#pragma omp parallel for schedule(static)
  for (int t = 0; t < panels * m_blocks; t++)
    {
      int n0 = (t / m_blocks) * 16, mb = t % m_blocks, m_end = MIN (M, (mb + 1) * MB);
      const int8_t *wp = w->w + (gsize) n0 * kp;
      for (int m = mb * MB; m < m_end; m += MR2)
        tile2_any (MIN (MR2, m_end - m), out + (gsize) m * N, N, q + (gsize) m * kp, sx + m, kp, wp, w, b, n0);
    }
}
#endif

void
plm_gemm_int8 (PlmIsa isa, float *out, const float *x, const PlmInt8Matrix *w, const float *b, int M)
{
  if (M <= 0)
    return;
  /* rows up to a whole tile: the padding rows are zeros (plus the offset) */
  int Mp = (M + MR - 1) / MR * MR, offset = isa == PLM_ISA_AVX512 ? 128 : 0;
  uint8_t *q = g_new (uint8_t, (gsize) Mp * w->kp);
  float *sx = g_new0 (float, Mp);

  plm_int8_quantize_rows (isa, q, sx, x, M, w->n_in, w->kp, offset);
  memset (q + (gsize) M * w->kp, offset, (gsize) (Mp - M) * w->kp);
#ifdef PLM_X86
  if (isa == PLM_ISA_AVX512)
    gemm_avx512 (out, q, sx, w, b, M);
  else if (isa == PLM_ISA_AVX2)
    gemm_avx2 (out, q, sx, w, b, M);
  else
#endif
    gemm_scalar (out, q, sx, w, b, M);
  g_free (sx);
  g_free (q);
}
