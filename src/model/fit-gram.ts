import type { Gram } from './design.js';
import { normalEquations, scaledBounds, unscale, type Bounds } from './normal-equations.js';
import { solveEnet } from './solve-enet.js';
import { solveNnls } from './solve-nnls.js';
import { solveOls } from './solve-ols.js';
import { solveRidge } from './solve-ridge.js';

/** Fitting methods of `vheat calibrate --method`. */
export const methods = ['ols', 'nnls', 'ridge', 'enet'] as const;
export type Method = (typeof methods)[number];

/** How to fit one set of columns. */
export interface FitSettings {
  method: Method;
  /** Upper bound on the static power, W (the TDP); nnls and enet only; default none. */
  tdpWatts?: number;
  /** Elastic-net L1 share; default 0.5. */
  l1Ratio?: number;
}

/** Default elastic-net L1 share. */
export const defaultL1Ratio = 0.5;

/**
 * Weights (W for the static column, J per unit for the others) of the columns `cols` fitted to
 * the rows behind `gram`. `cols[0]` must be the static column: it is never penalised, and the
 * constrained methods keep it in [0, TDP] and every other weight ≥ 0. `alpha` is ridge's λ or the
 * elastic net's α (ignored by ols and nnls).
 */
export function fitGram(gram: Gram, cols: readonly number[], settings: FitSettings, alpha: number): Float64Array {
  const ne = normalEquations(gram, cols);
  const q = cols.length;
  const penalty = new Float64Array(q).fill(1);
  penalty[0] = 0;
  switch (settings.method) {
    case 'ols':
      return unscale(ne, solveOls(ne));
    case 'ridge':
      return unscale(ne, solveRidge(ne, alpha, penalty));
    case 'nnls':
      return unscale(ne, solveNnls(ne, scaledBounds(ne, constraints(q, settings))));
    case 'enet':
      return unscale(ne, solveEnet(ne, { alpha, l1Ratio: settings.l1Ratio ?? defaultL1Ratio }, penalty,
        scaledBounds(ne, constraints(q, settings))));
  }
}

/** Lower bound 0 on every weight; static (index 0) at most the TDP. */
export function constraints(q: number, settings: FitSettings): Bounds {
  const upper = new Float64Array(q).fill(Infinity);
  upper[0] = settings.tdpWatts ?? Infinity;
  return { lower: new Float64Array(q), upper };
}

/** Whether `method` has a strength (α or λ) to choose. */
export function isPenalised(method: Method): boolean {
  return method === 'ridge' || method === 'enet';
}
