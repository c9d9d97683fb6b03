import { createHash } from 'node:crypto';
import { ModelError } from '../errors.js';
import { isDom0 } from '../ingest/xen-names.js';
import { messages } from '../messages.js';
import { cpuSocketMap } from '../model/cpu-socket-map.js';
import type { ModelFile } from '../model/model-file.js';
import { writeAttribution, type AttributionRow, type BudgetRow } from '../store/attribution-data.js';
import type { Store } from '../store/store.js';
import { naturalCompare } from '../util/natural-compare.js';
import { keplerSplit, scaphandreSplit } from './baselines.js';
import { budgetCells, overruns, type BudgetCell } from './budgets.js';
import { addSeconds, clockMix, cpuMix } from './clock-mix.js';
import { closureGap, residual } from './closure.js';
import { lengths } from './grid.js';
import type { IdleSplitRule } from './idle-split.js';
import { backendIoShare, directIoCounts, pooledIoShare } from './io-share.js';
import { loadInputs, type AttributionInputs } from './load-inputs.js';
import { socketClock, splitStatic, staticUnits } from './sockets.js';
import { vmOf } from './vcpu-name.js';
import { virtualCounters, type VirtualCounterView } from './virtual-counters.js';
import { dynamicJoules, sumOf } from './vm-dynamic.js';

/** Options of `attribute` (`vheat attribute`). */
export interface AttributeOptions {
  /** `--trace` selections: the recording's traces (ids, names, bundle names, globs). */
  traces: readonly string[];
  /** One model per RAPL domain (package, core, dram …); the first sets the grid. */
  models: readonly ModelFile[];
  /** Static power rule; default `residency`. */
  idleSplit?: IdleSplitRule;
  /** Per-VM per-pCPU budget, W; budgets are accounted only when given. */
  budgetWatts?: number;
  /**
   * cpu → socket, for per-socket models (as given to `calibrate`): each socket's static power at
   * its own clock; default the map the traces record (see `cpuSocketMap`), a note says whose.
   */
  cpuSocket?: readonly number[];
  /** Store the per-interval rows in `attribution` / `attribution_budgets`; default true. */
  write?: boolean;
}

/** Whole-run energy of one VM in one domain, J. `joules` includes `io_joules` and `idle_joules`. */
export interface VmSummary {
  vm: string;
  joules: number;
  io_joules: number;
  idle_joules: number;
}

/** Whole-run books of one domain, J; measured, residual, closure and baselines are null without measured energy (estimates). */
export interface DomainSummary {
  domain: string;
  vms: VmSummary[];
  measured_joules: number | null;
  host_joules: number;
  /** Static energy assigned to no VM. */
  idle_joules: number;
  residual_joules: number | null;
  /** Largest per-interval |Σ parts + residual − measured|, J (float rounding only). */
  closure_gap_joules: number | null;
  /** VM → J under each baseline (both split measured energy). */
  baselines: { kepler: Record<string, number>; scaphandre: Record<string, number> } | null;
}

/** What `attribute` returns (`--json` prints it). */
export interface AttributeResult {
  attribution_id: string;
  /** `estimate` when the traces hold no energy of the first model's domain: figures from the model alone. */
  mode: 'measured' | 'estimate';
  /** The energy trace (its intervals are the rows'), or null in estimate mode (the model's interval over the per-VM series). */
  energy_trace: string | null;
  /** The trace of the per-VM series. */
  counts_trace: string;
  derivation: string;
  idle_split: IdleSplitRule;
  intervals: number;
  /** The first model's domain, whose books the top-level fields repeat. */
  domain: string;
  vms: VmSummary[];
  measured_joules: number | null;
  residual_joules: number | null;
  host_joules: number;
  idle_joules: number;
  baselines: DomainSummary['baselines'];
  domains: Record<string, DomainSummary>;
  virtual_counters: VirtualCounterView[];
  budgets: { watts: number; cells: number; overruns: number; over_joules: number } | null;
  notes: string[];
}

