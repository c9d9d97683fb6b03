import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { matchTraces } from '../util/match-traces.js';
import type { TemperatureHeatmapInput } from '../charts/temperature-heatmap.js';
import { listTraces } from './calibration-data.js';
import { streamColumns } from './columns.js';
import type { Store } from './store.js';

/** Temperature scopes a heatmap shows, preferred first: per core, else per logical CPU. */
const heatmapScopes = ['core', 'cpu'] as const;

/**
 * The trace a heatmap reads. `selector` is one SEL of `matchTraces` (id, `1,2`, name,
 * `bundle/name`, bundle name, glob); of several matches, the one holding per-core or per-CPU
 * temperatures (so a bundle name picks its turbostat file). Without a selector, the only trace in
 * the store holding them. A SEL matching nothing is `chart.traceNotFound` with a "did you mean";
 * several candidates are `chart.traceAmbiguous` (naming them) or, without a selector,
 * `chart.pickTrace`; none is `chart.noTemps`. All are UsageErrors.
 */
export async function resolveChartTrace(store: Store, selector?: string): Promise<number> {
  const rows = await store.query(
    'SELECT DISTINCT trace_id FROM temps WHERE scope IN (?, ?) ORDER BY trace_id', [...heatmapScopes]);
  const withTemps = new Set(rows.map((r) => Number(r.trace_id)));
  if (selector === undefined) {
    const ids = [...withTemps];
    if (ids.length === 1) return ids[0]!;
    if (ids.length === 0) throw new UsageError('chart.noTemps', messages.chartStoreNoTemps());
    throw new UsageError('chart.pickTrace', messages.chartPickTrace(ids));
  }
  const matched = matchTraces(await listTraces(store), [selector], (sel, hint) =>
    new UsageError('chart.traceNotFound', messages.chartTraceNotFound(sel), { hint }));
  if (matched.length === 1) return matched[0]!.id;
  const held = matched.filter((t) => withTemps.has(t.id));
  if (held.length === 1) return held[0]!.id;
  if (held.length === 0) throw new UsageError('chart.noTemps', messages.chartSelectionNoTemps(selector, matched.length));
  const named = held.map((t) => `${t.id} ${t.bundle ? `${t.bundle}/` : ''}${t.name}`);
  throw new UsageError('chart.traceAmbiguous', messages.chartTraceAmbiguous(selector, named), {
    hint: messages.hintChartOneTrace(String(held[0]!.id)),
  });
}

/** Reads `(t, entity, celsius)` rows into heatmap columns, chunk by chunk. */
async function readHeatmap(store: Store, sql: string, params: (string | number)[]): Promise<{ t: number[]; core: string[]; celsius: number[] }> {
  const t: number[] = [];
  const core: string[] = [];
  const celsius: number[] = [];
  for await (const chunk of streamColumns(store, sql, params)) {
    const times = chunk.columns.t as Float64Array;
    const entities = chunk.columns.entity as (string | null)[];
    const values = chunk.columns.celsius as Float64Array;
    for (let i = 0; i < chunk.rowCount; i++) {
      t.push(times[i]!);
      core.push(entities[i]!);
      celsius.push(values[i]!);
    }
  }
  return { t, core, celsius };
}

/**
 * Per-core temperatures of one trace as heatmap input (t in s from trace start, °C), read
 * column by column; per-CPU readings when the trace has no per-core ones.
 */
export async function heatmapTemperatures(store: Store, traceId: number): Promise<TemperatureHeatmapInput & { scope: 'core' | 'cpu' }> {
  const counts = await store.query(
    'SELECT scope, count(*) AS n FROM temps WHERE trace_id = ? AND scope IN (?, ?) GROUP BY scope', [traceId, ...heatmapScopes]);
  const scope = heatmapScopes.find((s) => counts.some((c) => c.scope === s));
  if (!scope) throw new UsageError('chart.noTemps', messages.chartNoTemps(String(traceId)));
  // ordered, so the per-cell sums (and so the rounded means) never depend on DuckDB's thread schedule
  const sql = 'SELECT t, entity, celsius FROM temps WHERE trace_id = ? AND scope = ? ORDER BY entity, t, celsius';
  return { ...await readHeatmap(store, sql, [traceId, scope]), scope };
}

