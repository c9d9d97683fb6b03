import { streamColumns } from './columns.js';
import type { Store } from './store.js';

/**
 * The reads behind `calibrate` and `evaluate`: trace rows, counter series summed to the machine
 * (or per socket), energy per socket, and gauges such as clock frequency, each as typed arrays.
 */

/** One row of `traces`, as calibration needs it. */
export interface TraceRecord {
  id: number;
  name: string;
  bundle: string | null;
  host: string | null;
  format: string;
  contentHash: string;
  /** Absolute start, Unix epoch seconds, when the file carries one. */
  startEpoch: number | null;
  meta: Record<string, unknown>;
}

/** Every trace in the store, by id. */
export async function listTraces(store: Store): Promise<TraceRecord[]> {
  const rows = await store.query(`SELECT trace_id, name, bundle, host, format, content_hash, epoch_us(start_time) / 1e6 AS start_epoch,
    CAST(meta AS VARCHAR) AS meta FROM traces ORDER BY trace_id`);
  return rows.map((r) => ({
    id: Number(r.trace_id), name: String(r.name), bundle: r.bundle as string | null, host: r.host as string | null,
    format: String(r.format), contentHash: String(r.content_hash),
    startEpoch: r.start_epoch === null ? null : Number(r.start_epoch), meta: parseMeta(r.meta as string | null),
  }));
}

function parseMeta(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A time series of intervals `[t0, t1]` (s from trace start) with one value each. For counters
 * and energy the value is a delta (count, J) over the interval; for gauges a level (MHz).
 * `enabled` is the fraction of the interval the counter ran (1 for energy and gauges).
 */
export interface Series {
  t0: Float64Array;
  t1: Float64Array;
  value: Float64Array;
  enabled: Float64Array;
}

/** A series of one event (or energy domain) for one unit: a socket number, or −1 for the whole machine. */
export interface KeyedSeries extends Series {
  key: string;
  unit: number;
}

/** How counters of several CPUs add up: over the machine (`host`) or per socket. */
export interface UnitMapping {
  perSocket: boolean;
  /** cpu → socket, for per-CPU samples in per-socket mode. */
  cpuSocket?: readonly number[];
}

// Hardware scopes that each cover the whole machine once; the coarsest one recorded is used per
// event, so nothing is counted twice. VM, vCPU, thread and cgroup rows are parts of the machine
// and never sum to it; measured rows only, as residency-split writes a derived `host` row that
// is the unattributed remainder, not the machine.
const scopeRank = `CASE scope WHEN 'host' THEN 0 WHEN 'socket' THEN 1 WHEN 'die' THEN 2 WHEN 'core' THEN 3 WHEN 'cpu' THEN 4 END`;

function unitExpression(mapping: UnitMapping): string {
  if (!mapping.perSocket) return '-1';
  return `CASE WHEN scope = 'cpu' THEN list_extract(?::INTEGER[], cpu + 1)
    WHEN scope IN ('socket', 'die', 'core') THEN TRY_CAST(regexp_extract(entity, '^S(\\d+)', 1) AS INTEGER) END`;
}

/**
 * Counter deltas of trace `traceId` per event and unit, summed over the CPUs of the unit. An
 * interval where any CPU's value is NULL (not counted) gets NaN; `enabled` is the smallest
 * fraction among the CPUs. Ordered by event, unit and time.
 */
export async function readCounterSeries(store: Store, traceId: number, mapping: UnitMapping): Promise<KeyedSeries[]> {
  const unit = unitExpression(mapping);
  const sql = `WITH pick AS (
      SELECT event, arg_min(scope, ${scopeRank}) AS scope FROM samples
      WHERE trace_id = ? AND derivation IS NULL AND scope IN ('host', 'socket', 'die', 'core', 'cpu') GROUP BY event)
    SELECT event AS key, coalesce(${unit}, -2) AS unit, t0, t1,
      CASE WHEN count(value) = count(*) THEN sum(value) END AS value,
      min(coalesce(enabled, 1)) AS enabled
    FROM samples JOIN pick USING (event, scope)
    WHERE trace_id = ? AND derivation IS NULL
    GROUP BY ALL ORDER BY key, unit, t0`;
  // Placeholders in text order: the CTE's trace id, the cpu → socket list (per socket), the trace id.
  const params = mapping.perSocket ? [traceId, listParam(mapping.cpuSocket ?? []), traceId] : [traceId, traceId];
  return collect(store, sql, params);
}

function listParam(values: readonly number[]): string {
  return `[${values.join(',')}]`;
}

/** Measured energy of `domain` in trace `traceId` per socket (unit −1 when the source gives no socket), J. */
export async function readEnergySeries(store: Store, traceId: number, domain: string): Promise<KeyedSeries[]> {
  return collect(store, `SELECT domain AS key, coalesce(socket, -1) AS unit, t0, t1, sum(joules) AS value, 1.0 AS enabled
    FROM energy WHERE trace_id = ? AND domain = ? GROUP BY ALL ORDER BY unit, t0`, [traceId, domain]);
}

/** Sockets with energy of `domain` in the traces (−1 stands for "no socket given"). */
export async function energyUnits(store: Store, traceIds: readonly number[], domain: string): Promise<number[]> {
  if (!traceIds.length) return [];
  const rows = await store.query(`SELECT DISTINCT coalesce(socket, -1) AS unit FROM energy
    WHERE domain = ? AND list_contains(?::INTEGER[], trace_id) ORDER BY unit`, [domain, listParam(traceIds)]);
  return rows.map((r) => Number(r.unit));
}

/** Energy domains recorded in the traces. */
export async function energyDomains(store: Store, traceIds: readonly number[]): Promise<string[]> {
  if (!traceIds.length) return [];
  const rows = await store.query(`SELECT DISTINCT domain FROM energy WHERE list_contains(?::INTEGER[], trace_id) ORDER BY domain`,
    [listParam(traceIds)]);
  return rows.map((r) => String(r.domain));
}

/**
 * A gauge event (e.g. `turbostat:Bzy_MHz`) of trace `traceId` averaged over the CPUs of each
 * unit per interval.
 */
export async function readGaugeSeries(store: Store, traceId: number, event: string, mapping: UnitMapping): Promise<KeyedSeries[]> {
  const unit = unitExpression(mapping);
  const sql = `SELECT event AS key, coalesce(${unit}, -2) AS unit, t0, t1, avg(value) AS value, 1.0 AS enabled
    FROM samples WHERE trace_id = ? AND event = ? AND value IS NOT NULL
    GROUP BY ALL ORDER BY unit, t0`;
  const params = mapping.perSocket ? [listParam(mapping.cpuSocket ?? []), traceId, event] : [traceId, event];
  return collect(store, sql, params);
}

/** Events of the traces that have samples, with the traces each appears in. */
export async function eventsOfTraces(store: Store, traceIds: readonly number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!traceIds.length) return out;
  const rows = await store.query(`SELECT event, count(DISTINCT trace_id) AS n FROM samples
    WHERE list_contains(?::INTEGER[], trace_id) GROUP BY event ORDER BY event`, [listParam(traceIds)]);
  for (const r of rows) out.set(String(r.event), Number(r.n));
  return out;
}

