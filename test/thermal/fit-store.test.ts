import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { openStore } from '../../src/store/store.js';
import { readThermalData } from '../../src/store/thermal-data.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { calibrateThermal } from '../../src/thermal/fit-store.js';
import { buildFitSeries } from '../../src/thermal/fit-series.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

/** A single-package TAB-separated turbostat file, read independently of the parser. */
function turbostatRows(file: string): { cpuCore: Map<number, string>; pkgWatt: number[] } {
  const cpuCore = new Map<number, string>();
  const pkgWatt: number[] = [];
  let col: Map<string, number> | null = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f.includes('CPU') && f.includes('Core')) {
      col = new Map(f.map((name, i) => [name, i]));
      continue;
    }
    if (!col) continue;
    const cpu = f[col.get('CPU')!];
    if (cpu === undefined || !/^\d+$/.test(cpu)) continue;
    const pkg = col.has('Package') ? f[col.get('Package')!] : '0';
    cpuCore.set(Number(cpu), `S${pkg}-C${f[col.get('Core')!]}`);
    // The package's first CPU row carries its PkgWatt (the summary row is read at another instant).
    const watts = f[col.get('PkgWatt')!];
    if (watts) pkgWatt.push(Number(watts));
  }
  return { cpuCore, pkgWatt };
}

describe('calibrateThermal', () => {
  it('falls back to the documented defaults when nothing was recorded', async () => {
    const store = await openStore(':memory:');
    await store.run(`INSERT INTO traces (trace_id, name, source, content_hash, format, ingested_at, skipped_lines)
      VALUES (1, 'x', '/x', 'h', 'test', now()::TIMESTAMP, 0)`);
    await store.run("INSERT INTO energy VALUES (1, 0, 5, 0, 'package', 50)");
    const c = await calibrateThermal(store, [1]);
    store.close();
    expect(c).toEqual({ params: defaultThermalParams, fit: null, notes: [messages.thermalNoTemperatures()] });
  });
});

// stats-collect-turbostat (BSD-3, Intel): `sleep 120` on each host, 5 s turbostat intervals.
describe.skipIf(!hasRealTraces)('calibrateThermal on real turbostat recordings', () => {
  const hosts = [
    { host: 'adl0', cores: 12, intervals: 23, coreDomain: true },
    { host: 'bdwup0', cores: 4, intervals: 23, coreDomain: true },
    { host: 'snr0', cores: 24, intervals: 24, coreDomain: false },
  ];
  for (const { host, cores, intervals, coreDomain } of hosts) {
    it(`${host}: fits ${cores} cores × ${intervals} intervals and reports the error`, async () => {
      const file = realTrace('stats-collect-turbostat', host, 'turbostat.raw.txt');
      const raw = turbostatRows(file);
      const store = await openStore(':memory:');
      const { traces } = await ingest(store, [file]);
      const ids = traces.map((t) => t.id);

      // Ingest keeps turbostat's CPU→core map; power into the model adds up to turbostat's own PkgWatt, interval by interval.
      const rec = await readThermalData(store, ids);
      expect(rec.cpuCores).toEqual(raw.cpuCore);
      const series = buildFitSeries(rec);
      const p = series.packages[0]!;
      expect(p.cores.length).toBe(cores);
      expect(raw.pkgWatt.length).toBe(intervals);
      raw.pkgWatt.forEach((w, k) => {
        let total = p.heatsinkWatts[k]!;
        for (let i = 0; i < cores; i++) total += p.coreWatts[k * cores + i]!;
        expect(Math.abs(total / w - 1)).toBeLessThan(1e-9);
      });

      // By default the fit splits by Busy% over the map ingest kept; an empty map splits evenly.
      const even = await calibrateThermal(store, ids, { cpuCores: new Map() });
      const byBusy = await calibrateThermal(store, ids);
      store.close();
      // Idle: the fit explains none of the readings' spread, and says so.
      const unidentifiable = (c: typeof even): string => messages.thermalNotIdentifiable(
        1 - (c.fit!.rmseCelsius / c.fit!.observedStdCelsius) ** 2, c.fit!.rmseCelsius, c.fit!.observedStdCelsius);
      expect(even.notes).toEqual([messages.thermalEvenSplit(0), unidentifiable(even)]);
      expect(byBusy.notes).toEqual([...coreDomain ? [] : [messages.thermalPackageByBusy(0)], unidentifiable(byBusy)]);
      for (const c of [even, byBusy]) {
        const fit = c.fit!;
        expect(fit.observations).toBe(cores * intervals);
        // An idle host: temperatures barely move, so the error is mostly the static spread
        // between cores (whole-degree CoreTmp readings), which one set of parameters cannot show.
        expect(fit.rmseCelsius).toBeLessThan(fit.observedStdCelsius * 1.01);
        expect(fit.rmseAfterCoreBiasCelsius).toBeLessThan(1);
        expect(fit.params.ambientCelsius).toBeGreaterThan(15);
        expect(fit.params.ambientCelsius).toBeLessThan(50);
      }
      console.info(`${host}: ${[even, byBusy].map((c, i) => `${i ? 'busy split' : 'even split'} RMSE ${c.fit!.rmseCelsius.toFixed(3)} °C ` +
        `(max ${c.fit!.maxErrorCelsius.toFixed(2)}, after per-core bias ${c.fit!.rmseAfterCoreBiasCelsius.toFixed(3)}, ` +
        `σ of readings ${c.fit!.observedStdCelsius.toFixed(3)})`).join('; ')}`);
    });
  }

  it('genoa0 (no temperatures): the defaults', async () => {
    const store = await openStore(':memory:');
    const { traces } = await ingest(store, [realTrace('stats-collect-turbostat', 'genoa0', 'turbostat.raw.txt')]);
    const c = await calibrateThermal(store, traces.map((t) => t.id));
    store.close();
    expect(c.params).toEqual(defaultThermalParams);
    expect(c.fit).toBeNull();
    expect(c.notes.at(-1)).toBe(messages.thermalNoTemperatures());
  });
});