/** Per-interval books of one domain. */
interface DomainBooks {
  summary: DomainSummary;
  rows: AttributionRow[];
  vcpuJoules: Map<string, Float64Array>;
}

const total = (a: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};

/**
 * Per-VM energy accounting over a recording.
 *
 * ```
 * traces + models ──loadInputs──▶ series on the energy grid ──bookDomain (each model)──▶
 *   per-interval VM / vCPU / host / idle / residual rows ──summarize──▶ AttributeResult ──write──▶ store
 * ```
 *
 * Per interval and domain: VM = its counters through the model (vm-dynamic) + its I/O share
 * (io-share) + its static share (idle-split); host = machine counters − VMs' own counters − what
 * dom0 did for guests; idle = static not assigned; residual = measured − all of those (closure).
 * Counts are priced at the clocks of the CPUs they ran on (clock-mix): sockets may differ. A
 * per-socket model has its static power once per socket (sockets). Without measured energy the
 * same books are model estimates, with no measured, residual or baselines (a note says so).
 */
export async function attribute(store: Store, options: AttributeOptions): Promise<AttributeResult> {
  const rule = options.idleSplit ?? 'residency';
  const domains = options.models.map((m) => m.domain);
  const dup = domains.find((d, i) => domains.indexOf(d) !== i);
  if (dup) throw new ModelError('attribute.duplicateDomain', messages.attributeDuplicateDomain(dup), { hint: 'one --model per domain' });
  // 1. inputs on the grid
  const inputs = await loadInputs(store, options.traces, options.models);
  const cpuSocket = options.models.some((m) => m.scope === 'socket')
    ? await cpuSocketMap(store, inputs.traces.map((t) => t.id), options.cpuSocket, inputs.notes) : options.cpuSocket;
  // 2. books per domain
  const books = options.models.map((m) => bookDomain(inputs, m, rule, cpuSocket));
  const primary = books[0]!;
  // 3. virtual counters and budgets (first domain)
  const dt = lengths(inputs.grid);
  const runSeconds = (vcpu: string): Float64Array | undefined => {
    const where = inputs.placement.get(vcpu);
    return where ? sumOf(where.values(), dt.length) : undefined;
  };
  const views = [...inputs.vcpuCounts].filter(([v]) => !isDom0(vmOf(v))).sort(([a], [b]) => naturalCompare(a, b))
    .map(([v, counts]) => virtualCounters(v, counts, runSeconds(v), primary.vcpuJoules.get(v)!));
  const guestVcpus = new Map([...primary.vcpuJoules].filter(([v]) => !isDom0(vmOf(v))));
  const cells: BudgetCell[] = options.budgetWatts === undefined ? [] : budgetCells(guestVcpus, inputs.placement, vmOf, options.budgetWatts, dt);
  // 4. summary and store
  const id = attributionId(options, inputs, rule, cpuSocket);
  const s = primary.summary;
  const over = overruns(cells);
  const result: AttributeResult = {
    attribution_id: id, mode: s.measured_joules === null ? 'estimate' : 'measured', energy_trace: inputs.energyTrace?.name ?? null,
    counts_trace: inputs.countsTrace.name, derivation: inputs.derivation, idle_split: rule, intervals: dt.length,
    domain: s.domain, vms: s.vms, measured_joules: s.measured_joules, residual_joules: s.residual_joules, host_joules: s.host_joules,
    idle_joules: s.idle_joules, baselines: s.baselines, domains: Object.fromEntries(books.map((b) => [b.summary.domain, b.summary])),
    virtual_counters: views,
    budgets: options.budgetWatts === undefined ? null
      : { watts: options.budgetWatts, cells: cells.length, overruns: over.count, over_joules: over.joules },
    notes: inputs.notes,
  };
  if (options.write ?? true) {
    const budgetRows: BudgetRow[] = cells.map((c) => ({ t0: inputs.grid.t0[c.interval]!, t1: inputs.grid.t1[c.interval]!, vm: c.vm,
      pcpu: c.pcpu, joules: c.joules, budgetJoules: c.budgetJoules }));
    await writeAttribution(store, id, inputs.gridTrace.id, books.flatMap((b) => b.rows), budgetRows);
  }
  return result;
}

