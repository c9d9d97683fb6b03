import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { meanCi95, type MeanCi } from '../replay/mean-ci.js';
import { resolveReplayRun } from '../store/chart-data.js';
import { comparisonMetrics, comparisonRuns, comparisonSeries, type ComparisonRun, type RunMetricRow } from '../store/report-data.js';
import type { Store } from '../store/store.js';
import type { ImbalanceCdfInput } from './imbalance-cdf.js';
import type { OverheadTradeoffInput } from './overhead-tradeoff.js';
import type { PolicyComparisonInput } from './policy-comparison.js';

/** The whole-run metrics a comparison shows (two derived: see `summarizeComparison`), with axis titles and units. */
export const comparedMetrics = [
  { metric: 'imbalance_mean_c', label: 'Mean imbalance', unit: '°C' },
  { metric: 'imbalance_p95_c', label: 'P95 imbalance', unit: '°C' },
  { metric: 'peak_c', label: 'Peak temperature', unit: '°C' },
  { metric: 'energy_j', label: 'Energy', unit: 'J' },
  { metric: 'migrations', label: 'Migrations', unit: 'count' },
  { metric: 'throttled_core_s', label: 'Throttled', unit: 'core-s' },
  { metric: 'work_lost_s', label: 'Work lost', unit: 'core-s' },
] as const;

/** What the overhead axis of the trade-off chart can measure; `work-lost` by default. */
export const overheadMeasures = {
  /**
   * Demanded minus delivered CPU time over all VMs, core-s: what every mechanism (migration
   * cost, throttling, unplugged vCPUs, balloons) finally costs the guests.
   */
  'work-lost': { metric: 'work_lost_s', label: 'Work lost', unit: 'core-s' },
  /** CPU time the host took from the VMs: migration cost charged plus throttled time, core-s (caught up later or not). */
  charged: { metric: 'overhead_core_s', label: 'Migration + throttled time', unit: 'core-s' },
  migrations: { metric: 'migrations_per_s', label: 'Migrations', unit: '1/s' },
} as const;

/** A key of `overheadMeasures`. */
export type OverheadMeasure = keyof typeof overheadMeasures;

/** One policy (host policy, guest policy and parameters) of a comparison, over its runs (seeds). */
export interface ComparisonPolicy {
  /** The host policy, plus the guest policy and the parameters when not the defaults. */
  policy: string;
  hostPolicy: string;
  guestPolicy: string;
  params: Record<string, string>;
  runIds: string[];
  seeds: number[];
  /** Mean and 95 % half-width over the runs of each whole-run metric (replay_metrics names, plus the derived ones). */
  metrics: Record<string, MeanCi>;
}

/** Comparable replay runs (same traces, model, tick and span) grouped by policy. */
export interface Comparison {
  /** The run the comparison was chosen by. */
  runId: string;
  /** `--trace` of the runs. */
  traces: string;
  tickSeconds: number;
  runs: number;
  /** In the order of host policy, guest policy and parameters. */
  policies: ComparisonPolicy[];
  /** Runs that kept per-interval series (the imbalance CDF needs them). */
  seriesRuns: string[];
}

