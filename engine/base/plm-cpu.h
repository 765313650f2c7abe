/* plm-cpu.h: which SIMD kernels of the reduced-precision products this CPU can run. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernel families of plm-gemm-f32.c, plm-gemm-bf16.c and plm-gemm-int8.c, slowest first. */
typedef enum {
  PLM_ISA_SCALAR,   /* portable C: the reference of the same arithmetic */
  PLM_ISA_AVX2,     /* AVX2 and FMA (fp32 and int8) */
  PLM_ISA_AVX512,   /* AVX-512 F/BW/VL, with BF16 (bf16) or VNNI (int8) */
} PlmIsa;

/* The best ISA for @precision_name ("fp32", "bf16" or "int8") on this CPU, capped by the environment
 * variable PLM_ISA ("avx512", "avx2" or "scalar"; tests use it to force a fallback). */
PlmIsa      plm_cpu_best_isa (const char *precision_name);
/* TRUE when this CPU can run @isa for @precision_name (whatever PLM_ISA says). */
gboolean    plm_cpu_supports (PlmIsa isa, const char *precision_name);
const char *plm_isa_name     (PlmIsa isa);

G_END_DECLS
