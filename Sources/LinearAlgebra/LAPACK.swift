import COpenBLAS

/// LAPACKE's `lapack_int` (a C macro Swift cannot import): 32-bit in Debian's liblapacke.
typealias LAPACKInt = Int32

/// Every raw LAPACKE call of the module goes through this file.
///
/// Each function works on row-major buffers the caller owns (except the column-major, pointer-based
/// `dgetrf`/`dgetrs` pair that `LUFactorization` uses), returns LAPACK's `info` code unchanged, and never
/// throws; `LAPACK.check` turns a non-zero `info` into a `LinearAlgebraError`.

enum LAPACK {
    private static let rowMajor = LAPACK_ROW_MAJOR

    @inline(__always)
    private static func flag(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

    /// Maps a LAPACKE `info` code to an error; `positive` builds the error for `info > 0`.
    static func check(
        _ info: LAPACKInt, routine: String, positive: (Int) -> LinearAlgebraError
    ) throws(LinearAlgebraError) {
        if info == 0 { return }
        if info > 0 { throw positive(Int(info)) }
        if info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR {
            throw .outOfMemory(routine: routine)
        }
        throw .invalidArgument(routine: routine, argument: Int(-info))
    }

    /// Symmetric eigen-decomposition, lower triangle of a row-major `n × n` matrix (`LAPACKE_dsyevd`).
    /// On exit `a` holds the eigenvectors as columns (row-major), `w` the ascending eigenvalues.
    static func dsyevd(n: Int, vectors: Bool, a: inout [Double], w: inout [Double]) -> LAPACKInt {
        a.withUnsafeMutableBufferPointer { a in
            w.withUnsafeMutableBufferPointer { w in
                LAPACKE_dsyevd(
                    rowMajor, flag(vectors ? "V" : "N"), flag("L"), LAPACKInt(n),
                    a.baseAddress, LAPACKInt(max(1, n)), w.baseAddress)
            }
        }
    }

    /// Eigenvalues of a general row-major `n × n` matrix, no eigenvectors (`LAPACKE_dgeev`).
    static func dgeev(n: Int, a: inout [Double], wr: inout [Double], wi: inout [Double]) -> LAPACKInt {
        var dummy = [0.0]
        return a.withUnsafeMutableBufferPointer { a in
            wr.withUnsafeMutableBufferPointer { wr in
                wi.withUnsafeMutableBufferPointer { wi in
                    dummy.withUnsafeMutableBufferPointer { d in
                        LAPACKE_dgeev(
                            rowMajor, flag("N"), flag("N"), LAPACKInt(n), a.baseAddress,
                            LAPACKInt(max(1, n)), wr.baseAddress, wi.baseAddress,
                            d.baseAddress, 1, d.baseAddress, 1)
                    }
                }
            }
        }
    }

    /// Singular value decomposition of a row-major `m × n` matrix (`LAPACKE_dgesdd`).
    ///
    /// `job`: `"N"` values only, `"S"` thin (`u` is `m × min`, `vt` is `min × n`),
    /// `"A"` full (`u` is `m × m`, `vt` is `n × n`). The caller sizes `u`, `vt` (at least one element).
    static func dgesdd(
        job: Unicode.Scalar, m: Int, n: Int, a: inout [Double], s: inout [Double],
        u: inout [Double], ldu: Int, vt: inout [Double], ldvt: Int
    ) -> LAPACKInt {
        a.withUnsafeMutableBufferPointer { a in
            s.withUnsafeMutableBufferPointer { s in
                u.withUnsafeMutableBufferPointer { u in
                    vt.withUnsafeMutableBufferPointer { vt in
                        LAPACKE_dgesdd(
                            rowMajor, flag(job), LAPACKInt(m), LAPACKInt(n), a.baseAddress,
                            LAPACKInt(max(1, n)), s.baseAddress, u.baseAddress, LAPACKInt(max(1, ldu)),
                            vt.baseAddress, LAPACKInt(max(1, ldvt)))
                    }
                }
            }
        }
    }

    /// Singular value decomposition by QR iteration (`LAPACKE_dgesvd`), the fallback when the
    /// divide-and-conquer `dgesdd` does not converge. Same `job` and buffer conventions as `dgesdd`.
    static func dgesvd(
        job: Unicode.Scalar, m: Int, n: Int, a: inout [Double], s: inout [Double],
        u: inout [Double], ldu: Int, vt: inout [Double], ldvt: Int
    ) -> LAPACKInt {
        var superb = [Double](repeating: 0, count: max(1, min(m, n)))
        return a.withUnsafeMutableBufferPointer { a in
            s.withUnsafeMutableBufferPointer { s in
                u.withUnsafeMutableBufferPointer { u in
                    vt.withUnsafeMutableBufferPointer { vt in
                        superb.withUnsafeMutableBufferPointer { superb in
                            LAPACKE_dgesvd(
                                rowMajor, flag(job), flag(job), LAPACKInt(m), LAPACKInt(n), a.baseAddress,
                                LAPACKInt(max(1, n)), s.baseAddress, u.baseAddress, LAPACKInt(max(1, ldu)),
                                vt.baseAddress, LAPACKInt(max(1, ldvt)), superb.baseAddress)
                        }
                    }
                }
            }
        }
    }

    /// Solves `A X = B` for a row-major `n × n` `A` and row-major `n × nrhs` `B` (`LAPACKE_dgesv`).
    /// On exit `b` holds `X`.
    static func dgesv(n: Int, nrhs: Int, a: inout [Double], b: inout [Double]) -> LAPACKInt {
        var pivots = [LAPACKInt](repeating: 0, count: max(1, n))
        return a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                pivots.withUnsafeMutableBufferPointer { p in
                    LAPACKE_dgesv(
                        rowMajor, LAPACKInt(n), LAPACKInt(nrhs), a.baseAddress, LAPACKInt(max(1, n)),
                        p.baseAddress, b.baseAddress, LAPACKInt(max(1, nrhs)))
                }
            }
        }
    }

    /// Cholesky factor `A = L Lᵀ` of a row-major `n × n` matrix, lower triangle (`LAPACKE_dpotrf`).
    /// On exit the lower triangle of `a` holds `L`; the strict upper triangle is left untouched.
    static func dpotrf(n: Int, a: inout [Double]) -> LAPACKInt {
        a.withUnsafeMutableBufferPointer { a in
            LAPACKE_dpotrf(rowMajor, flag("L"), LAPACKInt(n), a.baseAddress, LAPACKInt(max(1, n)))
        }
    }

    /// LU factorisation with partial pivoting `P A = L U` of a column-major `n × n` matrix, in place
    /// (`LAPACKE_dgetrf_work`, which calls LAPACK's `dgetrf` directly for column-major input: no NaN scan,
    /// no allocation). `ipiv` receives `n` 1-based row interchanges.
    static func dgetrf(
        n: Int, a: UnsafeMutablePointer<Double>, lda: Int, ipiv: UnsafeMutablePointer<LAPACKInt>
    ) -> LAPACKInt {
        LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, LAPACKInt(n), LAPACKInt(n), a, LAPACKInt(lda), ipiv)
    }

    /// Solves `A X = B` with the factors from `dgetrf` (`LAPACKE_dgetrs_work`, no transpose, column-major,
    /// no allocation). `b` is column-major `n × nrhs` with leading dimension `ldb`; on exit it holds `X`.
    static func dgetrs(
        n: Int, nrhs: Int, a: UnsafePointer<Double>, lda: Int, ipiv: UnsafePointer<LAPACKInt>,
        b: UnsafeMutablePointer<Double>, ldb: Int
    ) -> LAPACKInt {
        LAPACKE_dgetrs_work(
            LAPACK_COL_MAJOR, flag("N"), LAPACKInt(n), LAPACKInt(nrhs), a, LAPACKInt(lda), ipiv, b,
            LAPACKInt(ldb))
    }
}
