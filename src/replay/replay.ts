import {
  deleteRun, exportRunsParquet, openSeriesWriter, saveRun, type MetricRow, type RunRecord, type SeriesWriter,
} from '../store/replay-results.js';
import type { Store } from '../store/store.js';
import { buildEngine, type Engine } from './build-engine.js';
import type { FidelityReport } from './fidelity.js';
import { resolveInputs, type ReplayInputs, type ReplayOptions } from './inputs.js';
import type { ReplayDetails, ReplayMetrics } from './run-metrics.js';
import { runTicks } from './run-ticks.js';

/** What `replay` adds to `ReplayOptions`: where results go. */
export interface ReplayRunOptions extends ReplayOptions {
  /** Write the run into the store's `replay_*` tables (default true). */
  save?: boolean;
  /** Keep the per-interval `replay_series` (default true; needs `save`). */
  series?: boolean;
  /** Also write the run's result rows as Parquet under this folder (Hive-partitioned by run). */
  parquetDir?: string;
  /** Fraction of ticks done, after each block of ticks. */
  onProgress?: (fraction: number) => void;
}

/** The printed summary (`vheat replay --json`): byte-identical for the same inputs and seed. */
export interface ReplaySummary {
  run_id: string;
  metrics: ReplayMetrics;
  /** Only with `validate`. */
  fidelity?: FidelityReport;
}

/** A replay's summary, further metrics, the run as configured, notes and Parquet folders. */
export interface ReplayResult {
  summary: ReplaySummary;
  details: ReplayDetails;
  /** The run as configured: policies, seed, tick, span and engine settings. */
  run: {
    /** `--trace` as given, and the trace ids it selected. */
    traces: string;
    traceIds: number[];
    /** sha256 of the energy model. */
    modelHash: string;
    params: Readonly<Record<string, string>>;
    hostPolicy: string;
    guestPolicy: string;
    seed: number;
    tickSeconds: number;
    ticks: number;
    t0: number;
    t1: number;
    settings: Engine['settings'];
  };
  notes: string[];
  /** Parquet folders written. */
  parquet: string[];
}

/**
 * Replays a recording's per-vCPU demand through a host and a guest policy, with the energy
 * and thermal models, and reports thermal imbalance, peak temperature, energy and overhead.
 *
 *   options ─(1) resolveInputs─▶ ReplayInputs ─(2) buildEngine─▶ Engine ─(3) runTicks─▶ accumulators
 *           ─(4) summarize─▶ ReplayResult ─▶ replay_runs / replay_metrics / replay_series, Parquet
 *
 * Deterministic: the same store contents, options and seed give the same run id and a
 * byte-identical summary. Memory is bounded by one block of ticks, not the trace length.
 * `options` is not modified.
 */
export async function replay(store: Store, options: ReplayRunOptions): Promise<ReplayResult> {
  // 1. Inputs
  const inputs = await resolveInputs(store, options);
  return replayResolved(store, inputs, options);
}

/** Phases 2–4 for inputs already resolved (compare resolves once per policy and reuses the thermal fit). */
export async function replayResolved(store: Store, inputs: ReplayInputs,
  options: Pick<ReplayRunOptions, 'save' | 'series' | 'parquetDir' | 'onProgress'>): Promise<ReplayResult> {
  const save = options.save ?? true;
  const run = async (writer: SeriesWriter | null): Promise<ReplayResult> => {
    // 2. Engine
    const engine = buildEngine(store, inputs, writer && ((t0, t1, entity, metric, value) => writer.row(t0, t1, entity, metric, value)));
    // 3. Ticks
    await runTicks(engine, options.onProgress);
    writer?.close();
    // 4. Summary
    return summarize(engine);
  };
  if (!save) return run(null);
  const result = await store.transaction(async () => {
    await deleteRun(store, inputs.runId);
    const out = await run(options.series ?? true ? await openSeriesWriter(store, inputs.runId) : null);
    await saveRun(store, runRecord(out), metricRows(out));
    return out;
  });
  if (options.parquetDir) result.parquet = await exportRunsParquet(store, [inputs.runId], options.parquetDir);
  return result;
}

/** Phase 4: the accumulators' results as the run's summary and details. */
export function summarize(engine: Engine): ReplayResult {
  const { inputs } = engine;
  const { metrics, details } = engine.metrics.result();
  const summary: ReplaySummary = { run_id: inputs.runId, metrics };
  if (inputs.validate) summary.fidelity = { energy: engine.energyCheck!.result(), temps: engine.tempCheck!.result() };
  return {
    summary,
    details,
    run: {
      traces: inputs.selection.label,
      traceIds: inputs.selection.traceIds,
      modelHash: inputs.model.hash,
      params: inputs.params,
      hostPolicy: inputs.host.name,
      guestPolicy: inputs.guest.name,
      seed: inputs.seed,
      tickSeconds: inputs.clock.tickSeconds,
      ticks: inputs.ticks,
      t0: inputs.clock.startSeconds,
      t1: inputs.clock.startSeconds + inputs.ticks * inputs.clock.tickSeconds,
      settings: engine.settings,
    },
    notes: inputs.notes,
    parquet: [],
  };
}

/** The `replay_runs` row of a result. */
export function runRecord(result: ReplayResult): RunRecord {
  const { run } = result;
  return {
    runId: result.summary.run_id, traces: run.traces, traceIds: run.traceIds, model: run.modelHash,
    hostPolicy: run.hostPolicy, guestPolicy: run.guestPolicy, params: run.params, seed: run.seed,
    tickSeconds: run.tickSeconds, t0: run.t0, t1: run.t1, summary: result.summary,
  };
}

/** The `replay_metrics` rows of a result: headline metrics, details, and per-VM figures. */
export function metricRows(result: ReplayResult): MetricRow[] {
  const rows: MetricRow[] = [];
  const { slowdown, ...whole } = result.summary.metrics;
  for (const [metric, value] of Object.entries(whole)) rows.push({ metric, entity: '', value });
  for (const [vm, value] of Object.entries(slowdown)) rows.push({ metric: 'slowdown', entity: vm, value });
  const { peak_core: _peakCore, vm_energy_j: vmEnergy, vm_demanded_s: demanded, vm_delivered_s: delivered, ...rest } = result.details;
  for (const [metric, value] of Object.entries(rest)) rows.push({ metric, entity: '', value });
  for (const [vm, value] of Object.entries(vmEnergy)) rows.push({ metric: 'energy_j', entity: vm, value });
  for (const [vm, value] of Object.entries(demanded)) rows.push({ metric: 'demanded_s', entity: vm, value });
  for (const [vm, value] of Object.entries(delivered)) rows.push({ metric: 'delivered_s', entity: vm, value });
  return rows;
}
