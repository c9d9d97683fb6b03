import { describe, expect, it } from 'vitest';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { fitError } from '../../src/thermal/fit-error.js';
import type { PackageSeries } from '../../src/thermal/fit-series.js';
import { predictSeries } from '../../src/thermal/predict-series.js';

describe('fitError', () => {
  it('reports RMSE, max error, the error left after per-core bias, and the readings\' spread', () => {
    const pkg: PackageSeries = {
      socket: 0, cores: ['S0-C0', 'S0-C1'], t0: Float64Array.from([0, 1, 2]), t1: Float64Array.from([1, 2, 3]),
      coreWatts: Float64Array.from([5, 1, 5, 1, 5, 1]), heatsinkWatts: Float64Array.from([2, 2, 2]),
      celsius: new Float64Array(6),
    };
    const model = predictSeries(defaultThermalParams, pkg);
    // Readings = model − error. Core 0 errors +1, +1, NaN (missing); core 1 errors +1, −1, 0.
    const errors = [1, 1, 1, -1, NaN, 0];
    pkg.celsius = model.map((t, j) => t - errors[j]!);
    const e = fitError({ packages: [pkg], notes: [] }, defaultThermalParams);
    // RMSE √((1+1+1+1+0)/5); core 0's mean error 1 and core 1's 0 ⇒ after bias √((0+0+1+1+0)/5).
    expect(e.observations).toBe(5);
    expect(e.rmseCelsius).toBeCloseTo(Math.sqrt(4 / 5), 9);
    expect(e.maxErrorCelsius).toBeCloseTo(1, 9);
    expect(e.rmseAfterCoreBiasCelsius).toBeCloseTo(Math.sqrt(2 / 5), 9);
    const seen = [...pkg.celsius].filter((c) => !Number.isNaN(c));
    const mean = seen.reduce((s, c) => s + c, 0) / 5;
    expect(e.observedStdCelsius).toBeCloseTo(Math.sqrt(seen.reduce((s, c) => s + (c - mean) ** 2, 0) / 5), 6);
    // Core 0: errors +1, +1 ⇒ RMSE 1, bias 1. Core 1: +1, −1, 0 ⇒ RMSE √(2/3), bias 0.
    expect(e.cores.map((c) => c.core)).toEqual(['S0-C0', 'S0-C1']);
    expect(e.cores.map((c) => c.readings)).toEqual([2, 3]);
    expect(e.cores[0]!.rmseCelsius).toBeCloseTo(1, 9);
    expect(e.cores[0]!.biasCelsius).toBeCloseTo(1, 9);
    expect(e.cores[1]!.rmseCelsius).toBeCloseTo(Math.sqrt(2 / 3), 9);
    expect(e.cores[1]!.biasCelsius).toBeCloseTo(0, 9);
    // The per-core-mean predictor: each core's readings about their own mean.
    const within = [[pkg.celsius[0]!, pkg.celsius[2]!], [pkg.celsius[1]!, pkg.celsius[3]!, pkg.celsius[5]!]]
      .reduce((s, c) => {
        const m = c.reduce((a, b) => a + b, 0) / c.length;
        return s + c.reduce((a, b) => a + (b - m) ** 2, 0);
      }, 0);
    expect(e.perCoreStdCelsius).toBeCloseTo(Math.sqrt(within / 5), 6);
  });
});
