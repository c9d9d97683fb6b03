import { traceTableNames, type TraceTable } from './schema.js';
import type { Store } from './store.js';

/** One trace as `vheat info` shows it. */
export interface TraceInfo {
  id: number;
  name: string;
  bundle: string | null;
  host: string | null;
  hypervisor: string | null;
  format: string;
  startTime: string | null;
  /** Span covered by the trace's rows, s from trace start. */
  t0: number | null;
  t1: number | null;
  rows: Record<TraceTable, number>;
  events: string[];
  /** Measured energy per domain, joules (summed over sockets and intervals). */
  energyJoules: Record<string, number>;
  skippedLines: number;
}

export interface StoreInfo {
  path: string;
  schemaVersion: number;
  traces: TraceInfo[];
  /** Rows per table over all traces. */
  rows: Record<TraceTable, number>;
}

/** Everything `vheat info` reports: traces, hosts, events, spans, rows and energy totals. */
export async function storeInfo(store: Store): Promise<StoreInfo> {
  const traceRows = await store.query(
    `SELECT trace_id, name, bundle, host, hypervisor, format, strftime(start_time, '%Y-%m-%dT%H:%M:%S.%fZ') AS start,
            skipped_lines FROM traces ORDER BY trace_id`);
  const traces = new Map<number, TraceInfo>();
  const emptyRows = (): Record<TraceTable, number> =>
    Object.fromEntries(traceTableNames.map((t) => [t, 0])) as Record<TraceTable, number>;
  for (const r of traceRows) {
    traces.set(Number(r.trace_id), {
      id: Number(r.trace_id),
      name: String(r.name),
      bundle: r.bundle as string | null,
      host: r.host as string | null,
      hypervisor: r.hypervisor as string | null,
      format: String(r.format),
      startTime: r.start as string | null,
      t0: null,
      t1: null,
      rows: emptyRows(),
      events: [],
      energyJoules: {},
      skippedLines: Number(r.skipped_lines),
    });
  }
  const totals = emptyRows();
  const spans: Record<TraceTable, [string, string]> = {
    samples: ['t0', 't1'], energy: ['t0', 't1'], temps: ['t', 't'], residency: ['t0', 't1'], io: ['t0', 't1'],
  };
  for (const table of traceTableNames) {
    const [lo, hi] = spans[table];
    // Table and column names come from the schema constants above, never from input.
    const rows = await store.query(
      `SELECT trace_id, count(*) AS n, min(${lo}) AS lo, max(${hi}) AS hi FROM ${table} GROUP BY trace_id`);
    for (const r of rows) {
      const t = traces.get(Number(r.trace_id));
      if (!t) continue;
      const n = Number(r.n);
      t.rows[table] = n;
      totals[table] += n;
      t.t0 = t.t0 === null ? Number(r.lo) : Math.min(t.t0, Number(r.lo));
      t.t1 = t.t1 === null ? Number(r.hi) : Math.max(t.t1, Number(r.hi));
    }
  }
  for (const r of await store.query('SELECT DISTINCT trace_id, event FROM samples ORDER BY trace_id, event')) {
    traces.get(Number(r.trace_id))?.events.push(String(r.event));
  }
  for (const r of await store.query(
    'SELECT trace_id, domain, sum(joules) AS j FROM energy GROUP BY trace_id, domain ORDER BY trace_id, domain')) {
    const t = traces.get(Number(r.trace_id));
    if (t) t.energyJoules[String(r.domain)] = Number(r.j);
  }
  const version = await store.query('SELECT max(version) AS v FROM schema_version');
  return { path: store.path, schemaVersion: Number(version[0]?.v ?? 0), traces: [...traces.values()], rows: totals };
}
