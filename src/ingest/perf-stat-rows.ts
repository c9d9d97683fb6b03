import { TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import type { AggregationId, PerfEvent } from './perf-aggregation.js';
import type { TraceSink } from './types.js';

/** A row of a totals block, held until the block's duration is known. */
interface HeldRow {
  id: AggregationId; nr: number; event: PerfEvent; unit: string;
  value: number | null; enabled: number | null; lineNo: number;
}

/**
 * Turns parsed `perf stat` rows (from the CSV, JSON or human parser) into sink rows
 * (TRACE-FORMATS §1.8), the same way for every layout:
 *
 * - Interval rows (`-I`): t1 = offset + stamp, t0 = the previous distinct stamp of the block
 *   (the block's offset for its first interval). A stamp lower than the previous one throws.
 * - Totals rows (no `-I`): held until the block ends, then stored over [offset, offset + d] where d
 *   is the `duration_time` row's value (ns) when the block has one, or the human layout's
 *   `seconds time elapsed` (`duration()`). perf prints no elapsed time in
 *   CSV/JSON and task-clock/cpu-clock are CPU time, not wall time, so without `duration_time`
 *   d = 0 and `details.durationUnknown = true`. Holding is bounded by the event list × ids of
 *   one block, not by run length.
 * - Totals rows after interval rows in the same block are the `--summary` totals (CSV `summary`
 *   rows, or rows without a stamp): they repeat the intervals' sum, so they are counted in
 *   `details.summaryRowsIgnored` and not stored.
 * - `--append` files: each `# started on` block starts at offset = its start − the first start (s).
 * - RAPL rows (`power…/energy-<domain>/`, unit `Joules`) go to `energy`, socket from the id; rows
 *   per thread or cgroup are dropped with a warning (RAPL is not per task, §1.2.4), as are
 *   uncounted ones (silently when nr = 0: older `--per-core` output, V5).
 */
export class PerfStatRows {
  /** Rows handed over, including dropped energy rows: 0 at the end means "no records". */
  records = 0;
  /** Details for `sink.meta`, filled as facts are found. */
  readonly details: Record<string, unknown> = {};
  private offset = 0;
  private firstEpoch: number | null = null;
  private lastStamp = NaN;
  private summaryRows = 0;
  private t0 = 0;
  private t1 = 0;
  private blockEnd = 0;
  private held: HeldRow[] = [];
  private durationSeconds = NaN;
  private readonly warned = new Set<string>();

  constructor(private readonly sink: TraceSink, private readonly file: string, private readonly format: string) {}

  /** A `# started on` block begins; `epochSeconds` null when its ctime did not parse. */
  block(epochSeconds: number | null): void {
    this.flushTotals();
    const fresh = this.records === 0;
    if (fresh && epochSeconds !== null && this.firstEpoch === null) {
      this.firstEpoch = epochSeconds;
      this.sink.meta({ startEpochSeconds: epochSeconds });
    } else if (!fresh) {
      this.offset = this.firstEpoch !== null && epochSeconds !== null ? epochSeconds - this.firstEpoch : this.blockEnd;
      this.details.appendedBlocks = ((this.details.appendedBlocks as number | undefined) ?? 0) + 1;
    }
    this.lastStamp = NaN;
  }

  /**
   * One counter row. `stamp` is the interval stamp in s since counting started, NaN for a totals
   * row; `nr` the aggregated-counter count (−1 when the layout has none); `value` multiplex-scaled
   * or null (`<not counted>`); `enabled` the running fraction 0..1 or null.
   */
  row(lineNo: number, stamp: number, id: AggregationId, nr: number, event: PerfEvent, unit: string,
    value: number | null, enabled: number | null): void {
    this.records++;
    if (stamp !== stamp) {
      if (this.lastStamp === this.lastStamp) {
        this.summaryRows++;
        return;
      }
      if (event.name === 'duration_time' && value !== null && id.scope !== 'cgroup') this.durationSeconds = value / 1e9;
      this.held.push({ id, nr, event, unit, value, enabled, lineNo });
      return;
    }
    if (stamp !== this.lastStamp) {
      if (stamp < this.lastStamp) {
        throw new TraceParseError(`${this.format}.timeBackwards`, messages.timeBackwards(this.lastStamp, stamp), {
          context: { file: this.file, line: lineNo, expected: `a stamp ≥ ${this.lastStamp}`, found: String(stamp) },
        });
      }
      this.t0 = this.lastStamp === this.lastStamp ? this.offset + this.lastStamp : this.offset;
      this.t1 = this.offset + stamp;
      this.lastStamp = stamp;
      if (this.t1 > this.blockEnd) this.blockEnd = this.t1;
    }
    this.emit(this.t0, this.t1, lineNo, id, nr, event, unit, value, enabled);
  }

  /** Wall-clock length in s of the current totals block, when the layout prints it (human `seconds time elapsed`). */
  duration(seconds: number): void {
    this.durationSeconds = seconds;
  }

  /** Start of the current block, s from the trace start. */
  get blockStart(): number {
    return this.offset;
  }

  /** Flushes a pending totals block and reports the details. */
  end(): void {
    this.flushTotals();
    if (this.summaryRows > 0) this.details.summaryRowsIgnored = this.summaryRows;
    this.sink.meta({ details: this.details });
  }

  private flushTotals(): void {
    if (this.held.length === 0) return;
    const known = this.durationSeconds === this.durationSeconds;
    if (!known) this.details.durationUnknown = true;
    const t0 = this.offset;
    const t1 = this.offset + (known ? this.durationSeconds : 0);
    for (const r of this.held) this.emit(t0, t1, r.lineNo, r.id, r.nr, r.event, r.unit, r.value, r.enabled);
    if (t1 > this.blockEnd) this.blockEnd = t1;
    this.held = [];
    this.durationSeconds = NaN;
  }

  private emit(t0: number, t1: number, lineNo: number, id: AggregationId, nr: number, event: PerfEvent,
    unit: string, value: number | null, enabled: number | null): void {
    if (event.rapl && unit === 'Joules') {
      if (event.domain === null) {
        this.warnOnce(event.name, messages.perfUnknownEnergyDomain(event.name), lineNo);
      } else {
        if (id.scope === 'thread' || id.scope === 'vcpu' || id.scope === 'cgroup') {
          this.warnOnce(`${id.scope}\0${event.name}`, messages.perfEnergyNotAttributable(id.scope, event.name), lineNo);
        } else if (value === null) {
          if (nr !== 0) this.warnOnce(`${id.entity}\0${event.name}`, messages.perfEnergyNotCounted(id.entity, event.name), lineNo);
        } else {
          if (id.socket === null && id.scope !== 'host') this.warnOnce(id.entity, messages.perfEnergyNoSocket(id.entity), lineNo);
          this.sink.energy(t0, t1, id.socket, event.domain, value);
        }
        return;
      }
    }
    this.sink.sample(t0, t1, id.scope, id.entity, id.cpu, event.name, value, enabled);
  }

  private warnOnce(key: string, message: string, lineNo: number): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.sink.warn(message, lineNo);
  }
}
