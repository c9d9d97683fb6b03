import type { Series } from '../store/calibration-data.js';

/**
 * Alignment of counters and energy on one regular grid of intervals (the calibration interval,
 * default 1 s). Every source interval's delta is spread evenly over its span, so a grid interval
 * receives the share of each source interval it overlaps; gauges (MHz) become time-weighted
 * means. The energy series can be shifted by a lag first (RAPL reporting late).
 */

/** Why aligned intervals are left out of the fit. */
export const dropReasons = ['coverage', 'enabled', 'raplGlitch'] as const;
export type DropReason = (typeof dropReasons)[number];

/** Alignment settings. */
export interface AlignOptions {
  /** Grid interval, s; default 1. */
  interval: number;
  /** Seconds by which energy lags the counters: energy over [a, b] is credited to [a − lag, b − lag]; default 0. */
  lag: number;
  /** Smallest enabled fraction (time the counter ran, multiplexing) kept; default 0.5. */
  minEnabled: number;
  /**
   * Leave out each series' first source interval: `perf stat -I` opens its counters before the
   * interval clock starts, so the first delta covers an unknown, longer span. Default true.
   */
  dropFirst: boolean;
  /** Power above which an energy interval is a glitch, W per unit; default 1000. */
  maxWatts: number;
}

export const defaultAlignOptions: AlignOptions = { interval: 1, lag: 0, minEnabled: 0.5, dropFirst: true, maxWatts: 1000 };

/** One trace (and unit) on the grid. */
export interface Aligned {
  /** Start of the grid, s from trace start. */
  start: number;
  interval: number;
  /** Grid intervals (kept and dropped). */
  n: number;
  /** Per counter (in the order asked for): count in each grid interval. */
  counts: Float64Array[];
  /** Measured energy in each grid interval, J. */
  energy: Float64Array;
  /** Time-weighted gauge (frequency, MHz) per interval, when one was given. */
  gauge: Float64Array | null;
  /** 1 for intervals kept. */
  keep: Uint8Array;
  dropped: Record<DropReason, number>;
}

/** Accumulators of one series on the grid. */
interface Spread {
  sum: Float64Array;
  covered: Float64Array;
  enabledTime: Float64Array;
}

/**
 * Spreads each source interval of `s` (from index `from`) over the grid `start + k·step`, k < n,
 * after shifting its times by −`shift`: `sum` gets the delta share (or level × overlap for a
 * gauge), `covered` the seconds of the grid interval the source covers with a value, and
 * `enabledTime` those seconds × enabled fraction. Source intervals with a NaN value cover nothing.
 */
export function spread(s: Series, from: number, start: number, step: number, n: number, shift: number, gauge = false): Spread {
  const sum = new Float64Array(n);
  const covered = new Float64Array(n);
  const enabledTime = new Float64Array(n);
  const { t0, t1, value, enabled } = s;
  for (let i = from; i < value.length; i++) {
    const v = value[i]!;
    const a = t0[i]! - shift;
    const b = t1[i]! - shift;
    const len = b - a;
    if (!(len > 0) || Number.isNaN(v)) continue;
    const k0 = Math.max(0, Math.floor((a - start) / step));
    const k1 = Math.min(n - 1, Math.floor((b - start) / step));
    for (let k = k0; k <= k1; k++) {
      const lo = start + k * step;
      const ov = Math.min(b, lo + step) - Math.max(a, lo);
      if (ov <= 0) continue;
      sum[k] = sum[k]! + (gauge ? v * ov : (v * ov) / len);
      covered[k] = covered[k]! + ov;
      enabledTime[k] = enabledTime[k]! + enabled[i]! * ov;
    }
  }
  return { sum, covered, enabledTime };
}

/**
 * Source energy intervals that are RAPL glitches: negative or non-finite energy, power above
 * `maxWatts`, and the stale-read pattern (an interval of exactly 0 J followed by one that holds
 * both intervals' energy, i.e. at least 1.5× the next one). Returns one flag per source interval.
 */
