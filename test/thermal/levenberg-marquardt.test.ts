import { describe, expect, it } from 'vitest';
import { levenbergMarquardt } from '../../src/thermal/levenberg-marquardt.js';

describe('levenbergMarquardt', () => {
  const t = Float64Array.from({ length: 12 }, (_, i) => i * 0.5);
  const model = (th: Float64Array, x: number): number => th[0]! * Math.exp(-th[1]! * x) + th[2]!;
  const truth = Float64Array.from([5, 0.7, 2]);
  const y = t.map((x) => model(truth, x));
  const bounds = { lower: Float64Array.from([-1e3, 0, -1e3]), upper: Float64Array.from([1e3, 10, 1e3]) };

  it('recovers a·e^(−b·t) + c from exact data, starting far off', () => {
    const fit = levenbergMarquardt((th, out) => t.forEach((x, i) => (out[i] = model(th, x) - y[i]!)),
      Float64Array.from([1, 0.1, 0]), t.length, bounds);
    for (let j = 0; j < 3; j++) expect(fit.theta[j]).toBeCloseTo(truth[j]!, 6);
    expect(fit.cost).toBeLessThan(1e-14);
  });

  it('keeps θ inside the bounds', () => {
    // The unconstrained optimum has b = 0.7; capping b at 0.5 must leave it on the bound.
    const capped = { lower: bounds.lower, upper: Float64Array.from([1e3, 0.5, 1e3]) };
    const fit = levenbergMarquardt((th, out) => t.forEach((x, i) => (out[i] = model(th, x) - y[i]!)),
      Float64Array.from([1, 0.1, 0]), t.length, capped);
    expect(fit.theta[1]).toBe(0.5);
  });
});