/** The label of a run's policy: `host`, `host + guest`, `host (k=v, …)`. */
export function policyLabel(run: Pick<ComparisonRun, 'hostPolicy' | 'guestPolicy' | 'params'>): string {
  const params = Object.entries(JSON.parse(run.params) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  return run.hostPolicy + (run.guestPolicy !== 'default' ? ` + ${run.guestPolicy}` : '') + (params.length ? ` (${params.join(', ')})` : '');
}

/**
 * Each run's whole-run metrics by name, plus `overhead_core_s` (migration_s + throttled_core_s)
 * and `work_lost_s` (Σ over VMs of demanded_s − delivered_s; null without per-VM rows).
 */
function metricsByRun(rows: readonly RunMetricRow[]): Map<string, Map<string, number | null>> {
  const out = new Map<string, Map<string, number | null>>();
  const lost = new Map<string, number>();
  for (const r of rows) {
    const run = out.get(r.runId) ?? new Map<string, number | null>();
    out.set(r.runId, run);
    if (r.entity === '') run.set(r.metric, r.value);
    else if ((r.metric === 'demanded_s' || r.metric === 'delivered_s') && r.value !== null) {
      lost.set(r.runId, (lost.get(r.runId) ?? 0) + (r.metric === 'demanded_s' ? r.value : -r.value));
    }
  }
  for (const [id, run] of out) {
    const migration = run.get('migration_s');
    const throttled = run.get('throttled_core_s');
    run.set('overhead_core_s', migration == null || throttled == null ? null : migration + throttled);
    run.set('work_lost_s', lost.get(id) ?? null);
  }
  return out;
}

/** Groups `runs` by policy and summarises each metric as mean and 95 % CI half-width over the group's runs. */
export function summarizeComparison(runId: string, runs: readonly ComparisonRun[], metrics: readonly RunMetricRow[]): Comparison {
  const byRun = metricsByRun(metrics);
  const groups = new Map<string, ComparisonRun[]>();
  for (const run of runs) groups.set(policyLabel(run), [...(groups.get(policyLabel(run)) ?? []), run]);
  const policies = [...groups].map(([policy, group]): ComparisonPolicy => {
    const names = new Set(group.flatMap((r) => [...(byRun.get(r.runId)?.keys() ?? [])]));
    const stats = Object.fromEntries([...names].sort().map((name) => [name, meanCi95(group.map((r) => byRun.get(r.runId)?.get(name) ?? null))]));
    return {
      policy, hostPolicy: group[0]!.hostPolicy, guestPolicy: group[0]!.guestPolicy, params: JSON.parse(group[0]!.params) as Record<string, string>,
      runIds: group.map((r) => r.runId), seeds: group.map((r) => r.seed), metrics: stats,
    };
  });
  const anchor = runs.find((r) => r.runId === runId) ?? runs[0];
  return {
    runId, traces: anchor?.traces ?? '', tickSeconds: anchor?.tickSeconds ?? NaN, runs: runs.length, policies,
    seriesRuns: runs.filter((r) => r.hasSeries).map((r) => r.runId),
  };
}

/**
 * The comparison run `selector` (an id or its start) belongs to: every stored run of the same
 * traces, model, tick and span; without a selector, that of the most recently saved run.
 */
export async function loadComparison(store: Store, selector?: string): Promise<Comparison> {
  const runId = await resolveReplayRun(store, selector);
  return summarizeComparison(runId, await comparisonRuns(store, runId), await comparisonMetrics(store, runId));
}

const lowHigh = (s: MeanCi): { low: number; high: number } => ({ low: s.mean! - (s.ci95 ?? 0), high: s.mean! + (s.ci95 ?? 0) });

/** Policy-comparison input: each compared metric per policy, mean with its 95 % CI (policies lacking the metric left out). */
export function policyComparisonInput(c: Comparison): PolicyComparisonInput {
  const rows: PolicyComparisonInput['rows'] = [];
  for (const { metric, label, unit } of comparedMetrics) {
    for (const p of c.policies) {
      const s = p.metrics[metric];
      if (!s || s.mean === null) continue;
      const { low, high } = lowHigh(s);
      rows.push({ policy: p.policy, metric: label, unit, mean: s.mean, ciLow: low, ciHigh: high });
    }
  }
  return { rows };
}

/** Overhead-tradeoff input: per policy, the chosen overhead measure against mean thermal imbalance, with CIs. */
export function overheadTradeoffInput(c: Comparison, measure: OverheadMeasure = 'work-lost'): OverheadTradeoffInput {
  const { metric, label, unit } = overheadMeasures[measure];
  const points: OverheadTradeoffInput['points'] = [];
  for (const p of c.policies) {
    const overhead = p.metrics[metric];
    const imbalance = p.metrics.imbalance_mean_c;
    if (!overhead || overhead.mean === null || !imbalance || imbalance.mean === null) continue;
    const o = lowHigh(overhead);
    const i = lowHigh(imbalance);
    points.push({
      policy: p.policy, overhead: overhead.mean, overheadLow: o.low, overheadHigh: o.high,
      imbalanceC: imbalance.mean, imbalanceLowC: i.low, imbalanceHighC: i.high,
    });
  }
  return { overheadLabel: label, overheadUnit: unit, points };
}

/**
 * Imbalance-CDF input: per policy, the per-interval thermal imbalance (`imbalance_c`, °C, every
 * package) of all its runs that kept series; policies without such runs are left out. A
 * comparison without any series is a UsageError.
 */
export async function imbalanceCdfInput(store: Store, c: Comparison): Promise<ImbalanceCdfInput> {
  if (c.seriesRuns.length === 0) throw new UsageError('chart.noSeries', messages.chartNoSeries(`no run of the comparison of ${c.runId}`));
  const series = await comparisonSeries(store, c.runId, 'imbalance_c');
  const policies: ImbalanceCdfInput['policies'] = [];
  for (const p of c.policies) {
    const values = p.runIds.flatMap((id) => [...(series.get(id) ?? [])]);
    if (values.length) policies.push({ policy: p.policy, imbalanceC: values });
  }
  return { policies };
}
