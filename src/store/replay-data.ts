import type { DuckDBValue } from '@duckdb/node-api';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import { streamColumns, type ColumnChunk } from './columns.js';
import type { Store } from './store.js';

/**
 * The recording a replay reads: its traces, and each trace's clock shift (s) onto the
 * recording's common time axis (the earliest `start_time` is 0; a trace without one is not shifted).
 */
export interface TraceSelection {
  /** The selector as given (`--trace`). */
  label: string;
  traceIds: number[];
  shifts: number[];
  /** sha256 of each trace's file, in `traceIds` order (identifies the inputs of a run). */
  contentHashes: string[];
}

/** One VM of the recording with its vCPU count (highest vCPU number seen + 1). */
export interface RecordedVm {
  name: string;
  vcpus: number;
}

/** What the recording says about the host and its VMs. Times on the common axis, s. */
export interface RecordedLayout {
  vms: RecordedVm[];
  /** First pCPU each vCPU ran on (vCPUs numbered over all VMs in VM order), −1 if never. */
  firstPcpu: Int32Array;
  /** Highest pCPU number seen in residency or per-CPU samples, + 1. */
  pcpus: number;
  /** Highest socket of RAPL package energy + 1 (0 when none). */
  sockets: number;
  /** Core-temperature entities (`S<p>-C<c>`). */
  coreEntities: string[];
  /** CPU → core entity, from core-scope samples that name their CPU. */
  cpuCores: Map<number, string>;
  /** Span of the residency rows. */
  t0: number;
  t1: number;
  /** Event names of per-vCPU samples (`scope = 'vcpu'`, entity `<vm>/vcpu<n>`). */
  vcpuEvents: string[];
}

/** A `VALUES` list bound as parameters, joined into queries as a named relation. */
interface Values {
  sql: string;
  params: DuckDBValue[];
}

function values(name: string, columns: readonly [string, string][], rows: readonly DuckDBValue[][]): Values {
  // An empty list still needs one typed row to define the columns; WHERE false drops it.
  const row = `(${columns.map(([, type]) => `?::${type}`).join(', ')})`;
  const body = rows.length ? rows.map(() => row).join(', ') : row;
  const params = rows.length ? rows.flat() : columns.map(() => null);
  return {
    sql: `${name} AS (SELECT * FROM (VALUES ${body}) AS v(${columns.map(([c]) => c).join(', ')})${rows.length ? '' : ' WHERE false'})`,
    params,
  };
}

/** Replay reads several streams in step, so each gets its own connection. */
const own = { ownConnection: true };

const selectionValues = (sel: TraceSelection): Values =>
  values('sel', [['trace_id', 'INTEGER'], ['shift', 'DOUBLE']], sel.traceIds.map((id, i) => [id, sel.shifts[i]!]));

/** Each VM with the slot of its vCPU 0 (vCPUs numbered over all VMs in VM order). */
function vmBases(vms: readonly RecordedVm[]): [RecordedVm, number][] {
  let base = 0;
  return vms.map((vm) => {
    const at = base;
    base += vm.vcpus;
    return [vm, at];
  });
}

const vmValues = (vms: readonly RecordedVm[]): Values =>
  values('vmb', [['vm', 'VARCHAR'], ['base', 'INTEGER']], vmBases(vms).map(([vm, base]) => [vm.name, base]));

/**
 * The residency trace of the selection: the one with most spans (several sched_switch files of
 * one recording describe the same spans; reading two would count every span twice).
 */
const residencySource = `rsel AS (SELECT trace_id, shift FROM residency JOIN sel USING (trace_id)
  GROUP BY trace_id, shift ORDER BY count(*) DESC, trace_id LIMIT 1)`;

/**
 * Resolves `--trace`: a trace id, a comma-separated list of ids, a bundle name (all its
 * traces) or a trace (file) name. Throws `UsageError` with a "did you mean" when nothing matches.
 */
