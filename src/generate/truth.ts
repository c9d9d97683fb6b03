import type { GenContext } from './context.js';
import { domains } from './defaults.js';
import { energyAt, type TickFrame } from './frame.js';
import type { FileSummary } from './recorder.js';
import type { OpenSpan } from './switch-events.js';

/**
 * truth.json — every hidden parameter of a synthetic recording and the exact quantities the
 * recorded files should let vheat recover. Energies in J, powers in W, times in s from the start
 * of the recording, temperatures in °C. Domains are `package`, `core`, `dram`; `core` energy is
 * part of `package` (PP0), `dram` is not.
 *
 * - `version`, `generator`, `seed`: the run seed (same seed → byte-identical bundle).
 * - `scenario`: the resolved scenario (every default filled in).
 * - `duration_seconds`, `start_epoch_seconds`.
 * - `weights`: domain → event → J per event at `scenario.base_mhz`.
 * - `static_watts`: `per_socket` (domain → W, each socket) and `total` (domain → W, all sockets).
 * - `frequency_changes`: `{ t_seconds, socket, mhz, weight_scale }`; from `t_seconds` on, that
 *   socket's package and core weights are `weights × weight_scale` (dram unchanged).
 * - `true_totals`: domain → J, the true energy of all sockets over [0, duration].
 * - `true_totals_by_socket`: one `{ package, core, dram }` per socket.
 * - `totals`: domain → J as the RAPL registers measured it over [0, duration]: the quantised
 *   count (2^-esu J) at the last register refresh before the end minus the count at the start.
 *   Each file's own reading of it is `files[name].energy_joules` (different read instants,
 *   its own rounding: perf's %.2f J per interval, powercap's µJ, turbostat's %.2f W).
 * - `static_joules`: domain → J of static power (all sockets), not charged to anyone.
 * - `host_joules`: domain → J of dynamic energy not caused by a VM (host threads, dom0's own work).
 * - `vm_energy_joules`: VM → domain → J of dynamic energy its vCPUs used plus its I/O share.
 *   Static power is NOT included, so attribution can be checked under any idle-split rule:
 *   Σ vm_energy + host_joules + static_joules = true_totals (per domain).
 * - `vm_io_joules`: VM → domain → J of that part spent emulating its I/O (QEMU iothread/vhost
 *   on KVM, dom0 backends on Xen).
 * - `io`: VM → `{ ops, bytes }` of I/O requested.
 * - `residency_seconds`: VM (and `Domain-0` on Xen) → vCPU → pCPU → s it ran there.
 * - `thread_residency_seconds`: `<comm>-<tid>` of every other host thread → pCPU → s (KVM).
 * - `open_spans`: what still ran at the end (no switch-out in the trace): `{ vm|thread, vcpu,
 *   pcpu, t0_seconds }`; a parser that drops unclosed spans sees residency minus these.
 * - `event_counts`: true counts, `per_vm` (VM → event; its vCPUs and the work done for its
 *   I/O), `io` (VM → event; that I/O work: its QEMU I/O thread on KVM, dom0's backend work for
 *   it on Xen), `per_pcpu` (pCPU → event), `host` (event → count of host threads and dom0's own
 *   work), `total`.
 * - `thermal`: the RC network parameters (see thermal-truth.ts), `initial_celsius` (idle steady
 *   state at t = 0), `peak_celsius` / `final_celsius` per core, heatsink peaks.
 * - `rapl`: esu J per domain, register width, `max_energy_range_uj`, update period and jitter.
 * - `files`: file → what it holds (format, command, rows, bytes, recorded span, energy it adds up
 *   to, event totals, counter wraps).
 */
export class TruthLedger {
  private readonly trueEnergy: Float64Array;
  private readonly staticJ = new Float64Array(3);
  private readonly hostJ = new Float64Array(3);
  private readonly vmJ: Float64Array;
  private readonly vmIoJ: Float64Array;
  private readonly residency: Float64Array;
  private readonly entityCounts: Float64Array;
  private readonly vmCounts: Float64Array;
  private readonly ioCounts: Float64Array;
  private readonly hostCounts: Float64Array;
  private readonly pcpuCounts: Float64Array;
  private readonly peak: Float64Array;
  private readonly sinkPeak: Float64Array;
  private readonly freqLog: { t_seconds: number; socket: number; mhz: number; weight_scale: number }[] = [];
  private readonly measuredEnd: Float64Array;
  private initial: number[] = [];

  constructor(private readonly ctx: GenContext) {
    const { topo, cast, scenario } = ctx;
    const nv = scenario.vms.length;
    this.trueEnergy = new Float64Array(topo.sockets * 3);
    this.vmJ = new Float64Array(nv * 3);
    this.vmIoJ = new Float64Array(nv * 3);
    this.residency = new Float64Array(cast.entities.length * topo.cpus);
    this.entityCounts = new Float64Array(cast.entities.length * scenario.events.length);
    this.vmCounts = new Float64Array(nv * scenario.events.length);
    this.ioCounts = new Float64Array(nv * scenario.events.length);
    this.hostCounts = new Float64Array(scenario.events.length);
    this.pcpuCounts = new Float64Array(topo.cpus * scenario.events.length);
    this.peak = new Float64Array(topo.cores).fill(-Infinity);
    this.sinkPeak = new Float64Array(topo.sockets).fill(-Infinity);
    this.measuredEnd = new Float64Array(topo.sockets * 3);
  }

