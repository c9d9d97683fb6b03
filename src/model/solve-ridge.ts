import { solveSymmetric } from './dense.js';
import type { NormalEquations } from './normal-equations.js';

/**
 * Ridge regression on scaled normal equations: `min ‖y − Zβ‖² + λ Σ m_j β_j²`, i.e.
 * `(ZᵀZ + λ diag(m)) β = Zᵀy`. `penalty` m_j is 0 for terms left unpenalised (the static power)
 * and 1 otherwise. With every m_j = 1 this is scikit-learn's `Ridge(alpha=λ, fit_intercept=False)`
 * on Z. Returns β (scaled).
 */
export function solveRidge(ne: NormalEquations, lambda: number, penalty: Float64Array): Float64Array {
  const { q } = ne;
  const a = Float64Array.from(ne.a);
  for (let i = 0; i < q; i++) a[i * q + i] = a[i * q + i]! + lambda * penalty[i]!;
  return solveSymmetric(a, q, ne.b);
}
