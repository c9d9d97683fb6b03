import { describe, expect, it } from 'vitest';
import { fitGram } from '../../src/model/fit-gram.js';
import { designOf, gramOfCase, referenceCase, scaledDifference } from '../helpers/model-reference.js';
import { accumulateGrams } from '../../src/model/design.js';

describe('solveOls', () => {
  it('equals numpy.linalg.lstsq to 1e-6', () => {
    const c = referenceCase('nnls-active');
    const { gram, cols, design } = gramOfCase(c);
    expect(scaledDifference(fitGram(gram, cols, { method: 'ols' }, 0), c.ols as number[], design)).toBeLessThan(1e-6);
  });

  it('recovers an exact line: y = 2 W × 1 s + 3e-9 J × count', () => {
    const x = [[1, 1e9], [1, 2e9], [1, 4e9], [1, 3e9]];
    const design = designOf(x, x.map(([dt, c]) => 2 * dt! + 3e-9 * c!));
    const w = fitGram(accumulateGrams(design, [{ start: 0, end: 4 }])[0]!, [0, 1], { method: 'ols' }, 0);
    expect(w[0]).toBeCloseTo(2, 9);
    expect(w[1]! / 3e-9).toBeCloseTo(1, 9);
  });

  it('gives the minimum-norm solution when two columns are identical', () => {
    const x = [[1, 1, 1], [1, 2, 2], [1, 3, 3]];
    const design = designOf(x, [3, 5, 7]); // y = 1 + 2·c, split evenly over the twin columns
    const w = fitGram(accumulateGrams(design, [{ start: 0, end: 3 }])[0]!, [0, 1, 2], { method: 'ols' }, 0);
    expect(w[0]).toBeCloseTo(1, 9);
    expect(w[1]).toBeCloseTo(1, 9);
    expect(w[2]).toBeCloseTo(1, 9);
  });
});
