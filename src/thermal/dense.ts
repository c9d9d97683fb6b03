/**
 * Small dense-matrix kernels on row-major `Float64Array`s (`a[i * cols + j]`). The thermal
 * model's matrices are (cores + 2)² at most, so plain index loops beat building matrix objects.
 */

/** `out = a · b` for n×n matrices; `out` must not alias `a` or `b`. Returns `out`. */
export function matmul(a: Float64Array, b: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    // i-k-j order walks b and out row by row, which keeps the inner loop on contiguous memory.
    for (let k = 0; k < n; k++) {
      const aik = a[row + k]!;
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) out[row + j]! += aik * b[bk + j]!;
    }
  }
  return out;
}

/** The 1-norm (largest absolute column sum) of an n×n matrix. */
export function norm1(a: Float64Array, n: number): number {
  let max = 0;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(a[i * n + j]!);
    if (sum > max) max = sum;
  }
  return max;
}
