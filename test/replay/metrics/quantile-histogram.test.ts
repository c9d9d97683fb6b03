import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantileHistogram } from '../../../src/replay/metrics/quantile-histogram.js';
import { weightedQuantile } from '../../../src/replay/metrics/weighted-quantile.js';

describe('QuantileHistogram', () => {
  it('answers the midpoint of the quantile\'s bin, clamped to the values seen', () => {
    // Bins of 0.1: 0.23 (w 3) → bin [0.2, 0.3); 0.71 (w 1) → bin [0.7, 0.8). The median's bin
    // midpoint is 0.25; the p95's would be 0.75 but no value exceeds 0.71.
    const h = new QuantileHistogram(0.1);
    h.add(0.23, 3);
    h.add(0.71, 1);
    expect(h.quantile(0.5)).toBeCloseTo(0.25, 12);
    expect(h.quantile(0.95)).toBe(0.71);
    expect(new QuantileHistogram().quantile(0.5)).toBeNaN();
  });

  it('reaches a quantile that falls exactly on a jump of the distribution despite rounding', () => {
    // Weights 0.1, 0.6, 0.4, 0.3 on values 1..4: the running weight after 2 is 0.7, exactly half
    // of 1.4, so the median is 2. In doubles 0.5 · (0.1 + 0.6 + 0.4 + 0.3) = 0.7000000000000001
    // exceeds 0.1 + 0.6 = 0.7; without the rounding allowance both would answer 3.
    const weights = [0.1, 0.6, 0.4, 0.3];
    expect(weightedQuantile([1, 2, 3, 4], weights, 0.5)).toBe(2);
    const h = new QuantileHistogram(0.01);
    weights.forEach((w, i) => h.add(i + 1, w));
    expect(h.quantile(0.5)).toBeCloseTo(2.005, 12);
  });

  it('grows past its first 1,024 bins', () => {
    const h = new QuantileHistogram(0.01);
    h.add(1, 1);
    h.add(500, 1);
    expect(h.quantile(1)).toBe(500);
  });

  it('stays within resolution/2 of the exact weighted quantile', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 1e-3, max: 10, noNaN: true })), { minLength: 1, maxLength: 80 }),
      fc.constantFrom(0.01, 0.5, 3),
      fc.constantFrom(0, 0.5, 0.95, 0.99, 1),
      (pairs, resolution, q) => {
        const h = new QuantileHistogram(resolution);
        for (const [v, w] of pairs) h.add(v, w);
        const exact = weightedQuantile(pairs.map((p) => p[0]), pairs.map((p) => p[1]), q);
        expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(resolution / 2 + 1e-9);
      }), { numRuns: 200 });
  });
});
