import type { FitStats } from '../model/fit-stats.js';
import type { TraceEvaluation } from '../model/evaluate.js';

type Stats = { [K in keyof FitStats]: FitStats[K] | null };

const fmt = (x: number | null, digits: number): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));

/** `MAPE 4.2 %  RMSE 1.31 W  R² 0.982  max 6.0 W  (n 120)` */
export function formatStats(s: Stats): string {
  return `MAPE ${fmt(s.mape, 1)} %  RMSE ${fmt(s.rmse, 2)} W  R² ${fmt(s.r2, 3)}  max ${fmt(s.maxError, 1)} W  total ${fmt(s.totalError, 1)} %  (n ${s.n})`;
}

/** A trace's line: its statistics and, when the model extrapolated, how often. */
export function formatTrace(t: TraceEvaluation): string {
  return `${formatStats(t)}${t.extrapolated ? `  (${t.extrapolated} intervals beyond the training range)` : ''}`;
}

/** One `test` entry of the `--json` output: trace name, MAPE %, RMSE W, R² (null when undefined). */
export function testEntry(t: TraceEvaluation) {
  const n = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return { trace: t.trace, id: t.id, mape: n(t.mape), rmse: n(t.rmse), r2: n(t.r2), maxError: n(t.maxError), intervals: t.n,
    extrapolated: t.extrapolated };
}