/** Streams `sql` (columns key, unit, t0, t1, value, enabled, ordered by key and unit) into series. */
async function collect(store: Store, sql: string, params: (string | number | null)[]): Promise<KeyedSeries[]> {
  const out: KeyedSeries[] = [];
  let cur: { key: string; unit: number; t0: number[]; t1: number[]; value: number[]; enabled: number[] } | null = null;
  const flush = (): void => {
    if (cur) out.push({ key: cur.key, unit: cur.unit, t0: Float64Array.from(cur.t0), t1: Float64Array.from(cur.t1),
      value: Float64Array.from(cur.value), enabled: Float64Array.from(cur.enabled) });
  };
  for await (const chunk of streamColumns(store, sql, params)) {
    const key = chunk.columns.key as (string | null)[];
    const unit = chunk.columns.unit as Float64Array;
    const t0 = chunk.columns.t0 as Float64Array;
    const t1 = chunk.columns.t1 as Float64Array;
    const value = chunk.columns.value as Float64Array;
    const enabled = chunk.columns.enabled as Float64Array;
    for (let i = 0; i < chunk.rowCount; i++) {
      if (!cur || cur.key !== key[i] || cur.unit !== unit[i]) {
        flush();
        cur = { key: String(key[i]), unit: unit[i]!, t0: [], t1: [], value: [], enabled: [] };
      }
      cur.t0.push(t0[i]!);
      cur.t1.push(t1[i]!);
      cur.value.push(value[i]!);
      cur.enabled.push(enabled[i]!);
    }
  }
  flush();
  return out;
}
