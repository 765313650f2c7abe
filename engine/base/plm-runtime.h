/* plm-runtime.h: process-level choices that OpenBLAS and libgomp read only when they load. */
#pragma once

/* Call first thing in main(). Re-executes the program once, with the environment set, when:
 * - OMP_WAIT_POLICY is unset: sets it to "passive". Spinning worker threads cost 3-4x when the
 *   cores are shared (the GUI's main loop, another job), for a gain of microseconds per
 *   parallel region when they are not (tests/bench/README.md);
 * - the CPU has AVX-512 (F, BW, DQ, VL) but OpenBLAS chose its AVX2 kernels: sets
 *   OPENBLAS_CORETYPE=SkylakeX. Forcing that on a CPU without AVX-512 dies with SIGILL.
 * Either is skipped when the user set the variable; PLM_NO_REEXEC=1 skips both. With glibc it
 * also keeps freed buffers of up to 32 MiB in the heap instead of unmapping them (every call,
 * re-exec or not), so per-product scratch does not page-fault anew each time. */
void plm_runtime_setup (char **argv);
