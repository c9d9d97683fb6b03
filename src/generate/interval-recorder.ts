import { countBefore, energyAt, overlap, type TickFrame } from './frame.js';
import type { RaplModel } from './rapl.js';
import type { Sample, SampleClock } from './sample-clock.js';

/** What an interval recorder counts: per pCPU, or per entity through a map (entity → key, -1 = not counted). */
export interface CountKeys {
  count: number;
  /** null: the key is the pCPU. */
  ofEntity: Int32Array | null;
  /** Only these event indices are counted (default all). */
  events?: readonly number[];
  /** Xen: VM → key counting dom0's backend work for that VM (-1: not counted), as a dom0 thread. */
  ofBackend?: Int32Array;
}

/**
 * Base of the tools that read counters and RAPL registers at intervals (perf stat, turbostat,
 * powercap). Between two readings it adds up the true event counts and busy time of each key;
 * at a reading it closes the window and reads each socket's RAPL registers as last refreshed
 * before the read instant. Subclasses format `onSample`. Memory: one window per key.
 */
export abstract class IntervalRecorder {
  readonly needsSwitches = false;
  /** Counts of the window that just closed, `[key·events + event]`. */
  protected readonly window: Float64Array;
  /** Busy µs of each key in the window that just closed. */
  protected readonly windowBusy: Float64Array;
  /** Unwrapped RAPL register counts at the reading, `[socket·3 + domain]`. */
  protected readonly registers: Float64Array;
  /** True cumulative energy at the refresh each register value comes from, J, `[socket·3 + domain]`. */
  private readonly trueAtRead: Float64Array;
  private readonly trueFirst: Float64Array;
  private readonly acc: Float64Array;
  private readonly picked: Int32Array;
  private readonly accBusy: Float64Array;
  private readonly captured: Uint8Array;
  private sample: Sample | undefined;
  private cursor: number;
  private countsDone = false;
  private energyMissing = 0;

  constructor(private readonly clock: SampleClock, private readonly keys: CountKeys | null,
    protected readonly events: number, protected readonly rapl: RaplModel | null, private readonly sockets: number) {
    const n = keys ? keys.count : 0;
    this.window = new Float64Array(n * events);
    this.acc = new Float64Array(n * events);
    this.windowBusy = new Float64Array(n);
    this.accBusy = new Float64Array(n);
    this.picked = Int32Array.from(keys?.events ?? Array.from({ length: events }, (_, e) => e));
    this.registers = new Float64Array(sockets * 3);
    this.trueAtRead = new Float64Array(sockets * 3);
    this.trueFirst = new Float64Array(sockets * 3);
    this.captured = new Uint8Array(sockets);
    this.sample = clock.next();
    this.cursor = this.sample ? this.sample.atNs / 1000 : Infinity;
    this.arm();
  }

  private arm(): void {
    this.countsDone = this.keys === null;
    this.energyMissing = this.rapl ? this.sockets : 0;
    this.captured.fill(0);
  }

  /**
   * True energy per domain (all sockets) between the register refreshes behind the first and the
   * latest reading, J: what the file's energy would be without quantisation and rounding.
   */
  protected trueEnergyJoules(): Record<string, number> {
    const out: Record<string, number> = { package: 0, core: 0, dram: 0 };
    for (let k = 0; k < this.trueAtRead.length; k++) {
      const d = ['package', 'core', 'dram'][k % 3]!;
      out[d] = out[d]! + this.trueAtRead[k]! - this.trueFirst[k]!;
    }
    return out;
  }

  /** Called when a reading is complete; `f` is the tick in which it completed. */
  protected abstract onSample(sample: Sample, f: TickFrame): void;

  tick(f: TickFrame): void {
    const end = f.t0 + f.len;
    const due = (t: number): boolean => t < end || (f.last && t <= end);
    while (this.sample) {
      const s = this.sample;
      if (this.energyMissing > 0) this.readRegisters(f, s, due);
      if (!this.countsDone && due(s.atNs / 1000)) {
        const at = s.atNs / 1000;
        this.accumulate(f, this.cursor, at);
        this.cursor = at;
        this.window.set(this.acc);
        this.windowBusy.set(this.accBusy);
        this.acc.fill(0);
        this.accBusy.fill(0);
        this.countsDone = true;
      }
      if (!this.countsDone || this.energyMissing > 0) break;
      if (s.index === 0) this.trueFirst.set(this.trueAtRead);
      this.onSample(s, f);
      this.sample = this.clock.next();
      this.arm();
    }
    if (this.sample) this.accumulate(f, this.cursor, end);
    if (end > this.cursor) this.cursor = end;
  }

  private readRegisters(f: TickFrame, s: Sample, due: (t: number) => boolean): void {
    const rapl = this.rapl!;
    for (let k = 0; k < this.sockets; k++) {
      if (this.captured[k]) continue;
      const u = rapl.lastUpdate(k, s.energyAtNs / 1000);
      if (!due(u)) continue;
      // The refresh lies after the previous reading (intervals exceed the refresh period, see
      // scenario.ts), and that reading completed in this tick or later, so u ≥ f.t0 in practice;
      // the clamp only guards the arithmetic.
      const t = u < f.t0 ? f.t0 : u;
      for (let d = 0; d < 3; d++) {
        const joules = energyAt(f, k, d, t);
        this.trueAtRead[k * 3 + d] = joules;
        this.registers[k * 3 + d] = rapl.count(k, d, joules);
      }
      this.captured[k] = 1;
      this.energyMissing--;
    }
  }

  private accumulate(f: TickFrame, from: number, to: number): void {
    if (!this.keys || to <= from) return;
    const { seg } = f;
    const { ofEntity, ofBackend } = this.keys;
    const whole = from <= f.t0 && to >= f.t0 + f.len;
    for (let s = 0; s < seg.n; s++) {
      const key = ofEntity ? ofEntity[seg.entity[s]!]! : seg.pcpu[s]!;
      if (key >= 0) this.add(f, s, key, seg.counts, s * this.events, 1, whole, from, to);
      if (!ofBackend) continue;
      for (let v = 0; v < seg.vms; v++) {
        const share = seg.served[s * seg.vms + v]!;
        const k = ofBackend[v]!;
        if (share > 0 && k >= 0) this.add(f, s, k, seg.backendCounts, (s * seg.vms + v) * this.events, share, whole, from, to);
      }
    }
  }

  /**
   * Adds to `key` the part in [from, to) of the counts `counts[at…]` spread evenly over segment
   * `s`, and `share` of the segment's run time as busy time.
   */
  private add(f: TickFrame, s: number, key: number, counts: Float64Array, at: number, share: number, whole: boolean,
    from: number, to: number): void {
    const base = key * this.events;
    const picked = this.picked;
    for (let i = 0; i < picked.length; i++) {
      const e = picked[i]!;
      const c = counts[at + e]!;
      this.acc[base + e] = this.acc[base + e]! + (whole ? c : countBefore(f, s, c, to) - countBefore(f, s, c, from));
    }
    this.accBusy[key] = this.accBusy[key]! + share * (whole ? f.seg.len[s]! : overlap(f, s, from, to));
  }
}
