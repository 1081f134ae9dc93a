// Open MPI 4.1 (Debian libopenmpi-dev, brought by libsundials-dev). Only the Distributed target
// imports this module.
#ifndef CMPI_SHIM_H
#define CMPI_SHIM_H

#define OMPI_SKIP_MPICXX 1
#if __has_include(<mpi.h>)
#include <mpi.h>
#else
// Debian keeps mpi.h outside the default search path; its multiarch include folder links to it.
#include <openmpi/mpi.h>
#endif
#include <stdlib.h>

// Open MPI's predefined handles are macros over the addresses of global structs, which Swift
// cannot import: each is exported by one function.

/// MPI_COMM_WORLD.
static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
/// MPI_DOUBLE.
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
/// MPI_INT.
static inline MPI_Datatype cmpi_int(void) { return MPI_INT; }
/// MPI_BYTE.
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
/// MPI_SUM.
static inline MPI_Op cmpi_sum(void) { return MPI_SUM; }
/// MPI_MAX.
static inline MPI_Op cmpi_max(void) { return MPI_MAX; }
/// MPI_MIN.
static inline MPI_Op cmpi_min(void) { return MPI_MIN; }
/// MPI_IN_PLACE: the send buffer of an in-place reduction.
static inline void *cmpi_in_place(void) { return MPI_IN_PLACE; }

/// The number of processes of MPI_COMM_WORLD that share this node's memory (MPI_Comm_split_type with
/// MPI_COMM_TYPE_SHARED; collective over MPI_COMM_WORLD).
static inline int cmpi_local_size(void) {
    MPI_Comm local;
    int size = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local) != MPI_SUCCESS) return 1;
    MPI_Comm_size(local, &size);
    MPI_Comm_free(&local);
    return size;
}

/// At process exit: if MPI is initialised but not finalised, this process is leaving while the others
/// may still wait for it in a collective operation, so end the whole run (MPI_Abort, status 1) rather
/// than leave them waiting. (Finalising here instead would block in MPI_Finalize and hang the run.)
static void cmpi_abort_unless_finalized(void) {
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, 1);
}

/// Registers cmpi_abort_unless_finalized with atexit(3); returns atexit's result.
static inline int cmpi_abort_at_unfinalized_exit(void) { return atexit(cmpi_abort_unless_finalized); }

#endif
