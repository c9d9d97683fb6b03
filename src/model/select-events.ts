/**
 * Greedy forward selection of model terms by held-out error. Starting from the columns that must
 * stay (static power, named events), it adds at each step the candidate that lowers the
 * cross-validated error most, and stops when no candidate lowers it by at least `minGain`
 * (relative) or when the next one would not fit the counter slots.
 */
export interface SelectionOptions {
  /** Columns always in the model, in order (column 0, static, first). */
  start: readonly number[];
  candidates: readonly number[];
  /** Whether the set `cols` may be measured at once (counter slots, a term's base event present). */
  allowed: (cols: readonly number[]) => boolean;
  /** Held-out error of a column set (lower is better), e.g. cross-validated RMSE. */
  score: (cols: readonly number[]) => number;
  /** Smallest relative improvement worth a term; default 0.01 (1 %). */
  minGain?: number;
}

/** One step of the selection, for the report. */
export interface SelectionStep {
  added: number;
  score: number;
}

export interface Selection {
  cols: number[];
  score: number;
  steps: SelectionStep[];
}

/** Runs forward selection; see `SelectionOptions`. */
export function selectForward(options: SelectionOptions): Selection {
  const minGain = options.minGain ?? 0.01;
  const cols = [...options.start];
  let score = options.score(cols);
  const steps: SelectionStep[] = [];
  for (;;) {
    let best = -1;
    let bestScore = Infinity;
    for (const c of options.candidates) {
      if (cols.includes(c)) continue;
      const trial = [...cols, c];
      if (!options.allowed(trial)) continue;
      const s = options.score(trial);
      if (s < bestScore) {
        bestScore = s;
        best = c;
      }
    }
    if (best < 0 || !(bestScore < score * (1 - minGain))) break;
    cols.push(best);
    score = bestScore;
    steps.push({ added: best, score });
  }
  return { cols, score, steps };
}