export async function selectTraces(store: Store, selector: string): Promise<TraceSelection> {
  const text = selector.trim();
  let rows;
  if (/^\d+(\s*,\s*\d+)*$/.test(text)) {
    const ids = text.split(',').map((s) => Number(s.trim()));
    rows = await store.query(
      `SELECT trace_id, content_hash, epoch_us(start_time) AS start_us FROM traces
       WHERE list_contains(?::INTEGER[], trace_id) ORDER BY trace_id`, [`[${ids.join(',')}]`]);
    if (rows.length !== new Set(ids).size) {
      const found = new Set(rows.map((r) => Number(r.trace_id)));
      throw new UsageError('replay.noTrace', messages.replayNoTrace(String(ids.find((id) => !found.has(id)))));
    }
  } else {
    rows = await store.query(
      `SELECT trace_id, content_hash, epoch_us(start_time) AS start_us FROM traces
       WHERE bundle = ? OR (name = ? AND NOT EXISTS (SELECT 1 FROM traces WHERE bundle = ?)) ORDER BY trace_id`,
      [text, text, text]);
    const bundles = await store.query('SELECT count(*) AS n FROM traces WHERE bundle = ?', [text]);
    if (Number(bundles[0]!.n) === 0 && rows.length > 1) {
      throw new UsageError('replay.ambiguousTrace', messages.replayAmbiguousTrace(text, rows.map((r) => Number(r.trace_id))));
    }
    if (rows.length === 0) {
      const known = (await store.query(
        'SELECT DISTINCT bundle AS n FROM traces WHERE bundle IS NOT NULL UNION SELECT DISTINCT name FROM traces'))
        .map((r) => String(r.n));
      throw new UsageError('replay.noTrace', messages.replayNoTrace(text), { hint: suggestSimilar(text, known) });
    }
  }
  const starts = rows.map((r) => (r.start_us === null ? null : Number(r.start_us) / 1e6));
  const anchored = starts.filter((s): s is number => s !== null);
  const origin = anchored.length ? Math.min(...anchored) : 0;
  return {
    label: text,
    traceIds: rows.map((r) => Number(r.trace_id)),
    shifts: starts.map((s) => (s === null ? 0 : s - origin)),
    contentHashes: rows.map((r) => String(r.content_hash)),
  };
}

/** The VMs, vCPUs, pCPUs, sockets, cores, span and per-vCPU events of a recording. */
export async function readRecordedLayout(store: Store, sel: TraceSelection): Promise<RecordedLayout> {
  const s = selectionValues(sel);
  const q = (body: string, params: DuckDBValue[] = []) =>
    store.query(`WITH ${s.sql}, ${residencySource} ${body}`, [...s.params, ...params]);
  const vms = (await q(`SELECT vm, max(vcpu) + 1 AS n FROM residency JOIN rsel USING (trace_id)
    WHERE vcpu >= 0 GROUP BY vm ORDER BY vm`)).map((r) => ({ name: String(r.vm), vcpus: Number(r.n) }));
  const firstPcpu = new Int32Array(vms.reduce((n, vm) => n + vm.vcpus, 0)).fill(-1);
  const base = new Map<string, number>();
  vms.reduce((at, vm) => (base.set(vm.name, at), at + vm.vcpus), 0);
  for (const r of await q(`SELECT vm, vcpu, arg_min(pcpu, t0) AS pcpu FROM residency JOIN rsel USING (trace_id)
    WHERE vcpu >= 0 GROUP BY vm, vcpu`)) {
    firstPcpu[base.get(String(r.vm))! + Number(r.vcpu)] = Number(r.pcpu);
  }
  const [span] = await q(`SELECT min(t0 + shift) AS t0, max(t1 + shift) AS t1, max(pcpu) AS rp,
    (SELECT max(cpu) FROM samples JOIN sel USING (trace_id) WHERE cpu IS NOT NULL) AS sp,
    (SELECT max(socket) FROM energy JOIN sel USING (trace_id)) AS sk
    FROM residency JOIN rsel USING (trace_id)`);
  const coreEntities = (await q(`SELECT DISTINCT entity FROM temps JOIN sel USING (trace_id)
    WHERE scope = 'core' ORDER BY entity`)).map((r) => String(r.entity));
  const cpuCores = new Map<number, string>();
  for (const r of await q(`SELECT DISTINCT cpu, entity FROM samples JOIN sel USING (trace_id)
    WHERE scope = 'core' AND cpu IS NOT NULL ORDER BY cpu, entity`)) {
    if (!cpuCores.has(Number(r.cpu))) cpuCores.set(Number(r.cpu), String(r.entity));
  }
  const vcpuEvents = (await q(`SELECT DISTINCT event FROM samples JOIN sel USING (trace_id)
    WHERE scope = 'vcpu' AND value IS NOT NULL AND regexp_matches(entity, '/vcpu[0-9]+$') ORDER BY event`)).map((r) => String(r.event));
  const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
  return {
    vms,
    firstPcpu,
    pcpus: Math.max(-1, ...[num(span?.rp), num(span?.sp)].filter((x) => !Number.isNaN(x))) + 1,
    sockets: Number.isNaN(num(span?.sk)) ? 0 : num(span?.sk) + 1,
    coreEntities,
    cpuCores,
    t0: num(span?.t0),
    t1: num(span?.t1),
    vcpuEvents,
  };
}

/**
 * Residency spans in time order as columns `j` (vCPU index over all VMs), `pcpu`, `t0`, `t1`
 * (s on the common axis), ≤ 2,048 rows per chunk.
 */
