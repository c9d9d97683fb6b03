import { Matrix, solve } from 'ml-matrix';

/** Writes the residuals at θ into `out` (length fixed for the whole fit). */
export type ResidualFn = (theta: Float64Array, out: Float64Array) => void;

export interface LeastSquaresResult {
  theta: Float64Array;
  /** Σ r², at `theta`. */
  cost: number;
  iterations: number;
}

/**
 * Minimises Σ rᵢ(θ)² by Levenberg–Marquardt with a forward-difference Jacobian and Marquardt's
 * diagonal scaling. `lower`/`upper` clamp every trial θ (keeps log-parameters finite). Stops
 * after `maxIterations` (default 100) or when a step improves the cost by less than 1e-10 relative.
 */
export function levenbergMarquardt(
  residuals: ResidualFn, theta0: Float64Array, count: number,
  bounds: { lower: Float64Array; upper: Float64Array }, maxIterations = 100,
): LeastSquaresResult {
  const p = theta0.length;
  const clamp = (t: Float64Array): Float64Array => t.map((v, j) => Math.min(bounds.upper[j]!, Math.max(bounds.lower[j]!, v)));
  const sumSq = (r: Float64Array): number => r.reduce((s, v) => s + v * v, 0);
  let theta = clamp(theta0);
  let r = new Float64Array(count);
  residuals(theta, r);
  let cost = sumSq(r);
  let lambda = 1e-3;
  const rh = new Float64Array(count);
  const jac = new Matrix(count, p);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    for (let j = 0; j < p; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      const th = theta.slice();
      th[j]! += h;
      residuals(th, rh);
      for (let i = 0; i < count; i++) jac.set(i, j, (rh[i]! - r[i]!) / h);
    }
    const jt = jac.transpose();
    const jtj = jt.mmul(jac);
    const g = jt.mmul(Matrix.columnVector(Array.from(r)));
    let improved = false;
    // Raise λ until a step lowers the cost (or λ says the gradient is flat).
    while (lambda < 1e12) {
      const damped = jtj.clone();
      for (let j = 0; j < p; j++) damped.set(j, j, jtj.get(j, j) * (1 + lambda) + 1e-12);
      const step = solve(damped, g.clone().mul(-1)).to1DArray();
      const trial = clamp(theta.map((v, j) => v + step[j]!));
      const rt = new Float64Array(count);
      residuals(trial, rt);
      const trialCost = sumSq(rt);
      if (trialCost < cost) {
        const gain = (cost - trialCost) / Math.max(cost, 1e-300);
        theta = trial;
        r = rt;
        cost = trialCost;
        lambda = Math.max(lambda / 3, 1e-12);
        improved = gain > 1e-10;
        break;
      }
      lambda *= 4;
    }
    if (!improved) break;
  }
  return { theta, cost, iterations };
}
