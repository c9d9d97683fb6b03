import { inverseSpd, symmetricEigenvalues } from './dense.js';
import type { Gram } from './design.js';
import { normalEquations } from './normal-equations.js';

/** Collinearity diagnostics of the chosen terms. */
export interface Collinearity {
  /** Variance inflation factor per term (static excluded): 1/(1 − R²) of the term on the others. */
  vif: number[];
  /**
   * Condition number of the design with unit-RMS columns (static included), √(λmax/λmin) of
   * ZᵀZ: above 30 the weights are poorly determined (Belsley, Kuh & Welsch).
   */
  conditionNumber: number;
}

/** VIF above which a term is called collinear. */
export const vifLimit = 10;
/** Condition number above which the design is called ill-conditioned. */
export const conditionLimit = 30;

/**
 * VIFs from the correlation matrix of the non-static columns (centred: the static column is the
 * intercept when intervals have equal length) and the condition number of the scaled design,
 * both from the Gram. Infinite VIF for a term that is an exact combination of the others.
 */
export function collinearity(gram: Gram, cols: readonly number[]): Collinearity {
  const ne = normalEquations(gram, cols);
  const eig = symmetricEigenvalues(ne.a, ne.q);
  const lmax = eig[eig.length - 1] ?? 0;
  const lmin = eig[0] ?? 0;
  const conditionNumber = lmin > 0 ? Math.sqrt(lmax / lmin) : Infinity;
  const events = cols.slice(1);
  const m = events.length;
  if (m === 0) return { vif: [], conditionNumber };
  const n = Math.max(gram.n, 1);
  const p = gram.p;
  // Column sums from the static column (constant Δt): Σx_j = (Xᵀx_static)_j / Δt.
  const dt = Math.sqrt(gram.xx[cols[0]! * p + cols[0]!]! / n);
  const mean = events.map((c) => (dt > 0 ? gram.xx[cols[0]! * p + c]! / (n * dt) : 0));
  const cov = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) cov[i * m + j] = gram.xx[events[i]! * p + events[j]!]! / n - mean[i]! * mean[j]!;
  }
  const sd = Array.from({ length: m }, (_, i) => Math.sqrt(Math.max(cov[i * m + i]!, 0)));
  const corr = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) corr[i * m + j] = sd[i]! > 0 && sd[j]! > 0 ? cov[i * m + j]! / (sd[i]! * sd[j]!) : i === j ? 1 : 0;
  const inv = inverseSpd(corr, m);
  const vif = Array.from({ length: m }, (_, i) => (sd[i] === 0 ? Infinity : inv ? inv[i * m + i]! : Infinity));
  return { vif, conditionNumber };
}
