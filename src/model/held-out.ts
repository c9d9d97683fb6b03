import { restrictFolds, type Fold, type Partition } from './cross-validate.js';
import type { Design } from './design.js';
import { ErrorTally, type FitStats } from './fit-stats.js';
import { learn, type LearnOptions } from './learn.js';
import { predictRows, tallyRows } from './predict.js';

/** Held-out error of the fitting procedure over a set of folds. */
export interface HeldOut {
  /** Statistics of all held-out predictions pooled. */
  pooled: FitStats;
  /** Per fold (block or workload). */
  folds: ({ name: string } & FitStats)[];
}

/**
 * Runs the whole fitting procedure (`learn`, including its choices) on each fold's training rows,
 * with `inner` folds restricted to those rows for the choices, and scores the fold's test rows.
 * Fills `predicted` (one entry per design row) with each row's out-of-fold prediction.
 */
export function heldOut(design: Design, partition: Partition, folds: readonly Fold[], inner: readonly Fold[],
  options: LearnOptions, seconds: number, group: Int32Array | undefined, predicted: Float64Array): HeldOut {
  const pooled = new ErrorTally(seconds);
  const perFold: HeldOut['folds'] = [];
  for (const fold of folds) {
    const model = learn(partition, fold.train, restrictFolds(inner, fold.train), options);
    const ranges = fold.test.map((s) => partition.segments[s]!);
    predictRows(design, model, ranges, group, predicted);
    const tally = new ErrorTally(seconds);
    tallyRows(design, predicted, ranges, tally);
    pooled.merge(tally);
    perFold.push({ name: fold.name, ...tally.stats() });
  }
  return { pooled: pooled.stats(), folds: perFold };
}
