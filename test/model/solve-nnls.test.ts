import { describe, expect, it } from 'vitest';
import { constraints, fitGram } from '../../src/model/fit-gram.js';
import { normalEquations, scaledBounds } from '../../src/model/normal-equations.js';
import { lawsonHanson, solveNnls } from '../../src/model/solve-nnls.js';
import { gramOfCase, referenceCase, scaledDifference } from '../helpers/model-reference.js';

describe('lawsonHanson', () => {
  it('solves a hand-worked 2×2 problem with one active constraint', () => {
    // ZᵀZ = [[2, 1], [1, 2]], Zᵀy = [−1, 2]: LS x = (−4/3, 5/3); with x1 held at 0 the best
    // x2 is 2/2 = 1, and the gradient of x1 there, −1 − 1·1 = −2, is negative, so x = (0, 1).
    const x = lawsonHanson(Float64Array.of(2, 1, 1, 2), 2, Float64Array.of(-1, 2));
    expect(x[0]).toBe(0);
    expect(x[1]).toBeCloseTo(1, 15);
  });

  it('returns the least-squares solution when it is already non-negative', () => {
    // [[4, 1], [1, 3]] x = [1, 2] → x = (1/11, 7/11)
    const x = lawsonHanson(Float64Array.of(4, 1, 1, 3), 2, Float64Array.of(1, 2));
    expect(x[0]).toBeCloseTo(1 / 11, 14);
    expect(x[1]).toBeCloseTo(7 / 11, 14);
  });

  it('returns zeros when every gradient points below zero', () => {
    expect(Array.from(lawsonHanson(Float64Array.of(1, 0, 0, 1), 2, Float64Array.of(-1, -3)))).toEqual([0, 0]);
  });
});

describe('solveNnls against SciPy', () => {
  const c = referenceCase('nnls-active');
  const { gram, cols, design } = gramOfCase(c);

  it('equals scipy.optimize.nnls to 1e-6 with active constraints', () => {
    const w = fitGram(gram, cols, { method: 'nnls' }, 0);
    const ref = c.nnls as number[];
    expect(ref.filter((v) => v === 0).length).toBeGreaterThan(0); // the case does exercise the constraints
    expect(scaledDifference(w, ref, design)).toBeLessThan(1e-6);
    for (let i = 0; i < ref.length; i++) if (ref[i] === 0) expect(w[i]).toBe(0);
  });

  it('equals scipy.optimize.lsq_linear (BVLS) when the static power is capped at the TDP', () => {
    const { tdp, w: ref } = c.nnls_tdp as { tdp: number; w: number[] };
    const w = fitGram(gram, cols, { method: 'nnls', tdpWatts: tdp }, 0);
    expect(w[0]).toBe(tdp);
    expect(scaledDifference(w, ref, design)).toBeLessThan(1e-6);
  });

  it('meets the KKT conditions: zero gradient on positive weights, non-positive on zero ones', () => {
    const ne = normalEquations(gram, cols);
    const x = solveNnls(ne, scaledBounds(ne, constraints(cols.length, { method: 'nnls' })));
    for (let i = 0; i < ne.q; i++) {
      let g = ne.b[i]!;
      for (let j = 0; j < ne.q; j++) g -= ne.a[i * ne.q + j]! * x[j]!;
      const tol = 1e-9 * Math.abs(ne.b[i]!);
      if (x[i]! > 0) expect(Math.abs(g)).toBeLessThan(tol);
      else expect(g).toBeLessThan(tol);
    }
  });
});
