import { describe, expect, it } from 'vitest';
import { fitGram } from '../../src/model/fit-gram.js';
import { normalEquations, unscale } from '../../src/model/normal-equations.js';
import { solveRidge } from '../../src/model/solve-ridge.js';
import { gramOfCase, referenceCase, scaledDifference } from '../helpers/model-reference.js';

describe('solveRidge', () => {
  const c = referenceCase('penalised');
  const ref = c.ridge as { lambda: number; all: number[]; static_free: number[] };
  const { gram, cols, design } = gramOfCase(c);

  it("equals scikit-learn's Ridge(fit_intercept=False) on unit-RMS columns when every term is penalised", () => {
    const ne = normalEquations(gram, cols);
    const w = unscale(ne, solveRidge(ne, ref.lambda, new Float64Array(cols.length).fill(1)));
    expect(scaledDifference(w, ref.all, design)).toBeLessThan(1e-6);
  });

  it('leaves the static power unpenalised (augmented least squares reference)', () => {
    expect(scaledDifference(fitGram(gram, cols, { method: 'ridge' }, ref.lambda), ref.static_free, design)).toBeLessThan(1e-6);
  });

  it('is OLS at λ = 0', () => {
    const ols = fitGram(gram, cols, { method: 'ols' }, 0);
    expect(scaledDifference(fitGram(gram, cols, { method: 'ridge' }, 0), Array.from(ols), design)).toBeLessThan(1e-12);
  });
});
