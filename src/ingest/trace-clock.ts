/**
 * Seconds from the first record, for tracepoint text stamped `<sec>.<fraction>` on the kernel's
 * trace clock (CLOCK_MONOTONIC-like by default: seconds since boot, not epoch). The origin is
 * kept as integer seconds plus integer nanoseconds, so differences are exact to the nanosecond
 * instead of drifting like differences of two large doubles (TRACE-FORMATS.md §0.5).
 */
export class TraceClock {
  private sec0 = 0;
  private ns0 = 0;
  /** The first timestamp exactly as printed; undefined until the first call. */
  origin: string | undefined;

  /**
   * Seconds from the origin for `text`, which must match `\d{1,12}\.\d+` (6 decimals, 9 with
   * `--ns`/`-t`; digits past the 9th are ignored). The first call sets the origin.
   */
  seconds(text: string): number {
    const dot = text.indexOf('.');
    const sec = Number(text.slice(0, dot));
    const frac = text.slice(dot + 1, dot + 10);
    const ns = Number(frac.length === 9 ? frac : frac.padEnd(9, '0'));
    if (this.origin === undefined) {
      this.origin = text;
      this.sec0 = sec;
      this.ns0 = ns;
    }
    return (sec - this.sec0) + (ns - this.ns0) / 1e9;
  }
}