/**
 * Per-core temperatures a replay run kept in `replay_series` (`temp_c`, each the reading at the
 * end of its interval, so t = the interval's end, s on the recording's time axis, °C).
 */
export async function runTemperatures(store: Store, runId: string): Promise<TemperatureHeatmapInput & { scope: 'core' }> {
  const sql = `SELECT t1 AS t, entity, value AS celsius FROM replay_series
    WHERE run_id = ? AND metric = 'temp_c' AND value IS NOT NULL ORDER BY entity, t1`;
  const input = await readHeatmap(store, sql, [runId]);
  if (input.t.length === 0) throw new UsageError('chart.noSeries', messages.chartNoSeries(`replay run ${runId}`));
  return { ...input, scope: 'core' };
}

/** What `resolveId` looks for: its name in messages, its error codes, and the "none at all" message. */
interface IdKind {
  name: string;
  codes: { none: string; notFound: string; ambiguous: string };
  none: () => string;
}

/**
 * The id `selector`, or the one id that starts with it (so a printed id may be shortened), from `prefixSql`;
 * without a selector, the first id of `latestSql` (the most recent). Missing or ambiguous
 * choices are UsageErrors naming the candidates.
 */
async function resolveId(store: Store, kind: IdKind, prefixSql: string, latestSql: string, selector: string | undefined): Promise<string> {
  const [latest] = await store.query(latestSql);
  if (!latest) throw new UsageError(kind.codes.none, kind.none());
  if (selector === undefined) return String(latest.id);
  const ids = (await store.query(prefixSql, [selector])).map((r) => String(r.id));
  if (ids.length === 1 || ids.includes(selector)) return ids.length === 1 ? ids[0]! : selector;
  if (ids.length > 1) throw new UsageError(kind.codes.ambiguous, messages.chartIdAmbiguous(kind.name, selector, ids));
  throw new UsageError(kind.codes.notFound, messages.chartIdNotFound(kind.name, selector));
}

const runKind: IdKind = {
  name: 'replay run', none: messages.chartNoRuns, codes: { none: 'chart.noRuns', notFound: 'chart.runNotFound', ambiguous: 'chart.runAmbiguous' },
};
const attributionKind: IdKind = {
  name: 'attribution', none: messages.chartNoAttribution,
  codes: { none: 'chart.noAttribution', notFound: 'chart.attributionNotFound', ambiguous: 'chart.attributionAmbiguous' },
};

/**
 * A replay run id: the one starting with `selector`, or the most recently saved run (runs saved
 * together by one `compare` share their time; the largest id breaks the tie).
 */
export function resolveReplayRun(store: Store, selector?: string): Promise<string> {
  return resolveId(store, runKind,
    'SELECT run_id AS id FROM replay_runs WHERE starts_with(run_id, ?) ORDER BY run_id',
    'SELECT run_id AS id FROM replay_runs ORDER BY created_at DESC, run_id DESC LIMIT 1', selector);
}

/**
 * An attribution id: the one starting with `selector`, or the one written last (`attribution`
 * keeps no time, so the order rows were appended in stands for it).
 */
export function resolveAttribution(store: Store, selector?: string): Promise<string> {
  return resolveId(store, attributionKind,
    'SELECT DISTINCT attribution_id AS id FROM attribution WHERE starts_with(attribution_id, ?) ORDER BY id',
    'SELECT attribution_id AS id FROM attribution GROUP BY attribution_id ORDER BY max(rowid) DESC LIMIT 1', selector);
}
