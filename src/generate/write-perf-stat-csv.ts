import { join } from 'node:path';
import { ascii, AsciiBuffer } from './ascii-buffer.js';
import { ChunkWriter } from './chunk-writer.js';
import { perfEnergyEvents, type GenContext } from './context.js';
import { domains } from './defaults.js';
import { IntervalRecorder, type CountKeys } from './interval-recorder.js';
import type { FileSummary, Recorder } from './recorder.js';
import { Rng } from './rng.js';
import { SampleClock, type Sample } from './sample-clock.js';
import { ctime, fixed2, perfStamp } from './format.js';

/**
 * Which `perf stat` aggregation the file shows: `-A` per CPU, `--per-thread` on the QEMU
 * processes, per cgroup (`-G`), or `--per-thread` inside Xen's dom0 on the guests' backend
 * threads (`backend`).
 */
export type PerfMode = 'cpu' | 'thread' | 'cgroup' | 'backend';

const endEmptyMetric = ascii(',\n');

/** perf's derived metric of an event (value, unit), from the other events of the same row key. */
interface MetricRule { event: string; over: string; scale: number; unit: string }
const metricRules: MetricRule[] = [
  { event: 'instructions', over: 'cycles', scale: 1, unit: 'insn per cycle' },
  { event: 'branch-misses', over: 'branch-instructions', scale: 100, unit: 'of all branches' },
  { event: 'cache-misses', over: 'cache-references', scale: 100, unit: 'of all cache refs' },
];

/**
 * `perf stat -x, -I <ms>` in CSV (TRACE-FORMATS.md §1.2): per interval, one row per event and
 * CPU (`-A`, RAPL events on each socket's first CPU), per thread (`--per-thread`, sorted by
 * value, `<not counted>` when the thread did not run: the QEMU processes' threads, or dom0's
 * block backend threads `blkback.<domid>.xvda`), or per VM cgroup (`--for-each-cgroup`).
 * Values are multiplex-scaled counts with noise; events beyond the general-purpose counters run
 * only part of the time (percentage column below 100).
 */
class PerfStatRecorder extends IntervalRecorder implements Recorder {
  private readonly labels: string[];
  private readonly gp: Uint8Array;
  private readonly share: number;
  private readonly rng: Rng;
  private readonly measured: Float64Array;
  private readonly runningNs: Float64Array;
  private readonly fraction: Float64Array;
  /** The metric rule of each event (by index), if perf derives one. */
  private readonly ruleOf: ({ over: number; scale: number; unit: Uint8Array } | undefined)[];
  private readonly buf: AsciiBuffer;
  /** Row start after the stamp (`CPU3,` / `comm-tid,`; empty for cgroups), per key. */
  private readonly lead: Uint8Array[];
  /** Between value and running time (`,,event,` or `,,event,cgroup,`), per key and event. */
  private readonly mid: Uint8Array[];
  /** The rest of a `<not counted>` row, per key and event. */
  private readonly notCounted: Uint8Array[];
  private stamp: Uint8Array = new Uint8Array(0);
  private readonly prevRegisters: Float64Array;
  private readonly totals: Float64Array;
  private readonly joules = new Float64Array(3);
  private readonly order: number[] = [];
  private prevNs = 0;
  private startNs = 0;
  private endNs = 0;
  private rows = 0;

  constructor(private readonly ctx: GenContext, private readonly mode: PerfMode, readonly out: ChunkWriter,
    private readonly file: string, clock: SampleClock, keys: CountKeys, labels: string[]) {
    const s = ctx.scenario;
    super(clock, keys, s.events.length, mode === 'cpu' ? ctx.rapl : null, ctx.topo.sockets);
    this.labels = labels;
    this.gp = Uint8Array.from(s.events, (e) => (s.pmu.fixed.includes(e) ? 0 : 1));
    const nGp = this.gp.reduce((a, b) => a + b, 0);
    this.share = nGp > s.pmu.gp_counters ? s.pmu.gp_counters / nGp : 1;
    this.rng = new Rng(ctx.seed, `perf-stat:${mode}`);
    this.measured = new Float64Array(keys.count * this.events);
    this.runningNs = new Float64Array(keys.count * this.events);
    this.fraction = new Float64Array(keys.count * this.events);
    this.ruleOf = s.events.map((ev) => {
      const r = metricRules.find((m) => m.event === ev && s.events.includes(m.over));
      return r && { over: s.events.indexOf(r.over), scale: r.scale, unit: ascii(`,${r.unit}\n`) };
    });
    this.buf = new AsciiBuffer(out);
    const cgroup = mode === 'cgroup';
    this.lead = labels.map((l) => ascii(cgroup ? '' : `${l},`));
    const mid = labels.flatMap((l) => s.events.map((ev) => (cgroup ? `,,${ev},${l},` : `,,${ev},`)));
    this.mid = mid.map(ascii);
    this.notCounted = mid.map((m) => ascii(`<not counted>${m}0,100.00,,\n`));
    this.prevRegisters = new Float64Array(ctx.topo.sockets * 3);
    this.totals = new Float64Array(this.events);
  }

