import type { Store } from './store.js';

/** Ids of the traces holding per-core or per-CPU temperatures, ascending. */
export async function tracesWithTemps(store: Store): Promise<number[]> {
  const rows = await store.query("SELECT DISTINCT trace_id FROM temps WHERE scope IN ('core', 'cpu') ORDER BY trace_id");
  return rows.map((r) => Number(r.trace_id));
}

/** One whole-run metric of one replay run. */
export interface RunMetricRow {
  runId: string;
  hostPolicy: string;
  guestPolicy: string;
  /** `--param` settings as JSON text ('{}' without any). */
  params: string;
  seed: number;
  metric: string;
  /** NULL where the metric is undefined for the run. */
  value: number | null;
}

/** Whole-run metrics (entity '') of every saved replay run, ordered by policy, params, seed and metric. */
export async function runMetricRows(store: Store): Promise<RunMetricRow[]> {
  const rows = await store.query(
    `SELECT r.run_id, r.host_policy, r.guest_policy, CAST(r.params AS VARCHAR) AS params, r.seed, m.metric, m.value
       FROM replay_runs r JOIN replay_metrics m USING (run_id)
      WHERE m.entity = ''
      ORDER BY r.host_policy, r.guest_policy, params, r.seed, m.metric`);
  return rows.map((r) => ({
    runId: String(r.run_id),
    hostPolicy: String(r.host_policy),
    guestPolicy: String(r.guest_policy),
    params: String(r.params),
    seed: Number(r.seed),
    metric: String(r.metric),
    value: r.value === null ? null : Number(r.value),
  }));
}

/** One VM's energy in one component (static, dynamic, io-emulation), J, summed over intervals. */
export interface VmEnergyRow {
  vm: string;
  component: 'static' | 'dynamic' | 'io-emulation';
  joules: number;
}

/**
 * Per-VM package energy of one stored attribution (the first by id when several were run),
 * split as the vm-energy chart shows it: idle share (static), I/O emulation, and the rest
 * (dynamic). Empty when nothing was attributed.
 */
export async function vmEnergyRows(store: Store): Promise<VmEnergyRow[]> {
  const rows = await store.query(
    `WITH pick AS (SELECT min(attribution_id) AS id FROM attribution WHERE role = 'vm' AND domain = 'package')
     SELECT vm, sum(idle_joules) AS idle, sum(io_joules) AS io, sum(joules - idle_joules - io_joules) AS dynamic
       FROM attribution, pick
      WHERE attribution_id = pick.id AND role = 'vm' AND domain = 'package'
      GROUP BY vm ORDER BY vm`);
  return rows.flatMap((r) => [
    { vm: String(r.vm), component: 'static' as const, joules: Number(r.idle) },
    { vm: String(r.vm), component: 'dynamic' as const, joules: Number(r.dynamic) },
    { vm: String(r.vm), component: 'io-emulation' as const, joules: Number(r.io) },
  ]);
}
