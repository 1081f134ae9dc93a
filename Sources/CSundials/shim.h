// Debian libsundials-dev 6.4.1 (double precision, 64-bit indices).
#ifndef CSUNDIALS_SHIM_H
#define CSUNDIALS_SHIM_H

#include <sundials/sundials_types.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_nvector.h>
#include <sundials/sundials_matrix.h>
#include <sundials/sundials_linearsolver.h>
#include <nvector/nvector_serial.h>
#define OMPI_SKIP_MPICXX 1
#include <nvector/nvector_parallel.h>  // brings <mpi.h> (pkg-config ompi-c)
#include <sunmatrix/sunmatrix_dense.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <kinsol/kinsol.h>
#include <kinsol/kinsol_ls.h>

// Shims for C macros that Swift cannot import.

/// NV_DATA_S: the data array of a serial N_Vector.
static inline sunrealtype *csundials_nv_data(N_Vector v) { return NV_DATA_S(v); }
/// NV_LENGTH_S: the length of a serial N_Vector.
static inline sunindextype csundials_nv_length(N_Vector v) { return NV_LENGTH_S(v); }
/// N_VGetArrayPointer: the (local) data array of a serial or parallel N_Vector.
static inline sunrealtype *csundials_nv_array(N_Vector v) { return N_VGetArrayPointer(v); }
/// MPI_COMM_WORLD, for N_VNew_Parallel: the only MPI handle Sundials uses, so that the Sundials target
/// never imports CMPI. MPI must be initialised before a parallel vector is made.
static inline MPI_Comm csundials_comm_world(void) { return MPI_COMM_WORLD; }
/// SM_DATA_D: the column-major data array of a dense SUNMatrix.
static inline sunrealtype *csundials_dense_data(SUNMatrix A) { return SM_DATA_D(A); }
/// SM_ROWS_D: rows of a dense SUNMatrix.
static inline sunindextype csundials_dense_rows(SUNMatrix A) { return SM_ROWS_D(A); }
/// SM_COLUMNS_D: columns of a dense SUNMatrix.
static inline sunindextype csundials_dense_columns(SUNMatrix A) { return SM_COLUMNS_D(A); }

#endif