function attributionId(options: AttributeOptions, inputs: AttributionInputs, rule: string, cpuSocket: readonly number[] | undefined): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ models: options.models, traces: inputs.traces.map((t) => t.contentHash), rule, budget: options.budgetWatts ?? null,
    cpuSocket: cpuSocket ?? null }));
  return h.digest('hex').slice(0, 16);
}

/** The books of one domain: see `attribute`. */
function bookDomain(inputs: AttributionInputs, model: ModelFile, rule: IdleSplitRule, cpuSocket: readonly number[] | undefined): DomainBooks {
  const { grid, vms } = inputs;
  const n = grid.t0.length;
  const dt = lengths(grid);
  const domain = model.domain;
  const measured = inputs.measured.get(domain)!;
  // a per-socket model reads each socket's clock as the mean of its CPUs', as calibration did
  const perSocket = model.scope === 'socket' && cpuSocket !== undefined && cpuSocket.length > 0;
  const clock = perSocket && inputs.clock ? socketClock(inputs.clock, cpuSocket) : inputs.clock;
  if (model.scope === 'socket' && !perSocket && model.frequency && !inputs.notes.includes(messages.attributeSocketClock())) {
    inputs.notes.push(messages.attributeSocketClock());
  }
  const units = staticUnits(model, clock, dt, inputs.sockets, cpuSocket);
  const staticJ = sumOf(units.map((u) => u.joules), n);
  // counts are priced at the clocks of the CPUs they ran on: a VM's where its vCPUs ran
  const vmMix = (vm: string) => clock
    && clockMix(clock, addSeconds([...inputs.placement].filter(([v]) => vmOf(v) === vm).map(([, p]) => p), n));
  const vcpuMix = (vcpu: string) => clock && clockMix(clock, inputs.placement.get(vcpu));
  // dynamic energy of every VM series (guests and dom0) and vCPU series
  const own = new Map([...inputs.vmCounts].map(([vm, c]) => [vm, dynamicJoules(model, c, vmMix(vm), n)]));
  const vcpuJoules = new Map([...inputs.vcpuCounts].map(([v, c]) => [v, dynamicJoules(model, c, vcpuMix(v), n)]));
  // I/O: direct where a VM has vCPU series inside a whole-VM series (its vCPUs priced as such), pooled from dom0
  const direct = new Map<string, Float64Array>();
  if (inputs.derivation === 'per-thread' || inputs.derivation === 'cgroup') {
    for (const vm of vms) {
      const mine = [...inputs.vcpuCounts.keys()].filter((v) => vmOf(v) === vm);
      const whole = inputs.vmCounts.get(vm);
      if (!whole || !mine.length) continue;
      const io = dynamicJoules(model, directIoCounts(whole, mine.map((v) => inputs.vcpuCounts.get(v)!), n), vmMix(vm), n);
      direct.set(vm, io);
      own.set(vm, sumOf([io, ...mine.map((v) => vcpuJoules.get(v)!)], n));
    }
  }
  // dom0's work for guests (Xen): measured per guest by its backend threads, else pooled by I/O activity
  const zero = new Float64Array(n);
  const backend = inputs.backendCounts;
  const dom0 = [...own.keys()].find(isDom0);
  let fromDom0: Map<string, Float64Array> | null = null;
  if (backend) fromDom0 = new Map(vms.map((vm) => [vm, backendIoShare(model, backend.get(vm), dom0 ? vmMix(dom0) : null, n)]));
  else if (dom0) {
    const activity = new Map(vms.map((vm) => [vm, inputs.ioOps.get(vm) ?? inputs.ioThreadSeconds.get(vm) ?? zero]));
    const pooled = pooledIoShare(own.get(dom0)!, dt, activity);
    if (!pooled.baselineMeasured && !inputs.notes.includes(messages.attributeIoBaseline())) inputs.notes.push(messages.attributeIoBaseline());
    fromDom0 = pooled.perVm;
  }
  const idle = splitStatic(rule, units, vms, inputs.placement, inputs.cpuSeconds, inputs.cpus, dt);
  // host = machine − guests' own − dom0's work handed to guests (dom0's own work stays with the host)
  const guestOwn = sumOf(vms.map((vm) => own.get(vm) ?? zero), n);
  const handedOut = sumOf(fromDom0 ? fromDom0.values() : [], n);
  const host = sumOf([...inputs.totals ?? []].map(([cpu, c]) => dynamicJoules(model, c, clock && cpuMix(clock, cpu), n)), n);
  if (inputs.totals) for (let i = 0; i < n; i++) host[i] = host[i]! - guestOwn[i]! - handedOut[i]!;
  const vmTotal = new Map<string, Float64Array>();
  const vmIo = new Map<string, Float64Array>();
  for (const vm of vms) {
    const p = fromDom0?.get(vm) ?? zero;
    const io = sumOf([direct.get(vm) ?? zero, p], n);
    vmIo.set(vm, io);
    vmTotal.set(vm, sumOf([own.get(vm) ?? zero, p, idle.perVm.get(vm)!], n));
  }
  const parts = [...vmTotal.values(), host, idle.unassigned];
  const res = measured && residual(measured, parts);
  // baselines: CPU time of a guest = vCPU residency + its I/O threads' on-CPU time; dom0's is the host's
  const vmSeconds = new Map(vms.map((vm) => [vm, sumOf([inputs.cpuSeconds.get(vm) ?? zero, inputs.ioThreadSeconds.get(vm) ?? zero], n)]));
  const other = dom0 ? inputs.cpuSeconds.get(dom0) ?? zero : [...inputs.cpuSeconds].find(([v]) => isDom0(v))?.[1] ?? zero;
  const kepler = measured && keplerSplit(measured, staticJ, vmSeconds, other, idle.perVm);
  const scaph = measured && scaphandreSplit(measured, dt, vmSeconds, inputs.cpus);
  // rows
  const rows: AttributionRow[] = [];
  const push = (role: string, vm: string | null, vcpu: string | null, j: Float64Array, io: Float64Array | null,
    id: Float64Array | null, method = 'counter-model'): void => {
    for (let i = 0; i < n; i++) {
      rows.push({ t0: grid.t0[i]!, t1: grid.t1[i]!, role, vm, vcpu, domain, joules: j[i]!, ioJoules: io ? io[i]! : 0,
        idleJoules: id ? id[i]! : 0, method });
    }
  };
  if (measured) push('measured', null, null, measured, null, null);
  for (const vm of vms) {
    push('vm', vm, null, vmTotal.get(vm)!, vmIo.get(vm)!, idle.perVm.get(vm)!);
    if (kepler) push('vm', vm, null, kepler.get(vm)!, null, idle.perVm.get(vm)!, 'kepler');
    if (scaph) push('vm', vm, null, scaph.get(vm)!, null, null, 'scaphandre');
  }
  for (const [v, j] of vcpuJoules) if (!isDom0(vmOf(v))) push('vcpu', vmOf(v), v, j, null, null);
  push('host', null, null, host, null, null);
  push('idle', null, null, idle.unassigned, null, staticJ);
  if (res) push('residual', null, null, res, null, null);
  const summary: DomainSummary = {
    domain,
    vms: vms.map((vm) => ({ vm, joules: total(vmTotal.get(vm)!), io_joules: total(vmIo.get(vm)!), idle_joules: total(idle.perVm.get(vm)!) })),
    measured_joules: measured && total(measured),
    host_joules: total(host),
    idle_joules: total(idle.unassigned),
    residual_joules: res && total(res),
    closure_gap_joules: measured && res && closureGap(measured, parts, res),
    baselines: kepler && scaph && {
      kepler: Object.fromEntries(vms.map((vm) => [vm, total(kepler.get(vm)!)])),
      scaphandre: Object.fromEntries(vms.map((vm) => [vm, total(scaph.get(vm)!)])),
    },
  };
  return { summary, rows, vcpuJoules };
}
