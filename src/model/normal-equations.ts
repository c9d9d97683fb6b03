import type { Gram } from './design.js';

/**
 * The normal equations of a least-squares fit on a subset of design columns, with every column
 * scaled to unit root-mean-square (`z_j = x_j / scale_j`, `scale_j = √(Σx_j² / n)`), so that
 * counts of 1e9 and interval lengths of 1 s meet the solvers on an equal footing. Solvers return
 * coefficients β on the scaled columns; `unscale` turns them into weights `w_j = β_j / scale_j`.
 */
export interface NormalEquations {
  /** Number of terms. */
  q: number;
  /** Rows behind the sums. */
  n: number;
  /** ZᵀZ, q×q row-major. */
  a: Float64Array;
  /** Zᵀy. */
  b: Float64Array;
  yy: number;
  scale: Float64Array;
}

/** Normal equations of `gram` restricted to the columns `cols` (in that order). */
export function normalEquations(gram: Gram, cols: readonly number[]): NormalEquations {
  const q = cols.length;
  const p = gram.p;
  const n = Math.max(gram.n, 1);
  const scale = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    const d = gram.xx[cols[i]! * p + cols[i]!]!;
    // An all-zero column keeps scale 1: its coefficient is then 0 (or free) whatever we do.
    scale[i] = d > 0 ? Math.sqrt(d / n) : 1;
  }
  const a = new Float64Array(q * q);
  const b = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    b[i] = gram.xy[cols[i]!]! / scale[i]!;
    for (let j = 0; j < q; j++) a[i * q + j] = gram.xx[cols[i]! * p + cols[j]!]! / (scale[i]! * scale[j]!);
  }
  return { q, n: gram.n, a, b, yy: gram.yy, scale };
}

/** Weights on the original columns from coefficients on the scaled ones. */
export function unscale(ne: NormalEquations, beta: Float64Array): Float64Array {
  const w = new Float64Array(ne.q);
  for (let i = 0; i < ne.q; i++) w[i] = beta[i]! / ne.scale[i]!;
  return w;
}

/**
 * Bounds on each coefficient in original units (W for static, J per unit for the rest), for the
 * constrained solvers: `lower` 0 or −∞, `upper` a TDP or +∞.
 */
export interface Bounds {
  lower: Float64Array;
  upper: Float64Array;
}

/** Bounds in the scaled coordinates of `ne`. */
export function scaledBounds(ne: NormalEquations, bounds: Bounds): Bounds {
  const lower = new Float64Array(ne.q);
  const upper = new Float64Array(ne.q);
  for (let i = 0; i < ne.q; i++) {
    lower[i] = bounds.lower[i]! * ne.scale[i]!;
    upper[i] = bounds.upper[i]! * ne.scale[i]!;
  }
  return { lower, upper };
}

/** Residual sum of squares of weights `w` (original units) on the rows behind `gram`, `cols` as in `w`. */
export function residualSumOfSquares(gram: Gram, cols: readonly number[], w: Float64Array): number {
  const p = gram.p;
  let s = gram.yy;
  for (let i = 0; i < cols.length; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    s -= 2 * wi * gram.xy[cols[i]!]!;
    for (let j = 0; j < cols.length; j++) s += wi * w[j]! * gram.xx[cols[i]! * p + cols[j]!]!;
  }
  return Math.max(0, s);
}
