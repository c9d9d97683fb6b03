import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import type { TraceRecord } from '../store/calibration-data.js';
import { matchTraces } from '../util/match-traces.js';

/**
 * The traces `--train`, `--test` and `--trace` (calibrate, evaluate, attribute) select, in id
 * order: the SEL grammar of `matchTraces` (ids, names, `bundle/name`, bundle names, globs). A SEL
 * that matches nothing is `model.noTraceMatch` naming the closest trace.
 */
export function selectTraces(traces: readonly TraceRecord[], sels: readonly string[]): TraceRecord[] {
  return matchTraces(traces, sels, (sel, hint) =>
    new ModelError('model.noTraceMatch', messages.noTraceMatch(sel, traces.length), { hint }));
}

/**
 * The workload a trace recorded, for leave-one-workload-out validation: `traces.meta.workload`
 * when the file or bundle.json gave one, else the bundle name (every file of a recording shares
 * it), else the file name without its extension (`hpl_mkl.perf` → `hpl_mkl`).
 */
export function workloadOf(t: TraceRecord): string {
  const w = t.meta.workload;
  if (typeof w === 'string' && w.trim()) return w.trim();
  if (t.bundle) return t.bundle;
  const dot = t.name.indexOf('.', 1);
  return dot > 0 ? t.name.slice(0, dot) : t.name;
}
