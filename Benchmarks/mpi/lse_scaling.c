/* Strong scaling of one log-sum-exp memory evaluation split over R processes (docs/math.md §9):
 * each rank holds K/R memories of size D, computes its partials m_r, S_r, V_r with two GEMVs, and
 * the ranks combine them with one MAX reduction (1 number) and one SUM reduction (D + 1 numbers).
 *
 *   mpicc -O2 -o /tmp/lse_scaling Benchmarks/mpi/lse_scaling.c -lopenblas -lm
 *   OPENBLAS_NUM_THREADS=1 mpirun --oversubscribe --allow-run-as-root -np R /tmp/lse_scaling [K] [D] [repeats]
 *
 * Prints, from rank 0, the median time per evaluation and its parts: the local partials, the wait for
 * the slowest rank (a barrier before the reductions, timed apart so that load imbalance is not counted
 * as communication), and the two reductions; then E = -(m + log S)/beta and a checksum of V/S (equal
 * for every R up to rounding). */
#include <cblas.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A deterministic number in [-0.5, 0.5) for index i: the same memories whatever R. */
static double datum(long i) {
    double x = sin((double)i * 12.9898 + 0.5) * 43758.5453;
    return x - floor(x) - 0.5;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long K = argc > 1 ? atol(argv[1]) : 20000, D = argc > 2 ? atol(argv[2]) : 784;
    int repeats = argc > 3 ? atoi(argv[3]) : 50;
    const double beta = 4.0;
    long base = K / size, extra = K % size;
    long first = rank * base + (rank < extra ? rank : extra), count = base + (rank < extra ? 1 : 0);
    double *xi = malloc(sizeof(double) * count * D), *x = malloc(sizeof(double) * D);
    double *scores = malloc(sizeof(double) * (count > 0 ? count : 1)), *partial = malloc(sizeof(double) * (D + 1));
    for (long mu = 0; mu < count; mu++)
        for (long j = 0; j < D; j++) xi[mu * D + j] = datum((first + mu) * D + j);
    for (long j = 0; j < D; j++) x[j] = datum(-1 - j);
    enum { rounds = 7 };
    double total[rounds], reduce[rounds], wait[rounds], energy = 0, checksum = 0;
    for (int r = 0; r < rounds; r++) {
        double spent = 0, waited = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int k = 0; k < repeats; k++) {
            /* dot-product scores beta xi.x; m_r; e = exp(score - m_r); S_r; V_r = Xi^T e */
            cblas_dgemv(CblasRowMajor, CblasNoTrans, count, D, beta, xi, D, x, 1, 0.0, scores, 1);
            double m = -INFINITY, s = 0;
            for (long mu = 0; mu < count; mu++) m = scores[mu] > m ? scores[mu] : m;
            for (long mu = 0; mu < count; mu++) s += (scores[mu] = exp(scores[mu] - m));
            partial[0] = s;
            cblas_dgemv(CblasRowMajor, CblasTrans, count, D, 1.0, xi, D, scores, 1, 0.0, partial + 1, 1);
            double t1 = MPI_Wtime(), global;
            MPI_Barrier(MPI_COMM_WORLD);
            double t2 = MPI_Wtime();
            waited += t2 - t1;
            t1 = t2;
            MPI_Allreduce(&m, &global, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
            double factor = m == -INFINITY ? 0 : exp(m - global);
            for (long j = 0; j <= D; j++) partial[j] *= factor;
            MPI_Allreduce(MPI_IN_PLACE, partial, D + 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
            spent += MPI_Wtime() - t1;
            energy = -(global + log(partial[0])) / beta;
        }
        total[r] = (MPI_Wtime() - t0) / repeats;
        reduce[r] = spent / repeats;
        wait[r] = waited / repeats;
    }
    for (long j = 1; j <= D; j++) checksum += partial[j] / partial[0] * (double)j;
    qsort(total, rounds, sizeof(double), compare);
    qsort(reduce, rounds, sizeof(double), compare);
    qsort(wait, rounds, sizeof(double), compare);
    if (rank == 0)
        printf("R = %d, K = %ld, D = %ld: %.1f us per evaluation (waiting for the slowest rank %.1f us, "
               "reductions %.1f us); E = %.15g, checksum %.15g\n", size, K, D, 1e6 * total[rounds / 2],
               1e6 * wait[rounds / 2], 1e6 * reduce[rounds / 2], energy, checksum);
    MPI_Finalize();
    return 0;
}
