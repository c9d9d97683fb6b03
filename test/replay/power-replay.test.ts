import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { replayRecordedPower } from '../../src/replay/power-replay.js';
import { openStore, type Store } from '../../src/store/store.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { fitThermalFile } from '../../src/thermal/fit-thermal-file.js';
import type { ThermalParams } from '../../src/thermal/rc-network.js';
import { writeThermalFile } from '../../src/thermal/thermal-file.js';
import { insertThermalRows, simulateThermal } from '../helpers/thermal-store.js';

const truth: ThermalParams = {
  ...defaultThermalParams, coreToHeatsink: 1.6, coreToCore: 0.6, heatsinkCapacitance: 90, heatsinkToAmbient: 6, ambientCelsius: 31,
};

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('replayRecordedPower', () => {
  it('accounts energy per interval by time-weighting the tick that straddles two intervals (hand-worked)', async () => {
    // 10 W over [0, 1], 20 W over [1, 2]; ticks of 0.4 s: [0.8, 1.2] runs at 15 W. The check
    // interpolates within ticks, so [0, 1] gets 4 + 4 + 0.2·15 = 11 J (recorded 10) and [1, 2]
    // 0.2·15 + 8 + 8 = 19 J (recorded 20): ±1 W per interval, 10 % and 5 %, none in total.
    await insertThermalRows(store, 1, {
      t0: [0, 1], t1: [1, 2], packageJoules: [10, 20], cores: ['S0-C0'], celsius: [[40], [41]],
    });
    const r = await replayRecordedPower(store, { trace: '1', thermal: defaultThermalParams, tickSeconds: 0.4 });
    const e = r.fidelity.energy!;
    expect(e.intervals).toBe(2);
    expect(e.replayJoules).toBeCloseTo(30, 9);
    expect(e.totalErrorPercent).toBeCloseTo(0, 9);
    expect(e.rmseWatts).toBeCloseTo(1, 9);
    expect(e.mapePercent).toBeCloseTo(7.5, 9);
    expect(e.withinFitError).toBeNull();
    expect(r.run).toEqual({ traces: '1', traceIds: [1], tickSeconds: 0.4, ticks: 5, t0: 0, t1: 2, cores: ['S0-C0'] });
    expect(r.thermal.source).toBe('given');
  });

  it('reproduces recorded energy per interval and noise-free temperatures with the true parameters', async () => {
    await insertThermalRows(store, 1, simulateThermal({ truth, intervals: 120, startOffsetCelsius: 4 }));
    const r = await replayRecordedPower(store, { trace: '1', thermal: truth });
    const e = r.fidelity.energy!;
    expect(e.intervals).toBe(120);
    expect(Math.abs(e.totalErrorPercent)).toBeLessThan(1e-9);
    expect(e.rmseWatts).toBeLessThan(1e-6);
    const t = r.fidelity.temps!;
    expect(t.readings).toBe(240);
    // Readings fall on tick ends, so what is left is float rounding of the two discretisations.
    expect(t.rmseCelsius).toBeLessThan(1e-6);
    expect(t.fitRmseCelsius).toBeNull();
    expect(r.notes).toEqual([messages.powerReplayNote(), messages.thermalFromFile('options.thermal', null)]);
  });

  it('fits when no parameters are given, and its temperatures stay within the fit error', async () => {
    await insertThermalRows(store, 1, simulateThermal({ truth, intervals: 200, sigma: 0.3, startOffsetCelsius: -3 }));
    const r = await replayRecordedPower(store, { trace: '1', tickSeconds: 0.01 });
    expect(r.thermal.source).toBe('fit');
    const t = r.fidelity.temps!;
    expect(t.fitRmseCelsius).toBeGreaterThan(0.25);
    expect(t.fitRmseCelsius).toBeLessThan(0.35);
    expect(Math.abs(t.rmseCelsius - t.fitRmseCelsius!)).toBeLessThan(0.01);
    expect(t.withinFitError).toBe(true);
    expect(r.notes.at(-1)).toBe(messages.thermalFromFit(t.fitRmseCelsius!, 400));
  });

  it('splits power by the CPU→core map a parameter file was fitted with', async () => {
    // The recording's own map is withheld; the file carries the right one.
    const rows = simulateThermal({ truth, intervals: 100 });
    const map = rows.cpuCores!;
    await insertThermalRows(store, 1, { ...rows, cpuCores: [] });
    const cpuCores = new Map(map.map((core, cpu) => [cpu, core]));
    const file = join(mkdtempSync(join(tmpdir(), 'vheat-power-')), 'thermal.json');
    writeThermalFile(file, { ...(await fitThermalFile(store, { trace: '1', cpuCores })).file, params: truth });
    const mapped = await replayRecordedPower(store, { trace: '1', thermal: file, tickSeconds: 0.01 });
    const even = await replayRecordedPower(store, { trace: '1', thermal: truth, tickSeconds: 0.01 });
    expect(mapped.thermal.source).toBe('file');
    expect(mapped.fidelity.temps!.rmseCelsius).toBeLessThan(1e-6);
    expect(even.fidelity.temps!.rmseCelsius).toBeGreaterThan(0.5);
    expect(even.notes).toContain(messages.thermalEvenSplit(0));
  });

  it('refuses a recording without core temperatures next to package energy', async () => {
    await insertThermalRows(store, 1, { t0: [0], t1: [1], packageJoules: [10], cores: [], celsius: [[]] });
    await expect(replayRecordedPower(store, { trace: '1' })).rejects.toThrow(
      new ModelError('replay.noRecordedPower', messages.powerReplayNothing('1'), { hint: messages.hintPowerReplay() }));
  });
});
