import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Small dense linear algebra on q×q row-major `Float64Array`s (q ≤ a few dozen: one row and
 * column per model term). Hot loops never call these per data row, only per solve.
 */

/**
 * Cholesky factor L (lower, row-major) of the symmetric matrix `a`, or null when `a` is not
 * numerically positive definite (a pivot ≤ `relTol` × the largest diagonal).
 */
export function cholesky(a: Float64Array, q: number, relTol = 1e-13): Float64Array | null {
  const l = new Float64Array(q * q);
  let maxDiag = 0;
  for (let i = 0; i < q; i++) maxDiag = Math.max(maxDiag, a[i * q + i]!);
  for (let j = 0; j < q; j++) {
    let d = a[j * q + j]!;
    for (let k = 0; k < j; k++) d -= l[j * q + k]! * l[j * q + k]!;
    if (!(d > relTol * maxDiag)) return null;
    const ljj = Math.sqrt(d);
    l[j * q + j] = ljj;
    for (let i = j + 1; i < q; i++) {
      let s = a[i * q + j]!;
      for (let k = 0; k < j; k++) s -= l[i * q + k]! * l[j * q + k]!;
      l[i * q + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b for the factor of `cholesky`. */
export function choleskySolve(l: Float64Array, q: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < q; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * q + k]! * x[k]!;
    x[i] = s / l[i * q + i]!;
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < q; k++) s -= l[k * q + i]! * x[k]!;
    x[i] = s / l[i * q + i]!;
  }
  return x;
}

/** The sub-matrix of `a` (q×q) on the index list `idx`, and the matching entries of `b`. */
export function subsystem(a: Float64Array, q: number, b: Float64Array, idx: readonly number[]): { a: Float64Array; b: Float64Array } {
  const m = idx.length;
  const sa = new Float64Array(m * m);
  const sb = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    sb[i] = b[idx[i]!]!;
    for (let j = 0; j < m; j++) sa[i * m + j] = a[idx[i]! * q + idx[j]!]!;
  }
  return { a: sa, b: sb };
}

/**
 * Solves the symmetric system a x = b: Cholesky when `a` is positive definite, else the
 * minimum-norm least-squares solution through the SVD (as numpy's `lstsq` gives).
 */
export function solveSymmetric(a: Float64Array, q: number, b: Float64Array): Float64Array {
  const l = cholesky(a, q);
  if (l) return choleskySolve(l, q, b);
  const svd = new SingularValueDecomposition(toMatrix(a, q), { autoTranspose: true });
  return Float64Array.from(svd.solve(Matrix.columnVector(Array.from(b))).getColumn(0));
}

/** Eigenvalues of the symmetric q×q matrix `a`, ascending. */
export function symmetricEigenvalues(a: Float64Array, q: number): number[] {
  const e = new EigenvalueDecomposition(toMatrix(a, q), { assumeSymmetric: true });
  return [...e.realEigenvalues].sort((x, y) => x - y);
}

/** Inverse of a symmetric positive definite matrix, or null when it is singular. */
export function inverseSpd(a: Float64Array, q: number): Float64Array | null {
  const l = cholesky(a, q);
  if (!l) return null;
  const inv = new Float64Array(q * q);
  const e = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, q, e);
    for (let i = 0; i < q; i++) inv[i * q + j] = col[i]!;
  }
  return inv;
}

function toMatrix(a: Float64Array, q: number): Matrix {
  const m = new Matrix(q, q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) m.set(i, j, a[i * q + j]!);
  return m;
}
