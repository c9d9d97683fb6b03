import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/generate/rng.js';

/** What a synthetic `perf stat -a -I 100 -x,` recording runs: events per second as a function of time. */
export interface SyntheticWorkload {
  name: string;
  seconds: number;
  /** Per event, its count rate (per s) at time t (s). */
  rates: Record<string, (t: number) => number>;
}

/** True package model of the synthetic recordings: static W and J per event. */
export interface SyntheticTruth {
  staticWatts: number;
  weights: Record<string, number>;
}

/**
 * Writes `<dir>/<name>.perf`, a global-mode `perf stat -I 100 -x,` CSV (TRACE-FORMATS.md §1.2,
 * the layout of the haswell-i5 files) with counts drawn around the rates and package energy
 * following `truth` plus `noiseWatts` of uniform noise, printed like perf (%.6f J).
 */
export function writePerfRecording(dir: string, w: SyntheticWorkload, truth: SyntheticTruth, seed: number, noiseWatts = 0.2): string {
  const rng = new Rng(seed, 'perf-recording');
  const lines: string[] = [];
  const step = 0.1;
  for (let k = 1; k * step <= w.seconds + 1e-9; k++) {
    const t = (k * step).toFixed(9).padStart(16);
    let joules = truth.staticWatts * step + (rng.uniform() - 0.5) * noiseWatts * step;
    for (const [event, rate] of Object.entries(w.rates)) {
      const count = Math.round(rate((k - 0.5) * step) * step * (0.97 + 0.06 * rng.uniform()));
      joules += (truth.weights[event] ?? 0) * count;
      lines.push(`${t},${count},,${event},${Math.round(step * 1e9)},100.00`);
    }
    lines.push(`${t},${joules.toFixed(6)},Joules,power/energy-pkg/,${Math.round(step * 1e9)},100.00`);
  }
  const path = join(dir, `${w.name}.perf`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vheat-model-'));
}

/** Smooth, distinct phase patterns so that each workload spans several operating points. */
const wave = (period: number, phase: number) => (t: number): number => 0.5 + 0.5 * Math.sin((2 * Math.PI * t) / period + phase);

/** Three workloads over the same four events, with different mixes (like hpl, stream and sleep). */
export const syntheticWorkloads: SyntheticWorkload[] = [
  { name: 'compute', seconds: 60, rates: {
    cycles: (t) => 1e10 * (0.3 + 0.7 * wave(13, 0)(t)), instructions: (t) => 2.5e10 * (0.2 + 0.8 * wave(13, 0.3)(t)),
    'cache-misses': (t) => 2e6 * (0.5 + wave(7, 1)(t)), 'branch-misses': (t) => 3e7 * (0.2 + wave(11, 2)(t)) } },
  { name: 'memory', seconds: 60, rates: {
    cycles: (t) => 8e9 * (0.4 + 0.6 * wave(17, 1)(t)), instructions: (t) => 4e9 * (0.3 + wave(9, 0)(t)),
    'cache-misses': (t) => 8e7 * (0.2 + 0.8 * wave(17, 1.2)(t)), 'branch-misses': (t) => 5e6 * (0.5 + wave(5, 0)(t)) } },
  { name: 'mixed', seconds: 60, rates: {
    cycles: (t) => 6e9 * (0.1 + wave(19, 2)(t)), instructions: (t) => 1e10 * (0.1 + wave(23, 1)(t)),
    'cache-misses': (t) => 3e7 * (0.1 + wave(29, 0.5)(t)), 'branch-misses': (t) => 2e7 * (0.1 + wave(31, 3)(t)) } },
];

export const syntheticTruth: SyntheticTruth = {
  staticWatts: 12,
  weights: { cycles: 1.5e-9, instructions: 0.6e-9, 'cache-misses': 20e-9, 'branch-misses': 40e-9 },
};
