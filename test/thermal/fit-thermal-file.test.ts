import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { openStore, type Store } from '../../src/store/store.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { fitThermalFile } from '../../src/thermal/fit-thermal-file.js';
import type { ThermalParams } from '../../src/thermal/rc-network.js';
import { parseThermalFile } from '../../src/thermal/thermal-file.js';
import { insertThermalRows, simulateThermal } from '../helpers/thermal-store.js';

const truth: ThermalParams = {
  ...defaultThermalParams, coreToHeatsink: 1.6, coreToCore: 0.6, heatsinkCapacitance: 90, heatsinkToAmbient: 6, ambientCelsius: 31,
};
const relative = (got: number, want: number): number => Math.abs(got / want - 1);

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('fitThermalFile', () => {
  it('fits a recording begun 6 °C off its steady state: parameters, error per core, baselines, training', async () => {
    await insertThermalRows(store, 1, simulateThermal({ truth, sigma: 0.2, startOffsetCelsius: 6 }));
    const { file } = await fitThermalFile(store, { trace: '1' });
    expect(parseThermalFile(file, 'x')).toEqual(file);
    expect(file.source).toBe('fit');
    for (const key of ['coreToHeatsink', 'heatsinkCapacitance', 'heatsinkToAmbient'] as const) {
      expect(relative(file.params[key], truth[key])).toBeLessThan(0.05);
    }
    expect(Math.abs(file.params.ambientCelsius - truth.ambientCelsius)).toBeLessThan(0.3);
    const fit = file.fit!;
    // The residual is the readings' noise; both naive predictors are far worse.
    expect(fit.rmseCelsius).toBeGreaterThan(0.17);
    expect(fit.rmseCelsius).toBeLessThan(0.23);
    expect(fit.observedStdCelsius).toBeGreaterThan(10 * fit.rmseCelsius);
    expect(fit.perCoreStdCelsius).toBeGreaterThan(10 * fit.rmseCelsius);
    expect(fit.observations).toBe(600);
    expect(fit.cores.map((c) => [c.core, c.readings])).toEqual([['S0-C0', 300], ['S0-C1', 300]]);
    for (const c of fit.cores) expect(c.rmseCelsius).toBeLessThan(0.25);
    expect(file.training).toEqual({ trace: '1', traceIds: [1], contentHashes: ['sim-hash-1'], cpuCores: null });
    expect(file.notes).toEqual([]);
  });

  it('records a given CPU→core map, and the defaults for a recording without temperatures', async () => {
    const rows = simulateThermal({ truth, intervals: 40 });
    await insertThermalRows(store, 1, rows);
    await insertThermalRows(store, 2, { ...rows, cores: [], celsius: rows.celsius.map(() => []) });
    const map = new Map([[0, 'S0-C1'], [1, 'S0-C0']]);
    expect((await fitThermalFile(store, { trace: '1', cpuCores: map })).file.training!.cpuCores).toEqual({ 0: 'S0-C1', 1: 'S0-C0' });
    const none = (await fitThermalFile(store, { trace: '2' })).file;
    expect(none.source).toBe('defaults');
    expect(none.params).toEqual(defaultThermalParams);
    expect(none.fit).toBeNull();
    expect(none.notes).toEqual([messages.thermalNoTemperatures()]);
  });
});
