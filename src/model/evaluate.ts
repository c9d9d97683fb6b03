import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { listTraces, type TraceRecord } from '../store/calibration-data.js';
import type { Store } from '../store/store.js';
import { alignTrace, dropReasons, type AlignOptions, type DropReason } from './align.js';
import { assembleDesign, type Assembled, type TermSpec } from './assemble.js';
import { cpuSocketMap } from './cpu-socket-map.js';
import { ErrorTally, type FitStats } from './fit-stats.js';
import { loadTraceUnits } from './load-traces.js';
import type { ModelFile } from './model-file.js';
import { selectTraces, workloadOf } from './select-traces.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Also return every interval's measured and predicted energy; default false. */
  predictions?: boolean;
  /** cpu → socket, for per-CPU counters under a per-socket model; default the map the traces record (see `cpuSocketMap`). */
  cpuSocket?: readonly number[];
  /** Score at this interval (s) instead of the model's; the weights are per event, so they carry over. */
  interval?: number;
}

/** How a model did on one trace. */
export interface TraceEvaluation extends FitStats {
  id: number;
  trace: string;
  workload: string;
  dropped: Record<DropReason, number>;
  /**
   * Intervals where some term ran more than 5 % faster than anywhere in the training data: the
   * model extrapolates there, and its error on them is not covered by the held-out figures.
   */
  extrapolated: number;
}

/** Margin above the largest training rate before an interval counts as extrapolated. */
const extrapolationMargin = 1.05;

/** Per-interval predictions, columnar: times in s from each trace's start, energies in J. */
export interface Predictions {
  traceId: Int32Array;
  unit: Int32Array;
  t0: Float64Array;
  t1: Float64Array;
  measured: Float64Array;
  predicted: Float64Array;
}

export interface EvaluateResult {
  traces: TraceEvaluation[];
  predictions: Predictions | null;
  /** What was taken from the recording rather than the options (where the CPU → socket map came from). */
  notes: string[];
}

/**
 * Scores an energy model on the traces named by `selection` (ids, names or globs): intervals are
 * built exactly as in calibration (the model's interval, lag and drop rules), energy predicted
 * with the model's weights, and R², RMSE (W), MAPE (%), max error (W) reported per trace.
 */
export async function evaluate(store: Store, model: ModelFile, selection: readonly string[], options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const all = await listTraces(store);
  return evaluateTraces(store, model, selectTraces(all, selection), all, options);
}

/** `evaluate` on traces already resolved; `calibrate` uses it for `--test`. */
export async function evaluateTraces(store: Store, model: ModelFile, traces: readonly TraceRecord[], all: readonly TraceRecord[],
  options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const events = [...new Set(model.terms.map((t) => t.event))];
  const terms: TermSpec[] = model.terms.map((t) => ({ name: t.name, event: events.indexOf(t.event), kind: t.kind }));
  const interval = options.interval ?? model.intervalSeconds;
  const align: AlignOptions = { interval, lag: model.lagSeconds, ...model.alignment };
  const notes: string[] = [];
  const cpuSocket = model.scope === 'socket' ? await cpuSocketMap(store, traces.map((t) => t.id), options.cpuSocket, notes) : options.cpuSocket;
  const units = await loadTraceUnits(store, traces, all, {
    domain: model.domain, scope: model.scope, frequencyEvent: model.frequency?.event ?? null, ...(cpuSocket ? { cpuSocket } : {}),
  });
  const sources = units.map((u, i) => {
    const missing = events.find((e) => !u.counters.has(e));
    if (missing !== undefined) {
      throw new ModelError('model.eventMissing', messages.modelEventMissing(missing, u.trace.name), {
        hint: 'evaluate on traces recorded with the events the model uses (see the model file\'s terms)',
      });
    }
    return {
      aligned: alignTrace(events.map((e) => u.counters.get(e)!), u.energy, u.gauge, align),
      trace: i, workload: workloadOf(u.trace), unit: u.unit,
    };
  });
  const assembled = assembleDesign(sources, terms, model.frequency?.referenceMhz ?? null);
  const predicted = predictModel(model, assembled);
  const out: TraceEvaluation[] = [];
  for (const trace of traces) {
    const tally = new ErrorTally(interval);
    const dropped = Object.fromEntries(dropReasons.map((r) => [r, 0])) as Record<DropReason, number>;
    sources.forEach((s) => {
      if (units[s.trace]!.trace.id !== trace.id) return;
      for (const r of dropReasons) dropped[r] += s.aligned.dropped[r];
    });
    let extrapolated = 0;
    assembled.parts.forEach((p) => {
      if (units[p.trace]!.trace.id !== trace.id) return;
      for (let i = p.start; i < p.end; i++) {
        tally.add(assembled.design.y[i]!, predicted[i]!);
        if (model.terms.some((t, j) => assembled.design.x[j + 1]![i]! > t.maxRate * interval * extrapolationMargin)) extrapolated++;
      }
    });
    out.push({ id: trace.id, trace: trace.name, workload: workloadOf(trace), ...tally.stats(), dropped, extrapolated });
  }
  return { traces: out, predictions: options.predictions
    ? predictionsOf(assembled, predicted, units.map((u) => ({ id: u.trace.id, unit: u.unit })), interval) : null, notes };
}

/** Predicted energy (J) of every row of `assembled` under `model`, with per-frequency weights when it has them. */
export function predictModel(model: ModelFile, assembled: Assembled): Float64Array {
  const { design, rowMhz } = assembled;
  const pooled = [model.staticWatts.value, ...model.terms.map((t) => t.weight)];
  const bands = model.frequency?.bands ?? null;
  const out = new Float64Array(design.rows);
  for (let i = 0; i < design.rows; i++) {
    let w = pooled;
    if (bands && bands.length && Number.isFinite(rowMhz[i]!)) {
      let best = bands[0]!;
      for (const b of bands) if (Math.abs(b.mhz - rowMhz[i]!) < Math.abs(best.mhz - rowMhz[i]!)) best = b;
      w = [best.staticWatts, ...best.weights];
    }
    let s = 0;
    for (let j = 0; j < w.length; j++) s += w[j]! * design.x[j]![i]!;
    out[i] = s;
  }
  return out;
}

function predictionsOf(assembled: Assembled, predicted: Float64Array, units: readonly { id: number; unit: number }[], interval: number): Predictions {
  const n = assembled.design.rows;
  const p: Predictions = {
    traceId: new Int32Array(n), unit: new Int32Array(n), t0: new Float64Array(n), t1: new Float64Array(n),
    measured: Float64Array.from(assembled.design.y), predicted: Float64Array.from(predicted),
  };
  for (const part of assembled.parts) {
    const u = units[part.trace]!;
    for (let i = part.start; i < part.end; i++) {
      p.traceId[i] = u.id;
      p.unit[i] = u.unit;
      p.t0[i] = assembled.rowStart[i]!;
      p.t1[i] = assembled.rowStart[i]! + interval;
    }
  }
  return p;
}
