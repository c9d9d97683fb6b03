import { describe, expect, it } from 'vitest';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import type { PackageSeries } from '../../src/thermal/fit-series.js';
import { predictSeries, predictSeriesFrom } from '../../src/thermal/predict-series.js';
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

  it('fits the start: a recording begun 7 °C off the first interval\'s steady state is followed exactly', () => {
    const n = 2;
    const intervals = 30;
    const coreWatts = Float64Array.from({ length: intervals * n }, (_, j) => (j % n === 0 ? 12 : 3) + (j % 7));
    const heatsinkWatts = new Float64Array(intervals).fill(5);
    const pkg: PackageSeries = {
      socket: 0, cores: ['S0-C0', 'S0-C1'], t0: Float64Array.from({ length: intervals }, (_, k) => k),
      t1: Float64Array.from({ length: intervals }, (_, k) => k + 1), coreWatts, heatsinkWatts, celsius: new Float64Array(intervals * n),
    };
    // Truth: every node 7 °C above the first interval's steady state, stepped exactly 1 s at a time.
    const s = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: n }, 1);
    s.settle(coreWatts.subarray(0, n), heatsinkWatts.subarray(0, 1));
    const start = [...s.coreCelsius, ...s.heatsinkCelsius].map((t) => t + 7);
    s.coreCelsius.set(start.slice(0, n));
    s.heatsinkCelsius[0] = start[n]!;
    for (let k = 0; k < intervals; k++) {
      s.step(coreWatts.subarray(k * n, k * n + n), heatsinkWatts.subarray(k, k + 1));
      pkg.celsius.set(s.coreCelsius, k * n);
    }
    const fitted = predictSeriesFrom(defaultThermalParams, pkg, undefined, 'fitted');
    fitted.start.forEach((t, i) => expect(t).toBeCloseTo(start[i]!, 6));
    fitted.celsius.forEach((t, j) => expect(t).toBeCloseTo(pkg.celsius[j]!, 6));
    // From the steady state the first readings are 7 °C off, fading with the heatsink (14 s).
    const steady = predictSeries(defaultThermalParams, pkg);
    expect(pkg.celsius[0]! - steady[0]!).toBeGreaterThan(6);
    expect(pkg.celsius[0]! - steady[0]!).toBeLessThan(7);
    expect(Math.abs(pkg.celsius[58]! - steady[58]!)).toBeLessThan(1.5);
  });
});
