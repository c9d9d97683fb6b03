import { quantileTarget } from './weighted-quantile.js';

/** Default bin width of `QuantileHistogram`: 0.01 (°C for temperatures, W for power). */
export const defaultQuantileResolution = 0.01;

/**
 * A weighted histogram of non-negative values with fixed-width bins, for quantiles over runs
 * too long to keep every value. Memory grows with the largest value / resolution (10,000 bins
 * for a 100 °C spread at 0.01 °C), never with run length. `quantile(q)` answers the midpoint
 * of the bin holding the exact weighted quantile (as `weightedQuantile` defines it), clamped to
 * the smallest and largest value seen, so it is within `resolution / 2` of the exact answer.
 */
export class QuantileHistogram {
  #bins: Float64Array;
  #total = 0;
  #min = Infinity;
  #max = -Infinity;

  /** `resolution`: bin width in the values' unit, default 0.01. */
  constructor(readonly resolution: number = defaultQuantileResolution) {
    this.#bins = new Float64Array(1024);
  }

  /** Adds `value` (≥ 0) with `weight` (e.g. the tick's seconds). */
  add(value: number, weight: number): void {
    if (!(weight > 0)) return;
    const b = Math.floor(value / this.resolution);
    if (b >= this.#bins.length) {
      const grown = new Float64Array(Math.max(this.#bins.length * 2, b + 1));
      grown.set(this.#bins);
      this.#bins = grown;
    }
    this.#bins[b]! += weight;
    this.#total += weight;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** The weighted q-quantile, ± resolution/2; NaN before any weight was added. */
  quantile(q: number): number {
    if (this.#total === 0) return NaN;
    const target = quantileTarget(q, this.#total);
    let cumulative = 0;
    let b = 0;
    for (; b < this.#bins.length - 1; b++) {
      cumulative += this.#bins[b]!;
      if (cumulative >= target && this.#bins[b]! > 0) break;
    }
    return Math.min(this.#max, Math.max(this.#min, (b + 0.5) * this.resolution));
  }
}
