import { messages } from '../messages.js';
import type { RecordedThermal } from '../store/thermal-data.js';

/**
 * One package's recorded series, aligned to its RAPL intervals and ready for `fitThermal`.
 * Row-major `intervals × cores` arrays; cores in ascending core number.
 */
export interface PackageSeries {
  socket: number;
  /** Core entities (`S<p>-C<c>`) in model order. */
  cores: string[];
  /** Interval starts and ends, s. */
  t0: Float64Array;
  t1: Float64Array;
  /** Power into each core over each interval, W. */
  coreWatts: Float64Array;
  /** Power into the heatsink (package minus core domain) over each interval, W. */
  heatsinkWatts: Float64Array;
  /** Last reading of each core's temperature in (t0, t1], °C; NaN when there was none. */
  celsius: Float64Array;
}

/** Aligned series of every package that has both power and core temperatures. */
export interface FitSeries {
  packages: PackageSeries[];
  /** How power was assigned to cores and what was left out, in words. */
  notes: string[];
}

const coreRe = /^S(\d+)-C(\d+)$/;

/** Smallest k with t1[k] > t (or ≥ t when `inclusive`), by bisection over ascending `t1`. */
function firstEnding(t1: Float64Array, t: number, inclusive: boolean): number {
  let lo = 0;
  let hi = t1.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t1[mid]! > t || (inclusive && t1[mid] === t)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Turns recorded columns into per-package model inputs and observations. Power per core is the
 * RAPL core domain (else, when the recording has none, the whole package) split by each core's
 * share of Busy% seconds in the interval; the rest of the package heats the heatsink. When no
 * CPU→core map is known (`cpuCores`, else the recording's own: turbostat's CPU and Core columns,
 * or core-scope samples that name a CPU), or no CPU was busy, the split is even. A socket without RAPL package energy is left out.
 */
export function buildFitSeries(rec: RecordedThermal, cpuCores?: ReadonlyMap<number, string>): FitSeries {
  const coreOfCpu = cpuCores ?? rec.cpuCores;
  const coresBySocket = new Map<number, Set<string>>();
  const addCore = (entity: string): void => {
    const m = coreRe.exec(entity);
    if (!m) return;
    const s = Number(m[1]);
    if (!coresBySocket.has(s)) coresBySocket.set(s, new Set());
    coresBySocket.get(s)!.add(entity);
  };
  rec.temps.entity.forEach(addCore);
  const socketsWithTemps = new Set(coresBySocket.keys());
  coreOfCpu.forEach(addCore);
  const notes: string[] = [];
  const packages: PackageSeries[] = [];
  for (const socket of [...socketsWithTemps].sort((a, b) => a - b)) {
    const pkg = packageSeries(rec, socket, coresBySocket.get(socket)!, coreOfCpu, notes);
    if (pkg) packages.push(pkg);
    else notes.push(messages.thermalNoPower(socket));
  }
  return { packages, notes };
}

function packageSeries(
  rec: RecordedThermal, socket: number, coreSet: ReadonlySet<string>, coreOfCpu: ReadonlyMap<number, string>, notes: string[],
): PackageSeries | null {
  const e = rec.energy;
  const rows: number[] = [];
  const coreJoules = new Map<string, number>();
  for (let i = 0; i < e.t0.length; i++) {
    if (e.socket[i] !== socket) continue;
    if (e.domain[i] === 'package') rows.push(i);
    else coreJoules.set(`${e.t0[i]}|${e.t1[i]}`, e.joules[i]!);
  }
  if (rows.length === 0) return null;
  const cores = [...coreSet].sort((a, b) => Number(coreRe.exec(a)![2]) - Number(coreRe.exec(b)![2]));
  const index = new Map(cores.map((c, i) => [c, i]));
  const n = cores.length;
  const m = rows.length;
  const t0 = Float64Array.from(rows, (i) => e.t0[i]!);
  const t1 = Float64Array.from(rows, (i) => e.t1[i]!);

  // Busy seconds per interval and core: each CPU's Busy% times its overlap with the interval.
  const busySeconds = new Float64Array(m * n);
  const b = rec.busy;
  let mapped = false;
  for (let r = 0; r < b.t0.length; r++) {
    const core = index.get(coreOfCpu.get(b.cpu[r]!) ?? '');
    if (core === undefined) continue;
    mapped = true;
    for (let k = firstEnding(t1, b.t0[r]!, false); k < m && t0[k]! < b.t1[r]!; k++) {
      const overlap = Math.min(t1[k]!, b.t1[r]!) - Math.max(t0[k]!, b.t0[r]!);
      if (overlap > 0) busySeconds[k * n + core]! += (b.percent[r]! / 100) * overlap;
    }
  }
  const hasCoreDomain = coreJoules.size > 0;
  if (!mapped) notes.push(messages.thermalEvenSplit(socket));
  else if (!hasCoreDomain) notes.push(messages.thermalPackageByBusy(socket));

  const coreWatts = new Float64Array(m * n);
  const heatsinkWatts = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const dt = t1[k]! - t0[k]!;
    const packageW = e.joules[rows[k]!]! / dt;
    const coreJ = coreJoules.get(`${t0[k]}|${t1[k]}`);
    const dynamicW = hasCoreDomain ? Math.min((coreJ ?? 0) / dt, packageW) : packageW;
    heatsinkWatts[k] = packageW - dynamicW;
    let total = 0;
    for (let i = 0; i < n; i++) total += busySeconds[k * n + i]!;
    for (let i = 0; i < n; i++) coreWatts[k * n + i] = dynamicW * (total > 0 ? busySeconds[k * n + i]! / total : 1 / n);
  }

  const celsius = new Float64Array(m * n).fill(NaN);
  const t = rec.temps;
  for (let r = 0; r < t.t.length; r++) {
    const core = index.get(t.entity[r]!);
    if (core === undefined) continue;
    const k = firstEnding(t1, t.t[r]!, true);
    // Readings come in time order, so the last one inside (t0, t1] wins.
    if (k < m && t0[k]! < t.t[r]!) celsius[k * n + core] = t.celsius[r]!;
  }
  return { socket, cores, t0, t1, coreWatts, heatsinkWatts, celsius };
}
