import { streamColumns } from './columns.js';
import type { Store } from './store.js';

/**
 * The reads and writes behind `attribute`: rows of one kind of series as columns (times in s
 * from their trace's start, shifted by the caller), and the `attribution` /
 * `attribution_budgets` results.
 */

/** Rows of intervals with a key, a sub-key and a value: counts, J, seconds or ops. */
export interface KeyedRows {
  traceId: Int32Array;
  t0: Float64Array;
  t1: Float64Array;
  key: string[];
  sub: string[];
  value: Float64Array;
}

const ph = (n: number): string => `(${Array.from({ length: n }, () => '?').join(', ')})`;

async function readKeyed(store: Store, sql: string, params: (string | number)[]): Promise<KeyedRows> {
  const parts: { traceId: Float64Array; t0: Float64Array; t1: Float64Array; key: (string | null)[]; sub: (string | null)[]; value: Float64Array }[] = [];
  for await (const c of streamColumns(store, sql, params)) {
    parts.push({ traceId: c.columns.trace_id as Float64Array, t0: c.columns.t0 as Float64Array, t1: c.columns.t1 as Float64Array,
      key: c.columns.k as (string | null)[], sub: c.columns.s as (string | null)[], value: c.columns.v as Float64Array });
  }
  const n = parts.reduce((a, p) => a + p.t0.length, 0);
  const out: KeyedRows = { traceId: new Int32Array(n), t0: new Float64Array(n), t1: new Float64Array(n), key: [], sub: [],
    value: new Float64Array(n) };
  let i = 0;
  for (const p of parts) {
    out.traceId.set(p.traceId, i);
    out.t0.set(p.t0, i);
    out.t1.set(p.t1, i);
    out.value.set(p.value, i);
    for (let k = 0; k < p.t0.length; k++) {
      out.key.push(p.key[k] ?? '');
      out.sub.push(p.sub[k] ?? '');
    }
    i += p.t0.length;
  }
  return out;
}

/** Energy of `domain` in trace `traceId`, summed over sockets per interval: key = domain, value J. */
export function readEnergy(store: Store, traceId: number, domain: string): Promise<KeyedRows> {
  return readKeyed(store, `SELECT trace_id, t0, t1, domain AS k, '' AS s, sum(joules) AS v FROM energy
    WHERE trace_id = ? AND domain = ? AND t1 > t0 GROUP BY trace_id, t0, t1, domain ORDER BY t0`, [traceId, domain]);
}

/** Which traces hold energy of `domain`, with their row counts (most first). */
export async function energyTraces(store: Store, traceIds: readonly number[], domain: string): Promise<{ id: number; rows: number }[]> {
  const rows = await store.query(`SELECT trace_id, count(*) AS n FROM energy WHERE trace_id IN ${ph(traceIds.length)} AND domain = ?
    GROUP BY trace_id ORDER BY n DESC, trace_id`, [...traceIds, domain]);
  return rows.map((r) => ({ id: Number(r.trace_id), rows: Number(r.n) }));
}

/** Derived per-VM series present in `traceIds`: derivation → trace → its events. */
export async function vmDerivations(store: Store, traceIds: readonly number[]): Promise<{ derivation: string; traceId: number; events: string[] }[]> {
  const rows = await store.query(`SELECT derivation, trace_id, list(DISTINCT event ORDER BY event) AS events FROM samples
    WHERE trace_id IN ${ph(traceIds.length)} AND scope = 'vm' AND derivation IS NOT NULL GROUP BY ALL ORDER BY ALL`, [...traceIds]);
  return rows.map((r) => ({ derivation: String(r.derivation), traceId: Number(r.trace_id), events: String(r.events).split(',') }));
}

/** Derived rows of `scope` (`vm` | `vcpu`) and `derivation` in trace `traceId`: key entity, sub event, value count. */
export function readDerived(store: Store, traceId: number, scope: 'vm' | 'vcpu', derivation: string, events: readonly string[]): Promise<KeyedRows> {
  return readKeyed(store, `SELECT trace_id, t0, t1, entity AS k, event AS s, sum(value) AS v FROM samples
    WHERE trace_id = ? AND scope = ? AND derivation = ? AND event IN ${ph(events.length)} AND value IS NOT NULL AND t1 > t0
    GROUP BY ALL ORDER BY t0`, [traceId, scope, derivation, ...events]);
}

/** Traces of `traceIds` with measured per-CPU rows of all `events`, with the number of CPUs (most rows first). */
export async function perCpuTraces(store: Store, traceIds: readonly number[], events: readonly string[]): Promise<{ id: number; cpus: number }[]> {
  const rows = await store.query(`SELECT trace_id, count(DISTINCT cpu) AS cpus, count(*) AS n FROM samples
    WHERE trace_id IN ${ph(traceIds.length)} AND scope = 'cpu' AND derivation IS NULL AND cpu IS NOT NULL AND event IN ${ph(events.length)}
    GROUP BY trace_id HAVING count(DISTINCT event) = ? ORDER BY n DESC, trace_id`, [...traceIds, ...events, events.length]);
  return rows.map((r) => ({ id: Number(r.trace_id), cpus: Number(r.cpus) }));
}

