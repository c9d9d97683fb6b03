import type { ColumnChunk } from '../store/columns.js';
import { ColumnCursor } from './column-cursor.js';
import { grow } from './grow.js';
import type { TickClock } from './demand.js';

/**
 * What the checks read of the tick just stepped (an `EngineState`, or the recorded-power replay):
 * energy per socket over the tick, J, and core temperatures at its end, °C.
 */
export interface SteppedTick {
  readonly tickSocketJoules: Float64Array;
  readonly thermal: { readonly coreCelsius: Float64Array };
}

/** How close a replay came to the recording (`vheat replay --validate`). */
export interface FidelityReport {
  energy: {
    /** Recorded intervals compared (those wholly inside the replayed span). */
    intervals: number;
    recordedJoules: number;
    replayJoules: number;
    /** (replay − recorded) / recorded over all compared intervals, %. */
    totalErrorPercent: number;
    /** RMS of the per-interval power error, W. */
    rmseWatts: number;
    /** Mean |error| / recorded energy per interval, %. */
    mapePercent: number;
    /** The energy model's own held-out (else in-sample) error, W and %. */
    modelRmseWatts: number | null;
    modelMapePercent: number | null;
    /** rmseWatts ≤ 1.25 × modelRmseWatts (null when the model states no error). */
    withinFitError: boolean | null;
  } | null;
  temps: {
    readings: number;
    rmseCelsius: number;
    maxErrorCelsius: number;
    /** RMSE once each core's mean error is set aside (sensor offsets), °C. */
    rmseAfterCoreBiasCelsius: number;
    /** The thermal fit's RMSE on the same recording, °C (null when the parameters were not fitted). */
    fitRmseCelsius: number | null;
    /** rmseCelsius ≤ 1.25 × fitRmseCelsius. */
    withinFitError: boolean | null;
  } | null;
}

/**
 * Slack over the models' own errors: interval edges fall inside ticks and the replay's power
 * comes from per-vCPU events rather than the per-CPU counts the model was fitted on.
 */
export const fidelitySlack = 1.25;

/**
 * Compares replayed with recorded energy interval by interval, streaming the recorded rows a
 * block ahead. Replayed energy over [t0, t1] is read off the cumulative energy per socket (and
 * over all sockets, for sources that sum them), interpolated within ticks.
 */
export class EnergyCheck {
  readonly #cursor: ColumnCursor;
  readonly #clock: TickClock;
  readonly #endSeconds: number;
  #t0: Float64Array = new Float64Array(16);
  #t1: Float64Array = new Float64Array(16);
  #socket: Float64Array = new Float64Array(16);
  #joules: Float64Array = new Float64Array(16);
  #start: Float64Array = new Float64Array(16);
  #open = 0;
  readonly #cumulative: Float64Array;
  #n = 0;
  #recorded = 0;
  #replayed = 0;
  #sse = 0;
  #ape = 0;

  constructor(rows: AsyncIterator<ColumnChunk>, clock: TickClock, ticks: number, sockets: number,
    readonly model: { rmseWatts: number | null; mapePercent: number | null }) {
    this.#cursor = new ColumnCursor(rows);
    this.#clock = clock;
    this.#endSeconds = clock.startSeconds + ticks * clock.tickSeconds;
    // Index `sockets` holds the sum over all sockets.
    this.#cumulative = new Float64Array(sockets + 1);
  }

