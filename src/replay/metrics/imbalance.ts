import { QuantileHistogram, defaultQuantileResolution } from './quantile-histogram.js';
import { tickLength, type TickSeconds } from './tick-seconds.js';
import { weightedQuantile } from './weighted-quantile.js';

/** An imbalance over a run: time-weighted mean and 95th percentile of the per-tick spread. */
export interface Imbalance {
  mean: number;
  p95: number;
}

export interface ImbalanceOptions {
  /** Package of each core (0-based); its length is the number of cores. */
  packageOf: ArrayLike<number>;
}

/**
 * Writes, for one tick's per-core values starting at `values[offset]`, each package's spread
 * (max − min over its cores) into `spread`. NaN values (no reading) are skipped; a package
 * without any value gets NaN. `lo`/`hi` are scratch arrays of the package count.
 */
function packageSpreads(
  values: ArrayLike<number>, offset: number, packageOf: ArrayLike<number>, lo: Float64Array, hi: Float64Array, spread: Float64Array,
): void {
  lo.fill(Infinity);
  hi.fill(-Infinity);
  for (let c = 0; c < packageOf.length; c++) {
    const p = packageOf[c]!;
    const v = values[offset + c]!;
    if (v < lo[p]!) lo[p] = v;
    if (v > hi[p]!) hi[p] = v;
  }
  for (let p = 0; p < spread.length; p++) spread[p] = hi[p]! >= lo[p]! ? hi[p]! - lo[p]! : NaN;
}

function packageCount(packageOf: ArrayLike<number>): number {
  let max = -1;
  for (let c = 0; c < packageOf.length; c++) max = Math.max(max, packageOf[c]!);
  return max + 1;
}

/**
 * Imbalance of per-core values (`values`: ticks × cores, row-major) as DESIGN.md defines it:
 * per tick, max − min over the cores of each package; every (tick, package) spread is one
 * sample weighted by the tick's length, and the run reports their weighted mean and exact
 * weighted 95th percentile (see `weightedQuantile`). NaN for an empty run.
 */
export function imbalance(cols: { values: Float64Array; dt: TickSeconds }, opts: ImbalanceOptions): Imbalance {
  const cores = opts.packageOf.length;
  const packages = packageCount(opts.packageOf);
  const ticks = cores === 0 ? 0 : cols.values.length / cores;
  const lo = new Float64Array(packages);
  const hi = new Float64Array(packages);
  const spread = new Float64Array(packages);
  const samples = new Float64Array(ticks * packages);
  const weights = new Float64Array(ticks * packages);
  let n = 0;
  let sum = 0;
  let seconds = 0;
  for (let k = 0; k < ticks; k++) {
    packageSpreads(cols.values, k * cores, opts.packageOf, lo, hi, spread);
    const dt = tickLength(cols.dt, k);
    for (let p = 0; p < packages; p++) {
      const s = spread[p]!;
      if (Number.isNaN(s)) continue;
      samples[n] = s;
      weights[n++] = dt;
      sum += s * dt;
      seconds += dt;
    }
  }
  return { mean: sum / seconds, p95: weightedQuantile(samples.subarray(0, n), weights.subarray(0, n), 0.95) };
}

/** Thermal imbalance, °C: `imbalance` of core temperatures (ticks × cores). */
export function thermalImbalance(cols: { celsius: Float64Array; dt: TickSeconds }, opts: ImbalanceOptions): Imbalance {
  return imbalance({ values: cols.celsius, dt: cols.dt }, opts);
}

/** Power imbalance, W: `imbalance` of core powers (ticks × cores). */
export function powerImbalance(cols: { watts: Float64Array; dt: TickSeconds }, opts: ImbalanceOptions): Imbalance {
  return imbalance({ values: cols.watts, dt: cols.dt }, opts);
}

/**
 * `imbalance` accumulated tick by tick in bounded memory, for long replays: the mean is exact,
 * the 95th percentile comes from a `QuantileHistogram` and is within `resolution / 2`
 * (default 0.01, in the values' unit) of `imbalance`'s.
 */
export class ImbalanceAccumulator {
  readonly #packageOf: ArrayLike<number>;
  /** When each package's cores are one contiguous run (as the engine numbers them): run p is [runStart[p], runStart[p+1]). */
  readonly #runStart: Int32Array | null;
  readonly #lo: Float64Array;
  readonly #hi: Float64Array;
  readonly #spread: Float64Array;
  readonly #histogram: QuantileHistogram;
  #sum = 0;
  #seconds = 0;

  constructor(opts: ImbalanceOptions & { resolution?: number }) {
    this.#packageOf = opts.packageOf;
    const packages = packageCount(opts.packageOf);
    this.#runStart = contiguousRuns(opts.packageOf, packages);
    this.#lo = new Float64Array(packages);
    this.#hi = new Float64Array(packages);
    this.#spread = new Float64Array(packages);
    this.#histogram = new QuantileHistogram(opts.resolution ?? defaultQuantileResolution);
  }

  /** Adds one tick: `row` holds a value per core, the tick lasts `dtSeconds`. */
  add(row: ArrayLike<number>, dtSeconds: number): void {
    const runs = this.#runStart;
    const spread = this.#spread;
    // Called every replay tick: contiguous packages are scanned in place, without the scratch fills.
    if (runs) {
      for (let p = 0; p < spread.length; p++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let c = runs[p]!; c < runs[p + 1]!; c++) {
          const v = row[c]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        spread[p] = hi >= lo ? hi - lo : NaN;
      }
    } else packageSpreads(row, 0, this.#packageOf, this.#lo, this.#hi, spread);
    for (let p = 0; p < spread.length; p++) {
      const s = spread[p]!;
      if (Number.isNaN(s)) continue;
      this.#histogram.add(s, dtSeconds);
      this.#sum += s * dtSeconds;
      this.#seconds += dtSeconds;
    }
  }

  result(): Imbalance {
    return { mean: this.#sum / this.#seconds, p95: this.#histogram.quantile(0.95) };
  }
}

/** Start of each package's run of cores when every package's cores are contiguous and in package order, else null. */
function contiguousRuns(packageOf: ArrayLike<number>, packages: number): Int32Array | null {
  const start = new Int32Array(packages + 1);
  for (let c = 0; c < packageOf.length; c++) {
    const p = packageOf[c]!;
    const previous = c > 0 ? packageOf[c - 1]! : 0;
    if (p !== previous && p !== previous + 1) return null;
    start[p + 1] = c + 1;
  }
  return start;
}
