import { ModelError } from '../errors.js';
import { isDom0 } from '../ingest/xen-names.js';
import { messages } from '../messages.js';
import type { ModelFile } from '../model/model-file.js';
import { selectTraces } from '../model/select-traces.js';
import {
  energyTraces, perCpuTraces, readDerived, readEnergy, readGauge, readIo, readPerCpuTotals, readResidency, vmDerivations,
  type KeyedRows,
} from '../store/attribution-data.js';
import { energyUnits, listTraces, type TraceRecord } from '../store/calibration-data.js';
import { checkOneRecording } from '../store/select-recording.js';
import type { Store } from '../store/store.js';
import { naturalCompare } from '../util/natural-compare.js';
import type { CpuClock } from './clock-mix.js';
import { spread, type Grid } from './grid.js';
import { missingEvents } from './vm-dynamic.js';

/** Derivations of per-VM series, most direct first: the one used is the first the traces hold. */
export const derivationPreference = ['per-thread', 'per-vcpu', 'cgroup', 'residency-split'] as const;

/**
 * Everything attribution needs, on the grid of the grid trace (s on its clock): the energy
 * trace's intervals, or, when the traces hold no energy of the first model's domain, intervals of
 * the model's length over the span of the per-VM series (estimate mode: no measured energy).
 */
export interface AttributionInputs {
  grid: Grid;
  /** The trace whose clock the grid is on: the energy trace, or the per-VM series' trace in estimate mode. */
  gridTrace: TraceRecord;
  /** The energy trace, or null when the first model's domain has no measured energy (estimate mode). */
  energyTrace: TraceRecord | null;
  /** The trace of the per-VM series. */
  countsTrace: TraceRecord;
  traces: TraceRecord[];
  /** Domain → measured J per interval, or null where the traces hold none of that domain. */
  measured: Map<string, Float64Array | null>;
  /** Sockets the energy trace reports energy for (0 when it gives none per socket, or in estimate mode). */
  sockets: number;
  /** The clock per CPU and the machine's mean, MHz per interval (NaN where unknown), when a model needs it. */
  clock: CpuClock | null;
  derivation: string;
  /** Guest VMs, in natural name order (vm2 before vm10). */
  vms: string[];
  /** Entity (VM, or dom0) → event → count per interval. */
  vmCounts: Map<string, Map<string, Float64Array>>;
  /** `<vm>/vcpu<n>` → event → count per interval. */
  vcpuCounts: Map<string, Map<string, Float64Array>>;
  /** Xen: guest → event → count per interval of dom0's backend threads serving it, or null when not recorded. */
  backendCounts: Map<string, Map<string, Float64Array>> | null;
  /** CPU → event → count per interval of the machine's per-CPU rows, or null. */
  totals: Map<number, Map<string, Float64Array>> | null;
  /** CPUs of the machine (from per-CPU rows, else residency). */
  cpus: number;
  /** VM → pCPU-s per interval its vCPUs ran; `Domain-0` included on Xen. */
  cpuSeconds: Map<string, Float64Array>;
  /** `<vm>/vcpu<n>` → pCPU → s per interval. */
  placement: Map<string, Map<number, Float64Array>>;
  /** VM → I/O per interval (ops; on-CPU s of its I/O threads for kinds without ops), by kind family. */
  ioOps: Map<string, Float64Array>;
  ioThreadSeconds: Map<string, Float64Array>;
  notes: string[];
}

/** The start offset of trace `t` on the clock of `ref`, s (0 when either has no absolute start). */
const offsetOf = (t: TraceRecord | undefined, ref: TraceRecord): number =>
  t && t.startEpoch !== null && ref.startEpoch !== null ? t.startEpoch - ref.startEpoch : 0;

/** Spreads `rows` onto `grid` into `key → sub → series` (sub '' when unkeyed), shifting each trace by its offset. */
function spreadRows(rows: KeyedRows, grid: Grid, shift: (traceId: number) => number,
  keyOf: (k: string, s: string) => [string, string] | null): Map<string, Map<string, Float64Array>> {
  const out = new Map<string, Map<string, Float64Array>>();
  for (let r = 0; r < rows.t0.length; r++) {
    const v = rows.value[r]!;
    if (!Number.isFinite(v)) continue;
    const ks = keyOf(rows.key[r]!, rows.sub[r]!);
    if (!ks) continue;
    let inner = out.get(ks[0]);
    if (!inner) out.set(ks[0], inner = new Map());
    let series = inner.get(ks[1]);
    if (!series) inner.set(ks[1], series = new Float64Array(grid.t0.length));
    const d = shift(rows.traceId[r]!);
    spread(grid, rows.t0[r]! + d, rows.t1[r]! + d, v, series);
  }
  return out;
}

