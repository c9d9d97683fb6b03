import type { Design, RowRange } from './design.js';
import { ErrorTally } from './fit-stats.js';
import type { Learned } from './learn.js';

/**
 * Predicted energy (J) of each row in `ranges` under `model`, written to `out` at the row's
 * index; rows use their frequency band's weights when the model is banded.
 */
export function predictRows(design: Design, model: Learned, ranges: readonly RowRange[], group: Int32Array | undefined,
  out: Float64Array): void {
  const { cols, weights } = model;
  for (const { start, end } of ranges) {
    for (let i = start; i < end; i++) {
      const w = model.banded && group ? weights[group[i]!] ?? model.pooled : weights[0]!;
      let s = 0;
      for (let k = 0; k < cols.length; k++) s += w[k]! * design.x[cols[k]!]![i]!;
      out[i] = s;
    }
  }
}

/** Adds measured against predicted energy of the rows in `ranges` to `tally`. */
export function tallyRows(design: Design, predicted: Float64Array, ranges: readonly RowRange[], tally: ErrorTally): void {
  for (const { start, end } of ranges) for (let i = start; i < end; i++) tally.add(design.y[i]!, predicted[i]!);
}