  protected onSample(sample: Sample): void {
    if (sample.index === 0) {
      this.startNs = this.prevNs = this.endNs = sample.atNs;
      const epoch = this.ctx.scenario.start_epoch_seconds + sample.atNs / 1e9;
      this.buf.bytes(ascii(`# started on ${ctime(epoch)}\n\n`));
      this.prevRegisters.set(this.registers);
      return;
    }
    const windowNs = sample.atNs - this.prevNs;
    this.prevNs = this.endNs = sample.atNs;
    this.measure(windowNs);
    const stamp = `${perfStamp(sample.atNs - this.startNs)},`;
    this.stamp = ascii(stamp);
    if (this.mode === 'thread' || this.mode === 'backend') this.threadRows();
    else this.keyRows();
    if (this.mode === 'cpu') this.energyRows(stamp, windowNs);
    this.buf.settle();
  }

  /** Measured (noisy, multiplex-scaled) values, running ns (-1: not counted) and running fraction of every key and event. */
  private measure(windowNs: number): void {
    const { counter_relative: sc, multiplex_relative: sm } = this.ctx.scenario.noise;
    const ne = this.events;
    const muxError = this.share < 1 ? sm * Math.sqrt((1 - this.share) / this.share) : 0;
    for (let key = 0; key < this.labels.length; key++) {
      // system-wide counters are enabled all interval; per-task ones only while the task runs
      const enabledNs = this.mode === 'cpu' ? windowNs : this.windowBusy[key]! * 1000;
      for (let e = 0; e < ne; e++) {
        const i = key * ne + e;
        let v = this.window[i]! * (1 + sc * this.rng.centred());
        let r = 1;
        if (this.gp[e] && this.share < 1) {
          r = Math.min(1, this.share * (1 + 0.004 * this.rng.centred()));
          v *= 1 + muxError * this.rng.centred();
        }
        this.measured[i] = Math.round(v > 0 ? v : 0);
        this.fraction[i] = r;
        this.runningNs[i] = enabledNs > 0 ? Math.round(enabledNs * r) : -1;
      }
    }
  }

  private line(key: number, e: number): void {
    const b = this.buf;
    const i = key * this.events + e;
    b.bytes(this.stamp);
    b.bytes(this.lead[key]!);
    const runNs = this.runningNs[i]!;
    this.rows++;
    if (runNs < 0) {
      b.bytes(this.notCounted[i]!);
      return;
    }
    const v = this.measured[i]!;
    this.totals[e] = this.totals[e]! + v;
    b.uint(v);
    b.bytes(this.mid[i]!);
    b.uint(runNs);
    b.byte(44);
    b.fixed2(this.fraction[i]! * 100);
    b.byte(44);
    const rule = this.ruleOf[e];
    const over = rule === undefined ? 0 : this.measured[key * this.events + rule.over]!;
    if (rule !== undefined && over > 0) {
      b.fixed2((v / over) * rule.scale);
      b.bytes(rule.unit);
    } else b.bytes(endEmptyMetric);
  }

  private keyRows(): void {
    // -A: grouped by event then CPU; -G: by cgroup then event
    const n = this.labels.length;
    if (this.mode === 'cpu') {
      for (let e = 0; e < this.events; e++) for (let k = 0; k < n; k++) this.line(k, e);
    } else {
      for (let k = 0; k < n; k++) for (let e = 0; e < this.events; e++) this.line(k, e);
    }
  }

  private threadRows(): void {
    const ne = this.events;
    const order = this.order;
    for (let e = 0; e < ne; e++) {
      order.length = 0;
      for (let k = 0; k < this.labels.length; k++) order.push(k);
      // perf sorts --per-thread rows by value; threads that did not run come last
      order.sort((a, b) => {
        const na = this.runningNs[a * ne + e]! < 0 ? 1 : 0;
        const nb = this.runningNs[b * ne + e]! < 0 ? 1 : 0;
        return na - nb || this.measured[b * ne + e]! - this.measured[a * ne + e]! || a - b;
      });
      for (const k of order) this.line(k, e);
    }
  }

