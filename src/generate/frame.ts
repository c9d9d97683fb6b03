import type { SwitchList } from './switch-events.js';

/**
 * What happened on the host during one simulation tick, as the recorders see it. Times are µs
 * from the start of the recording; a segment is one entity running on one pCPU for a stretch of
 * the tick. Arrays are allocated once and reused every tick (recorders must copy what they keep).
 */
export class Segments {
  n = 0;
  readonly entity: Int32Array;
  readonly pcpu: Int32Array;
  /** Start within the tick, µs (whole µs). */
  readonly start: Float64Array;
  /** Length, µs (whole µs, ≥ 1). */
  readonly len: Float64Array;
  /** 1 when the entity blocked at the end of the segment (no work left), else it was still runnable. */
  readonly blocked: Uint8Array;
  /** True event counts (whole numbers), `n × events`. */
  readonly counts: Float64Array;
  /** True dynamic energy, J, `n × 3` (package, core, dram). */
  readonly energy: Float64Array;
  /**
   * Xen: fraction of a dom0 segment's run spent on each VM's backend (I/O) work, `n × vms`
   * (0 for every other segment); the rest of the run is dom0's own work.
   */
  readonly served: Float64Array;
  /** Xen: true event counts of that backend work, `n × vms × events` (part of `counts`). */
  readonly backendCounts: Float64Array;
  /** Xen: true dynamic energy of that backend work, J, `n × vms × 3` (part of `energy`). */
  readonly backendEnergy: Float64Array;

  constructor(capacity: number, readonly events: number, readonly vms: number) {
    this.entity = new Int32Array(capacity);
    this.pcpu = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    this.len = new Float64Array(capacity);
    this.blocked = new Uint8Array(capacity);
    this.counts = new Float64Array(capacity * events);
    this.energy = new Float64Array(capacity * 3);
    this.served = new Float64Array(capacity * vms);
    this.backendCounts = new Float64Array(capacity * vms * events);
    this.backendEnergy = new Float64Array(capacity * vms * 3);
  }
}

export interface TickFrame {
  index: number;
  /** Start, µs. */
  t0: number;
  /** Length, µs (the last tick may be short). */
  len: number;
  /** True for the last tick: samples due exactly at its end are taken. */
  last: boolean;
  seg: Segments;
  /** True cumulative energy at `t0`, J, `[socket·3 + domain]`. */
  energyStart: Float64Array;
  /** Static power, W, `[socket·3 + domain]`. */
  staticWatts: Float64Array;
  /** pCPU → socket. */
  cpuSocket: Int32Array;
  /** Core clock per socket, MHz. */
  freqMhz: Float64Array;
  /** Sockets whose clock changed at `t0`, with the previous clock. */
  freqChanges: { socket: number; oldMhz: number; newMhz: number }[];
  /** Core temperatures at the end of the tick, °C. */
  coreTemps: Float64Array;
  /** Package (heatsink) temperatures at the end of the tick, °C. */
  heatsinkTemps: Float64Array;
  /** I/O operations each VM has requested since the start (cumulative, at the end of the tick). */
  ioOps: Float64Array;
  /** Context switches in the tick, in time order (only when a recorder asked for them). */
  switches: SwitchList;
}

/** Fraction of segment `s` that lies before time `t` (µs). */
function fractionBefore(f: TickFrame, s: number, t: number): number {
  const x = (t - f.t0 - f.seg.start[s]!) / f.seg.len[s]!;
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

/**
 * True cumulative energy of domain `d` (0 package, 1 core, 2 dram) of `socket` at time `t` µs
 * inside the frame, J: static power accrues evenly, a segment's energy evenly over the segment.
 */
export function energyAt(f: TickFrame, socket: number, d: number, t: number): number {
  const k = socket * 3 + d;
  let e = f.energyStart[k]! + f.staticWatts[k]! * (t - f.t0) * 1e-6;
  const seg = f.seg;
  for (let s = 0; s < seg.n; s++) {
    if (f.cpuSocket[seg.pcpu[s]!] === socket) e += seg.energy[s * 3 + d]! * fractionBefore(f, s, t);
  }
  return e;
}

/**
 * Part of count `c` of segment `s` (spread evenly over the segment) that happened before time
 * `t` µs, rounded so that the parts between consecutive boundaries are whole numbers adding up
 * to the count.
 */
export function countBefore(f: TickFrame, s: number, c: number, t: number): number {
  const x = fractionBefore(f, s, t);
  return x === 0 ? 0 : x === 1 ? c : Math.round(c * x);
}

/** µs of segment `s` that lie in [from, to). */
export function overlap(f: TickFrame, s: number, from: number, to: number): number {
  const a = f.t0 + f.seg.start[s]!;
  const b = a + f.seg.len[s]!;
  const lo = a > from ? a : from;
  const hi = b < to ? b : to;
  return hi > lo ? hi - lo : 0;
}
