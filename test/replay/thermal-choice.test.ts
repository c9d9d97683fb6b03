import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { chooseThermal, thermalDefaults, thermalFromSpec } from '../../src/replay/thermal-choice.js';
import { readTraceSelection } from '../../src/store/replay-data.js';
import { openStore, type Store } from '../../src/store/store.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { writeThermalFile, type ThermalFile } from '../../src/thermal/thermal-file.js';
import { insertThermalRows, simulateThermal } from '../helpers/thermal-store.js';

const params = { ...defaultThermalParams, coreToHeatsink: 1.6, heatsinkCapacitance: 90, heatsinkToAmbient: 6, ambientCelsius: 31 };
const file: ThermalFile = {
  format: 'vheat-thermal-params', version: 1, source: 'fit', params, fit: null, notes: [],
  training: { trace: 'x', traceIds: [1], contentHashes: ['h'], cpuCores: { 0: 'S0-C0', 1: 'S0-C1' } },
};

describe('thermalFromSpec', () => {
  it('reads a parameter file by path, with the fit error and CPU→core map it records', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vheat-choice-')), 'thermal.json');
    writeThermalFile(path, { ...file, fit: { rmseCelsius: 0.5, maxErrorCelsius: 1, rmseAfterCoreBiasCelsius: 0.4, observedStdCelsius: 3,
      perCoreStdCelsius: 2, observations: 10, iterations: 3, cores: [] } });
    const c = thermalFromSpec(path);
    expect(c).toEqual({
      params, source: 'file', file: path, fitRmseCelsius: 0.5, description: messages.thermalFromFile(path, 0.5),
      cpuCores: new Map([[0, 'S0-C0'], [1, 'S0-C1']]), start: [],
    });
  });

  it('takes a file\'s value or bare parameters given in code, checked', () => {
    expect(thermalFromSpec(file)).toMatchObject({ params, source: 'given', file: null, fitRmseCelsius: null });
    expect(thermalFromSpec(params)).toEqual({
      params, source: 'given', file: null, fitRmseCelsius: null, description: messages.thermalFromFile('options.thermal', null), cpuCores: null,
      start: [],
    });
    expect(() => thermalFromSpec({ ...params, coreToHeatsink: 0 })).toThrow(ModelError);
    expect(() => thermalFromSpec('/no/such/thermal.json')).toThrow(ModelError);
  });
});

describe('chooseThermal', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
    await insertThermalRows(store, 1, simulateThermal({ truth: params, intervals: 60, sigma: 0.2 }));
  });
  afterEach(() => store.close());

  it('prefers the given parameters, then a fit to the recording, then the defaults, and says which', async () => {
    const sel = await readTraceSelection(store, [1], '1');
    const notes: string[] = [];
    expect((await chooseThermal(store, sel, params, true, notes)).source).toBe('given');
    expect(notes).toEqual([messages.thermalFromFile('options.thermal', null)]);

    const fitNotes: string[] = [];
    const fit = await chooseThermal(store, sel, undefined, true, fitNotes);
    expect(fit.source).toBe('fit');
    expect(fit.fitRmseCelsius).toBeGreaterThan(0.1);
    expect(fit.fitRmseCelsius).toBeLessThan(0.3);
    expect(fitNotes).toEqual([messages.thermalFromFit(fit.fitRmseCelsius!, 120)]);

    const noTemps: string[] = [];
    expect(await chooseThermal(store, sel, undefined, false, noTemps)).toEqual(thermalDefaults());
    expect(noTemps).toEqual([messages.thermalNoTemperatures(), messages.thermalFromDefaults()]);
  });

  it('places the start of the recording under the chosen parameters (one begun 6 °C warmer starts 6 °C warmer)', async () => {
    await insertThermalRows(store, 2, simulateThermal({ truth: params, intervals: 60, sigma: 0.2, startOffsetCelsius: 6 }));
    const start = async (id: number) => (await chooseThermal(store, await readTraceSelection(store, [id], String(id)), params, true, [])).start;
    const [cool] = await start(1);
    const [warm] = await start(2);
    expect(cool!.cores).toEqual(['S0-C0', 'S0-C1']);
    cool!.coreCelsius.forEach((t, i) => expect(warm!.coreCelsius[i]! - t).toBeCloseTo(6, 9));
    expect(warm!.heatsinkCelsius - cool!.heatsinkCelsius).toBeCloseTo(6, 9);
    // The fit places it too; without temperatures there is nothing to place it by.
    expect((await chooseThermal(store, await readTraceSelection(store, [2], '2'), undefined, true, [])).start).toHaveLength(1);
    expect((await chooseThermal(store, await readTraceSelection(store, [2], '2'), undefined, false, [])).start).toEqual([]);
  });

  it('falls back to the defaults, with the reason, when the fit is impossible', async () => {
    // Two traces, one without an absolute start: their clocks cannot be aligned.
    await store.run(`INSERT INTO traces (trace_id, name, source, content_hash, format, start_time, ingested_at, skipped_lines)
      VALUES (2, 'b', '/b', 'hb', 'test', make_timestamp(1700000000000000::BIGINT), now()::TIMESTAMP, 0)`);
    await store.run("INSERT INTO temps VALUES (2, 1, 'core', 'S0-C0', 40)");
    const notes: string[] = [];
    const c = await chooseThermal(store, await readTraceSelection(store, [1, 2], '1 2'), undefined, true, notes);
    expect(c.source).toBe('defaults');
    expect(notes).toEqual([messages.replayThermalDefaults(messages.thermalNoTimeAnchor(1)), messages.thermalFromDefaults()]);
  });
});
