/**
 * The recording's per-vCPU and host event rates for replay, read window by window (see
 * `WindowOptions`), and the events the replay cannot place.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { streamQueries, type ColumnChunk, type QueryRunner } from './columns.js';
import type { RecordedVm, TraceSelection } from './replay-data.js';
import {
  fixedResidencySource, own, rawBounds, selectionValues, values, vmBases, vmValues, windowsOf, type Values, type WindowOptions,
} from './replay-sql.js';
import type { Store } from './store.js';

/** Each vCPU's sample entity (`<vm>/vcpu<n>`, as `kvmVcpuEntity` spells it) and its slot. */
const entityValues = (vms: readonly RecordedVm[]): Values => {
  const rows: DuckDBValue[][] = [];
  for (const [vm, base] of vmBases(vms)) for (let k = 0; k < vm.vcpus; k++) rows.push([`${vm.name}/vcpu${k}`, base + k]);
  return values('vmap', [['entity', 'VARCHAR'], ['slot', 'INTEGER']], rows);
};

const eventValues = (events: readonly string[]): Values =>
  values('ev', [['event', 'VARCHAR'], ['e', 'INTEGER']], events.map((name, i) => [name, i]));

/** What every windowed read of the event rates shares: fixed relations and the windows. */
interface RatePlan {
  /** `WITH` relations: sel, vmb, vmap, ev, rsel, vsrc, hsrc. */
  head: Values;
  vcpus: number;
  /** Longest per-vCPU sample interval, s (how far past a window its intervals reach). */
  longest: number;
  /** (slot, event) pairs with samples: what can have a first rate. */
  pairs: number;
  windows: { from: number; to: number; sourceRows: number }[];
}

/**
 * The sample rows the rates read, `vrows` (per vCPU, as slot) and `hrows` (the host's own load per
 * CPU): each event from the one trace holding most of its rows (`vsrc`, `hsrc`). `window` adds
 * a placeholder pair [from, to) on the shifted start and one on the raw start, per relation.
 */
function sampleRows(window: boolean): string {
  const w = window ? ' AND x.t0 >= ? AND x.t0 < ? AND x.t0 + sel.shift >= ? AND x.t0 + sel.shift < ?' : '';
  return `vrows AS (
      SELECT vmap.slot, x.t0 + sel.shift AS t0, x.t1 + sel.shift AS t1, ev.e, x.value
      FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event) JOIN vmap USING (entity) JOIN vsrc USING (e, trace_id)
      WHERE x.scope = 'vcpu' AND x.value IS NOT NULL AND x.t1 > x.t0${w}),
    hrows AS (
      SELECT x.cpu, x.t0 + sel.shift AS t0, x.t1 + sel.shift AS t1, ev.e, x.value
      FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event) JOIN hsrc USING (e, trace_id)
      WHERE x.scope = 'host' AND x.entity = 'unattributed' AND x.cpu IS NOT NULL AND x.value IS NOT NULL AND x.t1 > x.t0${w})`;
}

