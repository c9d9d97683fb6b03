import { gramOf, type Fold, type Partition } from './cross-validate.js';
import type { Gram } from './design.js';
import { fitGram, isPenalised, type FitSettings } from './fit-gram.js';
import { normalEquations, residualSumOfSquares } from './normal-equations.js';
import { selectForward, type SelectionStep } from './select-events.js';
import { enetAlphaMax } from './solve-enet.js';

/** What the fitting procedure may choose, and within which limits. */
export interface LearnOptions {
  settings: FitSettings;
  /** Columns always in the model (static first, then named events). */
  start: readonly number[];
  /** Columns forward selection may add (events under `--events auto`, extra terms). */
  candidates: readonly number[];
  /** Whether a column set may be measured at once. */
  allowed: (cols: readonly number[]) => boolean;
  /** Fixed strength for ridge/enet; chosen by inner cross-validation when undefined. */
  alpha?: number;
  /** Per-frequency-band weights: `on`, `off`, or `auto` (kept when they beat one model in inner CV). */
  perFrequency: 'on' | 'off' | 'auto';
  /** Centre of each row group (frequency band), MHz, ascending; for borrowing a neighbour's weights. */
  bandCenters?: readonly number[];
  /** Candidates of per-band models; default `candidates`. */
  bandCandidates?: readonly number[];
}

/** A fitted model on design columns. */
export interface Learned {
  cols: number[];
  /** Strength used by ridge/enet, null for ols/nnls. */
  alpha: number | null;
  /** Weights per row group (frequency band) when `banded`, else one array for all rows. */
  weights: Float64Array[];
  banded: boolean;
  /** Pooled weights (also the fallback of bands with too few rows). */
  pooled: Float64Array;
  steps: SelectionStep[];
  /** Inner cross-validated RMSE of the final choice, J per interval (NaN without inner folds). */
  innerRmse: number;
}

/** Rows a band needs, per term, before it gets weights of its own. */
const rowsPerTerm = 5;

/**
 * The whole fitting procedure on the training segments `train`: choose terms (forward
 * selection), strength (ridge/enet) and pooled-or-per-frequency by cross-validation on
 * `inner` (folds inside the training rows), then fit on all of `train`. Running this inside
 * each outer fold is what makes the reported held-out error honest about the choices too.
 */
export function learn(partition: Partition, train: readonly number[], inner: readonly Fold[], options: LearnOptions): Learned {
  const pooled = choose(partition, train, inner, options, false);
  if (options.perFrequency === 'off' || partition.groups < 2) return pooled;
  const banded = choose(partition, train, inner, options, true);
  if (options.perFrequency === 'on') return banded;
  return banded.innerRmse < pooled.innerRmse * 0.99 ? banded : pooled;
}

/**
 * Selection, strength and fit for one model family: one set of weights for all rows, or weights
 * per frequency band (whose candidates leave out `count*freq` terms: within a band the clock is
 * constant, so they would only duplicate the plain counts).
 */
function choose(partition: Partition, train: readonly number[], inner: readonly Fold[], options: LearnOptions, banded: boolean): Learned {
  const { settings } = options;
  const centers = options.bandCenters;
  // Selection runs with the unpenalised counterpart (nnls for enet, ols for ridge), so the
  // strength is tuned once for the chosen terms instead of once per candidate.
  const base: FitSettings = { ...settings, method: settings.method === 'enet' ? 'nnls' : settings.method === 'ridge' ? 'ols' : settings.method };
  const score = (cols: readonly number[], s: FitSettings, alpha: number): number =>
    cvRmse(partition, inner, (g) => fitGram(g, cols, s, alpha), cols, banded, centers);
  const candidates = banded ? options.bandCandidates ?? options.candidates : options.candidates;
  const selection = inner.length && candidates.length
    ? selectForward({ start: options.start, candidates, allowed: options.allowed, score: (cols) => score(cols, base, 0) })
    : { cols: [...options.start], score: NaN, steps: [] };
  const cols = selection.cols;
  const trainGram = gramOf(partition, train);
  const alpha = isPenalised(settings.method) ? options.alpha ?? chooseAlpha(partition, inner, trainGram, cols, settings) : null;
  const fit = (g: Gram): Float64Array => fitGram(g, cols, settings, alpha ?? 0);
  const pooled = fit(trainGram);
  const weights = banded ? bandWeights(partition, train, cols, fit, pooled, centers) : [pooled];
  const innerRmse = inner.length ? score(cols, settings, alpha ?? 0) : NaN;
  return { cols, alpha, weights, banded, pooled, steps: selection.steps, innerRmse };
}