/** Measured per-CPU rows of `events` in trace `traceId`: key the CPU, sub event, value count. */
export function readPerCpuTotals(store: Store, traceId: number, events: readonly string[]): Promise<KeyedRows> {
  return readKeyed(store, `SELECT trace_id, t0, t1, CAST(cpu AS VARCHAR) AS k, event AS s, sum(value) AS v FROM samples
    WHERE trace_id = ? AND scope = 'cpu' AND derivation IS NULL AND cpu IS NOT NULL AND event IN ${ph(events.length)}
      AND value IS NOT NULL AND t1 > t0 GROUP BY ALL ORDER BY t0`, [traceId, ...events]);
}

/** A per-CPU gauge (MHz) from any of `traceIds`: key the CPU, value the level. */
export function readGauge(store: Store, traceIds: readonly number[], event: string): Promise<KeyedRows> {
  return readKeyed(store, `SELECT trace_id, t0, t1, CAST(cpu AS VARCHAR) AS k, '' AS s, avg(value) AS v FROM samples
    WHERE trace_id IN ${ph(traceIds.length)} AND scope = 'cpu' AND cpu IS NOT NULL AND event = ? AND value IS NOT NULL AND t1 > t0
    GROUP BY ALL ORDER BY trace_id, t0`, [...traceIds, event]);
}

/** Residency spans of the trace of `traceIds` with the most spans: key VM, sub `<vcpu>:<pcpu>`, value s. */
export async function readResidency(store: Store, traceIds: readonly number[]): Promise<KeyedRows> {
  const [best] = await store.query(`SELECT trace_id FROM residency WHERE trace_id IN ${ph(traceIds.length)}
    GROUP BY trace_id ORDER BY count(*) DESC, trace_id LIMIT 1`, [...traceIds]);
  const id = best ? Number(best.trace_id) : -1;
  return readKeyed(store, `SELECT trace_id, t0, t1, vm AS k, vcpu || ':' || pcpu AS s, t1 - t0 AS v FROM residency
    WHERE trace_id = ? AND t1 > t0 ORDER BY t0`, [id]);
}

/**
 * I/O rows of the trace of `traceIds` with the most rows per kind family: key VM, sub kind, value
 * ops (NULL ops → the span length in s, as for the on-CPU spans of QEMU I/O threads).
 */
export async function readIo(store: Store, traceIds: readonly number[]): Promise<KeyedRows> {
  // several renderings of one recording (perf script, trace-cmd) describe the same spans: read one per kind
  // (the one with most rows; ties to the lowest trace id, so the choice does not vary between runs)
  return readKeyed(store, `WITH pick AS (SELECT DISTINCT ON (kind) kind, trace_id FROM (SELECT kind, trace_id, count(*) AS n FROM io
      WHERE trace_id IN ${ph(traceIds.length)} GROUP BY ALL) ORDER BY kind, n DESC, trace_id)
    SELECT trace_id, t0, t1, vm AS k, kind AS s, coalesce(ops, t1 - t0) AS v FROM io JOIN pick USING (trace_id, kind)
    WHERE t1 > t0 ORDER BY t0`, [...traceIds]);
}

/** One row of `attribution` (see schema.ts). */
export interface AttributionRow {
  t0: number;
  t1: number;
  role: string;
  vm: string | null;
  vcpu: string | null;
  domain: string;
  joules: number;
  ioJoules: number;
  idleJoules: number;
  method: string;
}

/** One row of `attribution_budgets` (see schema.ts). */
export interface BudgetRow {
  t0: number;
  t1: number;
  vm: string;
  pcpu: number;
  joules: number;
  budgetJoules: number;
}

/** Replaces the rows of attribution `id` (same inputs, same id) with `rows` and `budgets`. */
export async function writeAttribution(store: Store, id: string, traceId: number, rows: Iterable<AttributionRow>,
  budgets: Iterable<BudgetRow>): Promise<void> {
  await store.transaction(async () => {
    await store.run('DELETE FROM attribution WHERE attribution_id = ?', [id]);
    await store.run('DELETE FROM attribution_budgets WHERE attribution_id = ?', [id]);
    const a = await store.appender('attribution');
    for (const r of rows) {
      a.appendVarchar(id);
      a.appendInteger(traceId);
      a.appendDouble(r.t0);
      a.appendDouble(r.t1);
      a.appendVarchar(r.role);
      if (r.vm === null) a.appendNull(); else a.appendVarchar(r.vm);
      if (r.vcpu === null) a.appendNull(); else a.appendVarchar(r.vcpu);
      a.appendVarchar(r.domain);
      a.appendDouble(r.joules);
      a.appendDouble(r.ioJoules);
      a.appendDouble(r.idleJoules);
      a.appendVarchar(r.method);
      a.endRow();
    }
    a.closeSync();
    const b = await store.appender('attribution_budgets');
    for (const r of budgets) {
      b.appendVarchar(id);
      b.appendInteger(traceId);
      b.appendDouble(r.t0);
      b.appendDouble(r.t1);
      b.appendVarchar(r.vm);
      b.appendInteger(r.pcpu);
      b.appendDouble(r.joules);
      b.appendDouble(r.budgetJoules);
      b.endRow();
    }
    b.closeSync();
  });
}