/** Resolves the sources, the longest interval, the pairs and the windows, with small queries on `on`. */
async function planRates(on: QueryRunner, sel: TraceSelection, vms: readonly RecordedVm[], events: readonly string[],
  options: WindowOptions): Promise<RatePlan> {
  const s = selectionValues(sel);
  const m = entityValues(vms);
  const e = eventValues(events);
  const pick = (rows: string) => `SELECT DISTINCT ON (e) e, trace_id FROM (SELECT e, trace_id, count(*) AS n FROM ${rows} GROUP BY ALL)
    ORDER BY e, n DESC, trace_id`;
  const sources = await on.readAll(`WITH ${s.sql}, ${m.sql}, ${e.sql},
    v AS (SELECT x.trace_id, ev.e FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event) JOIN vmap USING (entity)
          WHERE x.scope = 'vcpu' AND x.value IS NOT NULL AND x.t1 > x.t0),
    h AS (SELECT x.trace_id, ev.e FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event)
          WHERE x.scope = 'host' AND x.entity = 'unattributed' AND x.cpu IS NOT NULL AND x.value IS NOT NULL AND x.t1 > x.t0)
    SELECT 0 AS host, * FROM (${pick('v')}) UNION ALL SELECT 1 AS host, * FROM (${pick('h')})`, [...s.params, ...m.params, ...e.params]);
  const src: [DuckDBValue[][], DuckDBValue[][]] = [[], []];
  for (const c of sources) {
    for (let r = 0; r < c.rowCount; r++) {
      src[(c.columns.host as Float64Array)[r]!]!.push([(c.columns.e as Float64Array)[r]!, (c.columns.trace_id as Float64Array)[r]!]);
    }
  }
  const rsel = await fixedResidencySource(on, s);
  const parts = [s, vmValues(vms), m, e, rsel, values('vsrc', [['e', 'INTEGER'], ['trace_id', 'INTEGER']], src[0]),
    values('hsrc', [['e', 'INTEGER'], ['trace_id', 'INTEGER']], src[1])];
  const head = { sql: parts.map((x) => x.sql).join(', '), params: parts.flatMap((x) => x.params) };
  const [stats] = await on.readAll(`WITH ${head.sql}, ${sampleRows(false)}
    SELECT coalesce((SELECT max(t1 - t0) FROM vrows), 0) AS longest,
      (SELECT count(*) FROM (SELECT DISTINCT slot, e FROM vrows)) + (SELECT count(*) FROM (SELECT DISTINCT cpu, e FROM hrows)) AS pairs`,
  head.params);
  const windows = await windowsOf(on, `WITH ${head.sql}, ${sampleRows(false)},
    win AS (SELECT t0 AS t FROM vrows UNION ALL SELECT t0 FROM hrows)`, head.params, options);
  return {
    head, vcpus: vms.reduce((n, vm) => n + vm.vcpus, 0), windows,
    longest: (stats!.columns.longest as Float64Array)[0]!, pairs: (stats!.columns.pairs as Float64Array)[0]!,
  };
}

/**
 * The rates of the sample intervals starting in window [from, to), as relation `rates` (slot, e,
 * t0, rate; see `streamEventRates`), and `runs` (per-vCPU intervals with their running time).
 * Running time comes from a cumulative running-time curve of the residency spans reaching into
 * the window and an ASOF join, so the cost is a sort of the window, not spans × intervals; the
 * curve starts at the window's first span, which leaves its differences unchanged. vCPUs are
 * integer slots throughout (entities matched once against a list), which keeps DuckDB's
 * working memory small.
 */
function windowRates(plan: RatePlan, sel: TraceSelection, from: number, to: number): Values {
  const [rawFrom, rawTo] = rawBounds(sel, from, to);
  const [, spanTo] = rawBounds(sel, from, to + plan.longest);
  return {
    sql: `WITH ${plan.head.sql}, ${sampleRows(true)},
    smp AS (SELECT slot, t0, t1, e, sum(value) AS value FROM vrows GROUP BY ALL),
    spans AS (
      SELECT vmb.base + r.vcpu AS slot, r.t0 + rsel.shift AS a, r.t1 + rsel.shift AS b,
             sum(r.t1 - r.t0) OVER (PARTITION BY r.vm, r.vcpu ORDER BY r.t0 ROWS UNBOUNDED PRECEDING) AS cum
      FROM residency r JOIN rsel USING (trace_id) JOIN vmb USING (vm)
      WHERE r.t1 > r.t0 AND r.t1 > ? AND r.t0 < ?),
    bounds AS (SELECT DISTINCT slot, t0 AS t FROM smp UNION SELECT DISTINCT slot, t1 FROM smp),
    curve AS (
      SELECT bounds.slot, bounds.t, coalesce(spans.cum - greatest(0, spans.b - bounds.t), 0) AS c
      FROM bounds ASOF LEFT JOIN spans ON bounds.slot = spans.slot AND bounds.t >= spans.a),
    runs AS (
      SELECT smp.*, c1.c - c0.c AS running
      FROM smp JOIN curve c0 ON c0.slot = smp.slot AND c0.t = smp.t0
               JOIN curve c1 ON c1.slot = smp.slot AND c1.t = smp.t1),
    rates AS (
      SELECT slot, e, t0, value / running AS rate FROM runs WHERE running > 0
      UNION ALL
      SELECT ?::INTEGER + cpu AS slot, e, t0, sum(value) / (t1 - t0) AS rate FROM hrows GROUP BY cpu, e, t0, t1)`,
    params: [...plan.head.params, rawFrom, rawTo, from, to, rawFrom, rawTo, from, to, rawFrom, spanTo, plan.vcpus],
  };
}

