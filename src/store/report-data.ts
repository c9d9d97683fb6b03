import { streamColumns } from './columns.js';
import type { Store } from './store.js';

/** Ids of the traces holding per-core or per-CPU temperatures, ascending. */
export async function tracesWithTemps(store: Store): Promise<number[]> {
  const rows = await store.query("SELECT DISTINCT trace_id FROM temps WHERE scope IN ('core', 'cpu') ORDER BY trace_id");
  return rows.map((r) => Number(r.trace_id));
}

/**
 * The runs comparable with the run `?` (the first bound value): replays of the same traces,
 * model, tick and span, whatever their policies, parameters and seeds.
 */
const comparableRuns = `WITH k AS (SELECT trace_ids, model, tick_s, t0, t1 FROM replay_runs WHERE run_id = ?),
  runs AS (SELECT r.* FROM replay_runs r, k
    WHERE r.trace_ids = k.trace_ids AND r.model = k.model AND r.tick_s = k.tick_s AND r.t0 = k.t0 AND r.t1 = k.t1)`;

/** One replay run of a comparison. */
export interface ComparisonRun {
  runId: string;
  /** `--trace` as given to the run. */
  traces: string;
  hostPolicy: string;
  guestPolicy: string;
  /** `--param` settings as JSON text ('{}' without any). */
  params: string;
  seed: number;
  tickSeconds: number;
  /** Whether the run kept its per-interval `replay_series` (`replay` does, `compare` does not). */
  hasSeries: boolean;
}

/** The runs comparable with `runId` (itself included), by policy, parameters and seed. */
export async function comparisonRuns(store: Store, runId: string): Promise<ComparisonRun[]> {
  const rows = await store.query(`${comparableRuns}
    SELECT run_id, traces, host_policy, guest_policy, CAST(params AS VARCHAR) AS params, seed, tick_s,
      run_id IN (SELECT DISTINCT run_id FROM replay_series) AS has_series
    FROM runs ORDER BY host_policy, guest_policy, params, seed, run_id`, [runId]);
  return rows.map((r) => ({
    runId: String(r.run_id), traces: String(r.traces), hostPolicy: String(r.host_policy), guestPolicy: String(r.guest_policy),
    params: String(r.params), seed: Number(r.seed), tickSeconds: Number(r.tick_s), hasSeries: Boolean(r.has_series),
  }));
}

/** One `replay_metrics` value of a run: entity '' for the whole run, else a VM. */
export interface RunMetricRow {
  runId: string;
  metric: string;
  entity: string;
  /** NULL where the metric is undefined for the run. */
  value: number | null;
}

/** Every `replay_metrics` row of the runs comparable with `runId`, by run, metric and entity. */
export async function comparisonMetrics(store: Store, runId: string): Promise<RunMetricRow[]> {
  const rows = await store.query(`${comparableRuns}
    SELECT m.run_id, m.metric, m.entity, m.value FROM replay_metrics m JOIN runs USING (run_id)
    ORDER BY m.run_id, m.metric, m.entity`, [runId]);
  return rows.map((r) => ({
    runId: String(r.run_id), metric: String(r.metric), entity: String(r.entity), value: r.value === null ? null : Number(r.value),
  }));
}

/**
 * The `replay_series` values of `metric` of each run comparable with `runId` that kept series,
 * all entities and intervals in (entity, time) order; runs without series are absent.
 */
export async function comparisonSeries(store: Store, runId: string, metric: string): Promise<Map<string, Float64Array>> {
  const parts = new Map<string, number[]>();
  const sql = `${comparableRuns}
    SELECT s.run_id, s.value FROM replay_series s JOIN runs USING (run_id)
    WHERE s.metric = ? AND s.value IS NOT NULL ORDER BY s.run_id, s.entity, s.t0`;
  for await (const chunk of streamColumns(store, sql, [runId, metric])) {
    const ids = chunk.columns.run_id as (string | null)[];
    const values = chunk.columns.value as Float64Array;
    let list: number[] | undefined;
    let current: string | null = null;
    for (let i = 0; i < chunk.rowCount; i++) {
      if (ids[i] !== current) {
        current = ids[i]!;
        list = parts.get(current) ?? [];
        parts.set(current, list);
      }
      list!.push(values[i]!);
    }
  }
  return new Map([...parts].map(([id, values]) => [id, Float64Array.from(values)]));
}

