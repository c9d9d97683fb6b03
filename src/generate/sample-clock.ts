import type { Rng } from './rng.js';

/** One reading a recorder takes: counters at `atNs`, RAPL registers at `energyAtNs` (ns from the start). */
export interface Sample {
  /** 0 is the baseline read when the tool starts; rows follow from 1. */
  index: number;
  atNs: number;
  energyAtNs: number;
  /** True for the reading when the tool is stopped at the end of the recording (a short interval). */
  final: boolean;
}

export interface SampleClockOptions {
  startNs: number;
  endNs: number;
  intervalNs: number;
  /** Each interval is longer by this fraction (the tool's own overhead): perf's -I stamps drift. */
  drift: number;
  /** Extra random delay per interval, up to this many ns. */
  jitterNs: number;
  /** RAPL is read this many ns after the counters (range). */
  energyDelayNs: readonly [number, number];
}

/**
 * When a sampling tool reads: at its start, then every interval plus overhead and jitter, and a
 * last time when it is stopped at the end of the recording (perf prints that short interval).
 */
export class SampleClock {
  private k = 0;
  private at: number;
  private done = false;

  constructor(private readonly rng: Rng, private readonly o: SampleClockOptions) {
    this.at = o.startNs;
  }

  /** The next sample, or undefined after the final one. */
  next(): Sample | undefined {
    if (this.done) return undefined;
    const { endNs, intervalNs, drift, jitterNs, energyDelayNs: [lo, hi] } = this.o;
    let at = this.at;
    if (this.k > 0) at += intervalNs + Math.round(intervalNs * drift) + Math.round(this.rng.uniform() * jitterNs);
    let final = false;
    // a stop less than 1 ms after the last reading prints nothing more
    if (at >= endNs) {
      if (endNs - this.at < 1e6) return undefined;
      at = endNs;
      final = true;
      this.done = true;
    }
    const energyAtNs = Math.min(endNs, at + Math.round(this.rng.between(lo, hi)));
    this.at = at;
    return { index: this.k++, atNs: at, energyAtNs, final };
  }
}
