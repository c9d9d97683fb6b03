import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/generate/rng.js';
import { bootstrapIntervals, quantile } from '../../src/model/confidence.js';
import { designOf } from '../helpers/model-reference.js';

function noisyLine(n: number, seed: number) {
  const rng = new Rng(seed, 'noisy-line');
  const x = Array.from({ length: n }, () => [1, 1e9 * (0.1 + rng.uniform())]);
  const y = x.map(([dt, c]) => 5 * dt! + 2e-9 * c! + (rng.uniform() - 0.5));
  return designOf(x, y);
}

describe('quantile', () => {
  it('interpolates like numpy.quantile', () => {
    expect(quantile(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2.5);
    expect(quantile(Float64Array.of(10, 20, 30, 40, 50), 0.025)).toBeCloseTo(11, 12);
  });
});

describe('bootstrapIntervals', () => {
  const design = noisyLine(2000, 3);
  const parts = [{ start: 0, end: 2000, trace: 0, workload: 'w' }];

  it('brackets the true weights and is reproducible from its seed', () => {
    const ci = bootstrapIntervals(design, parts, [0, 1], { method: 'nnls' }, 0, { replicates: 300, seed: 9 });
    expect(ci.lower[0]).toBeLessThan(5);
    expect(ci.upper[0]).toBeGreaterThan(5);
    expect(ci.lower[1]).toBeLessThan(2e-9);
    expect(ci.upper[1]).toBeGreaterThan(2e-9);
    const again = bootstrapIntervals(design, parts, [0, 1], { method: 'nnls' }, 0, { replicates: 300, seed: 9 });
    expect(Array.from(again.lower)).toEqual(Array.from(ci.lower));
  });

  it('resamples whole blocks, drawn from the seed\'s "bootstrap" stream', () => {
    // 5 blocks of 2 intervals, block b reading b W; a static-only OLS fit is the mean of the drawn blocks
    const blocky = designOf(Array.from({ length: 10 }, () => [1]), Array.from({ length: 10 }, (_, i) => Math.floor(i / 2)));
    const ci = bootstrapIntervals(blocky, [{ start: 0, end: 10, trace: 0, workload: 'w' }], [0], { method: 'ols' }, 0,
      { replicates: 40, seed: 11, blockIntervals: 2 });
    const rng = new Rng(11, 'bootstrap');
    const means = Float64Array.from({ length: 40 }, () => {
      let sum = 0;
      for (let b = 0; b < 5; b++) sum += rng.int(5);
      return sum / 5;
    }).sort();
    expect(ci.lower[0]).toBeCloseTo(quantile(means, 0.025), 9);
    expect(ci.upper[0]).toBeCloseTo(quantile(means, 0.975), 9);
    expect(ci.lower[0]).toBeLessThan(ci.upper[0]!);
  });

  it('is about as wide as the analytical OLS interval for independent noise', () => {
    const ci = bootstrapIntervals(design, parts, [0, 1], { method: 'ols' }, 0, { replicates: 400, seed: 2, blockIntervals: 2 });
    // Uniform noise of width 1: σ = 1/√12; slope SE = σ / √(Σ(c − c̄)²), c uniform on [0.1, 1.1]e9.
    const se = 1 / Math.sqrt(12) / Math.sqrt(2000 * (1e18 / 12));
    expect(ci.stdError[1]! / se).toBeGreaterThan(0.8);
    expect(ci.stdError[1]! / se).toBeLessThan(1.25);
  });
});
