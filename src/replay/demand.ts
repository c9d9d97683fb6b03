import type { ColumnChunk } from '../store/columns.js';
import { ColumnCursor } from './column-cursor.js';
import { grow } from './grow.js';

/** Timing of the replay: tick k covers [startSeconds + k·tickSeconds, … + tickSeconds). */
export interface TickClock {
  startSeconds: number;
  tickSeconds: number;
}

/**
 * The recording's demand, fed to the engine one block of ticks at a time so memory stays
 * bounded by the block, whatever the trace length.
 *
 * Demand model: a vCPU wants, in each tick, exactly the time it ran in the recording during
 * that tick (residency spans cut at tick edges). The recording shows delivered time, so this
 * is a lower bound of what the VM wanted; work a policy does not deliver is carried as
 * backlog. The pCPU it ran on longest in the tick is the recorded placement. Event rates
 * (events per running second, per vCPU and event) change at the recording's sample intervals
 * and come as a list of changes per block (`changeTick`, `changeSlot`, `changeEvent`,
 * `changeRate`); slot j < vcpus is vCPU j, slot vcpus + p the host's own (unattributed) load on
 * pCPU p, whose rate is per second of wall time. A rate change takes effect at the tick
 * nearest its interval start.
 */
export class DemandFeed {
  /** Demand arriving per tick of the block and vCPU, CPU-s; index k × vcpus + j. */
  readonly arrive: Float64Array;
  /** Recorded pCPU per tick of the block and vCPU (−1 = did not run). */
  readonly recordedPcpu: Int32Array;
  /** Per-tick views of `arrive` and `recordedPcpu`, made once. */
  readonly arriveViews: Float64Array[];
  readonly recordedViews: Int32Array[];
  changeTick: Int32Array = new Int32Array(256);
  changeSlot: Int32Array = new Int32Array(256);
  changeEvent: Int32Array = new Int32Array(256);
  changeRate: Float64Array = new Float64Array(256);
  /** Rate changes in this block. */
  changes = 0;

  readonly #best: Float64Array;
  /** Tick edges of the block, s: entry i is tick first + i's start (`blockTicks` + 1 entries), and each tick's width. */
  readonly #edge: Float64Array;
  readonly #width: Float64Array;
  readonly #residency: ColumnCursor;
  readonly #rates: ColumnCursor;
  // Spans reaching past the end of the previous block, as parallel arrays.
  #carryJ: Int32Array = new Int32Array(64);
  #carryP: Int32Array = new Int32Array(64);
  #carryT0: Float64Array = new Float64Array(64);
  #carryT1: Float64Array = new Float64Array(64);
  #carried = 0;

  constructor(residency: AsyncIterator<ColumnChunk>, rates: AsyncIterator<ColumnChunk>,
    readonly vcpus: number, readonly clock: TickClock, readonly blockTicks: number) {
    this.arrive = new Float64Array(blockTicks * vcpus);
    this.recordedPcpu = new Int32Array(blockTicks * vcpus);
    this.#best = new Float64Array(blockTicks * vcpus);
    this.#edge = new Float64Array(blockTicks + 1);
    this.#width = new Float64Array(blockTicks);
    this.arriveViews = Array.from({ length: blockTicks }, (_, k) => this.arrive.subarray(k * vcpus, (k + 1) * vcpus));
    this.recordedViews = Array.from({ length: blockTicks }, (_, k) => this.recordedPcpu.subarray(k * vcpus, (k + 1) * vcpus));
    this.#residency = new ColumnCursor(residency);
    this.#rates = new ColumnCursor(rates);
  }

