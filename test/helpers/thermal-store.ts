import { Rng } from '../../src/generate/rng.js';
import type { Store } from '../../src/store/store.js';
import { busyEvent } from '../../src/store/thermal-data.js';
import type { ThermalParams } from '../../src/thermal/rc-network.js';
import { ThermalStepper } from '../../src/thermal/step.js';

/** One socket's recording as the thermal fit reads it: RAPL energy, Busy%, the CPU→core map and core temperatures. */
export interface ThermalRows {
  /** Interval starts and ends, s. */
  t0: number[];
  t1: number[];
  /** Package and (optional) core-domain energy per interval, J. */
  packageJoules: number[];
  coreJoules?: number[];
  /** Busy% per interval and CPU (`busy[k][cpu]`). */
  busy?: number[][];
  /** Core entity of each CPU, stored as core-scope samples that name their CPU. */
  cpuCores?: string[];
  /** Core entities of the readings, and the reading of each at the end of each interval (`celsius[k][i]`, NaN = none), °C. */
  cores: string[];
  celsius: number[][];
}

const list = (rows: readonly string[]): string => rows.join(', ');

/** Inserts `rows` as trace `traceId` (one socket, 0) of `store`. */
export async function insertThermalRows(store: Store, traceId: number, rows: ThermalRows): Promise<void> {
  await store.run(`INSERT INTO traces (trace_id, name, source, content_hash, format, ingested_at, skipped_lines)
    VALUES (?, ?, ?, ?, 'test', now()::TIMESTAMP, 0)`, [traceId, `sim${traceId}`, `/sim${traceId}`, `sim-hash-${traceId}`]);
  const energy: string[] = [];
  const samples: string[] = [];
  const temps: string[] = [];
  rows.t0.forEach((t0, k) => {
    const t1 = rows.t1[k]!;
    energy.push(`(${traceId}, ${t0}, ${t1}, 0, 'package', ${rows.packageJoules[k]})`);
    if (rows.coreJoules) energy.push(`(${traceId}, ${t0}, ${t1}, 0, 'core', ${rows.coreJoules[k]})`);
    rows.busy?.[k]!.forEach((b, cpu) => samples.push(`(${traceId}, ${t0}, ${t1}, 'cpu', 'CPU${cpu}', ${cpu}, '${busyEvent}', ${b}, NULL, NULL)`));
    rows.cores.forEach((core, i) => {
      const c = rows.celsius[k]![i]!;
      if (!Number.isNaN(c)) temps.push(`(${traceId}, ${t1}, 'core', '${core}', ${c})`);
    });
  });
  rows.cpuCores?.forEach((core, cpu) => samples.push(`(${traceId}, 0, 1, 'core', '${core}', ${cpu}, 'turbostat:CPU%c6', 0, NULL, NULL)`));
  await store.run(`INSERT INTO energy VALUES ${list(energy)}`);
  if (samples.length) await store.run(`INSERT INTO samples VALUES ${list(samples)}`);
  if (temps.length) await store.run(`INSERT INTO temps VALUES ${list(temps)}`);
}

/** What `simulateThermal` records. */
export interface SimulationOptions {
  truth: ThermalParams;
  /** 1 s intervals; defaults to 300. */
  intervals?: number;
  /** Gaussian noise on the readings, °C; defaults to 0. */
  sigma?: number;
  /** °C on every node at the start, on top of the first interval's steady state (a recording started mid-change); defaults to 0. */
  startOffsetCelsius?: number;
  seed?: number;
}

/**
 * A 2-core, 4-CPU socket (CPU c on core c mod 2) for `intervals` 1 s intervals: each CPU's Busy%
 * jumps to a new level every 20 s (longer than a heatsink time constant, so the dynamics show);
 * the core domain is 2 W plus 20 W per busy CPU, split over the cores by Busy% share as the fit
 * splits it, and 6 W more heat the heatsink. Readings are the exact model temperatures (ZOH over
 * each interval) plus noise.
 */
export function simulateThermal(o: SimulationOptions): ThermalRows {
  const m = o.intervals ?? 300;
  const rng = new Rng(o.seed ?? 5, 'thermal-simulation');
  const cpus = 4;
  const cores = ['S0-C0', 'S0-C1'];
  const stepper = new ThermalStepper(o.truth, { packages: 1, coresPerPackage: 2 }, 1);
  const rows: ThermalRows = {
    t0: [], t1: [], packageJoules: [], coreJoules: [], busy: [], cpuCores: ['S0-C0', 'S0-C1', 'S0-C0', 'S0-C1'], cores, celsius: [],
  };
  const level = new Float64Array(cpus);
  const coreWatts = new Float64Array(2);
  const heatsinkWatts = Float64Array.of(6);
  for (let k = 0; k < m; k++) {
    if (k % 20 === 0) for (let c = 0; c < cpus; c++) level[c] = Math.round(100 * rng.uniform());
    const busy = Array.from(level);
    const total = busy.reduce((s, b) => s + b, 0);
    const coreDomain = 2 + (20 * total) / 100;
    coreWatts.fill(0);
    busy.forEach((b, c) => { coreWatts[c % 2]! += total > 0 ? (coreDomain * b) / total : coreDomain / 2; });
    if (k === 0) {
      stepper.settle(coreWatts, heatsinkWatts);
      for (let i = 0; i < 2; i++) stepper.coreCelsius[i]! += o.startOffsetCelsius ?? 0;
      stepper.heatsinkCelsius[0]! += o.startOffsetCelsius ?? 0;
    }
    stepper.step(coreWatts, heatsinkWatts);
    rows.t0.push(k);
    rows.t1.push(k + 1);
    rows.coreJoules!.push(coreDomain);
    rows.packageJoules.push(coreDomain + heatsinkWatts[0]!);
    rows.busy!.push(busy);
    rows.celsius.push(Array.from(stepper.coreCelsius, (t) => t + (o.sigma ?? 0) * rng.normal()));
  }
  return rows;
}
