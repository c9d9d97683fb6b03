/** Something a `TickMerge` orders: an integer time in ticks and the per-CPU stream it came from. */
export interface Ticked {
  readonly tick: number;
  readonly pcpu: number;
}

/** Limits of a `TickMerge`, in events. */
export interface TickMergeLimits {
  /** Most events buffered at any time (default 2^20, ≈ 100 MB of small event objects). */
  cap?: number;
  /** Most events buffered before the first round is taken as complete (default 2^16). */
  firstRoundCap?: number;
}

/**
 * Bounded k-way merge of per-pCPU streams that are each (nearly) time-ordered but interleave
 * arbitrarily, as xentrace's per-pCPU buffer windows do. Events wait in a min-heap keyed by
 * (tick, arrival order) and are released once every pCPU seen so far has reached their tick
 * (the watermark = min over pCPUs of the latest tick seen on each). Nothing is released during
 * the first round, because the set of pCPUs is not known before each has dumped its first
 * window: the round ends when some pCPU's stream resumes after another's, when the reader says
 * so (`endFirstRound`, e.g. at a second window of the same pCPU), or after `firstRoundCap` events.
 *
 * Memory bound: the heap holds only events newer than the slowest pCPU's latest tick (plus the
 * first round) — with xentrace, about one trace buffer (`-S` pages) per pCPU. A pCPU that stops
 * producing records would hold the watermark back forever, so at `cap` events the oldest are
 * released regardless (`overflowed` becomes true) and global order is no longer guaranteed.
 * Events older than something already released (a pCPU first seen late) are still released,
 * counted in `late`: per-pCPU order is kept, only the interleaving with other pCPUs is off.
 */
export class TickMerge<E extends Ticked> {
  private readonly items: E[] = [];
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly latest = new Map<number, number>();
  private watermark = -Infinity;
  private seq = 0;
  private lastPcpu = -1;
  private firstRound = true;
  /** Highest tick released so far. */
  released = -Infinity;
  /** Events that arrived after a newer event had been released. */
  late = 0;
  /** True once the cap forced a release ahead of the watermark. */
  overflowed = false;

  private readonly cap: number;
  private readonly firstRoundCap: number;

  constructor(private readonly emit: (event: E) => void, limits: TickMergeLimits = {}) {
    this.cap = limits.cap ?? 1 << 20;
    this.firstRoundCap = limits.firstRoundCap ?? 1 << 16;
  }

  /** Every pCPU has dumped its first window: start releasing. */
  endFirstRound(): void {
    this.firstRound = false;
  }

  /** Adds one event and releases everything at or below the new watermark. */
  push(event: E): void {
    if (event.tick < this.released) this.late++;
    this.insert(event);
    this.see(event.pcpu, event.tick);
  }

  /** Notes that `pcpu`'s stream reached `tick` (for records that carry no event). */
  see(pcpu: number, tick: number): void {
    const prev = this.latest.get(pcpu);
    if (prev === undefined) {
      this.latest.set(pcpu, tick);
      this.watermark = this.latest.size === 1 ? tick : Math.min(this.watermark, tick);
    } else {
      if (pcpu !== this.lastPcpu) this.firstRound = false;
      if (tick > prev) {
        this.latest.set(pcpu, tick);
        // Only the pCPU holding the minimum can move the watermark.
        if (prev === this.watermark) {
          let min = Infinity;
          for (const t of this.latest.values()) if (t < min) min = t;
          this.watermark = min;
        }
      }
    }
    this.lastPcpu = pcpu;
    if (this.keys.length > this.firstRoundCap) this.firstRound = false;
    if (!this.firstRound) {
      while (this.keys.length > 0 && this.keys[0]! <= this.watermark) this.pop();
    }
    while (this.keys.length > this.cap) {
      this.overflowed = true;
      this.pop();
    }
  }

  /** Releases everything still buffered (end of input). */
  finish(): void {
    while (this.keys.length > 0) this.pop();
  }

  /** Number of events waiting. */
  get size(): number {
    return this.keys.length;
  }

  private before(i: number, j: number): boolean {
    const a = this.keys[i]!;
    const b = this.keys[j]!;
    return a < b || (a === b && this.seqs[i]! < this.seqs[j]!);
  }

  private swap(i: number, j: number): void {
    const { items, keys, seqs } = this;
    [items[i], items[j]] = [items[j]!, items[i]!];
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    [seqs[i], seqs[j]] = [seqs[j]!, seqs[i]!];
  }

  private insert(event: E): void {
    let i = this.keys.length;
    this.items.push(event);
    this.keys.push(event.tick);
    this.seqs.push(this.seq++);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): void {
    const top = this.items[0]!;
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.items.pop();
    this.keys.pop();
    this.seqs.pop();
    const n = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.before(l, m)) m = l;
      if (r < n && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    if (top.tick > this.released) this.released = top.tick;
    this.emit(top);
  }
}
