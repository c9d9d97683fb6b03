import type { CalibrationFitInput } from '../charts/calibration-fit.js';
import type { PolicyComparisonInput } from '../charts/policy-comparison.js';
import type { TemperatureHeatmapInput } from '../charts/temperature-heatmap.js';
import type { VmEnergyInput } from '../charts/vm-energy.js';
import type { WeightsInput } from '../charts/weights.js';
import { evaluate } from '../model/evaluate.js';
import type { ModelFile } from '../model/model-file.js';
import { meanCi95 } from '../replay/mean-ci.js';
import { heatmapTemperatures } from '../store/chart-data.js';
import { storeInfo, type StoreInfo } from '../store/info.js';
import { runMetricRows, tracesWithTemps, vmEnergyRows, type RunMetricRow, type VmEnergyRow } from '../store/report-data.js';
import type { Store } from '../store/store.js';

/** One energy model as the report shows it. */
export interface ReportModel {
  /** Training traces, `bundle/name` joined with commas. */
  label: string;
  model: ModelFile;
  /** Measured and predicted power per training interval (W). */
  fit: CalibrationFitInput;
  /** Term weights with their 95 % intervals (the weight itself where the model has none), J. */
  weights: WeightsInput | null;
}

/** One trace's temperatures for a heatmap. */
export interface ReportHeatmap {
  traceId: number;
  /** `bundle/name`. */
  trace: string;
  bundle: string | null;
  input: TemperatureHeatmapInput;
}

/** Replay runs of one policy (and parameter set). */
export interface PolicyRuns {
  policy: string;
  runs: number;
}

/** What the policy section shows: per-policy means with 95 % CIs, and how many runs each has. */
export interface PolicySummary {
  chart: PolicyComparisonInput;
  policies: PolicyRuns[];
}

/** Everything the report shows, gathered from the store and the given models. */
export interface ReportData {
  info: StoreInfo;
  models: ReportModel[];
  heatmaps: ReportHeatmap[];
  /** No rows when no attribution is stored. */
  vmEnergy: VmEnergyInput;
  /** null when no replay run is stored. */
  policies: PolicySummary | null;
}

/** The whole-run metrics the comparison shows, with axis titles and units. */
export const comparedMetrics = [
  { metric: 'imbalance_mean_c', label: 'Mean imbalance', unit: '°C' },
  { metric: 'imbalance_p95_c', label: 'P95 imbalance', unit: '°C' },
  { metric: 'peak_c', label: 'Peak temperature', unit: '°C' },
  { metric: 'energy_j', label: 'Energy', unit: 'J' },
  { metric: 'migrations', label: 'Migrations', unit: 'count' },
  { metric: 'throttled_core_s', label: 'Throttled', unit: 'core-s' },
] as const;

/** `bundle/name` of a trace, or its name alone. */
export function traceLabel(t: { bundle: string | null; name: string }): string {
  return t.bundle ? `${t.bundle}/${t.name}` : t.name;
}

/** Measured and predicted power (W) of each training interval of `model`. */
async function modelFit(store: Store, model: ModelFile): Promise<CalibrationFitInput> {
  const { predictions } = await evaluate(store, model, model.training.traces.map((t) => String(t.id)), { predictions: true });
  const p = predictions!;
  const t: number[] = [];
  const measuredW: number[] = [];
  const predictedW: number[] = [];
  for (let i = 0; i < p.t0.length; i++) {
    const dt = p.t1[i]! - p.t0[i]!;
    t.push(p.t0[i]!);
    measuredW.push(p.measured[i]! / dt);
    predictedW.push(p.predicted[i]! / dt);
  }
  return { t, measuredW, predictedW };
}

/** The model's weights for the weights chart; null for a model with static power only. */
function modelWeights(model: ModelFile): WeightsInput | null {
  if (!model.terms.length) return null;
  return {
    events: model.terms.map((t) => t.name),
    weightsJ: model.terms.map((t) => t.weight),
    ciLowJ: model.terms.map((t) => Math.min(t.ci95?.[0] ?? t.weight, t.weight)),
    ciHighJ: model.terms.map((t) => Math.max(t.ci95?.[1] ?? t.weight, t.weight)),
  };
}

/** The policy a run belongs to: host policy, plus the guest policy and parameters when not the defaults. */
function policyOf(r: RunMetricRow): string {
  const params = Object.entries(JSON.parse(r.params) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  return r.hostPolicy + (r.guestPolicy !== 'default' ? ` + ${r.guestPolicy}` : '') + (params.length ? ` (${params.join(', ')})` : '');
}

/** Mean and 95 % CI of each compared metric per policy, over the policy's runs (seeds). */
export function summarizePolicies(rows: readonly RunMetricRow[]): PolicySummary | null {
  if (!rows.length) return null;
  const byPolicy = new Map<string, Map<string, (number | null)[]>>();
  const runs = new Map<string, Set<string>>();
  for (const r of rows) {
    const policy = policyOf(r);
    const metrics = byPolicy.get(policy) ?? new Map<string, (number | null)[]>();
    byPolicy.set(policy, metrics);
    metrics.set(r.metric, [...(metrics.get(r.metric) ?? []), r.value]);
    runs.set(policy, (runs.get(policy) ?? new Set()).add(r.runId));
  }
  const chartRows: PolicyComparisonInput['rows'] = [];
  for (const { metric, label, unit } of comparedMetrics) {
    for (const [policy, metrics] of byPolicy) {
      const { mean, ci95 } = meanCi95(metrics.get(metric) ?? []);
      if (mean === null) continue;
      chartRows.push({ policy, metric: label, unit, mean, ciLow: mean - (ci95 ?? 0), ciHigh: mean + (ci95 ?? 0) });
    }
  }
  return { chart: { rows: chartRows }, policies: [...runs].map(([policy, ids]) => ({ policy, runs: ids.size })) };
}

/** Per-VM energy rows as the chart takes them; negative parts (rounding of joules − idle − io) become 0. */
function vmEnergyInput(rows: readonly VmEnergyRow[]): VmEnergyInput {
  return { rows: rows.map((r) => ({ vm: r.vm, component: r.component, joules: Math.max(0, r.joules) })) };
}

/**
 * Gathers the report's content: the store summary, each model's fit over its training traces,
 * per-core temperatures of every trace that has them, stored per-VM attribution and replay runs.
 */
export async function gatherReport(store: Store, models: readonly ModelFile[]): Promise<ReportData> {
  const info = await storeInfo(store);
  const reportModels: ReportModel[] = [];
  for (const model of models) {
    reportModels.push({
      label: model.training.traces.map(traceLabel).join(', '), model, fit: await modelFit(store, model), weights: modelWeights(model),
    });
  }
  const heatmaps: ReportHeatmap[] = [];
  for (const id of await tracesWithTemps(store)) {
    const trace = info.traces.find((t) => t.id === id);
    heatmaps.push({ traceId: id, trace: trace ? traceLabel(trace) : String(id), bundle: trace?.bundle ?? null, input: await heatmapTemperatures(store, id) });
  }
  return {
    info, models: reportModels, heatmaps,
    vmEnergy: vmEnergyInput(await vmEnergyRows(store)),
    policies: summarizePolicies(await runMetricRows(store)),
  };
}