/** One run of each set of comparable runs (its smallest id), oldest set first. */
export async function replayComparisons(store: Store): Promise<string[]> {
  const rows = await store.query(`SELECT min(run_id) AS run_id, max(created_at) AS latest FROM replay_runs
    GROUP BY trace_ids, model, tick_s, t0, t1 ORDER BY latest, run_id`);
  return rows.map((r) => String(r.run_id));
}

/** One stored attribution: its id and the energy trace whose intervals it books. */
export interface AttributionRef {
  id: string;
  traceId: number;
  /** `bundle/name` of the energy trace, or its name (or id when the trace is gone). */
  trace: string;
}

/** The stored attributions, in the order they were written. */
export async function attributionList(store: Store): Promise<AttributionRef[]> {
  const rows = await store.query(`SELECT a.attribution_id, a.trace_id, coalesce(t.bundle || '/', '') || coalesce(t.name, CAST(a.trace_id AS VARCHAR)) AS trace
    FROM (SELECT attribution_id, any_value(trace_id) AS trace_id, max(rowid) AS last FROM attribution GROUP BY attribution_id) a
    LEFT JOIN traces t USING (trace_id) ORDER BY a.last`);
  return rows.map((r) => ({ id: String(r.attribution_id), traceId: Number(r.trace_id), trace: String(r.trace) }));
}

/** One VM's energy in one component (static, dynamic, io-emulation), J, summed over intervals. */
export interface VmEnergyRow {
  vm: string;
  component: 'static' | 'dynamic' | 'io-emulation';
  joules: number;
}

/** The books of one attribution in one RAPL domain (counter-model method), J over the whole run. */
export interface AttributionBooks {
  /** package when booked, else the first domain by name. */
  domain: string;
  /** Measured energy, J; null for an estimate (the recording had no energy in this domain). */
  measured: number | null;
  /** Per VM and component (static = idle share, io-emulation, dynamic = the rest), VMs by name. */
  vms: VmEnergyRow[];
  /** Machine work no VM caused, static power no VM took, and measured − everything booked. */
  host: number;
  idle: number;
  /** Measured − everything booked, J; null for an estimate. */
  residual: number | null;
}

/** The whole-run books of attribution `id` (counter-model rows; the CPU-time baselines are left out). */
export async function attributionBooks(store: Store, id: string): Promise<AttributionBooks> {
  const [pick] = await store.query(`SELECT domain FROM attribution WHERE attribution_id = ?
    GROUP BY domain ORDER BY domain <> 'package', domain LIMIT 1`, [id]);
  const domain = String(pick?.domain ?? 'package');
  const where = "attribution_id = ? AND domain = ? AND method = 'counter-model'";
  const roles = await store.query(`SELECT role, sum(joules) AS j FROM attribution WHERE ${where} GROUP BY role`, [id, domain]);
  const role = (name: string): number => Number(roles.find((r) => r.role === name)?.j ?? 0);
  const measuredRole = (name: string): number | null => {
    const row = roles.find((r) => r.role === name);
    return row ? Number(row.j) : null;
  };
  const vms = await store.query(`SELECT vm, sum(idle_joules) AS idle, sum(io_joules) AS io, sum(joules - idle_joules - io_joules) AS dynamic
    FROM attribution WHERE ${where} AND role = 'vm' GROUP BY vm ORDER BY vm`, [id, domain]);
  return {
    domain, measured: measuredRole('measured'), host: role('host'), idle: role('idle'), residual: measuredRole('residual'),
    vms: vms.flatMap((r) => [
      { vm: String(r.vm), component: 'static' as const, joules: Number(r.idle) },
      { vm: String(r.vm), component: 'dynamic' as const, joules: Number(r.dynamic) },
      { vm: String(r.vm), component: 'io-emulation' as const, joules: Number(r.io) },
    ]),
  };
}
