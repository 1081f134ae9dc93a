/* Time per MPI_Allreduce of n doubles (default 785 = D + 1 for D = 784, the §9 log-sum-exp
 * combine of one Fashion-MNIST-sized evaluation), plus one MAX of one double (the max step).
 *
 *   mpicc -O2 -o /tmp/allreduce_latency Benchmarks/mpi/allreduce_latency.c
 *   mpirun --oversubscribe --allow-run-as-root -np 2 /tmp/allreduce_latency [n] [repeats]
 *
 * Prints, from rank 0, the median over 7 rounds of (wall time of `repeats` reductions) / repeats. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int n = argc > 1 ? atoi(argv[1]) : 785;
    int repeats = argc > 2 ? atoi(argv[2]) : 20000;
    double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
    for (int i = 0; i < n; i++) in[i] = rank + 1e-3 * i;
    enum { rounds = 7 };
    double sum_times[rounds], max_times[rounds];
    for (int i = 0; i < 1000; i++) MPI_Allreduce(in, out, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    for (int r = 0; r < rounds; r++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int i = 0; i < repeats; i++) MPI_Allreduce(in, out, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        double t1 = MPI_Wtime();
        for (int i = 0; i < repeats; i++) MPI_Allreduce(in, out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        double t2 = MPI_Wtime();
        sum_times[r] = (t1 - t0) / repeats;
        max_times[r] = (t2 - t1) / repeats;
    }
    qsort(sum_times, rounds, sizeof(double), compare);
    qsort(max_times, rounds, sizeof(double), compare);
    if (rank == 0)
        printf("R = %d: allreduce SUM of %d doubles %.2f us, MAX of 1 double %.2f us (median of %d x %d)\n",
               size, n, 1e6 * sum_times[rounds / 2], 1e6 * max_times[rounds / 2], rounds, repeats);
    free(in);
    free(out);
    MPI_Finalize();
    return 0;
}
