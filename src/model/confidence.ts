import { Rng } from '../generate/rng.js';
import { accumulateGrams, addGram, emptyGram, type Design, type RowRange } from './design.js';
import type { RowPart } from './cross-validate.js';
import { fitGram, type FitSettings } from './fit-gram.js';

/** Block-bootstrap settings. */
export interface BootstrapOptions {
  /** Resamples; default 200. */
  replicates?: number;
  /** Intervals per block; default max(N^(1/3), N/2000), at least 2. */
  blockIntervals?: number;
  /** RNG seed (recorded in the model file); default 1. */
  seed?: number;
}

export const defaultReplicates = 200;
export const defaultSeed = 1;

/** A 95 % interval per weight, in the weights' units. */
export interface ConfidenceIntervals {
  lower: Float64Array;
  upper: Float64Array;
  /** Bootstrap standard error per weight. */
  stdError: Float64Array;
  replicates: number;
  blockIntervals: number;
  seed: number;
}

/**
 * 95 % percentile intervals of the weights by moving-free (non-overlapping) block bootstrap:
 * the rows of each part are cut into blocks of `blockIntervals` consecutive intervals, so the
 * autocorrelation within a block survives resampling; each replicate draws as many blocks as
 * there are, with replacement, and refits on the summed block Grams (no pass over the data).
 * The model's choices (terms, strength) are held fixed.
 */
export function bootstrapIntervals(design: Design, parts: readonly RowPart[], cols: readonly number[], settings: FitSettings,
  alpha: number, options: BootstrapOptions = {}): ConfidenceIntervals {
  const replicates = options.replicates ?? defaultReplicates;
  const seed = options.seed ?? defaultSeed;
  const n = parts.reduce((s, p) => s + p.end - p.start, 0);
  const blockIntervals = Math.max(2, Math.round(options.blockIntervals ?? Math.max(Math.cbrt(n), n / 2000)));
  const blocks: RowRange[] = [];
  for (const p of parts) for (let s = p.start; s < p.end; s += blockIntervals) blocks.push({ start: s, end: Math.min(p.end, s + blockIntervals) });
  const grams = accumulateGrams(design, blocks);
  const rng = new Rng(seed, 'bootstrap');
  const q = cols.length;
  const draws: Float64Array[] = Array.from({ length: q }, () => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    const g = emptyGram(design.columns.length);
    for (let b = 0; b < blocks.length; b++) addGram(g, grams[rng.int(blocks.length)]!);
    const w = fitGram(g, cols, settings, alpha);
    for (let k = 0; k < q; k++) draws[k]![r] = w[k]!;
  }
  const lower = new Float64Array(q);
  const upper = new Float64Array(q);
  const stdError = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    const d = draws[k]!.sort();
    lower[k] = quantile(d, 0.025);
    upper[k] = quantile(d, 0.975);
    let m = 0;
    for (const v of d) m += v;
    m /= replicates;
    let v2 = 0;
    for (const v of d) v2 += (v - m) * (v - m);
    stdError[k] = Math.sqrt(v2 / Math.max(replicates - 1, 1));
  }
  return { lower, upper, stdError, replicates, blockIntervals, seed };
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
export function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
