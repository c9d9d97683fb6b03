import { solveSymmetric } from './dense.js';
import type { NormalEquations } from './normal-equations.js';

/**
 * Ordinary least squares on scaled normal equations: ZᵀZ β = Zᵀy by Cholesky, or the
 * minimum-norm solution when the columns are linearly dependent. Returns β (scaled).
 */
export function solveOls(ne: NormalEquations): Float64Array {
  return solveSymmetric(ne.a, ne.q, ne.b);
}
