import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { openStore } from '../../src/store/store.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { parseThermalFile } from '../../src/thermal/thermal-file.js';
import { tempDb, vheat } from '../helpers/cli.js';
import { insertThermalRows, simulateThermal } from '../helpers/thermal-store.js';

const truth = { ...defaultThermalParams, coreToHeatsink: 1.6, coreToCore: 0.6, heatsinkCapacitance: 90, heatsinkToAmbient: 6, ambientCelsius: 31 };

describe('vheat fit-thermal', () => {
  let db: string;
  beforeAll(async () => {
    db = tempDb();
    const store = await openStore(db);
    await insertThermalRows(store, 1, simulateThermal({ truth, intervals: 120, sigma: 0.2 }));
    store.close();
  });

  it('writes the parameter file and prints the parameters, the error per core and the baselines', async () => {
    const out = join(dirname(db), 'thermal.json');
    const r = await vheat('--db', db, 'fit-thermal', '--trace', '1', '--out', out);
    expect(r.code).toBe(0);
    const file = parseThermalFile(JSON.parse(readFileSync(out, 'utf8')), out);
    const fit = file.fit!;
    expect(r.stdout).toContain(`thermal parameters fitted to "1" (240 readings, ${fit.iterations} iterations)\n`);
    expect(r.stdout).toContain(`  core → heatsink   ${file.params.coreToHeatsink.toFixed(3)} W/K\n`);
    expect(r.stdout).toContain(`fit error: RMSE ${fit.rmseCelsius.toFixed(3)} °C`);
    expect(r.stdout).toContain(`naive baselines: every reading by the mean ${fit.observedStdCelsius.toFixed(3)} °C, ` +
      `by its core's mean ${fit.perCoreStdCelsius.toFixed(3)} °C\n`);
    expect(r.stdout).toMatch(/\n {2}S0-C0 {2}0\.\d{3} °C {2}bias [+-]0\.\d\d {2}\(120 readings\)\n {2}S0-C1 /);
    expect(r.stdout.endsWith(`thermal parameters written to ${out}\n`)).toBe(true);
  });

  it('--json prints the file; --cpu-cores is kept in it; bad lists are usage errors', async () => {
    const out = join(dirname(db), 'mapped.json');
    const r = await vheat('--db', db, '--json', 'fit-thermal', '--trace', '1', '--cpu-cores', '0,1,0,S0-C1', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    expect(JSON.parse(r.stdout).training.cpuCores).toEqual({ 0: 'S0-C0', 1: 'S0-C1', 2: 'S0-C0', 3: 'S0-C1' });
    expect((await vheat('--db', db, 'fit-thermal', '--trace', '1', '--cpu-cores', '0,x', '--out', out)).code).toBe(2);
  });

  it('replay --validate without --model replays the recorded power with the file given by --thermal', async () => {
    const out = join(dirname(db), 'thermal.json');
    const r = await vheat('--db', db, 'replay', '--trace', '1', '--validate', '--thermal', out, '--tick', '10ms');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^recorded-power replay of "1": 2 cores, tick 10 ms, 120\.000 s \(12000 ticks\)\n/);
    expect(r.stdout).toContain('  energy   120 intervals: replay ');
    expect(r.stdout).toMatch(/ {2}temps {4}240 readings: RMSE 0\.\d{3} °C .* -> within fit error\n/);
    expect(r.stdout).toContain(`note: ${messages.powerReplayNote()}\n`);
    const json = JSON.parse((await vheat('--db', db, '--json', 'replay', '--trace', '1', '--validate', '--tick', '10ms')).stdout);
    expect(Object.keys(json)).toEqual(['thermal', 'fidelity']);
    expect(json.thermal.source).toBe('fit');
    expect(json.fidelity.energy.intervals).toBe(120);
  });

  it('replay without --model and without --validate is a usage error', async () => {
    const r = await vheat('--db', db, 'replay', '--trace', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(messages.replayNoModel());
    expect(r.stderr).toContain(`hint: ${messages.hintReplayNoModel()}`);
  });
});
