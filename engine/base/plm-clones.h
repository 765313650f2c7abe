/* plm-clones.h: PLM_CLONES compiles a function for several ISA levels, picked at load time, so
 * one binary (e.g. the Flatpak) is fast on AVX2 and AVX-512 machines alike. Not under the
 * sanitizers: their instrumented ifunc resolvers run before the sanitizer runtime exists. */
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) \
    && !defined(__SANITIZE_THREAD__)
/* ISA levels, not CPU names: "arch=haswell" would only match Intel Haswell parts. */
# define PLM_CLONES __attribute__((target_clones ("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
# define PLM_CLONES
#endif
