import { describe, expect, it } from 'vitest';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import type { PackageSeries } from '../../src/thermal/fit-series.js';
import { predictSeries } from '../../src/thermal/predict-series.js';
import { ThermalStepper } from '../../src/thermal/step.js';

describe('predictSeries', () => {
  it('matches the fixed-tick stepper started from the first interval\'s steady state', () => {
    const n = 3;
    const intervals = 40;
    const coreWatts = Float64Array.from({ length: intervals * n }, (_, j) => ((j * 7) % 11) + (j % n === 1 ? 10 : 0));
    const heatsinkWatts = Float64Array.from({ length: intervals }, (_, k) => 4 + (k % 5));
    const pkg: PackageSeries = {
      socket: 0, cores: ['S0-C0', 'S0-C1', 'S0-C2'],
      t0: Float64Array.from({ length: intervals }, (_, k) => 2 * k),
      t1: Float64Array.from({ length: intervals }, (_, k) => 2 * k + 2),
      coreWatts, heatsinkWatts, celsius: new Float64Array(intervals * n).fill(NaN),
    };
    const got = predictSeries(defaultThermalParams, pkg);
    const s = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: n }, 2);
    s.settle(coreWatts.subarray(0, n), heatsinkWatts.subarray(0, 1));
    for (let k = 0; k < intervals; k++) {
      s.step(coreWatts.subarray(k * n, k * n + n), heatsinkWatts.subarray(k, k + 1));
      for (let i = 0; i < n; i++) expect(Math.abs(got[k * n + i]! - s.coreCelsius[i]!)).toBeLessThan(1e-9);
    }
  });

  it('runs a gap before an interval with that interval\'s power', () => {
    // Intervals [0,1] and [3,4]: the second is advanced 3 s, as if it were [1,4].
    const base = {
      socket: 0, cores: ['S0-C0'], coreWatts: Float64Array.from([0, 20]), heatsinkWatts: Float64Array.from([0, 0]),
      celsius: Float64Array.from([NaN, NaN]),
    };
    const gap = predictSeries(defaultThermalParams, { ...base, t0: Float64Array.from([0, 3]), t1: Float64Array.from([1, 4]) });
    const joined = predictSeries(defaultThermalParams, { ...base, t0: Float64Array.from([0, 1]), t1: Float64Array.from([1, 4]) });
    expect(gap[1]).toBeCloseTo(joined[1]!, 12);
    expect(gap[1]!).toBeGreaterThan(gap[0]! + 5);
  });
});