  /** Fills ticks first … first + ticks − 1 (ticks ≤ blockTicks); blocks must come in order. */
  async fill(first: number, ticks: number): Promise<void> {
    // The ticks run synchronously, so reads DuckDB finished meanwhile wait for the event loop: let
    // it take them in (and request the next ones) once per block, so reading overlaps the ticks.
    // Both streams are asked at once, so their first reads (planning queries) overlap too.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([this.#residency.ready(), this.#rates.ready()]);
    const { startSeconds, tickSeconds } = this.clock;
    const edge = this.#edge;
    // The same expression as every tick start (startSeconds + k · tickSeconds), so block and tick edges agree to the bit.
    for (let i = 0; i <= ticks; i++) edge[i] = startSeconds + (first + i) * tickSeconds;
    for (let i = 0; i < ticks; i++) this.#width[i] = edge[i + 1]! - edge[i]!;
    const blockEnd = edge[ticks]!;
    this.arrive.fill(0);
    this.recordedPcpu.fill(-1);
    const carried = this.#carried;
    this.#carried = 0;
    for (let c = 0; c < carried; c++) this.#spread(this.#carryJ[c]!, this.#carryP[c]!, this.#carryT0[c]!, this.#carryT1[c]!, first, ticks);
    const r = this.#residency;
    while (r.hasRow || await r.ready()) {
      const j = r.num('j');
      const p = r.num('pcpu');
      const t0 = r.num('t0');
      const t1 = r.num('t1');
      const n = r.rows;
      let i = r.row;
      for (; i < n && !(t0[i]! >= blockEnd); i++) this.#spread(j[i]!, p[i]!, t0[i]!, t1[i]!, first, ticks);
      r.row = i;
      if (i < n) break;
    }
    this.changes = 0;
    const q = this.#rates;
    while (q.hasRow || await q.ready()) {
      const t0 = q.num('t0');
      const slot = q.num('slot');
      const e = q.num('e');
      const rate = q.num('rate');
      const n = q.rows;
      let i = q.row;
      for (; i < n; i++) {
        // The tick whose start is nearest the interval start (a −∞ start lands on tick 0).
        const k = Math.max(0, Math.ceil((t0[i]! - startSeconds) / tickSeconds - 0.5));
        if (k >= first + ticks) break;
        this.#pushChange(Math.max(k, first), slot[i]!, e[i]!, rate[i]!);
      }
      q.row = i;
      if (i < n) break;
    }
  }

  /**
   * Adds span [t0, t1) of vCPU j on pCPU p to the block's ticks; keeps what reaches past it.
   * Ticks the span covers whole (most of a long span) take the tick's width as it is; the
   * partial ticks at its ends take their overlap.
   */
  #spread(j: number, p: number, t0: number, t1: number, first: number, ticks: number): void {
    const { startSeconds, tickSeconds } = this.clock;
    const edge = this.#edge;
    const width = this.#width;
    const blockEnd = edge[ticks]!;
    const a = Math.max(t0, edge[0]!);
    const b = Math.min(t1, blockEnd);
    if (b > a) {
      const i1 = Math.min(ticks, Math.ceil((b - startSeconds) / tickSeconds) - first);
      let i = Math.max(0, Math.floor((a - startSeconds) / tickSeconds) - first);
      for (; i < i1 && edge[i]! < a; i++) this.#add(i, j, p, Math.min(b, edge[i + 1]!) - a);
      // Here every tick starts at or after a: while it also ends by b, its overlap is its width.
      for (; i < i1 && edge[i + 1]! <= b; i++) this.#add(i, j, p, width[i]!);
      for (; i < i1; i++) this.#add(i, j, p, Math.min(b, edge[i + 1]!) - edge[i]!);
    }
    if (t1 > blockEnd) this.#carry(j, p, t0, t1);
  }

  /** Adds `seconds` (> 0, else nothing) of vCPU j to tick i of the block; the pCPU it ran on longest there is its placement. */
  #add(i: number, j: number, p: number, seconds: number): void {
    if (!(seconds > 0)) return;
    const at = i * this.vcpus + j;
    const before = this.arrive[at]!;
    this.arrive[at] = before + seconds;
    // The first span in a tick (nothing arrived yet) is its longest so far: `#best` is not cleared between blocks.
    if (before === 0 || seconds > this.#best[at]!) {
      this.#best[at] = seconds;
      this.recordedPcpu[at] = p;
    }
  }

  #carry(j: number, p: number, t0: number, t1: number): void {
    // While carried spans are re-read, slot n never passes the entry being read, so nothing unread is overwritten.
    const n = this.#carried++;
    this.#carryJ = grow(this.#carryJ, n + 1);
    this.#carryP = grow(this.#carryP, n + 1);
    this.#carryT0 = grow(this.#carryT0, n + 1);
    this.#carryT1 = grow(this.#carryT1, n + 1);
    this.#carryJ[n] = j;
    this.#carryP[n] = p;
    this.#carryT0[n] = t0;
    this.#carryT1[n] = t1;
  }

  #pushChange(tick: number, slot: number, event: number, rate: number): void {
    const n = this.changes++;
    this.changeTick = grow(this.changeTick, n + 1);
    this.changeSlot = grow(this.changeSlot, n + 1);
    this.changeEvent = grow(this.changeEvent, n + 1);
    this.changeRate = grow(this.changeRate, n + 1);
    this.changeTick[n] = tick;
    this.changeSlot[n] = slot;
    this.changeEvent[n] = event;
    this.changeRate[n] = rate;
  }

  /** Releases the underlying queries (after the last block, or when a run stops early). */
  async close(): Promise<void> {
    await this.#residency.close();
    await this.#rates.close();
  }
}
