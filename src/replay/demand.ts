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
    this.arriveViews = Array.from({ length: blockTicks }, (_, k) => this.arrive.subarray(k * vcpus, (k + 1) * vcpus));
    this.recordedViews = Array.from({ length: blockTicks }, (_, k) => this.recordedPcpu.subarray(k * vcpus, (k + 1) * vcpus));
    this.#residency = new ColumnCursor(residency);
    this.#rates = new ColumnCursor(rates);
  }

  /** Fills ticks first … first + ticks − 1 (ticks ≤ blockTicks); blocks must come in order. */
  async fill(first: number, ticks: number): Promise<void> {
    const { startSeconds, tickSeconds } = this.clock;
    const blockStart = startSeconds + first * tickSeconds;
    const blockEnd = startSeconds + (first + ticks) * tickSeconds;
    this.arrive.fill(0);
    this.recordedPcpu.fill(-1);
    this.#best.fill(0);
    const carried = this.#carried;
    this.#carried = 0;
    for (let c = 0; c < carried; c++) {
      this.#spread(this.#carryJ[c]!, this.#carryP[c]!, this.#carryT0[c]!, this.#carryT1[c]!, first, ticks, blockStart, blockEnd);
    }
    const r = this.#residency;
    while (r.hasRow || await r.ready()) {
      const t0 = r.num('t0')[r.row]!;
      if (t0 >= blockEnd) break;
      this.#spread(r.num('j')[r.row]!, r.num('pcpu')[r.row]!, t0, r.num('t1')[r.row]!, first, ticks, blockStart, blockEnd);
      r.row++;
    }
    this.changes = 0;
    const q = this.#rates;
    while (q.hasRow || await q.ready()) {
      // The tick whose start is nearest the interval start (a −∞ start lands on tick 0).
      const k = Math.max(0, Math.ceil((q.num('t0')[q.row]! - startSeconds) / tickSeconds - 0.5));
      if (k >= first + ticks) break;
      this.#pushChange(Math.max(k, first), q.num('slot')[q.row]!, q.num('e')[q.row]!, q.num('rate')[q.row]!);
      q.row++;
    }
  }

  /** Adds span [t0, t1) of vCPU j on pCPU p to the block's ticks; keeps what reaches past it. */
  #spread(j: number, p: number, t0: number, t1: number, first: number, ticks: number,
    blockStart: number, blockEnd: number): void {
    const { startSeconds, tickSeconds } = this.clock;
    const V = this.vcpus;
    const a = Math.max(t0, blockStart);
    const b = Math.min(t1, blockEnd);
    if (b > a) {
      const k0 = Math.max(first, Math.floor((a - startSeconds) / tickSeconds));
      const k1 = Math.min(first + ticks, Math.ceil((b - startSeconds) / tickSeconds));
      for (let k = k0; k < k1; k++) {
        const lo = Math.max(a, startSeconds + k * tickSeconds);
        const hi = Math.min(b, startSeconds + (k + 1) * tickSeconds);
        if (hi <= lo) continue;
        const at = (k - first) * V + j;
        this.arrive[at]! += hi - lo;
        if (hi - lo > this.#best[at]!) {
          this.#best[at] = hi - lo;
          this.recordedPcpu[at] = p;
        }
      }
    }
    if (t1 > blockEnd) this.#carry(j, p, t0, t1);
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