  /** Records the temperatures before the first tick. */
  start(coreTemps: Float64Array): void {
    this.initial = Array.from(coreTemps);
  }

  /** Logs a clock change at `t` µs. */
  frequency(t: number, socket: number, mhz: number, weightScale: number): void {
    this.freqLog.push({ t_seconds: t / 1e6, socket, mhz, weight_scale: weightScale });
  }

  /** Books one tick: a dom0 segment's backend work (`seg.backend*`) is the served VM's, the rest dom0's own. */
  account(f: TickFrame): void {
    const { cast, topo, scenario } = this.ctx;
    const seg = f.seg;
    const ne = scenario.events.length;
    const nv = scenario.vms.length;
    const dt = f.len * 1e-6;
    for (let k = 0; k < topo.sockets * 3; k++) {
      const j = f.staticWatts[k]! * dt;
      this.trueEnergy[k] = this.trueEnergy[k]! + j;
      this.staticJ[k % 3] = this.staticJ[k % 3]! + j;
    }
    for (let s = 0; s < seg.n; s++) {
      const e = seg.entity[s]!;
      const p = seg.pcpu[s]!;
      const ent = cast.entities[e]!;
      this.residency[e * topo.cpus + p] = this.residency[e * topo.cpus + p]! + seg.len[s]!;
      for (let k = 0; k < ne; k++) {
        const c = seg.counts[s * ne + k]!;
        this.entityCounts[e * ne + k] = this.entityCounts[e * ne + k]! + c;
        this.pcpuCounts[p * ne + k] = this.pcpuCounts[p * ne + k]! + c;
        if (ent.vm >= 0) this.vmCounts[ent.vm * ne + k] = this.vmCounts[ent.vm * ne + k]! + c;
        else this.hostCounts[k] = this.hostCounts[k]! + c;
        if (ent.kind === 'io') this.ioCounts[ent.vm * ne + k] = this.ioCounts[ent.vm * ne + k]! + c;
      }
      const socket = topo.cpuSocket[p]!;
      for (let d = 0; d < 3; d++) {
        const j = seg.energy[s * 3 + d]!;
        this.trueEnergy[socket * 3 + d] = this.trueEnergy[socket * 3 + d]! + j;
        if (ent.vm >= 0) this.vmJ[ent.vm * 3 + d] = this.vmJ[ent.vm * 3 + d]! + j;
        else this.hostJ[d] = this.hostJ[d]! + j;
        if (ent.kind === 'io') this.vmIoJ[ent.vm * 3 + d] = this.vmIoJ[ent.vm * 3 + d]! + j;
      }
      // dom0's backend work moves from the host to the VM it served
      for (let v = 0; v < nv; v++) {
        if (!(seg.served[s * nv + v]! > 0)) continue;
        for (let k = 0; k < ne; k++) {
          const c = seg.backendCounts[(s * nv + v) * ne + k]!;
          this.vmCounts[v * ne + k] = this.vmCounts[v * ne + k]! + c;
          this.ioCounts[v * ne + k] = this.ioCounts[v * ne + k]! + c;
          this.hostCounts[k] = this.hostCounts[k]! - c;
        }
        for (let d = 0; d < 3; d++) {
          const j = seg.backendEnergy[(s * nv + v) * 3 + d]!;
          this.vmJ[v * 3 + d] = this.vmJ[v * 3 + d]! + j;
          this.vmIoJ[v * 3 + d] = this.vmIoJ[v * 3 + d]! + j;
          this.hostJ[d] = this.hostJ[d]! - j;
        }
      }
    }
    for (let c = 0; c < topo.cores; c++) if (f.coreTemps[c]! > this.peak[c]!) this.peak[c] = f.coreTemps[c]!;
    for (let s = 0; s < topo.sockets; s++) if (f.heatsinkTemps[s]! > this.sinkPeak[s]!) this.sinkPeak[s] = f.heatsinkTemps[s]!;
    if (f.last) {
      // the registers as last refreshed before the end: what an ideal reader measures
      const end = f.t0 + f.len;
      for (let s = 0; s < topo.sockets; s++) {
        const u = Math.max(f.t0, this.ctx.rapl.lastUpdate(s, end));
        for (let d = 0; d < 3; d++) this.measuredEnd[s * 3 + d] = this.ctx.rapl.count(s, d, energyAt(f, s, d, u));
      }
    }
  }

