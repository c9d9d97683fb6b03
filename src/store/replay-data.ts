import type { DuckDBValue } from '@duckdb/node-api';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { streamColumns, streamQueries, type ColumnChunk } from './columns.js';
import { readCpuCores } from './cpu-cores.js';
import {
  fixedResidencySource, own, rawBounds, residencySource, selectionValues, vmBases, vmValues, windowsOf, type WindowOptions,
} from './replay-sql.js';
import type { Store } from './store.js';

export { countUnplacedEvents, streamEventRates } from './event-rates.js';

/**
 * The recording a replay reads: its traces, and each trace's clock shift (s) onto the
 * recording's common time axis (the earliest `start_time` is 0; a trace without one is not shifted).
 */
export interface TraceSelection {
  /** The selectors as given (`--trace`), space-separated. */
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

/**
 * The selection of traces `traceIds` (a recording, see `selectRecording`) labelled `label`: each
 * trace's clock shift (s) and sha256, in id order. A missing id is `replay.noTrace`.
 */
export async function readTraceSelection(store: Store, traceIds: readonly number[], label: string): Promise<TraceSelection> {
  const ids = [...new Set(traceIds)];
  const rows = await store.query(
    `SELECT trace_id, content_hash, epoch_us(start_time) AS start_us FROM traces
     WHERE list_contains(?::INTEGER[], trace_id) ORDER BY trace_id`, [`[${ids.join(',')}]`]);
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => Number(r.trace_id)));
    throw new UsageError('replay.noTrace', messages.replayNoTrace(String(ids.find((id) => !found.has(id)))));
  }
  const starts = rows.map((r) => (r.start_us === null ? null : Number(r.start_us) / 1e6));
  const anchored = starts.filter((s): s is number => s !== null);
  const origin = anchored.length ? Math.min(...anchored) : 0;
  return {
    label,
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
  // Each vCPU seen and the pCPU it first ran on, in VM order (one pass over the spans).
  const seen = await q(`SELECT vm, vcpu, arg_min(pcpu, t0) AS pcpu FROM residency JOIN rsel USING (trace_id)
    WHERE vcpu >= 0 GROUP BY vm, vcpu ORDER BY vm, vcpu`);
  const vms: RecordedVm[] = [];
  for (const r of seen) {
    if (vms[vms.length - 1]?.name !== String(r.vm)) vms.push({ name: String(r.vm), vcpus: 0 });
    vms[vms.length - 1]!.vcpus = Number(r.vcpu) + 1;
  }
  const firstPcpu = new Int32Array(vms.reduce((n, vm) => n + vm.vcpus, 0)).fill(-1);
  const base = new Map(vmBases(vms).map(([vm, at]) => [vm.name, at]));
  for (const r of seen) firstPcpu[base.get(String(r.vm))! + Number(r.vcpu)] = Number(r.pcpu);
  const [span] = await q(`SELECT min(t0 + shift) AS t0, max(t1 + shift) AS t1, max(pcpu) AS rp,
    (SELECT max(cpu) FROM samples JOIN sel USING (trace_id) WHERE cpu IS NOT NULL) AS sp,
    (SELECT max(socket) FROM energy JOIN sel USING (trace_id)) AS sk
    FROM residency JOIN rsel USING (trace_id)`);
  const coreEntities = (await q(`SELECT DISTINCT entity FROM temps JOIN sel USING (trace_id)
    WHERE scope = 'core' ORDER BY entity`)).map((r) => String(r.entity));
  const cpuCores = await readCpuCores(store, sel.traceIds);
  // The pattern is tested once per (entity, event), not once per sample.
  const vcpuEvents = (await q(`SELECT DISTINCT event FROM (SELECT entity, event FROM samples JOIN sel USING (trace_id)
    WHERE scope = 'vcpu' AND value IS NOT NULL GROUP BY ALL) WHERE regexp_matches(entity, '/vcpu[0-9]+$') ORDER BY event`))
    .map((r) => String(r.event));
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
 * (s on the common axis), ≤ 2,048 rows per chunk; read in windows of start time (see `WindowOptions`).
 */
export function streamResidency(store: Store, sel: TraceSelection, vms: readonly RecordedVm[],
  options: WindowOptions = {}): AsyncGenerator<ColumnChunk> {
  const s = selectionValues(sel);
  const v = vmValues(vms);
  return streamQueries(store, async function* (on) {
    const rsel = await fixedResidencySource(on, s);
    const head = `WITH ${v.sql}, ${rsel.sql},
      rows AS (SELECT vmb.base + r.vcpu AS j, r.pcpu, r.t0 + rsel.shift AS t0, r.t1 + rsel.shift AS t1, r.t0 AS raw
               FROM residency r JOIN rsel USING (trace_id) JOIN vmb USING (vm)
               WHERE r.t1 > r.t0 AND r.vcpu >= 0)`;
    const params = [...v.params, ...rsel.params];
    for (const w of await windowsOf(on, `${head}, win AS (SELECT t0 AS t FROM rows)`, params, options)) {
      options.onWindow?.(w);
      yield {
        sql: `${head} SELECT j, pcpu, t0, t1 FROM rows WHERE raw >= ? AND raw < ? AND t0 >= ? AND t0 < ? ORDER BY t0, j`,
        params: [...params, ...rawBounds(sel, w.from, w.to), w.from, w.to],
      };
    }
  }, own);
}

/** The traces of the selection holding energy or temperatures: what a thermal fit reads. */
export async function thermalTraceIds(store: Store, sel: TraceSelection): Promise<number[]> {
  const s = selectionValues(sel);
  return (await store.query(`WITH ${s.sql}
    SELECT DISTINCT trace_id FROM (SELECT trace_id FROM energy UNION ALL SELECT trace_id FROM temps) JOIN sel USING (trace_id)
    ORDER BY trace_id`, s.params)).map((r) => Number(r.trace_id));
}

/**
 * Recorded RAPL energy of `domain` in time order: columns `t0`, `t1` (s), `socket` (−1 when
 * the source sums all sockets), `joules`. Of several sources one is used, so no interval is
 * counted twice: a trace whose sha256 is in `preferHashes` (the model's training traces, whose
 * intervals its fit error was measured on), else the one with most intervals.
 */
export function streamRecordedEnergy(store: Store, sel: TraceSelection, domain: string,
  preferHashes: readonly string[] = []): AsyncGenerator<ColumnChunk> {
  const s = selectionValues(sel);
  const preferred = preferHashes.length ? `t.content_hash IN (${preferHashes.map(() => '?').join(', ')})` : 'false';
  return streamColumns(store, `WITH ${s.sql},
    best AS (SELECT trace_id FROM energy JOIN sel USING (trace_id) JOIN traces t USING (trace_id) WHERE domain = ?
             GROUP BY trace_id, t.content_hash ORDER BY ${preferred} DESC, count(*) DESC, trace_id LIMIT 1)
    SELECT x.t0 + sel.shift AS t0, x.t1 + sel.shift AS t1, coalesce(x.socket, -1) AS socket, x.joules
    FROM energy x JOIN sel USING (trace_id) JOIN best USING (trace_id)
    WHERE x.domain = ? ORDER BY t0, socket`, [...s.params, domain, ...preferHashes, domain], own);
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
