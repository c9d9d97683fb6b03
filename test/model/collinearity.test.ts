import { describe, expect, it } from 'vitest';
import { collinearity } from '../../src/model/collinearity.js';
import { accumulateGrams } from '../../src/model/design.js';
import { designOf, gramOfCase, referenceCase } from '../helpers/model-reference.js';

describe('collinearity', () => {
  it('equals VIFs and the condition number computed with NumPy', () => {
    const c = referenceCase('collinear');
    const { gram, cols } = gramOfCase(c);
    const d = collinearity(gram, cols);
    const vif = c.vif as number[];
    d.vif.forEach((v, j) => expect(v / vif[j]! - 1).toBeLessThan(1e-6));
    expect(Math.abs(d.conditionNumber / (c.condition_number as number) - 1)).toBeLessThan(1e-6);
  });

  it('gives VIF 1 for uncorrelated terms and ∞ for an exact copy', () => {
    // two centred, orthogonal patterns on top of a constant
    const x = [[1, 1, 1], [1, 3, 1], [1, 1, 3], [1, 3, 3]];
    const design = designOf(x, [1, 2, 3, 4]);
    const d = collinearity(accumulateGrams(design, [{ start: 0, end: 4 }])[0]!, [0, 1, 2]);
    expect(d.vif[0]).toBeCloseTo(1, 12);
    expect(d.vif[1]).toBeCloseTo(1, 12);
    const twins = designOf(x.map(([a, b]) => [a!, b!, 2 * b!]), [1, 2, 3, 4]);
    const t = collinearity(accumulateGrams(twins, [{ start: 0, end: 4 }])[0]!, [0, 1, 2]);
    expect(t.vif[0]).toBe(Infinity);
    expect(t.conditionNumber).toBeGreaterThan(1e6);
  });
});
