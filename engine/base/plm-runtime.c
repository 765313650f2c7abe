/* plm-runtime.c: chooses OpenBLAS kernels and the OpenMP wait policy before any numerics run. */
#include "plm-runtime.h"

#include <glib.h>
#include <stdlib.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif
#include <unistd.h>

char *openblas_get_corename (void);

static gboolean
wants_avx512_kernels (void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  const char *core;

  if (g_getenv ("OPENBLAS_CORETYPE") != NULL)
    return FALSE;
  __builtin_cpu_init ();
  if (!(__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
        && __builtin_cpu_supports ("avx512dq") && __builtin_cpu_supports ("avx512vl")))
    return FALSE;
  core = openblas_get_corename ();
  return core != NULL && (g_ascii_strcasecmp (core, "Haswell") == 0 || g_ascii_strncasecmp (core, "Zen", 3) == 0);
#else
  return FALSE;
#endif
}

void
plm_runtime_setup (char **argv)
{
  gboolean reexec = FALSE;

#ifdef __GLIBC__
  /* The engine's per-call buffers (quantised activations, a block's output, the contact head's
   * partial sums) are freed and allocated again with every product. glibc gave the larger ones
   * fresh pages each time, by mmap or by growing a heap it had just trimmed, and the page faults
   * cost int8 at 150M, L = 500, a third of its time (tests/bench/README.md). Keep up to 32 MiB
   * chunks in the heap and trim only beyond 256 MiB of free space at its top. A process setting,
   * hence here and not in the engine; not inherited across exec, hence before the re-exec. */
  mallopt (M_MMAP_THRESHOLD, 32 << 20);
  mallopt (M_TRIM_THRESHOLD, 256 << 20);
#endif
  if (g_getenv ("PLM_NO_REEXEC") != NULL)
    return;
  if (g_getenv ("OMP_WAIT_POLICY") == NULL)
    {
      g_setenv ("OMP_WAIT_POLICY", "passive", TRUE);
      reexec = TRUE;
    }
  if (wants_avx512_kernels ())
    {
      g_setenv ("OPENBLAS_CORETYPE", "SkylakeX", TRUE);
      reexec = TRUE;
    }
  if (reexec)
    {
      g_setenv ("PLM_NO_REEXEC", "1", TRUE);   /* never loop */
      execv ("/proc/self/exe", argv);
      /* exec failed: carry on as we are */
    }
}