export function raplGlitches(s: Series, maxWatts: number): Uint8Array {
  const n = s.value.length;
  const flag = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = s.value[i]!;
    const len = s.t1[i]! - s.t0[i]!;
    if (!Number.isFinite(j) || j < 0 || (len > 0 && j / len > maxWatts)) flag[i] = 1;
    if (j === 0 && i + 2 < n && s.value[i + 1]! > 0 && s.value[i + 1]! >= 1.5 * s.value[i + 2]!) {
      flag[i] = 1;
      flag[i + 1] = 1;
    }
  }
  return flag;
}

/**
 * Puts one trace's counters (`counters`, in model order), energy (the sum of `energy`, e.g. the
 * sockets of a machine-wide model) and optional gauge on the grid.
 * The grid starts where every series has begun and ends where the first one ends; a grid interval
 * is dropped when a series does not cover it fully (`coverage`: gaps, NULL values, edges), when
 * a counter ran less than `minEnabled` of it (`enabled`), or when it overlaps a RAPL glitch.
 */
export function alignTrace(counters: readonly Series[], energy: readonly Series[], gauge: Series | null, options: AlignOptions): Aligned {
  const { interval, lag } = options;
  const first = options.dropFirst ? 1 : 0;
  if (!energy.length) return emptyAligned(counters.length);
  let start = -Infinity;
  let end = Infinity;
  for (const s of [...counters, ...energy]) {
    const shift = energy.includes(s) ? lag : 0;
    const i0 = Math.min(first, s.t0.length - 1);
    if (i0 < 0) return emptyAligned(counters.length);
    start = Math.max(start, s.t0[i0]! - shift);
    end = Math.min(end, s.t1[s.t1.length - 1]! - shift);
  }
  const n = Math.max(0, Math.floor((end - start) / interval + 1e-9));
  const full = interval * (1 - 1e-6);
  const keep = new Uint8Array(n).fill(1);
  const dropped: Record<DropReason, number> = { coverage: 0, enabled: 0, raplGlitch: 0 };
  const reason = new Uint8Array(n); // 0 keep, else 1 + index into dropReasons (first reason wins)
  const mark = (k: number, r: DropReason): void => {
    if (!reason[k]) reason[k] = 1 + dropReasons.indexOf(r);
  };
  const counts = counters.map((s) => {
    const sp = spread(s, first, start, interval, n, 0);
    for (let k = 0; k < n; k++) {
      if (sp.covered[k]! < full) mark(k, 'coverage');
      else if (sp.enabledTime[k]! < options.minEnabled * sp.covered[k]!) mark(k, 'enabled');
    }
    return sp.sum;
  });
  // Several energy series (sockets of a machine-wide model) add up; each must cover the interval.
  const joules = new Float64Array(n);
  for (const series of energy) {
    const e = spread(series, first, start, interval, n, lag);
    for (let k = 0; k < n; k++) {
      joules[k] = joules[k]! + e.sum[k]!;
      if (e.covered[k]! < full) mark(k, 'coverage');
    }
    const glitch = raplGlitches(series, options.maxWatts);
    for (let i = first; i < glitch.length; i++) {
      if (!glitch[i]) continue;
      const k0 = Math.max(0, Math.floor((series.t0[i]! - lag - start) / interval));
      const k1 = Math.min(n - 1, Math.floor((series.t1[i]! - lag - start) / interval));
      for (let k = k0; k <= k1; k++) mark(k, 'raplGlitch');
    }
  }
  let g: Float64Array | null = null;
  if (gauge) {
    const sp = spread(gauge, 0, start, interval, n, 0, true);
    g = new Float64Array(n);
    for (let k = 0; k < n; k++) g[k] = sp.covered[k]! > 0 ? sp.sum[k]! / sp.covered[k]! : NaN;
  }
  for (let k = 0; k < n; k++) {
    if (!reason[k]) continue;
    keep[k] = 0;
    dropped[dropReasons[reason[k]! - 1]!]++;
  }
  return { start, interval, n, counts, energy: joules, gauge: g, keep, dropped };
}

function emptyAligned(events: number): Aligned {
  return { start: 0, interval: 1, n: 0, counts: Array.from({ length: events }, () => new Float64Array(0)), energy: new Float64Array(0),
    gauge: null, keep: new Uint8Array(0), dropped: { coverage: 0, enabled: 0, raplGlitch: 0 } };
}
