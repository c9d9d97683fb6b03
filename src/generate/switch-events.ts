import type { TickFrame } from './frame.js';

/** Context switches of one tick, sorted by (time, pCPU). Entity -1 is the idle task/vCPU. */
export class SwitchList {
  n = 0;
  /** Time of the switch, µs from the start (whole µs). */
  time = new Float64Array(64);
  pcpu = new Int32Array(64);
  prev = new Int32Array(64);
  /** 1 when `prev` blocked (state S / runstate blocked), 0 when it was preempted (R / runnable). */
  prevBlocked = new Uint8Array(64);
  next = new Int32Array(64);
  /** 1 when `next` had blocked since it last ran (Xen records a wake-up first). */
  nextWoke = new Uint8Array(64);

  push(time: number, pcpu: number, prev: number, prevBlocked: number, next: number, nextWoke: number): void {
    if (this.n === this.time.length) this.grow();
    const k = this.n++;
    this.time[k] = time;
    this.pcpu[k] = pcpu;
    this.prev[k] = prev;
    this.prevBlocked[k] = prevBlocked;
    this.next[k] = next;
    this.nextWoke[k] = nextWoke;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(cap);
      b.set(a);
      return b;
    };
    this.time = copy(this.time, Float64Array);
    this.pcpu = copy(this.pcpu, Int32Array);
    this.prev = copy(this.prev, Int32Array);
    this.prevBlocked = copy(this.prevBlocked, Uint8Array);
    this.next = copy(this.next, Int32Array);
    this.nextWoke = copy(this.nextWoke, Uint8Array);
  }

  /** Sorts the switches by (time, pCPU); switches of one pCPU keep their order. */
  sort(): void {
    const idx = Array.from({ length: this.n }, (_, i) => i);
    idx.sort((a, b) => this.time[a]! - this.time[b]! || this.pcpu[a]! - this.pcpu[b]! || a - b);
    const snapshot = [this.time.slice(0, this.n), this.pcpu.slice(0, this.n), this.prev.slice(0, this.n),
      this.prevBlocked.slice(0, this.n), this.next.slice(0, this.n), this.nextWoke.slice(0, this.n)] as const;
    for (let k = 0; k < this.n; k++) {
      const i = idx[k]!;
      this.time[k] = snapshot[0][i]!;
      this.pcpu[k] = snapshot[1][i]!;
      this.prev[k] = snapshot[2][i]!;
      this.prevBlocked[k] = snapshot[3][i]!;
      this.next[k] = snapshot[4][i]!;
      this.nextWoke[k] = snapshot[5][i]!;
    }
  }
}

/** A stretch still running when the recording stopped: no switch closes it. */
export interface OpenSpan {
  entity: number;
  pcpu: number;
  /** Switch-in time, µs. */
  t0: number;
}

/**
 * Turns each tick's segments into the context switches a tracer would record. All pCPUs are idle
 * at time 0. An entity that runs up to the end of a tick and is placed at the start of the next
 * on the same pCPU keeps running (no switch); otherwise it leaves at the tick boundary, as
 * preempted (R) or blocked (S).
 */
export class SwitchTracker {
  private readonly holder: Int32Array;
  private readonly holderBlocked: Uint8Array;
  private readonly since: Float64Array;
  private readonly asleep: Uint8Array;
  private byPcpu = new Int32Array(0);
  private readonly first: Int32Array;
  private readonly fill: Int32Array;

  constructor(private readonly pcpus: number, entities: number) {
    this.holder = new Int32Array(pcpus).fill(-1);
    this.holderBlocked = new Uint8Array(pcpus);
    this.since = new Float64Array(pcpus);
    this.asleep = new Uint8Array(entities);
    this.first = new Int32Array(pcpus + 1);
    this.fill = new Int32Array(pcpus + 1);
  }

  /** Fills `frame.switches` from `frame.seg` (whose `blocked` flags must be final). */
  update(frame: TickFrame): void {
    const { seg, t0, len } = frame;
    const out = frame.switches;
    out.n = 0;
    this.groupByPcpu(frame);
    const emit = (t: number, p: number, prev: number, blocked: number, next: number): void => {
      let woke = 0;
      if (next >= 0) {
        woke = this.asleep[next]!;
        this.asleep[next] = 0;
        this.since[p] = t0 + t;
      }
      if (prev >= 0 && blocked) this.asleep[prev] = 1;
      out.push(t0 + t, p, prev, blocked, next, woke);
    };
    for (let p = 0; p < this.pcpus; p++) {
      let h = this.holder[p]!;
      let hEnd = 0;
      let hBlocked = this.holderBlocked[p]!;
      let pending = h >= 0;
      for (let k = this.first[p]!; k < this.first[p + 1]!; k++) {
        const s = this.byPcpu[k]!;
        const e = seg.entity[s]!;
        const start = seg.start[s]!;
        // the same entity again without a gap (it continued, or its sleep was too short to show) is no switch
        if (!(e === h && hEnd === start)) {
          if (h >= 0 && hEnd === start) emit(start, p, h, hBlocked, e);
          else {
            if (h >= 0) emit(hEnd, p, h, hBlocked, -1);
            emit(start, p, -1, 0, e);
          }
        }
        pending = false;
        h = e;
        hEnd = start + seg.len[s]!;
        hBlocked = seg.blocked[s]!;
      }
      if (h >= 0 && hEnd < len) {
        emit(hEnd, p, h, pending ? hBlocked : 1, -1);
        h = -1;
      }
      this.holder[p] = h;
      this.holderBlocked[p] = hBlocked;
    }
    out.sort();
  }

  /** Segment indices grouped by pCPU, each group in start order (placement order is start order). */
  private groupByPcpu(frame: TickFrame): void {
    const seg = frame.seg;
    if (this.byPcpu.length < seg.n) this.byPcpu = new Int32Array(seg.entity.length);
    const first = this.first;
    first.fill(0);
    for (let s = 0; s < seg.n; s++) first[seg.pcpu[s]! + 1] = first[seg.pcpu[s]! + 1]! + 1;
    for (let p = 0; p < this.pcpus; p++) first[p + 1] = first[p + 1]! + first[p]!;
    const fill = this.fill;
    fill.set(first);
    for (let s = 0; s < seg.n; s++) {
      const p = seg.pcpu[s]!;
      this.byPcpu[fill[p]!] = s;
      fill[p] = fill[p]! + 1;
    }
  }

  /** What still runs when the recording stops (call after the last tick). */
  openSpans(): OpenSpan[] {
    const spans: OpenSpan[] = [];
    for (let p = 0; p < this.pcpus; p++) {
      const e = this.holder[p]!;
      if (e >= 0) spans.push({ entity: e, pcpu: p, t0: this.since[p]! });
    }
    return spans;
  }
}