/**
 * Each (slot, event)'s first rate, as rows with `t0` −∞, ordered by slot and event: read window by
 * window (only each window's first rates leave DuckDB) until every pair with samples has one, or
 * the recording ends.
 */
async function firstRates(on: QueryRunner, plan: RatePlan, sel: TraceSelection, events: number): Promise<ColumnChunk> {
  const first = new Map<number, number>();
  for (const w of plan.windows) {
    const q = windowRates(plan, sel, w.from, w.to);
    for (const c of await on.readAll(`${q.sql} SELECT slot, e, arg_min(rate, t0) AS rate FROM rates GROUP BY slot, e`, q.params)) {
      const slot = c.columns.slot as Float64Array;
      const e = c.columns.e as Float64Array;
      const rate = c.columns.rate as Float64Array;
      for (let r = 0; r < c.rowCount; r++) {
        const key = slot[r]! * events + e[r]!;
        if (!first.has(key)) first.set(key, rate[r]!);
      }
    }
    if (first.size >= plan.pairs) break;
  }
  const keys = [...first.keys()].sort((a, b) => a - b);
  return {
    rowCount: keys.length,
    columns: {
      slot: Float64Array.from(keys, (k) => Math.floor(k / events)),
      e: Float64Array.from(keys, (k) => k % events),
      t0: new Float64Array(keys.length).fill(-Infinity),
      rate: Float64Array.from(keys, (k) => first.get(k)!),
    },
  };
}

/**
 * Event rates in time order, as columns `slot`, `e` (index into `events`), `t0` and `rate`:
 * - slot j < vcpus: vCPU j, rate in events per second of running (its count over the sample
 *   interval divided by its running time in it; intervals where it did not run carry no rate,
 *   see `countUnplacedEvents`);
 * - slot vcpus + p: the host's own load on pCPU p (`scope = 'host'`, entity `unattributed`, the
 *   share of per-CPU counts no vCPU ran), rate in events per second of wall time.
 * The first interval of each slot and event comes once more, first, with `t0` −∞, so its rate
 * also covers the time before the first sample. Read in windows of interval start (see
 * `WindowOptions`), so memory is bounded by a window whatever the trace length.
 */
export function streamEventRates(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  events: readonly string[], options: WindowOptions = {}): AsyncGenerator<ColumnChunk> {
  return streamQueries(store, async function* (on) {
    const plan = await planRates(on, sel, vms, events, options);
    yield await firstRates(on, plan, sel, events.length);
    for (const w of plan.windows) {
      options.onWindow?.(w);
      const q = windowRates(plan, sel, w.from, w.to);
      yield { sql: `${q.sql} SELECT slot, e, t0, rate FROM rates ORDER BY t0, slot, e`, params: q.params };
    }
  }, own);
}

/** Counts per event that fell in intervals where their vCPU never ran (so replay cannot place them); window by window. */
export async function countUnplacedEvents(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  events: readonly string[], options: WindowOptions = {}): Promise<Map<string, number>> {
  const lost = new Float64Array(events.length);
  const seen = new Uint8Array(events.length);
  for await (const c of streamQueries(store, async function* (on) {
    const plan = await planRates(on, sel, vms, events, options);
    for (const w of plan.windows) {
      const q = windowRates(plan, sel, w.from, w.to);
      yield { sql: `${q.sql} SELECT e, sum(value) AS lost FROM runs WHERE running <= 0 AND value > 0 GROUP BY e`, params: q.params };
    }
  }, own)) {
    const e = c.columns.e as Float64Array;
    const n = c.columns.lost as Float64Array;
    for (let r = 0; r < c.rowCount; r++) {
      lost[e[r]!]! += n[r]!;
      seen[e[r]!] = 1;
    }
  }
  const out = new Map<string, number>();
  for (let k = 0; k < events.length; k++) if (seen[k]) out.set(events[k]!, lost[k]!);
  return out;
}
