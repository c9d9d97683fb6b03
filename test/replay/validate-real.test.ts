import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FidelityReport } from '../../src/replay/fidelity.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { parseThermalFile, type ThermalFile } from '../../src/thermal/thermal-file.js';
import { tempDb, vheat } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { hasRealTraces, realTrace, skipReason } from '../helpers/real-traces.js';

/**
 * The recorded-policy fidelity check end to end, as a user runs it:
 *   vheat --db DB ingest FILE
 *   vheat --db DB fit-thermal --trace 1 --out thermal.json
 *   vheat --db DB --json replay --trace 1 --validate [--thermal FILE]
 * (no --model: these recordings have RAPL energy and temperatures but no scheduling trace, so the
 * recorded power drives the thermal model; see replayRecordedPower).
 */
async function fitAndValidate(file: string, fitFlags: string[] = []): Promise<{ thermal: ThermalFile; fidelity: FidelityReport;
  defaults: FidelityReport; fitOut: string; }> {
  const db = tempDb();
  const out = join(dirname(db), 'thermal.json');
  expect((await vheat('--db', db, 'ingest', file)).code).toBe(0);
  const fit = await vheat('--db', db, 'fit-thermal', '--trace', '1', ...fitFlags, '--out', out);
  expect(fit.code).toBe(0);
  const validate = async (thermal: string): Promise<FidelityReport> => {
    const r = await vheat('--db', db, '--json', 'replay', '--trace', '1', '--validate', '--thermal', thermal);
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as { fidelity: FidelityReport }).fidelity;
  };
  // The documented defaults as a hand-written file: what a replay uses without temperatures.
  const defaultsFile = join(dirname(db), 'defaults.json');
  writeFileSync(defaultsFile, JSON.stringify({ format: 'vheat-thermal-params', version: 1, params: defaultThermalParams }));
  return {
    thermal: parseThermalFile(JSON.parse(readFileSync(out, 'utf8')), out), fidelity: await validate(out),
    defaults: await validate(defaultsFile), fitOut: fit.stdout,
  };
}

function expectEnergyReproduced(f: FidelityReport, intervals: number): void {
  const e = f.energy!;
  expect(e.intervals).toBe(intervals);
  expect(Math.abs(e.totalErrorPercent)).toBeLessThan(1e-6);
  expect(e.mapePercent).toBeLessThan(0.01);
}

// stats-collect-turbostat (BSD-3, Intel): `sleep 120` on each host, 5 s turbostat intervals, CoreTmp + RAPL.
describe.skipIf(!hasRealTraces)(`fit-thermal and replay --validate on idle turbostat recordings${hasRealTraces ? '' : ` (${skipReason})`}`, () => {
  const hosts = [
    { host: 'adl0', intervals: 23, readings: 276 },
    { host: 'bdwup0', intervals: 23, readings: 92 },
    { host: 'snr0', intervals: 24, readings: 576 },
  ];
  for (const { host, intervals, readings } of hosts) {
    it(`${host}: energy per interval reproduced, temperatures within the fit error, and the fit says it identifies nothing`, async () => {
      const { thermal, fidelity, defaults, fitOut } = await fitAndValidate(realTrace('stats-collect-turbostat', host, 'turbostat.raw.txt'));
      const fit = thermal.fit!;
      expect(fit.observations).toBe(readings);
      expectEnergyReproduced(fidelity, intervals);
      const t = fidelity.temps!;
      expect(t.readings).toBe(readings);
      expect(t.withinFitError).toBe(true);
      expect(Math.abs(t.rmseCelsius - fit.rmseCelsius)).toBeLessThan(0.01);
      // Idle: the readings' spread is per-core offsets and whole-degree noise. No RC parameters
      // beat predicting every reading by the mean, and the fit says the recording cannot identify them.
      expect(fit.rmseCelsius).toBeLessThanOrEqual(fit.observedStdCelsius * 1.01);
      expect(fit.rmseCelsius).toBeGreaterThan(fit.observedStdCelsius * 0.9);
      expect(fitOut).toMatch(/note: the recorded temperatures hardly follow the recorded power \(R² -?0\.\d\d/);
      // Still, the fitted ambient and heatsink place the temperatures where the defaults do not.
      expect(t.rmseCelsius).toBeLessThan(0.75 * defaults.temps!.rmseCelsius);
      console.info(`${host}: fit RMSE ${fit.rmseCelsius.toFixed(3)} °C (mean predictor ${fit.observedStdCelsius.toFixed(3)}, ` +
        `per-core mean ${fit.perCoreStdCelsius.toFixed(3)}, defaults ${defaults.temps!.rmseCelsius.toFixed(3)}); replay RMSE ` +
        `${t.rmseCelsius.toFixed(3)} °C; energy ${fidelity.energy!.intervals} intervals, MAPE ${fidelity.energy!.mapePercent.toExponential(2)} %`);
    }, 60_000);
  }
});

// The generated Xen demo's turbostat file (its load changes every few seconds; truth.json holds
// the generator's thermal network): a recording that does identify the parameters.
const demo = fixturePath('..', '..', 'traces', 'demo-xen', 'turbostat.txt');
describe.skipIf(!existsSync(demo))('fit-thermal and replay --validate on the generated Xen demo (loaded)', () => {
  it('beats both naive predictors by far, and the replay stays within the fit error', async () => {
    // 4 cores × 2 threads, CPU c on core c mod 4: the fit splits power by the map ingest kept from turbostat.
    const { thermal, fidelity, defaults } = await fitAndValidate(demo);
    const fit = thermal.fit!;
    expect(fit.observations).toBe(480);
    expect(fit.rmseCelsius).toBeLessThan(0.45 * fit.observedStdCelsius);
    expect(fit.rmseAfterCoreBiasCelsius).toBeLessThan(0.5 * fit.perCoreStdCelsius);
    expect(thermal.notes).toEqual([]);
    expectEnergyReproduced(fidelity, 120);
    expect(fidelity.temps!.withinFitError).toBe(true);
    expect(fidelity.temps!.rmseCelsius).toBeLessThan(0.2 * defaults.temps!.rmseCelsius);
  }, 60_000);
});
