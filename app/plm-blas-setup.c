/* plm-blas-setup.c: chooses OpenBLAS's AVX-512 kernels where the CPU has them. */
#include "plm-blas-setup.h"

#include <glib.h>
#include <stdlib.h>
#include <unistd.h>

char *openblas_get_corename (void);

void
plm_blas_select_core (char **argv)
{
#if defined(__x86_64__) && defined(__GNUC__)
  const char *core;

  if (g_getenv ("OPENBLAS_CORETYPE") != NULL || g_strcmp0 (g_getenv ("PLM_BLAS_CORE"), "auto") == 0)
    return;
  __builtin_cpu_init ();
  /* SkylakeX kernels need all four; forcing them elsewhere dies with SIGILL. */
  if (!(__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
        && __builtin_cpu_supports ("avx512dq") && __builtin_cpu_supports ("avx512vl")))
    return;
  core = openblas_get_corename ();
  if (core == NULL || !(g_ascii_strcasecmp (core, "Haswell") == 0 || g_ascii_strncasecmp (core, "Zen", 3) == 0))
    return;
  g_setenv ("OPENBLAS_CORETYPE", "SkylakeX", TRUE);
  execv ("/proc/self/exe", argv);
  /* exec failed: carry on with the default kernels */
#else
  (void) argv;
#endif
}
