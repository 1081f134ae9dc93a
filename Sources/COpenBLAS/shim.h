// Debian libopenblas-dev (CBLAS) and liblapacke-dev (LAPACKE).
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#include <string.h>

/// openblas_set_num_threads / openblas_get_num_threads, declared here so callers can bound BLAS threads.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

/// The kernel family ("core") OpenBLAS chose at load time, e.g. "Prescott", "Haswell", "SkylakeX".
char *openblas_get_corename(void);
/// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64".
char *openblas_get_config(void);

/// Bits of copenblas_cpu_features(): the x86-64 features that decide which OpenBLAS core can run.
#define COPENBLAS_CPU_SSE3 0x001u
#define COPENBLAS_CPU_SSSE3 0x002u
#define COPENBLAS_CPU_SSE4_1 0x004u
#define COPENBLAS_CPU_SSE4_2 0x008u
#define COPENBLAS_CPU_AVX 0x010u
#define COPENBLAS_CPU_FMA 0x020u
#define COPENBLAS_CPU_AVX2 0x040u
#define COPENBLAS_CPU_AVX512F 0x080u
#define COPENBLAS_CPU_AVX512DQ 0x100u
#define COPENBLAS_CPU_AVX512BW 0x200u
#define COPENBLAS_CPU_AVX512VL 0x400u
#define COPENBLAS_CPU_AVX512_BF16 0x800u

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/// The CPU's features (COPENBLAS_CPU_* bits) as the CPUID instruction reports them, with the AVX and
/// AVX-512 bits cleared when the operating system does not save the wider registers (XGETBV), as
/// OpenBLAS and the Linux kernel's /proc/cpuinfo do. Zero on other architectures.
static inline unsigned int copenblas_cpu_features(void) {
    unsigned int a, b, c, d, bits = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & (1u << 0)) bits |= COPENBLAS_CPU_SSE3;
    if (c & (1u << 9)) bits |= COPENBLAS_CPU_SSSE3;
    if (c & (1u << 19)) bits |= COPENBLAS_CPU_SSE4_1;
    if (c & (1u << 20)) bits |= COPENBLAS_CPU_SSE4_2;
    int osxsave = (c & (1u << 27)) != 0, avx = (c & (1u << 28)) != 0, fma = (c & (1u << 12)) != 0;
    unsigned int xcr0 = 0;
    if (osxsave) {
        unsigned int lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = lo;
    }
    int ymm = (xcr0 & 0x6u) == 0x6u;      // SSE and AVX state
    int zmm = (xcr0 & 0xE6u) == 0xE6u;    // plus opmask, ZMM0–15 upper halves, ZMM16–31
    if (!ymm) return bits;
    if (avx) bits |= COPENBLAS_CPU_AVX;
    if (fma) bits |= COPENBLAS_CPU_FMA;
    if (__get_cpuid_max(0, 0) < 7) return bits;
    __cpuid_count(7, 0, a, b, c, d);
    unsigned int leaf7 = a;
    if (b & (1u << 5)) bits |= COPENBLAS_CPU_AVX2;
    if (!zmm) return bits;
    if (b & (1u << 16)) bits |= COPENBLAS_CPU_AVX512F;
    if (b & (1u << 17)) bits |= COPENBLAS_CPU_AVX512DQ;
    if (b & (1u << 30)) bits |= COPENBLAS_CPU_AVX512BW;
    if (b & (1u << 31)) bits |= COPENBLAS_CPU_AVX512VL;
    if (leaf7 >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        if (a & (1u << 5)) bits |= COPENBLAS_CPU_AVX512_BF16;
    }
    return bits;
}

/// The CPU vendor string of CPUID leaf 0 ("GenuineIntel", "AuthenticAMD", …) into `out` (13 bytes).
static inline void copenblas_cpu_vendor(char out[13]) {
    unsigned int a, b, c, d;
    memset(out, 0, 13);
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    memcpy(out, &b, 4);
    memcpy(out + 4, &d, 4);
    memcpy(out + 8, &c, 4);
}
#else
static inline unsigned int copenblas_cpu_features(void) { return 0; }
static inline void copenblas_cpu_vendor(char out[13]) { memset(out, 0, 13); }
#endif
#endif