/**
 * Weights per band fitted on the band's rows of `segs`. A band with too few rows (typically the
 * intervals that straddle a clock change) borrows the weights of the nearest band that has
 * enough, or the pooled ones when none has.
 */
function bandWeights(partition: Partition, segs: readonly number[], cols: readonly number[], fit: (g: Gram) => Float64Array,
  pooled: Float64Array, centers?: readonly number[]): Float64Array[] {
  const grams = Array.from({ length: partition.groups }, (_, g) => gramOf(partition, segs, g));
  const own = grams.map((g) => (g.n >= rowsPerTerm * cols.length ? fit(g) : null));
  const at = (g: number): number => centers?.[g] ?? g;
  return own.map((w, g) => {
    if (w) return w;
    let best = -1;
    own.forEach((v, k) => {
      if (v && (best < 0 || Math.abs(at(k) - at(g)) < Math.abs(at(best) - at(g)))) best = k;
    });
    return best >= 0 ? own[best]! : pooled;
  });
}

/**
 * Cross-validated RMSE (J per interval) of fitting `fit` on each fold's training Gram and
 * scoring its test Gram, pooled over folds; per frequency band when `banded`.
 */
function cvRmse(partition: Partition, folds: readonly Fold[], fit: (g: Gram) => Float64Array,
  cols: readonly number[], banded: boolean, centers?: readonly number[]): number {
  let sse = 0;
  let n = 0;
  for (const f of folds) {
    const trainAll = gramOf(partition, f.train);
    const pooled = fit(trainAll);
    if (!banded) {
      const test = gramOf(partition, f.test);
      sse += residualSumOfSquares(test, cols, pooled);
      n += test.n;
      continue;
    }
    const bands = bandWeights(partition, f.train, cols, fit, pooled, centers);
    for (let g = 0; g < partition.groups; g++) {
      const te = gramOf(partition, f.test, g);
      if (te.n === 0) continue;
      sse += residualSumOfSquares(te, cols, bands[g]!);
      n += te.n;
    }
  }
  return n ? Math.sqrt(sse / n) : NaN;
}

/** Strength grid relative to the data: λ = n·10^(−k/2) for ridge, α_max·10^(−k/2) for enet. */
function alphaGrid(trainGram: Gram, cols: readonly number[], settings: FitSettings): number[] {
  const ne = normalEquations(trainGram, cols);
  const penalty = new Float64Array(cols.length).fill(1);
  penalty[0] = 0;
  const top = settings.method === 'ridge' ? Math.max(ne.n, 1) : enetAlphaMax(ne, settings.l1Ratio ?? 0.5, penalty);
  return Array.from({ length: 17 }, (_, k) => top * 10 ** (-k / 2));
}

function chooseAlpha(partition: Partition, inner: readonly Fold[], trainGram: Gram,
  cols: readonly number[], settings: FitSettings): number {
  const grid = alphaGrid(trainGram, cols, settings);
  if (!inner.length) return grid[grid.length - 1]!;
  let best = grid[grid.length - 1]!;
  let bestScore = Infinity;
  for (const alpha of grid) {
    const s = cvRmse(partition, inner, (g) => fitGram(g, cols, settings, alpha), cols, false);
    if (s < bestScore) {
      bestScore = s;
      best = alpha;
    }
  }
  return best;
}