  private energyRows(stamp: string, windowNs: number): void {
    const { rapl, topo } = this.ctx;
    for (let d = 0; d < 3; d++) {
      for (let s = 0; s < topo.sockets; s++) {
        const k = s * 3 + d;
        const text = fixed2((this.registers[k]! - this.prevRegisters[k]!) * rapl.esuJoules[d]!);
        this.joules[d] = this.joules[d]! + Number(text);
        this.rows++;
        this.buf.bytes(ascii(`${stamp}CPU${topo.socketFirstCpu[s]},${text},Joules,${perfEnergyEvents[d]},${windowNs},100.00,,\n`));
      }
    }
    this.prevRegisters.set(this.registers);
  }

  async finish(): Promise<FileSummary> {
    this.buf.hand();
    await this.out.close();
    const s = this.ctx.scenario;
    const events = s.events.join(',');
    const perf = `perf stat -x, -I ${s.recorders.perf_interval_ms}`;
    const vms = this.ctx.cast.vms;
    const command = this.mode === 'cpu'
      ? `${perf} -a -A -e ${events},${perfEnergyEvents.join(',')} -o ${this.file}`
      : this.mode === 'thread'
        ? `${perf} --per-thread -p ${vms.map((v) => v.pid).join(',')} -e ${events} -o ${this.file}`
        : this.mode === 'backend'
          ? `${perf} --per-thread -t ${vms.flatMap((v) => v.backendTid ?? []).join(',')} -e ${events} -o ${this.file}`
          : `${perf} -a -e ${events} --for-each-cgroup ${vms.map((v) => v.cgroup).join(',')} -o ${this.file}`;
    return {
      file: this.file, format: 'perf-stat-csv', command, bytes: this.out.written, rows: this.rows,
      start_seconds: this.startNs / 1e9, end_seconds: this.endNs / 1e9,
      event_totals: Object.fromEntries(s.events.map((e, i) => [e, this.totals[i]!])),
      ...(this.mode === 'cpu' ? {
        energy_joules: Object.fromEntries(domains.map((d, i) => [d, this.joules[i]!])),
        true_energy_joules: this.trueEnergyJoules(),
      } : {}),
    };
  }
}

/** Opens `<dir>/<file>` and returns the recorder for one `perf stat` aggregation mode. */
export async function createPerfStatRecorder(ctx: GenContext, mode: PerfMode, dir: string, file: string): Promise<Recorder> {
  const { scenario: s, cast, topo } = ctx;
  const rng = new Rng(ctx.seed, `perf-clock:${mode}`);
  const clock = new SampleClock(rng, {
    startNs: Math.round(rng.between(0.2e6, 2e6)), endNs: ctx.durationUs * 1000,
    intervalNs: Math.round(s.recorders.perf_interval_ms * 1e6), drift: rng.between(2e-4, 1.2e-3), jitterNs: 300e3,
    energyDelayNs: [5e3, 60e3],
  });
  let keys: CountKeys;
  let labels: string[];
  if (mode === 'cpu') {
    keys = { count: topo.cpus, ofEntity: null };
    labels = Array.from({ length: topo.cpus }, (_, c) => `CPU${c}`);
  } else if (mode === 'backend') {
    const ofBackend = new Int32Array(cast.vms.length).fill(-1);
    labels = [];
    cast.vms.forEach((vm, v) => {
      if (vm.backendTid === undefined) return;
      ofBackend[v] = labels.length;
      labels.push(`blkback.${vm.domid}.xvda-${vm.backendTid}`);
    });
    keys = { count: labels.length, ofEntity: new Int32Array(cast.entities.length).fill(-1), ofBackend };
  } else {
    const ofEntity = new Int32Array(cast.entities.length).fill(-1);
    labels = [];
    cast.vms.forEach((vm, v) => {
      for (const e of [...vm.vcpuEntities, vm.ioEntity]) {
        if (e < 0) continue;
        const ent = cast.entities[e]!;
        if (mode === 'thread') {
          ofEntity[e] = labels.length;
          labels.push(`${ent.comm}-${ent.tid}`);
        } else ofEntity[e] = v;
      }
      if (mode === 'cgroup') labels.push(vm.cgroup!);
    });
    keys = { count: labels.length, ofEntity };
  }
  return new PerfStatRecorder(ctx, mode, await ChunkWriter.create(join(dir, file)), file, clock, keys, labels);
}
