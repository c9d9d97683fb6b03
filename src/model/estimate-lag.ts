import type { Series } from '../store/calibration-data.js';
import { alignTrace, spread, type AlignOptions } from './align.js';
import { assembleDesign, type TermSpec } from './assemble.js';
import { accumulateGrams } from './design.js';
import { fitGram } from './fit-gram.js';

/** One trace's series for lag estimation. */
export interface LagInput {
  counters: readonly Series[];
  energy: readonly Series[];
}

/** The estimated RAPL-to-counter lag. */
export interface LagEstimate {
  /** The lag to correct, s: `estimate` when it explains the changes clearly better than 0, else 0. */
  seconds: number;
  /** Seconds by which energy trails the counters at best correlation (positive: RAPL reports late). */
  estimate: number;
  /** Correlation of interval-to-interval changes of measured and predicted power at `estimate`. */
  correlation: number;
  /** The same at lag 0, for comparison. */
  correlationAtZero: number;
  /** Grid step of the estimate (the source energy interval), s. */
  step: number;
}

/** Median length of the energy source intervals, s. */
export function medianEnergyInterval(inputs: readonly LagInput[]): number {
  const lens: number[] = [];
  for (const { energy } of inputs) for (const e of energy) for (let i = 0; i < e.t0.length; i++) lens.push(e.t1[i]! - e.t0[i]!);
  lens.sort((a, b) => a - b);
  return lens.length ? lens[Math.floor(lens.length / 2)]! : NaN;
}

/**
 * Estimates the lag by cross-correlation at the source resolution: a plain least-squares model
 * of energy on all counters gives predicted power per source interval; the counters are then
 * shifted by candidate lags (±`spanSteps` source intervals, quarter-interval steps, then a
 * ten times finer grid around the best) and the lag whose interval-to-interval power changes
 * correlate best with the prediction's wins. Changes, not levels, are correlated so that static power
 * and slow drifts do not mask the alignment of transitions.
 */
export function estimateLag(inputs: readonly LagInput[], options: AlignOptions, spanSteps = 3): LagEstimate {
  const step = medianEnergyInterval(inputs);
  const none = { seconds: 0, estimate: 0, correlation: NaN, correlationAtZero: NaN, step };
  if (!(step > 0)) return none;
  const fine = { ...options, interval: step, lag: 0 };
  const aligned = inputs.map((inp) => alignTrace(inp.counters, inp.energy, null, fine));
  const events = inputs[0]?.counters.length ?? 0;
  const terms: TermSpec[] = Array.from({ length: events }, (_, j) => ({ name: `e${j}`, event: j, kind: 'count' }));
  const { design } = assembleDesign(aligned.map((a, trace) => ({ aligned: a, trace, workload: '', unit: 0 })), terms, null);
  if (design.rows < terms.length + 3) return none;
  const cols = design.columns.map((_, j) => j);
  const w = fitGram(accumulateGrams(design, [{ start: 0, end: design.rows }])[0]!, cols, { method: 'ols' }, 0);
  const full = step * (1 - 1e-6);
  const first = options.dropFirst ? 1 : 0;
  // Correlate the measured energy, as recorded, with power predicted from counters moved later by
  // the candidate lag: moving the piecewise-constant counter rates reproduces a late RAPL reading
  // exactly, where moving the energy back would smear it.
  const corrAt = (lag: number): number => {
    let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    inputs.forEach((inp, t) => {
      const a = aligned[t]!;
      const p = new Float64Array(a.n).fill(w[0]! * step);
      const ok = Uint8Array.from(a.keep);
      inp.counters.forEach((series, j) => {
        const c = spread(series, first, a.start, step, a.n, -lag);
        for (let k = 0; k < a.n; k++) {
          p[k] = p[k]! + w[j + 1]! * c.sum[k]!;
          if (c.covered[k]! < full) ok[k] = 0;
        }
      });
      for (let k = 1; k < a.n; k++) {
        if (!ok[k] || !ok[k - 1]) continue;
        const dx = p[k]! - p[k - 1]!;
        const dy = a.energy[k]! - a.energy[k - 1]!;
        n++; sx += dx; sy += dy; sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
      }
    });
    const cov = sxy - (sx * sy) / n;
    const den = Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
    return n > 2 && den > 0 ? cov / den : NaN;
  };
  const h = step / 4;
  const grid: number[] = [];
  for (let k = -4 * spanSteps; k <= 4 * spanSteps; k++) grid.push(k * h);
  const r = grid.map(corrAt);
  let best = -1;
  for (let k = 0; k < r.length; k++) if (!Number.isNaN(r[k]!) && (best < 0 || r[k]! > r[best]!)) best = k;
  if (best < 0) return none;
  // Refine on a grid ten times finer around the coarse peak: the correlation is only piecewise
  // smooth in the lag (spreading is linear between interval edges), so no parabola is trusted.
  let estimate = grid[best]!;
  let correlation = r[best]!;
  const fineStep = h / 10;
  for (let k = -10; k <= 10; k++) {
    const lag = grid[best]! + k * fineStep;
    const c = corrAt(lag);
    if (c > correlation) {
      estimate = lag;
      correlation = c;
    }
  }
  const correlationAtZero = corrAt(0);
  // Correct only a lag that removes a clear share (≥ 5 %) of the uncorrelated change: a lag
  // far below the source interval is not resolvable and shifting by noise costs accuracy.
  const clear = 1 - correlationAtZero > (1 - correlation) * (1 + minGain);
  return { seconds: clear ? estimate : 0, estimate, correlation, correlationAtZero, step };
}

/** Relative reduction of uncorrelated change a lag must bring to be corrected. */
const minGain = 0.05;
