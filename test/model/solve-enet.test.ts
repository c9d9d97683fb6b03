import { describe, expect, it } from 'vitest';
import { fitGram } from '../../src/model/fit-gram.js';
import { normalEquations, unscale } from '../../src/model/normal-equations.js';
import { enetAlphaMax, solveEnet } from '../../src/model/solve-enet.js';
import { gramOfCase, referenceCase, scaledDifference } from '../helpers/model-reference.js';

describe('solveEnet', () => {
  const c = referenceCase('penalised');
  const ref = c.enet as { alpha: number; l1_ratio: number; all: number[] };
  const { gram, cols, design } = gramOfCase(c);
  const ne = normalEquations(gram, cols);
  const q = cols.length;
  const nonNegative = { lower: new Float64Array(q), upper: new Float64Array(q).fill(Infinity) };

  it("equals scikit-learn's ElasticNet(positive=True, fit_intercept=False) to 1e-6", () => {
    const w = unscale(ne, solveEnet(ne, { alpha: ref.alpha, l1Ratio: ref.l1_ratio }, new Float64Array(q).fill(1), nonNegative));
    expect(ref.all.filter((v) => v === 0).length).toBeGreaterThan(0); // the L1 term zeroes a weight
    expect(scaledDifference(w, ref.all, design)).toBeLessThan(1e-6);
  });

  it('meets the KKT conditions with the static power unpenalised', () => {
    const penalty = new Float64Array(q).fill(1);
    penalty[0] = 0;
    const alpha = ref.alpha;
    const beta = solveEnet(ne, { alpha, l1Ratio: 0.5 }, penalty, nonNegative);
    const n = ne.n;
    for (let j = 0; j < q; j++) {
      // ∂/∂β_j of the smooth part: −(Zᵀy − ZᵀZβ)_j / n + α(1−l1) m_j β_j; the L1 part adds α·l1·m_j.
      let g = -ne.b[j]!;
      for (let k = 0; k < q; k++) g += ne.a[j * q + k]! * beta[k]!;
      g = g / n + alpha * 0.5 * penalty[j]! * beta[j]! + alpha * 0.5 * penalty[j]!;
      if (beta[j]! > 0) expect(Math.abs(g)).toBeLessThan(1e-9 * Math.abs(ne.b[j]! / n));
      else expect(g).toBeGreaterThan(-1e-9 * Math.abs(ne.b[j]! / n));
    }
    expect(beta[0]).toBeGreaterThan(0);
  });

  it('zeroes every penalised weight at alpha_max and keeps static within the TDP', () => {
    const penalty = new Float64Array(q).fill(1);
    const top = enetAlphaMax(ne, 0.5, penalty);
    const beta = solveEnet(ne, { alpha: top * 1.0001, l1Ratio: 0.5 }, penalty, nonNegative);
    expect(Array.from(beta).every((v) => v === 0)).toBe(true);
    const w = fitGram(gram, cols, { method: 'enet', tdpWatts: 5 }, ref.alpha);
    expect(w[0]).toBeLessThanOrEqual(5);
    expect(w.every((v) => v >= 0)).toBe(true);
  });
});
