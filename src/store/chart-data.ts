import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import type { TemperatureHeatmapInput } from '../charts/temperature-heatmap.js';
import { streamColumns } from './columns.js';
import type { Store } from './store.js';

/** Temperature scopes a heatmap shows, preferred first: per core, else per logical CPU. */
const heatmapScopes = ['core', 'cpu'] as const;

/**
 * The trace a chart reads: `selector` is a trace id or a trace name (`file` or `bundle/file`);
 * without one, the only trace holding per-core or per-CPU temperatures. Unknown, ambiguous or
 * missing choices are UsageErrors naming the candidates.
 */
export async function resolveChartTrace(store: Store, selector?: string): Promise<number> {
  if (selector === undefined) {
    const rows = await store.query(
      'SELECT DISTINCT trace_id FROM temps WHERE scope IN (?, ?) ORDER BY trace_id', [...heatmapScopes]);
    const ids = rows.map((r) => Number(r.trace_id));
    if (ids.length === 1) return ids[0]!;
    if (ids.length === 0) throw new UsageError('chart.noTemps', messages.chartStoreNoTemps());
    throw new UsageError('chart.pickTrace', messages.chartPickTrace(ids));
  }
  const rows = /^\d+$/.test(selector)
    ? await store.query('SELECT trace_id FROM traces WHERE trace_id = ?', [Number(selector)])
    : await store.query(
      "SELECT trace_id FROM traces WHERE name = ? OR coalesce(bundle || '/', '') || name = ? ORDER BY trace_id", [selector, selector]);
  const ids = rows.map((r) => Number(r.trace_id));
  if (ids.length === 1) return ids[0]!;
  if (ids.length > 1) throw new UsageError('chart.traceAmbiguous', messages.chartTraceAmbiguous(selector, ids));
  const names = (await store.query('SELECT name FROM traces ORDER BY trace_id')).map((r) => String(r.name));
  throw new UsageError('chart.traceNotFound', messages.chartTraceNotFound(selector), { hint: suggestSimilar(selector, names) });
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
  const t: number[] = [];
  const core: string[] = [];
  const celsius: number[] = [];
  // ordered, so the per-cell sums (and so the rounded means) never depend on DuckDB's thread schedule
  const sql = 'SELECT t, entity, celsius FROM temps WHERE trace_id = ? AND scope = ? ORDER BY entity, t, celsius';
  for await (const chunk of streamColumns(store, sql, [traceId, scope])) {
    const times = chunk.columns.t as Float64Array;
    const entities = chunk.columns.entity as (string | null)[];
    const values = chunk.columns.celsius as Float64Array;
    for (let i = 0; i < chunk.rowCount; i++) {
      t.push(times[i]!);
      core.push(entities[i]!);
      celsius.push(values[i]!);
    }
  }
  return { t, core, celsius, scope };
}
