/**
 * The recording's per-vCPU and host event rates for replay, read window by window (see
 * `WindowOptions`), and the events the replay cannot place.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { streamQueries, type BoundQuery, type ColumnChunk, type QueryRunner } from './columns.js';
import type { RecordedVm, TraceSelection } from './replay-data.js';
import {
  defaultWindowRows, fixedResidencySource, own, rawBounds, selectionValues, timeWindows, values, vmBases, vmValues, type Values,
  type WindowOptions,
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

/**
 * Resolves the sources, the longest interval, the pairs and the windows from one scan of the
 * sample rows the rates can read, grouped two ways: per kind (vCPU or host), event, trace and
 * slot or CPU (which picks each source, as the trace holding most rows, and counts the pairs and
 * the longest interval), and per kind, event, trace and second of start (the windows' buckets).
 * The result comes as `part` 0: sources (host, e, trace), 1: (pairs, longest), 2: (second, rows).
 */
async function planRates(on: QueryRunner, sel: TraceSelection, vms: readonly RecordedVm[], events: readonly string[],
  options: WindowOptions): Promise<RatePlan> {
  const s = selectionValues(sel);
  const m = entityValues(vms);
  const e = eventValues(events);
  const chunks = await on.readAll(`WITH ${s.sql}, ${m.sql}, ${e.sql},
    x AS (SELECT (x.scope = 'host')::INTEGER AS host, ev.e, x.trace_id, coalesce(vmap.slot, x.cpu) AS unit,
                 floor(x.t0 + sel.shift) AS s, (x.t1 + sel.shift) - (x.t0 + sel.shift) AS len
          FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event) LEFT JOIN vmap USING (entity)
          WHERE x.value IS NOT NULL AND x.t1 > x.t0 AND (x.scope = 'vcpu' AND vmap.slot IS NOT NULL
            OR x.scope = 'host' AND x.entity = 'unattributed' AND x.cpu IS NOT NULL)),
    g AS MATERIALIZED (SELECT grouping(s) AS per_unit, host, e, trace_id, coalesce(unit, s) AS key, count(*) AS n, max(len) AS longest
          FROM x GROUP BY GROUPING SETS ((host, e, trace_id, unit), (host, e, trace_id, s))),
    src AS (SELECT DISTINCT ON (host, e) host, e, trace_id
            FROM (SELECT host, e, trace_id, sum(n) AS n FROM g WHERE per_unit = 1 GROUP BY ALL) ORDER BY host, e, n DESC, trace_id),
    used AS (SELECT g.* FROM g JOIN src USING (host, e, trace_id))
    SELECT 0 AS part, host AS a, e AS b, trace_id AS c FROM src
    UNION ALL SELECT 1, count(*), coalesce(max(longest) FILTER (WHERE host = 0), 0), NULL FROM used WHERE per_unit = 1
    UNION ALL SELECT 2, key, sum(n), NULL FROM used WHERE per_unit = 0 GROUP BY key
    ORDER BY part, a, b`, [...s.params, ...m.params, ...e.params]);
  const src: [DuckDBValue[][], DuckDBValue[][]] = [[], []];
  let pairs = 0;
  let longest = 0;
  const bucketStart: number[] = [];
  const bucketRows: number[] = [];
  for (const chunk of chunks) {
    const [part, a, b, c] = (['part', 'a', 'b', 'c'] as const).map((k) => chunk.columns[k] as Float64Array);
    for (let r = 0; r < chunk.rowCount; r++) {
      if (part![r] === 0) src[a![r]!]!.push([b![r]!, c![r]!]);
      else if (part![r] === 1) [pairs, longest] = [a![r]!, b![r]!];
      else {
        bucketStart.push(a![r]!);
        bucketRows.push(b![r]!);
      }
    }
  }
  const rsel = await fixedResidencySource(on, s);
  const parts = [s, vmValues(vms), m, e, rsel, values('vsrc', [['e', 'INTEGER'], ['trace_id', 'INTEGER']], src[0]),
    values('hsrc', [['e', 'INTEGER'], ['trace_id', 'INTEGER']], src[1])];
  return {
    head: { sql: parts.map((x) => x.sql).join(', '), params: parts.flatMap((x) => x.params) },
    vcpus: vms.reduce((n, vm) => n + vm.vcpus, 0), longest, pairs,
    windows: timeWindows(bucketStart, bucketRows, options.maxRows ?? defaultWindowRows),
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

/** The rates of window `w` in time order (the stream's rows; see `streamEventRates`). */
function windowRows(plan: RatePlan, sel: TraceSelection, w: { from: number; to: number }): BoundQuery {
  const q = windowRates(plan, sel, w.from, w.to);
  return { sql: `${q.sql} SELECT slot, e, t0, rate FROM rates ORDER BY t0, slot, e`, params: q.params };
}

/**
 * Each (slot, event)'s first rate, as rows with `t0` −∞, ordered by slot and event: from the
 * first window's rows `held` (already in time order), then window by window (only each window's
 * first rates leave DuckDB) until every pair with samples has one, or the recording ends.
 */
async function firstRates(on: QueryRunner, plan: RatePlan, sel: TraceSelection, events: number,
  held: readonly ColumnChunk[]): Promise<ColumnChunk> {
  const first = new Map<number, number>();
  const keep = (c: ColumnChunk) => {
    const slot = c.columns.slot as Float64Array;
    const e = c.columns.e as Float64Array;
    const rate = c.columns.rate as Float64Array;
    for (let r = 0; r < c.rowCount; r++) {
      const key = slot[r]! * events + e[r]!;
      if (!first.has(key)) first.set(key, rate[r]!);
    }
  };
  held.forEach(keep);
  for (const w of plan.windows.slice(1)) {
    if (first.size >= plan.pairs) break;
    const q = windowRates(plan, sel, w.from, w.to);
    (await on.readAll(`${q.sql} SELECT slot, e, arg_min(rate, t0) AS rate FROM rates GROUP BY slot, e`, q.params)).forEach(keep);
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
 * `WindowOptions`), so memory is bounded by a window whatever the trace length; the first
 * window is read once and held, as the first rates mostly come from it.
 */
export function streamEventRates(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  events: readonly string[], options: WindowOptions = {}): AsyncGenerator<ColumnChunk> {
  return streamQueries(store, async function* (on) {
    const plan = await planRates(on, sel, vms, events, options);
    const [head, ...rest] = plan.windows;
    const q = windowRows(plan, sel, head!);
    const held = await on.readAll(q.sql, q.params);
    yield await firstRates(on, plan, sel, events.length, held);
    options.onWindow?.(head!);
    yield* held;
    for (const w of rest) {
      options.onWindow?.(w);
      yield windowRows(plan, sel, w);
    }
  }, own);
}

/**
 * Source rows per window of `countUnplacedEvents` (default): its windows only aggregate (no
 * sorted rows to hand over), so they can be larger than a stream's, which saves the fixed cost
 * of each window's window-function and ASOF operators.
 */
const countWindowRows = 8 * defaultWindowRows;

/**
 * Counts per event of the vCPU samples whose interval no residency span of their vCPU overlaps
 * (so replay cannot place them), window by window (`maxRows` defaults to `countWindowRows`): an
 * ASOF join finds the last span starting before the interval ends, and the interval is idle
 * unless some span up to that one (their running latest end, `reach`) ends after the interval
 * starts. The spans are those `windowRates` reads, so these are its intervals with no running time.
 */
export async function countUnplacedEvents(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  events: readonly string[], options: WindowOptions = {}): Promise<Map<string, number>> {
  const lost = new Float64Array(events.length);
  const seen = new Uint8Array(events.length);
  for await (const c of streamQueries(store, async function* (on) {
    const plan = await planRates(on, sel, vms, events, { ...options, maxRows: options.maxRows ?? countWindowRows });
    for (const w of plan.windows) {
      const [rawFrom, rawTo] = rawBounds(sel, w.from, w.to);
      const [, spanTo] = rawBounds(sel, w.from, w.to + plan.longest);
      yield {
        sql: `WITH ${plan.head.sql}, ${sampleRows(true)},
          spans AS (
            SELECT vmb.base + r.vcpu AS slot, r.t0 + rsel.shift AS a,
                   max(r.t1 + rsel.shift) OVER (PARTITION BY vmb.base + r.vcpu ORDER BY r.t0 + rsel.shift) AS reach
            FROM residency r JOIN rsel USING (trace_id) JOIN vmb USING (vm)
            WHERE r.t1 > r.t0 AND r.t1 > ? AND r.t0 < ?),
          ivl AS (SELECT DISTINCT slot, t0, t1 FROM vrows),
          idle AS (SELECT ivl.* FROM ivl ASOF LEFT JOIN spans ON ivl.slot = spans.slot AND ivl.t1 > spans.a
                   WHERE coalesce(spans.reach <= ivl.t0, true))
        SELECT e, sum(value) AS lost
        FROM (SELECT slot, t0, t1, e, sum(value) AS value FROM vrows SEMI JOIN idle USING (slot, t0, t1) GROUP BY ALL)
        WHERE value > 0 GROUP BY e`,
        params: [...plan.head.params, rawFrom, rawTo, w.from, w.to, rawFrom, rawTo, w.from, w.to, rawFrom, spanTo],
      };
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