/**
 * Resolves `--trace` (one recording: traces of two bundles, or two of one name outside a bundle,
 * are `attribute.ambiguousTrace`) and reads the series: the energy trace (of the first model's
 * domain; the trace that also holds per-CPU counts of the model's events wins, as it shares their
 * clock, then the one with most rows), the most direct per-VM derivation that counts every model event,
 * dom0's backend threads per guest (Xen, when recorded), per-CPU totals, the clock gauge per
 * CPU, residency and I/O; all spread onto the energy intervals. Without energy of that domain the
 * grid is `estimateGrid` over the per-VM series, and no domain has measured energy.
 */
export async function loadInputs(store: Store, sels: readonly string[], models: readonly ModelFile[]): Promise<AttributionInputs> {
  const traces = selectTraces(await listTraces(store), sels);
  checkOneRecording(traces, sels.map((s) => s.trim()).join(' '), 'attribute');
  const ids = traces.map((t) => t.id);
  const byId = new Map(traces.map((t) => [t.id, t]));
  const names = traces.map((t) => t.name);
  const events = [...new Set(models.flatMap((m) => m.terms.map((t) => t.event)))];
  const notes: string[] = [];
  // 1. per-VM series: the most direct derivation that counts every event
  const derivations = await vmDerivations(store, ids);
  if (derivations.length === 0) {
    throw new ModelError('attribute.noVmSeries', messages.attributeNoVmSeries(names), {
      hint: 'ingest per-thread/cgroup perf counts, or per-CPU counts with a sched_switch or xentrace recording, with bundle.json naming the VMs',
    });
  }
  const usable = derivationPreference.flatMap((d) => derivations.filter((x) => x.derivation === d
    && models.every((m) => missingEvents(m, new Set(x.events)).length === 0)));
  const chosen = usable[0];
  if (!chosen) {
    const best = derivations[0]!;
    throw new ModelError('attribute.missingEvents', messages.attributeMissingEvents(missingEvents(models[0]!, new Set(best.events)), best.derivation), {
      hint: `the per-VM series count ${best.events.join(', ')}; calibrate a model on those events (vheat calibrate --events …)`,
    });
  }
  // 2. energy trace and grid (estimate mode without energy)
  const domain = models[0]!.domain;
  const totalsTraces = await perCpuTraces(store, ids, events);
  const withEnergy = await energyTraces(store, ids, domain);
  const countsTrace = byId.get(chosen.traceId)!;
  const vmRows = await readDerived(store, chosen.traceId, 'vm', chosen.derivation, events);
  const energyId = (withEnergy.find((e) => totalsTraces.some((t) => t.id === e.id)) ?? withEnergy[0])?.id;
  const energyTrace = energyId === undefined ? null : byId.get(energyId)!;
  const gridTrace = energyTrace ?? countsTrace;
  const energy = energyId === undefined ? null : await readEnergy(store, energyId, domain);
  const grid: Grid = energy ? { t0: energy.t0, t1: energy.t1 } : estimateGrid(vmRows, models[0]!.intervalSeconds);
  const n = grid.t0.length;
  const shift = (id: number): number => offsetOf(byId.get(id), gridTrace);
  const measured = new Map<string, Float64Array | null>([[domain, energy ? Float64Array.from(energy.value) : null]]);
  for (const m of models.slice(1)) {
    const e = energyId === undefined ? null : await readEnergy(store, energyId, m.domain);
    const series = e && e.t0.length > 0 ? new Float64Array(n) : null;
    if (e && series) for (let r = 0; r < e.t0.length; r++) spread(grid, e.t0[r]!, e.t1[r]!, e.value[r]!, series);
    measured.set(m.domain, series);
  }
  for (const [d, series] of measured) if (!series) notes.push(messages.attributeEstimate(energy ? d : null));
  const sockets = energyId === undefined ? 0 : (await energyUnits(store, [energyId], domain)).filter((u) => u >= 0).length;
  // 3. counts on the grid
  const byEvent = (k: string, s: string): [string, string] => [k, s];
  const vmCounts = spreadRows(vmRows, grid, shift, byEvent);
  const vcpuCounts = spreadRows(await readDerived(store, chosen.traceId, 'vcpu', chosen.derivation, events), grid, shift, byEvent);
  const backend = derivations.find((x) => x.derivation === 'backend' && events.every((e) => x.events.includes(e)));
  const backendCounts = backend ? spreadRows(await readDerived(store, backend.traceId, 'vm', 'backend', events), grid, shift, byEvent) : null;
  const totalsId = totalsTraces[0]?.id;
  const totals = totalsId === undefined ? null
    : new Map([...spreadRows(await readPerCpuTotals(store, totalsId, events), grid, shift, byEvent)].map(([cpu, c]) => [Number(cpu), c]));
  if (!totals) notes.push(messages.attributeNoTotals());
  const gaugeEvent = models.find((m) => m.frequency)?.frequency?.event;
  const clock = gaugeEvent ? await gaugeOnGrid(store, ids, gaugeEvent, grid, shift) : null;
  // 4. residency and I/O
  const perVcpu = spreadRows(await readResidency(store, ids), grid, shift, (vm, s) => [vm, s]);
  const cpuSeconds = new Map<string, Float64Array>();
  const placement = new Map<string, Map<number, Float64Array>>();
  let maxPcpu = -1;
  for (const [vm, inner] of perVcpu) {
    const sum = new Float64Array(n);
    for (const [vp, s] of inner) {
      const [vcpu, pcpu] = vp.split(':').map(Number) as [number, number];
      maxPcpu = Math.max(maxPcpu, pcpu);
      for (let i = 0; i < n; i++) sum[i] = sum[i]! + s[i]!;
      const entity = `${vm}/vcpu${vcpu}`;
      if (!placement.has(entity)) placement.set(entity, new Map());
      placement.get(entity)!.set(pcpu, s);
    }
    cpuSeconds.set(vm, sum);
  }
  const io = spreadRows(await readIo(store, ids), grid, shift, (vm, kind) => [vm, kind.startsWith('oncpu-') ? 'seconds' : 'ops']);
  const ioOps = new Map<string, Float64Array>();
  const ioThreadSeconds = new Map<string, Float64Array>();
  for (const [vm, inner] of io) {
    const ops = inner.get('ops');
    const sec = inner.get('seconds');
    if (ops) ioOps.set(vm, ops);
    if (sec) ioThreadSeconds.set(vm, sec);
  }
  const vms = [...new Set([...vmCounts.keys(), ...cpuSeconds.keys()])].filter((v) => !isDom0(v)).sort(naturalCompare);
  const cpus = totalsTraces[0]?.cpus ?? maxPcpu + 1;
  return { grid, gridTrace, energyTrace, countsTrace, traces, measured, sockets, clock, derivation: chosen.derivation, vms, vmCounts,
    vcpuCounts, backendCounts, totals, cpus: Math.max(1, cpus), cpuSeconds, placement, ioOps, ioThreadSeconds, notes };
}

