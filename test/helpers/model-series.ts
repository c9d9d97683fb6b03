import type { Series } from '../../src/store/calibration-data.js';

/** A series from [t0, t1, value] triples (enabled fraction 1 unless given). */
export function series(rows: readonly (readonly [number, number, number, number?])[]): Series {
  return {
    t0: Float64Array.from(rows, (r) => r[0]),
    t1: Float64Array.from(rows, (r) => r[1]),
    value: Float64Array.from(rows, (r) => r[2]),
    enabled: Float64Array.from(rows, (r) => r[3] ?? 1),
  };
}

/** Consecutive intervals of `step` s from 0 with the given values. */
export function steps(step: number, values: readonly number[], enabled?: readonly number[]): Series {
  return series(values.map((v, i) => [i * step, (i + 1) * step, v, enabled?.[i]] as const));
}

/**
 * A synthetic recording at 0.1 s: `n` source intervals of two counters with a busy/idle pattern,
 * and package energy `static·Δt + w·counts` that RAPL reports `lag` s late (so the energy of
 * [a, b] appears over [a + lag, b + lag]).
 */
export function laggedRecording(n: number, lag: number, weights = { static: 10, a: 2e-9, b: 5e-9 }) {
  let s = 7;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const busy = Math.floor(i / (5 + (i % 3))) % 2 === 0 ? 1 : 0.1;
    a.push(1e9 * busy * (0.5 + rand()));
    b.push(2e8 * (0.2 + rand()) * (busy + 0.2));
  }
  const power = (t: number): number => {
    const i = Math.min(n - 1, Math.max(0, Math.floor(t / 0.1)));
    return weights.static + (weights.a * a[i]! + weights.b * b[i]!) / 0.1;
  };
  // Energy per reported interval: integral of the power that happened `lag` s earlier.
  const energy: number[] = [];
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (let k = 0; k < 100; k++) e += power(i * 0.1 + (k + 0.5) * 0.001 - lag) * 0.001;
    energy.push(e);
  }
  return { counters: [steps(0.1, a), steps(0.1, b)], energy: steps(0.1, energy) };
}
