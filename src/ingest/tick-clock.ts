/**
 * Turns integer ticks (raw TSC, or nanoseconds) into seconds from the trace start. The origin is
 * the smallest tick observed before the first conversion, then it freezes: streaming parsers
 * observe every record as it is read and convert only when a row is emitted, which (behind a
 * `TickMerge`) happens after all pCPUs' first windows were read. Ticks observed later but older
 * than the origin are counted in `beforeOrigin` (their times come out negative).
 */
export class TickClock {
  private origin: number;
  private frozen: boolean;
  /** Largest tick observed (-Infinity before any). */
  last = -Infinity;
  /** Ticks observed after the origin froze that are older than it. */
  beforeOrigin = 0;

  /** `ticksPerSecond`: e.g. the TSC frequency in Hz; `origin`: a fixed origin tick, if known. */
  constructor(readonly ticksPerSecond: number, origin?: number) {
    this.origin = origin ?? Infinity;
    this.frozen = origin !== undefined;
  }

  /** Records that `tick` occurs in the trace. */
  observe(tick: number): void {
    if (tick > this.last) this.last = tick;
    if (tick < this.origin) {
      if (this.frozen) this.beforeOrigin++;
      else this.origin = tick;
    }
  }

  /** True once any tick was observed (or the origin was given). */
  get started(): boolean {
    return this.origin !== Infinity;
  }

  /** The origin tick (freezes it). */
  get originTick(): number {
    this.frozen = true;
    return this.origin;
  }

  /** Seconds from the origin (freezes it). */
  seconds(tick: number): number {
    this.frozen = true;
    return (tick - this.origin) / this.ticksPerSecond;
  }
}
