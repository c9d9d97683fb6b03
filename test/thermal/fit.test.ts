import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { Rng } from '../../src/generate/rng.js';
import { messages } from '../../src/messages.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { fitThermal } from '../../src/thermal/fit.js';
import type { FitSeries, PackageSeries } from '../../src/thermal/fit-series.js';
import { predictSeries } from '../../src/thermal/predict-series.js';
import type { ThermalParams } from '../../src/thermal/rc-network.js';

const truth: ThermalParams = {
  ...defaultThermalParams, coreToHeatsink: 1.6, coreToCore: 0.6, heatsinkCapacitance: 90, heatsinkToAmbient: 6, ambientCelsius: 31,
};

/**
 * 4 cores, 1 s intervals for 10 min; each core's power jumps to a new level in 0–15 W every
 * 20 s (longer than the 15 s heatsink time constant, so its dynamics show), 3 W into the sink.
 * Readings are the model's temperatures plus Gaussian noise of `sigma` °C, optionally rounded
 * to whole degrees like CoreTmp. `params` default to `truth`.
 */
function simulated(sigma: number, round: boolean, seed = 7, params: ThermalParams = truth): PackageSeries {
  const n = 4;
  const m = 600;
  const rng = new Rng(seed, 'thermal-fit');
  const coreWatts = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    let level = 0;
    for (let k = 0; k < m; k++) {
      if (k % 20 === 0) level = 15 * rng.uniform();
      coreWatts[k * n + i] = level;
    }
  }
  const pkg: PackageSeries = {
    socket: 0, cores: ['S0-C0', 'S0-C1', 'S0-C2', 'S0-C3'],
    t0: Float64Array.from({ length: m }, (_, k) => k), t1: Float64Array.from({ length: m }, (_, k) => k + 1),
    coreWatts, heatsinkWatts: new Float64Array(m).fill(3), celsius: new Float64Array(m * n),
  };
  const clean = predictSeries(params, pkg);
  for (let j = 0; j < clean.length; j++) {
    const t = clean[j]! + sigma * rng.normal();
    pkg.celsius[j] = round ? Math.round(t) : t;
  }
  return pkg;
}

const relative = (got: number, want: number): number => Math.abs(got / want - 1);

describe('fitThermal', () => {
  it('recovers known parameters from simulated readings with 0.2 °C noise (conductances, capacitance within 5 %, ambient within 0.2 °C)', () => {
    const fit = fitThermal({ packages: [simulated(0.2, false)], notes: [] });
    expect(relative(fit.params.coreToHeatsink, truth.coreToHeatsink)).toBeLessThan(0.05);
    expect(relative(fit.params.coreToCore, truth.coreToCore)).toBeLessThan(0.05);
    expect(relative(fit.params.heatsinkCapacitance, truth.heatsinkCapacitance)).toBeLessThan(0.05);
    expect(relative(fit.params.heatsinkToAmbient, truth.heatsinkToAmbient)).toBeLessThan(0.05);
    expect(Math.abs(fit.params.ambientCelsius - truth.ambientCelsius)).toBeLessThan(0.2);
    // The residual is the noise: RMSE ≈ σ, nothing systematic per core.
    expect(fit.rmseCelsius).toBeGreaterThan(0.18);
    expect(fit.rmseCelsius).toBeLessThan(0.22);
    expect(fit.rmseAfterCoreBiasCelsius).toBeLessThanOrEqual(fit.rmseCelsius);
    expect(fit.observations).toBe(2400);
    expect(fit.observedStdCelsius).toBeGreaterThan(5 * fit.rmseCelsius);
  });

  it('keeps the default core capacitance, which 1 s readings cannot tell from any millisecond one', () => {
    const fit = fitThermal({ packages: [simulated(0.2, false)], notes: [] });
    expect(relative(fit.params.coreCapacitance, truth.coreCapacitance)).toBeLessThan(0.05);
  });

  it('finds a core that takes seconds to heat (3 J/K: time constant 1.9 s) and its other parameters within 5 %', () => {
    const slow: ThermalParams = { ...truth, coreCapacitance: 3 };
    const fit = fitThermal({ packages: [simulated(0.2, false, 7, slow)], notes: [] });
    for (const key of ['coreCapacitance', 'coreToHeatsink', 'coreToCore', 'heatsinkCapacitance', 'heatsinkToAmbient'] as const) {
      expect(relative(fit.params[key], slow[key]), key).toBeLessThan(0.05);
    }
    expect(fit.rmseCelsius).toBeLessThan(0.22);
  });

  it('recovers them from whole-degree readings (CoreTmp) within 10 %', () => {
    const fit = fitThermal({ packages: [simulated(0.3, true, 11)], notes: [] });
    for (const key of ['coreToHeatsink', 'coreToCore', 'heatsinkCapacitance', 'heatsinkToAmbient'] as const) {
      expect(relative(fit.params[key], truth[key])).toBeLessThan(0.1);
    }
    expect(Math.abs(fit.params.ambientCelsius - truth.ambientCelsius)).toBeLessThan(0.5);
  });

  it('pulls log-parameters toward the start by priorWeight', () => {
    // A prior of 10⁴ °C per e-fold outweighs 2,400 readings: the conductances and capacitance
    // stay at the (HotSpot) start, and only the ambient, which has no prior, follows the data.
    const fit = fitThermal({ packages: [simulated(0.2, false)], notes: [] }, { priorWeight: 1e4 });
    for (const key of ['coreToHeatsink', 'coreToCore', 'heatsinkCapacitance', 'heatsinkToAmbient'] as const) {
      expect(relative(fit.params[key], defaultThermalParams[key])).toBeLessThan(0.01);
    }
    expect(fit.rmseCelsius).toBeGreaterThan(0.5);
  });

  it('refuses a series without any reading', () => {
    const pkg = simulated(0, false);
    pkg.celsius.fill(NaN);
    const series: FitSeries = { packages: [pkg], notes: [] };
    expect(() => fitThermal(series)).toThrow(
      new ModelError('thermal.noReadings', messages.thermalNoReadings(), { hint: messages.hintThermalDefaults() }));
  });
});
