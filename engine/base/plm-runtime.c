/* plm-runtime.c: chooses OpenBLAS kernels and the OpenMP wait policy before any numerics run. */
#include "plm-runtime.h"

#include <glib.h>
#include <stdlib.h>
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
