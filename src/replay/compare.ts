import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { assertKnownParams } from '../policies/params.js';
import { resolveGuestPolicy, resolveHostPolicy } from '../policies/index.js';
import type { PolicySpec } from '../policies/registry.js';
import type { HostPolicy } from '../policies/types.js';
import { exportRunsParquet, saveRun } from '../store/replay-results.js';
import type { Store } from '../store/store.js';
import { buildEngine } from './build-engine.js';
import { defaultSeed, resolveInputs, type ReplayOptions } from './inputs.js';
import { meanCi95, type MeanCi } from './mean-ci.js';
import { metricRows, runRecord, type ReplayResult } from './replay.js';
import type { ReplayMetrics } from './run-metrics.js';
import { assertParamScopes, paramsFor, scopeTarget } from './scoped-params.js';
import { runSweep, type SweepJob } from './sweep.js';

/** Default number of seeds per policy. */
export const defaultSeeds = 5;

/** Which slice of a sweep to run: `index` of `count` (1-based, as `--shard 2/4`). */
export interface Shard {
  index: number;
  count: number;
}

/** What `compare` runs: `ReplayOptions` without the host policy and seed, plus the policies, seeds, sweep and sharding. */
export interface CompareOptions extends Omit<ReplayOptions, 'hostPolicy' | 'seed' | 'validate'> {
  /** Host policies to compare (names, paths, objects or factories). */
  policies: readonly PolicySpec<HostPolicy>[];
  /** Runs per policy and parameter set, with seeds `seed`, `seed + 1`, … (default 5). */
  seeds?: number;
  /** First seed (default 1). */
  seed?: number;
  /**
   * Parameters to sweep: every combination of the listed values (on top of `params`). A key may
   * be scoped (`POLICY:key`, as `params`): it then makes rows of that policy only.
   */
  sweep?: Readonly<Record<string, readonly string[]>>;
  /** Worker threads (default: every core). */
  workers?: number;
  /** Run only this slice of the plan (to spread a sweep over machines). */
  shard?: Shard;
  /** Save the runs into the store's replay tables (default true). */
  save?: boolean;
  /** Write the runs' result rows as Parquet here (Hive-partitioned by run); read from the store, so only with `save`. */
  parquetDir?: string;
  onProgress?: (done: number, total: number) => void;
}

/** The headline metrics as mean and 95 % half-width over a row's runs (slowdown per VM). */
export type MetricStats = { [K in Exclude<keyof ReplayMetrics, 'slowdown'>]: MeanCi } & { slowdown: Record<string, MeanCi> };

/** One policy (and parameter set) of a comparison. */
export interface CompareRow {
  policy: string;
  /** The swept parameter values of this row, keys as given ({} without `sweep`; only the keys that reach this policy). */
  params: Record<string, string>;
  seeds: number[];
  runIds: string[];
  metrics: MetricStats;
}

/** `compare`'s rows, how many runs this shard did of the plan, notes and Parquet folders. */
export interface CompareResult {
  rows: CompareRow[];
  /** Runs in this shard / in the whole plan. */
  runs: number;
  plannedRuns: number;
  shard: Shard | null;
  notes: string[];
  parquet: string[];
}

/** Parses `i/N` (1 ≤ i ≤ N). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(count >= 1) || !(index >= 1 && index <= count)) {
    throw new UsageError('compare.badShard', messages.compareBadShard(text), { hint: 'e.g. --shard 2/4 runs the second of four slices' });
  }
  return { index, count };
}

/** Every combination of the swept values, in key order then value order. */
function combinations(sweep: Readonly<Record<string, readonly string[]>>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const key of Object.keys(sweep).sort()) {
    const values = sweep[key]!;
    if (values.length === 0) throw new UsageError('compare.emptySweep', messages.compareEmptySweep(key));
    out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return out;
}

function policyLabel(spec: PolicySpec<HostPolicy>, i: number): string {
  return typeof spec === 'string' ? spec : (typeof spec === 'function' && spec.name) || `policy${i + 1}`;
}

/**
 * Compares host policies on one recording: every policy × swept parameter set × seed is one
 * replay (runs in worker threads; `shard` keeps every N-th), and each row reports the mean and
 * 95 % confidence half-width (Student t over seeds) of the headline metrics. A `params` or
 * `sweep` key scoped to a policy (`budget:budget_w`) reaches that policy's runs only; a scope
 * naming no policy of the comparison is `compare.paramScope`.
 *
 *   options ─(1) plan (policies × params × seeds, shard slice) ─(2) shared inputs (thermal fit, once)
 *           ─(3) runSweep ─(4) save runs, Parquet ─(5) rows of mean ± CI
 */
