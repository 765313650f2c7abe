/* plm-blas-setup.h: picks OpenBLAS's kernels and thread count before any numerics run. */
#pragma once

/* On CPUs with AVX-512 where OpenBLAS's DYNAMIC_ARCH chose its AVX2 (Haswell/Zen) kernels,
 * re-executes the program with OPENBLAS_CORETYPE=SkylakeX (the variable is read only when the
 * library loads). Does nothing when the user set OPENBLAS_CORETYPE or PLM_BLAS_CORE=auto. */
void plm_blas_select_core (char **argv);