  /** The truth.json document. */
  document(files: FileSummary[], openSpans: OpenSpan[], ioOps: Float64Array, finalTemps: Float64Array): Record<string, unknown> {
    const { scenario: s, cast, topo, rapl, seed } = this.ctx;
    const ne = s.events.length;
    const byDomain = (a: ArrayLike<number>, off = 0) => Object.fromEntries(domains.map((d, i) => [d, a[off + i]!]));
    const sum = (a: Float64Array) => domains.map((_, d) => {
      let x = 0;
      for (let k = d; k < a.length; k += 3) x += a[k]!;
      return x;
    });
    const events = (a: Float64Array, row: number) => Object.fromEntries(s.events.map((e, k) => [e, a[row * ne + k]!]));
    const addEvents = (acc: Record<string, number>, a: Float64Array, row: number): void => {
      s.events.forEach((ev, k) => { acc[ev] = (acc[ev] ?? 0) + a[row * ne + k]!; });
    };
    const pcpuSeconds = (e: number) => {
      const out: Record<string, number> = {};
      for (let p = 0; p < topo.cpus; p++) {
        const us = this.residency[e * topo.cpus + p]!;
        if (us > 0) out[String(p)] = us / 1e6;
      }
      return out;
    };
    const vmName = (e: number) => {
      const ent = cast.entities[e]!;
      return ent.kind === 'dom0' ? 'Domain-0' : ent.vm >= 0 && ent.kind === 'vcpu' ? s.vms[ent.vm]!.name : undefined;
    };
    const residency: Record<string, Record<string, Record<string, number>>> = {};
    const threads: Record<string, Record<string, number>> = {};
    const total: Record<string, number> = {};
    cast.entities.forEach((ent, e) => {
      const vm = vmName(e);
      if (vm !== undefined) (residency[vm] ??= {})[String(ent.vcpu)] = pcpuSeconds(e);
      else threads[`${ent.comm}-${ent.tid}`] = pcpuSeconds(e);
      addEvents(total, this.entityCounts, e);
    });
    const perVm = (a: Float64Array) => Object.fromEntries(s.vms.map((vm, v) => [vm.name, events(a, v)]));
    const measured = domains.map((_, d) => {
      let j = 0;
      for (let k = 0; k < topo.sockets; k++) j += (this.measuredEnd[k * 3 + d]! - rapl.initial[k * 3 + d]!) * rapl.esuJoules[d]!;
      return j;
    });
    const perSocketStatic = byDomain([s.static_watts.package, s.static_watts.core, s.static_watts.dram]);
    return {
      version: 1,
      generator: 'vheat generate',
      seed,
      scenario: s,
      duration_seconds: this.ctx.durationUs / 1e6,
      start_epoch_seconds: s.start_epoch_seconds,
      weights: s.weights,
      static_watts: {
        per_socket: perSocketStatic,
        total: Object.fromEntries(Object.entries(perSocketStatic).map(([d, w]) => [d, w * topo.sockets])),
      },
      frequency_changes: this.freqLog,
      true_totals: byDomain(sum(this.trueEnergy)),
      true_totals_by_socket: Array.from({ length: topo.sockets }, (_, k) => byDomain(this.trueEnergy, k * 3)),
      totals: byDomain(measured),
      static_joules: byDomain(this.staticJ),
      host_joules: byDomain(this.hostJ),
      vm_energy_joules: Object.fromEntries(s.vms.map((vm, v) => [vm.name, byDomain(this.vmJ, v * 3)])),
      vm_io_joules: Object.fromEntries(s.vms.map((vm, v) => [vm.name, byDomain(this.vmIoJ, v * 3)])),
      io: Object.fromEntries(s.vms.map((vm, v) => [vm.name, { ops: Math.round(ioOps[v]!), bytes: Math.round(ioOps[v]!) * s.io.op_bytes }])),
      residency_seconds: residency,
      thread_residency_seconds: threads,
      open_spans: openSpans.map((o) => {
        const ent = cast.entities[o.entity]!;
        const vm = vmName(o.entity);
        return { ...(vm !== undefined ? { vm, vcpu: ent.vcpu } : { thread: `${ent.comm}-${ent.tid}` }), pcpu: o.pcpu,
          t0_seconds: o.t0 / 1e6 };
      }),
      event_counts: {
        per_vm: perVm(this.vmCounts),
        io: perVm(this.ioCounts),
        per_pcpu: Object.fromEntries(Array.from({ length: topo.cpus }, (_, p) => [String(p), events(this.pcpuCounts, p)])),
        host: events(this.hostCounts, 0),
        total,
      },
      thermal: {
        model: 'per-core RC network: cores in a row per socket, each coupled to its neighbours and to the package heatsink, '
          + 'heatsink to ambient; backward Euler with one Gauss-Seidel sweep per tick',
        ...s.thermal,
        initial_celsius: this.initial,
        peak_celsius: Array.from(this.peak),
        final_celsius: Array.from(finalTemps),
        heatsink_peak_celsius: Array.from(this.sinkPeak),
      },
      rapl: {
        esu_joules: byDomain(rapl.esuJoules),
        counter_bits: s.rapl.counter_bits,
        max_energy_range_uj: byDomain(rapl.rangeUj),
        update_seconds: s.rapl.update_ms / 1000,
        update_jitter_seconds: s.rapl.update_jitter_ms / 1000,
      },
      files: Object.fromEntries(files.map((f) => [f.file, f])),
    };
  }
}
