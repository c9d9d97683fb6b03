import type { Bounds, NormalEquations } from './normal-equations.js';

/** Elastic-net settings: overall strength α and the L1 share (scikit-learn's `l1_ratio`). */
export interface EnetParams {
  alpha: number;
  l1Ratio: number;
  /** Stop when no coefficient moves more than this × the largest coefficient; default 1e-13. */
  tol?: number;
  /** Sweeps over all coefficients at most; default 100,000. */
  maxSweeps?: number;
}

/**
 * Elastic net with box constraints by cyclic coordinate descent on the Gram matrix:
 * `min 1/(2n)‖y − Zβ‖² + α Σ m_j (l1 |β_j| + (1 − l1)/2 β_j²)` subject to
 * `lower ≤ β ≤ upper` (scaled bounds). With lower = 0, upper = ∞ and every m_j = 1 this is
 * scikit-learn's `ElasticNet(alpha, l1_ratio, positive=True, fit_intercept=False)` on Z.
 * Each coordinate step is exact (soft-threshold, then clip), and the gradient is updated in
 * O(q), so a sweep costs O(q²) whatever the number of intervals. Returns β (scaled).
 */
export function solveEnet(ne: NormalEquations, params: EnetParams, penalty: Float64Array, bounds: Bounds, start?: Float64Array): Float64Array {
  const { q, a, b } = ne;
  const n = Math.max(ne.n, 1);
  const tol = params.tol ?? 1e-13;
  const maxSweeps = params.maxSweeps ?? 100_000;
  const beta = start ? Float64Array.from(start) : new Float64Array(q);
  // r = Zᵀy − ZᵀZ β, kept current after every coordinate move.
  const r = Float64Array.from(b);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) r[i] = r[i]! - a[i * q + j]! * beta[j]!;
  const l1 = params.alpha * params.l1Ratio;
  const l2 = params.alpha * (1 - params.l1Ratio);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let maxMove = 0;
    let maxBeta = 0;
    for (let j = 0; j < q; j++) {
      const ajj = a[j * q + j]!;
      if (ajj <= 0) continue;
      const old = beta[j]!;
      const rho = (r[j]! + ajj * old) / n;
      const thr = l1 * penalty[j]!;
      const soft = rho > thr ? rho - thr : rho < -thr ? rho + thr : 0;
      let next = soft / (ajj / n + l2 * penalty[j]!);
      next = Math.min(bounds.upper[j]!, Math.max(bounds.lower[j]!, next));
      const d = next - old;
      if (d !== 0) {
        beta[j] = next;
        for (let i = 0; i < q; i++) r[i] = r[i]! - a[i * q + j]! * d;
        maxMove = Math.max(maxMove, Math.abs(d));
      }
      maxBeta = Math.max(maxBeta, Math.abs(next));
    }
    if (maxMove <= tol * maxBeta) break;
  }
  return beta;
}

/**
 * The smallest α at which every penalised coefficient is zero when the unpenalised ones are
 * (scikit-learn's `alpha_max`): `max_j Zⱼᵀy / (n · l1)` over penalised j.
 */
export function enetAlphaMax(ne: NormalEquations, l1Ratio: number, penalty: Float64Array): number {
  let m = 0;
  for (let j = 0; j < ne.q; j++) if (penalty[j]! > 0) m = Math.max(m, ne.b[j]! / penalty[j]!);
  return m / (Math.max(ne.n, 1) * Math.max(l1Ratio, 1e-3));
}