export async function compare(store: Store, options: CompareOptions): Promise<CompareResult> {
  const seeds = options.seeds ?? defaultSeeds;
  if (!Number.isInteger(seeds) || seeds < 1) throw new UsageError('compare.badSeeds', messages.replayBadNumber('seeds', seeds));
  if (options.policies.length === 0) throw new UsageError('compare.noPolicies', messages.compareNoPolicies());
  const first = options.seed ?? defaultSeed;
  // 1. Plan: each policy takes the parameters and swept keys unscoped or scoped to it or to the guest policy.
  const plan: { row: number; options: ReplayOptions }[] = [];
  const rowKeys: { policy: string; params: Record<string, string> }[] = [];
  const { policies, seeds: _seeds, seed: _seed, sweep = {}, workers, shard, save, parquetDir, onProgress, ...base } = options;
  const guestSpec = base.guestPolicy ?? 'default';
  const guest = scopeTarget('guest', guestSpec, await resolveGuestPolicy(guestSpec));
  const hosts = await Promise.all(policies.map(async (p) => scopeTarget('host', p, await resolveHostPolicy(p))));
  assertParamScopes([...Object.keys(base.params ?? {}), ...Object.keys(sweep)], [...hosts, guest], 'compare.paramScope', 'comparison');
  for (const [i, policy] of policies.entries()) {
    const reaching = [hosts[i]!, guest];
    const params = paramsFor(base.params ?? {}, reaching);
    for (const swept of combinations(paramsFor(sweep, reaching))) {
      const row = rowKeys.push({ policy: policyLabel(policy, i), params: swept }) - 1;
      for (let s = 0; s < seeds; s++) {
        plan.push({ row, options: { ...base, hostPolicy: policy, params: { ...params, ...swept }, seed: first + s, unknownParams: 'ignore' } });
      }
    }
  }
  const mine = plan.filter((_, k) => !shard || k % shard.count === shard.index - 1);
  // 2. Shared inputs (the thermal fit, once), and a dry start of every row's policies: a
  // parameter is meant for some policy of the comparison, so it must be read by at least one
  // (a scoped one by its policy).
  const shared = (await resolveInputs(store, plan[0]!.options)).shared;
  const known = new Set<string>();
  const effective: Readonly<Record<string, string>>[] = [];
  for (const [row] of rowKeys.entries()) {
    const inputs = await resolveInputs(store, plan.find((p) => p.row === row)!.options, shared);
    effective.push(inputs.params);
    for (const key of buildEngine(store, inputs, null).paramsRead) known.add(key);
  }
  for (const params of effective) assertKnownParams(params, [...known].sort());
  // 3. Runs
  const jobs: SweepJob[] = mine.map((p, index) => ({ index, options: p.options, shared }));
  const results = await runSweep(store, jobs, { ...(workers ? { workers } : {}), ...(onProgress ? { onDone: onProgress } : {}) });
  // 4. Results
  if (save ?? true) {
    await store.transaction(async () => {
      for (const r of results) await saveRun(store, runRecord(r), metricRows(r));
    });
  }
  const parquet = parquetDir && (save ?? true) ? await exportRunsParquet(store, results.map((r) => r.summary.run_id), parquetDir) : [];
  // 5. Rows
  const rows = rowKeys.map((key, row) => {
    const runs = results.filter((_, k) => mine[k]!.row === row);
    return { ...key, seeds: runs.map((r) => r.run.seed), runIds: runs.map((r) => r.summary.run_id), metrics: statsOf(runs) };
  }).filter((r) => r.runIds.length > 0);
  return {
    rows, runs: results.length, plannedRuns: plan.length, shard: shard ?? null,
    notes: [...new Set(results.flatMap((r) => r.notes))], parquet,
  };
}

/** Mean and 95 % half-width of each headline metric over `runs`. */
export function statsOf(runs: readonly ReplayResult[]): MetricStats {
  const metrics = runs.map((r) => r.summary.metrics);
  const of = (key: Exclude<keyof ReplayMetrics, 'slowdown'>): MeanCi => meanCi95(metrics.map((m) => m[key]));
  const vms = [...new Set(metrics.flatMap((m) => Object.keys(m.slowdown)))].sort();
  return {
    imbalance_mean_c: of('imbalance_mean_c'),
    imbalance_p95_c: of('imbalance_p95_c'),
    peak_c: of('peak_c'),
    above_limit_core_s: of('above_limit_core_s'),
    energy_j: of('energy_j'),
    migrations: of('migrations'),
    throttled_core_s: of('throttled_core_s'),
    slowdown: Object.fromEntries(vms.map((vm) => [vm, meanCi95(metrics.map((m) => m.slowdown[vm] ?? null))])),
  };
}
