/* plm-cpu.c: CPU feature checks for the fp32-panel, bf16 and int8 kernels (the OpenBLAS choice is in plm-runtime.c). */
#include "plm-cpu.h"

#include <string.h>

gboolean
plm_cpu_supports (PlmIsa isa, const char *precision_name)
{
  gboolean bf16 = g_strcmp0 (precision_name, "bf16") == 0;

  switch (isa)
    {
    case PLM_ISA_SCALAR:
      return TRUE;
#if defined(__x86_64__) && defined(__GNUC__)
    case PLM_ISA_AVX2:
      __builtin_cpu_init ();
      return !bf16 && __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
    case PLM_ISA_AVX512:
      __builtin_cpu_init ();
      if (!(__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
            && __builtin_cpu_supports ("avx512vl")))
        return FALSE;
      if (g_strcmp0 (precision_name, "fp32") == 0)
        return TRUE;
      return bf16 ? __builtin_cpu_supports ("avx512bf16") != 0 : __builtin_cpu_supports ("avx512vnni") != 0;
#endif
    default:
      return FALSE;
    }
}

PlmIsa
plm_cpu_best_isa (const char *precision_name)
{
  const char *cap = g_getenv ("PLM_ISA");
  PlmIsa best = PLM_ISA_AVX512;

  if (cap != NULL && g_ascii_strcasecmp (cap, "avx2") == 0)
    best = PLM_ISA_AVX2;
  else if (cap != NULL && g_ascii_strcasecmp (cap, "scalar") == 0)
    best = PLM_ISA_SCALAR;
  for (int isa = best; isa > PLM_ISA_SCALAR; isa--)
    if (plm_cpu_supports ((PlmIsa) isa, precision_name))
      return (PlmIsa) isa;
  return PLM_ISA_SCALAR;
}

const char *
plm_isa_name (PlmIsa isa)
{
  static const char *const names[] = { "scalar", "avx2", "avx512" };
  return isa <= PLM_ISA_AVX512 ? names[isa] : "?";
}
