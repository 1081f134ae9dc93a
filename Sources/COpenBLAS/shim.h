// Debian libopenblas-dev (CBLAS) and liblapacke-dev (LAPACKE).
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>

/// openblas_set_num_threads / openblas_get_num_threads, declared here so callers can bound BLAS threads.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