  /** Queues the recorded intervals starting before `untilSeconds`. */
  async prefetch(untilSeconds: number): Promise<void> {
    const c = this.#cursor;
    while (c.hasRow || await c.ready()) {
      const t0 = c.num('t0')[c.row]!;
      if (t0 >= untilSeconds) return;
      const t1 = c.num('t1')[c.row]!;
      const socket = c.num('socket')[c.row]!;
      c.row++;
      // Only intervals wholly inside the replay, of a socket the replay has, are comparable.
      if (t0 < this.#clock.startSeconds - 1e-9 || t1 > this.#endSeconds + 1e-9 || socket >= this.#cumulative.length - 1) continue;
      const k = this.#open++;
      this.#t0 = grow(this.#t0, k + 1);
      this.#t1 = grow(this.#t1, k + 1);
      this.#socket = grow(this.#socket, k + 1);
      this.#joules = grow(this.#joules, k + 1);
      this.#start = grow(this.#start, k + 1);
      this.#t0[k] = t0;
      this.#t1[k] = t1;
      this.#socket[k] = socket < 0 ? this.#cumulative.length - 1 : socket;
      this.#joules[k] = c.num('joules')[c.row - 1]!;
      this.#start[k] = NaN;
    }
  }

  /** Accounts the tick just stepped. */
  record(state: SteppedTick, tick: number): void {
    const h = this.#clock.tickSeconds;
    const tau0 = this.#clock.startSeconds + tick * h;
    const all = this.#cumulative.length - 1;
    let tickAll = 0;
    for (let s = 0; s < all; s++) tickAll += state.tickSocketJoules[s]!;
    let kept = 0;
    for (let k = 0; k < this.#open; k++) {
      const s = this.#socket[k]!;
      const joules = s === all ? tickAll : state.tickSocketJoules[s]!;
      const at = (t: number): number => this.#cumulative[s]! + joules * Math.min(1, Math.max(0, (t - tau0) / h));
      if (Number.isNaN(this.#start[k]!) && this.#t0[k]! < tau0 + h) this.#start[k] = at(this.#t0[k]!);
      if (this.#t1[k]! <= tau0 + h) {
        this.#score(this.#joules[k]!, at(this.#t1[k]!) - this.#start[k]!, this.#t1[k]! - this.#t0[k]!);
        continue;
      }
      if (kept !== k) this.#move(k, kept);
      kept++;
    }
    this.#open = kept;
    for (let s = 0; s < all; s++) this.#cumulative[s]! += state.tickSocketJoules[s]!;
    this.#cumulative[all]! += tickAll;
  }

  #move(from: number, to: number): void {
    this.#t0[to] = this.#t0[from]!;
    this.#t1[to] = this.#t1[from]!;
    this.#socket[to] = this.#socket[from]!;
    this.#joules[to] = this.#joules[from]!;
    this.#start[to] = this.#start[from]!;
  }

  #score(recorded: number, replayed: number, seconds: number): void {
    this.#n++;
    this.#recorded += recorded;
    this.#replayed += replayed;
    this.#sse += ((replayed - recorded) / seconds) ** 2;
    if (recorded > 0) this.#ape += Math.abs(replayed - recorded) / recorded;
  }

  result(): FidelityReport['energy'] {
    if (this.#n === 0) return null;
    const rmseWatts = Math.sqrt(this.#sse / this.#n);
    const model = this.model.rmseWatts;
    return {
      intervals: this.#n,
      recordedJoules: this.#recorded,
      replayJoules: this.#replayed,
      totalErrorPercent: (100 * (this.#replayed - this.#recorded)) / this.#recorded,
      rmseWatts,
      mapePercent: (100 * this.#ape) / this.#n,
      modelRmseWatts: model,
      modelMapePercent: this.model.mapePercent,
      withinFitError: model === null ? null : rmseWatts <= fidelitySlack * model,
    };
  }

  async close(): Promise<void> {
    await this.#cursor.close();
  }
}

/**
 * Compares replayed core temperatures with every recorded reading, at the end of the tick
 * holding the reading's time; readings are queued a block ahead.
 */
export class TempCheck {
  readonly #cursor: ColumnCursor;
  readonly #clock: TickClock;
  readonly #core: ReadonlyMap<string, number>;
  readonly #sum: Float64Array;
  readonly #sq: Float64Array;
  readonly #count: Float64Array;
  #t: Float64Array = new Float64Array(64);
  #which: Float64Array = new Float64Array(64);
  #celsius: Float64Array = new Float64Array(64);
  #queued = 0;
  #next = 0;
  #max = 0;

  constructor(rows: AsyncIterator<ColumnChunk>, clock: TickClock, coreNames: readonly string[], readonly fitRmseCelsius: number | null) {
    this.#cursor = new ColumnCursor(rows);
    this.#clock = clock;
    this.#core = new Map(coreNames.map((n, i) => [n, i]));
    this.#sum = new Float64Array(coreNames.length);
    this.#sq = new Float64Array(coreNames.length);
    this.#count = new Float64Array(coreNames.length);
  }

  /** Queues the readings before `untilSeconds` of cores the replay has (drops those already scored). */
  async prefetch(untilSeconds: number): Promise<void> {
    this.#t.copyWithin(0, this.#next, this.#queued);
    this.#which.copyWithin(0, this.#next, this.#queued);
    this.#celsius.copyWithin(0, this.#next, this.#queued);
    this.#queued -= this.#next;
    this.#next = 0;
    const c = this.#cursor;
    while (c.hasRow || await c.ready()) {
      const t = c.num('t')[c.row]!;
      // As `record`: a reading on the boundary belongs to the tick ending there.
      if (t > untilSeconds + 5e-7) return;
      const core = this.#core.get(c.text('entity')[c.row] ?? '');
      if (core !== undefined && t >= this.#clock.startSeconds) {
        const k = this.#queued++;
        this.#t = grow(this.#t, k + 1);
        this.#which = grow(this.#which, k + 1);
        this.#celsius = grow(this.#celsius, k + 1);
        this.#t[k] = t;
        this.#which[k] = core;
        this.#celsius[k] = c.num('celsius')[c.row]!;
      }
      c.row++;
    }
  }

  /**
   * Scores the readings taken during the tick just stepped, its end included: a reading on a tick
   * boundary (turbostat reads at the end of its interval) is the state there, not a tick later,
   * which with millisecond core time constants and a power step would be degrees off.
   */
  record(state: SteppedTick, tick: number): void {
    // Half a microsecond absorbs the rounding of start + (tick + 1)·h (and stays below any tick).
    const end = this.#clock.startSeconds + (tick + 1) * this.#clock.tickSeconds + 5e-7;
    while (this.#next < this.#queued && this.#t[this.#next]! <= end) {
      const core = this.#which[this.#next]!;
      const e = state.thermal.coreCelsius[core]! - this.#celsius[this.#next]!;
      this.#sum[core]! += e;
      this.#sq[core]! += e * e;
      this.#count[core]!++;
      this.#max = Math.max(this.#max, Math.abs(e));
      this.#next++;
    }
  }

  result(): FidelityReport['temps'] {
    let n = 0;
    let sse = 0;
    let biasFree = 0;
    for (let i = 0; i < this.#count.length; i++) {
      if (this.#count[i] === 0) continue;
      n += this.#count[i]!;
      sse += this.#sq[i]!;
      biasFree += this.#sq[i]! - this.#sum[i]! ** 2 / this.#count[i]!;
    }
    if (n === 0) return null;
    const rmse = Math.sqrt(sse / n);
    return {
      readings: n,
      rmseCelsius: rmse,
      maxErrorCelsius: this.#max,
      rmseAfterCoreBiasCelsius: Math.sqrt(Math.max(0, biasFree) / n),
      fitRmseCelsius: this.fitRmseCelsius,
      withinFitError: this.fitRmseCelsius === null ? null : rmse <= fidelitySlack * this.fitRmseCelsius,
    };
  }

  async close(): Promise<void> {
    await this.#cursor.close();
  }
}
