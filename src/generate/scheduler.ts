import type { Cast } from './entities.js';
import type { Segments } from './frame.js';
import type { HostTopology } from './topology.js';

/** How fast recent CPU use is forgotten when ranking entities, per tick. */
const usageDecay = 0.95;

/**
 * A credit-like host scheduler: each tick, an entity that ran to the end of the last tick keeps
 * its pCPU (until its timeslice is used up); everything else runnable is served boosted work
 * first, then least recent use per weight first, each on the pCPU where it can start earliest,
 * preferring the one it last ran on (cache affinity) and then a pCPU whose SMT sibling is idle.
 * An entity runs at most once per tick; preemption happens at tick boundaries.
 */
export class Scheduler {
  private readonly lastPcpu: Int32Array;
  private readonly ranToEnd: Uint8Array;
  /** The entity's last segment reached the end of the tick (so its switch-out is at the next tick's start). */
  private readonly heldAtEnd: Uint8Array;
  private readonly runLen: Float64Array;
  private readonly usage: Float64Array;
  private readonly placed: Uint8Array;
  private readonly allowed: Uint8Array;
  private readonly pcpuFree: Float64Array;
  /** 1 when an entity was still running on the pCPU at the end of the last tick. */
  private readonly held: Uint8Array;
  private readonly sibling: Int32Array;
  private readonly order: number[] = [];
  private readonly key: Float64Array;
  private readonly boost: Uint8Array;
  private readonly weight: Float64Array;
  private readonly n: number;
  private readonly p: number;

  constructor(cast: Cast, topo: HostTopology, private readonly timesliceUs: number) {
    this.n = cast.entities.length;
    this.p = topo.cpus;
    this.lastPcpu = new Int32Array(this.n).fill(-1);
    this.ranToEnd = new Uint8Array(this.n);
    this.heldAtEnd = new Uint8Array(this.n);
    this.runLen = new Float64Array(this.n);
    this.usage = new Float64Array(this.n);
    this.placed = new Uint8Array(this.n);
    this.pcpuFree = new Float64Array(this.p);
    this.held = new Uint8Array(this.p);
    this.allowed = new Uint8Array(this.n * this.p);
    this.key = new Float64Array(this.n);
    this.boost = Uint8Array.from(cast.entities, (e) => (e.boost ? 1 : 0));
    this.weight = Float64Array.from(cast.entities, (e) => e.weight);
    this.sibling = new Int32Array(this.p).fill(-1);
    if (topo.threadsPerCore === 2) {
      for (let c = 0; c < this.p; c++) this.sibling[c] = (c + topo.cores) % this.p;
    }
    cast.entities.forEach((ent, e) => {
      if (ent.affinity) for (const c of ent.affinity) this.allowed[e * this.p + c] = 1;
      else this.allowed.fill(1, e * this.p, (e + 1) * this.p);
    });
  }

  /** Places the runnable entities of a tick of `len` µs; writes `seg` (entity, pcpu, start, len). */
  schedule(len: number, ready: Float64Array, want: Float64Array, seg: Segments): void {
    seg.n = 0;
    this.pcpuFree.fill(0);
    this.placed.fill(0);
    // 1. Whoever ran to the end of the last tick continues, within its timeslice.
    for (let e = 0; e < this.n; e++) {
      const home = this.lastPcpu[e]!;
      if (this.ranToEnd[e] && ready[e] === 0 && want[e]! > 0 && this.runLen[e]! < this.timesliceUs
        && this.pcpuFree[home] === 0) this.place(e, home, 0, len, want, seg);
    }
    // 2. The rest in credit order.
    const order = this.order;
    const key = this.key;
    order.length = 0;
    for (let e = 0; e < this.n; e++) {
      if (this.placed[e] || ready[e]! < 0 || want[e]! <= 0) continue;
      order.push(e);
      // boosted work first, then least recent use per weight (usage ≥ 0, so -1 sorts boosts ahead)
      key[e] = this.boost[e] ? -1 / (1 + this.usage[e]!) : this.usage[e]! / this.weight[e]!;
    }
    order.sort((a, b) => key[a]! - key[b]! || a - b);
    for (const e of order) {
      const p = this.choose(e, ready[e]!);
      if (p >= 0) {
        const start = this.earliest(e, p, ready[e]!);
        if (start < len) this.place(e, p, start, len, want, seg);
      }
    }
  }

  private place(e: number, p: number, start: number, len: number, want: Float64Array, seg: Segments): void {
    const run = Math.min(want[e]!, len - start);
    const k = seg.n++;
    seg.entity[k] = e;
    seg.pcpu[k] = p;
    seg.start[k] = start;
    seg.len[k] = run;
    seg.blocked[k] = 0;
    this.pcpuFree[p] = start + run;
    this.placed[e] = 1;
  }

  /**
   * When `e` can start on `p`: once `p` is free and `e` is ready, and not at the very instant it
   * left another pCPU (a migrating task is switched out before it is switched in elsewhere).
   */
  private earliest(e: number, p: number, ready: number): number {
    const f = this.pcpuFree[p]!;
    const start = f > ready ? f : ready;
    return start === 0 && this.heldAtEnd[e] && this.lastPcpu[e] !== p ? 1 : start;
  }

  /** The allowed pCPU where `e` can start earliest, or -1. */
  private choose(e: number, ready: number): number {
    const home = this.lastPcpu[e]!;
    const base = e * this.p;
    if (home >= 0 && this.allowed[base + home] && this.pcpuFree[home]! <= ready) return home;
    let best = -1;
    let bestStart = Infinity;
    let bestCost = 4;
    for (let p = 0; p < this.p; p++) {
      if (!this.allowed[base + p]) continue;
      const start = this.earliest(e, p, ready);
      const sib = this.sibling[p]!;
      // avoid preempting whoever held the pCPU at the tick boundary, then a busy SMT sibling
      const cost = (this.held[p] && this.pcpuFree[p] === 0 ? 2 : 0) + (sib >= 0 && this.pcpuFree[sib]! > 0 ? 1 : 0);
      if (start < bestStart || (start === bestStart && cost < bestCost)) {
        best = p;
        bestStart = start;
        bestCost = cost;
        // nothing can start earlier than `ready` at no cost: the rest of the scan cannot win
        if (start <= ready && cost === 0) break;
      }
    }
    return best;
  }

  /** Updates affinity and fairness state once the segments' `blocked` flags are known. */
  commit(seg: Segments, len: number): void {
    for (let e = 0; e < this.n; e++) this.usage[e] = this.usage[e]! * usageDecay;
    const wasAtEnd = this.ranToEnd;
    const next = this.placed; // reused: 1 = ran to the end still runnable
    const runLen = this.runLen;
    next.fill(0);
    this.heldAtEnd.fill(0);
    this.held.fill(0);
    for (let s = 0; s < seg.n; s++) {
      const e = seg.entity[s]!;
      const p = seg.pcpu[s]!;
      const start = seg.start[s]!;
      const run = seg.len[s]!;
      // each entity has one segment per tick, so lastPcpu still holds the previous tick's pCPU
      runLen[e] = wasAtEnd[e] && this.lastPcpu[e] === p && start === 0 ? runLen[e]! + run : run;
      this.lastPcpu[e] = p;
      this.usage[e] = this.usage[e]! + run;
      if (start + run >= len) {
        this.heldAtEnd[e] = 1;
        if (!seg.blocked[s]) {
          next[e] = 1;
          this.held[p] = 1;
        }
      }
    }
    for (let e = 0; e < this.n; e++) {
      if (!next[e]) runLen[e] = 0;
      wasAtEnd[e] = next[e]!;
    }
  }
}