export function streamResidency(store: Store, sel: TraceSelection, vms: readonly RecordedVm[]): AsyncGenerator<ColumnChunk> {
  const s = selectionValues(sel);
  const v = vmValues(vms);
  return streamColumns(store, `WITH ${s.sql}, ${v.sql}, ${residencySource}
    SELECT vmb.base + r.vcpu AS j, r.pcpu, r.t0 + rsel.shift AS t0, r.t1 + rsel.shift AS t1
    FROM residency r JOIN rsel USING (trace_id) JOIN vmb USING (vm)
    WHERE r.t1 > r.t0 AND r.vcpu >= 0
    ORDER BY t0, j`, [...s.params, ...v.params], own);
}

/** Each vCPU's sample entity (`<vm>/vcpu<n>`, as `kvmVcpuEntity` spells it) and its slot. */
const entityValues = (vms: readonly RecordedVm[]): Values => {
  const rows: DuckDBValue[][] = [];
  for (const [vm, base] of vmBases(vms)) for (let k = 0; k < vm.vcpus; k++) rows.push([`${vm.name}/vcpu${k}`, base + k]);
  return values('vmap', [['entity', 'VARCHAR'], ['slot', 'INTEGER']], rows);
};

/**
 * Per-vCPU sample intervals of the model's events (summed over the rows of one interval, e.g.
 * one per CPU for residency-split rows), each event from the one trace holding most of its
 * rows, with the vCPU's running time in the interval: from a cumulative running-time curve of
 * the residency spans and an ASOF join, so the cost is a sort, not spans × intervals. vCPUs are
 * integer slots throughout (entities matched once against a list), which keeps DuckDB's working
 * memory small.
 */
function ratesBody(): string {
  return `${residencySource},
    vrows AS (
      SELECT x.trace_id, vmap.slot, x.t0 + sel.shift AS t0, x.t1 + sel.shift AS t1, ev.e, x.value
      FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event) JOIN vmap USING (entity)
      WHERE x.scope = 'vcpu' AND x.value IS NOT NULL AND x.t1 > x.t0),
    vsrc AS (SELECT DISTINCT ON (e) e, trace_id FROM (SELECT e, trace_id, count(*) AS n FROM vrows GROUP BY ALL)
             ORDER BY e, n DESC, trace_id),
    smp AS (SELECT slot, t0, t1, e, sum(value) AS value FROM vrows JOIN vsrc USING (e, trace_id) GROUP BY ALL),
    spans AS (
      SELECT vmb.base + r.vcpu AS slot, r.t0 + rsel.shift AS a, r.t1 + rsel.shift AS b,
             sum(r.t1 - r.t0) OVER (PARTITION BY r.vm, r.vcpu ORDER BY r.t0 ROWS UNBOUNDED PRECEDING) AS cum
      FROM residency r JOIN rsel USING (trace_id) JOIN vmb USING (vm) WHERE r.t1 > r.t0),
    bounds AS (SELECT DISTINCT slot, t0 AS t FROM smp UNION SELECT DISTINCT slot, t1 FROM smp),
    curve AS (
      SELECT bounds.slot, bounds.t, coalesce(spans.cum - greatest(0, spans.b - bounds.t), 0) AS c
      FROM bounds ASOF LEFT JOIN spans ON bounds.slot = spans.slot AND bounds.t >= spans.a),
    runs AS (
      SELECT smp.*, c1.c - c0.c AS running
      FROM smp JOIN curve c0 ON c0.slot = smp.slot AND c0.t = smp.t0
               JOIN curve c1 ON c1.slot = smp.slot AND c1.t = smp.t1)`;
}

const eventValues = (events: readonly string[]): Values =>
  values('ev', [['event', 'VARCHAR'], ['e', 'INTEGER']], events.map((name, i) => [name, i]));

/**
 * Event rates in time order, as columns `slot`, `e` (index into `events`), `t0` and `rate`:
 * - slot j < vcpus: vCPU j, rate in events per second of running (its count over the sample
 *   interval divided by its running time in it; intervals where it did not run carry no rate,
 *   see `countUnplacedEvents`);
 * - slot vcpus + p: the host's own load on pCPU p (`scope = 'host'`, entity `unattributed`, the
 *   share of per-CPU counts no vCPU ran), rate in events per second of wall time.
 * The first interval of each slot and event comes once more with `t0` −∞, so its rate also
 * covers the time before the first sample.
 */