/**
 * Estimate mode's grid: intervals of `seconds` (the model's interval) from the first start to
 * the last end of the per-VM rows (s on their trace's clock); the last one ends with the rows.
 */
function estimateGrid(rows: KeyedRows, seconds: number): Grid {
  let start = Infinity;
  let end = -Infinity;
  for (let r = 0; r < rows.t0.length; r++) {
    start = Math.min(start, rows.t0[r]!);
    end = Math.max(end, rows.t1[r]!);
  }
  // a whisker past a whole number of intervals is rounding, not one more interval
  const n = end > start ? Math.max(1, Math.ceil((end - start) / seconds - 1e-9)) : 0;
  const t0 = Float64Array.from({ length: n }, (_, i) => start + i * seconds);
  const t1 = Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? end : start + (i + 1) * seconds));
  return { t0, t1 };
}

/** Time-weighted mean of a per-CPU gauge per grid interval, per CPU and over the machine (NaN where it has no reading). */
async function gaugeOnGrid(store: Store, ids: readonly number[], event: string, grid: Grid, shift: (id: number) => number): Promise<CpuClock> {
  const rows = await readGauge(store, ids, event);
  const n = grid.t0.length;
  const sums = new Map<string, { level: Float64Array; weight: Float64Array }>();
  const at = (key: string) => {
    let s = sums.get(key);
    if (!s) sums.set(key, s = { level: new Float64Array(n), weight: new Float64Array(n) });
    return s;
  };
  for (let r = 0; r < rows.t0.length; r++) {
    const d = shift(rows.traceId[r]!);
    const len = rows.t1[r]! - rows.t0[r]!;
    for (const s of [at(rows.key[r]!), at('')]) {
      spread(grid, rows.t0[r]! + d, rows.t1[r]! + d, rows.value[r]! * len, s.level);
      spread(grid, rows.t0[r]! + d, rows.t1[r]! + d, len, s.weight);
    }
  }
  const level = (s: { level: Float64Array; weight: Float64Array } | undefined) =>
    s ? s.level.map((x, i) => (s.weight[i]! > 0 ? x / s.weight[i]! : NaN)) : new Float64Array(n).fill(NaN);
  const perCpu = new Map([...sums].filter(([k]) => k !== '').map(([k, s]) => [Number(k), level(s)]));
  return { perCpu, mean: level(sums.get('')) };
}