export function streamEventRates(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  events: readonly string[]): AsyncGenerator<ColumnChunk> {
  const s = selectionValues(sel);
  const v = vmValues(vms);
  const m = entityValues(vms);
  const e = eventValues(events);
  const vcpus = vms.reduce((n, vm) => n + vm.vcpus, 0);
  return streamColumns(store, `WITH ${s.sql}, ${v.sql}, ${m.sql}, ${e.sql}, ${ratesBody()},
    hrows AS (
      SELECT x.trace_id, x.cpu, x.t0 + sel.shift AS t0, x.t1 + sel.shift AS t1, ev.e, x.value
      FROM samples x JOIN sel USING (trace_id) JOIN ev USING (event)
      WHERE x.scope = 'host' AND x.entity = 'unattributed' AND x.cpu IS NOT NULL AND x.value IS NOT NULL AND x.t1 > x.t0),
    hsrc AS (SELECT DISTINCT ON (e) e, trace_id FROM (SELECT e, trace_id, count(*) AS n FROM hrows GROUP BY ALL)
             ORDER BY e, n DESC, trace_id),
    rates AS (
      SELECT slot, e, t0, value / running AS rate FROM runs WHERE running > 0
      UNION ALL
      SELECT ?::INTEGER + cpu AS slot, e, t0, sum(value) / (t1 - t0) AS rate
      FROM hrows JOIN hsrc USING (e, trace_id) GROUP BY cpu, e, t0, t1)
    SELECT slot, e, t0, rate FROM rates
    UNION ALL
    SELECT slot, e, '-Infinity'::DOUBLE AS t0, arg_min(rate, t0) AS rate FROM rates GROUP BY slot, e
    ORDER BY t0, slot, e`, [...s.params, ...v.params, ...m.params, ...e.params, vcpus], own);
}

/** The traces of the selection holding energy or temperatures: what a thermal fit reads. */
export async function thermalTraceIds(store: Store, sel: TraceSelection): Promise<number[]> {
  const s = selectionValues(sel);
  return (await store.query(`WITH ${s.sql}
    SELECT DISTINCT trace_id FROM (SELECT trace_id FROM energy UNION ALL SELECT trace_id FROM temps) JOIN sel USING (trace_id)
    ORDER BY trace_id`, s.params)).map((r) => Number(r.trace_id));
}

/** Counts per event that fell in intervals where their vCPU never ran (so replay cannot place them). */
export async function countUnplacedEvents(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  events: readonly string[]): Promise<Map<string, number>> {
  const s = selectionValues(sel);
  const v = vmValues(vms);
  const m = entityValues(vms);
  const e = eventValues(events);
  const rows = await store.query(`WITH ${s.sql}, ${v.sql}, ${m.sql}, ${e.sql}, ${ratesBody()}
    SELECT e, sum(value) AS lost FROM runs WHERE running <= 0 AND value > 0 GROUP BY e ORDER BY e`,
  [...s.params, ...v.params, ...m.params, ...e.params]);
  return new Map(rows.map((r) => [events[Number(r.e)]!, Number(r.lost)]));
}

/**
 * Recorded RAPL energy of `domain` in time order: columns `t0`, `t1` (s), `socket` (−1 when
 * the source sums all sockets), `joules`. Of several sources the one with most intervals is
 * used, so no interval is counted twice.
 */
export function streamRecordedEnergy(store: Store, sel: TraceSelection, domain: string): AsyncGenerator<ColumnChunk> {
  const s = selectionValues(sel);
  return streamColumns(store, `WITH ${s.sql},
    best AS (SELECT trace_id FROM energy JOIN sel USING (trace_id) WHERE domain = ?
             GROUP BY trace_id ORDER BY count(*) DESC, trace_id LIMIT 1)
    SELECT x.t0 + sel.shift AS t0, x.t1 + sel.shift AS t1, coalesce(x.socket, -1) AS socket, x.joules
    FROM energy x JOIN sel USING (trace_id) JOIN best USING (trace_id)
    WHERE x.domain = ? ORDER BY t0, socket`, [...s.params, domain, domain], own);
}

/**
 * Recorded core temperatures in time order: columns `t` (s), `entity` (`S<p>-C<c>`),
 * `celsius`; from the one trace holding most of them.
 */
export function streamRecordedTemps(store: Store, sel: TraceSelection): AsyncGenerator<ColumnChunk> {
  const s = selectionValues(sel);
  return streamColumns(store, `WITH ${s.sql},
    best AS (SELECT trace_id FROM temps JOIN sel USING (trace_id) WHERE scope = 'core'
             GROUP BY trace_id ORDER BY count(*) DESC, trace_id LIMIT 1)
    SELECT x.t + sel.shift AS t, x.entity, x.celsius FROM temps x JOIN sel USING (trace_id) JOIN best USING (trace_id)
    WHERE x.scope = 'core' ORDER BY t, entity`, s.params, own);
}
