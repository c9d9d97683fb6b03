/**
 * Differencing of cumulative energy counters (TRACE-FORMATS.md §3.3), shared by every parser
 * that reads running totals (powercap dumps, Prometheus exports).
 */

/** Default bound on plausible power in watts (`ParseOptions.maxPlausibleWatts`). */
export const defaultMaxPlausibleWatts = 2000;

/**
 * Increment of a wrapping counter from `prev` to `cur`, in the counter's own unit.
 * `cur ≥ prev` → `cur − prev`; `cur < prev` → exactly one wrap is assumed and the increment is
 * `(range − prev) + cur`. vheat does not add the +1 of a strict modulo: it is 1 µJ at most,
 * below RAPL's resolution, and every parser uses this same rule. With `range` unknown a decrease
 * is a reset (driver reload, suspend) and the result is NaN, as it is when the readings do not
 * fit the range.
 */
export function counterIncrement(prev: number, cur: number, range: number | undefined): number {
  if (cur >= prev) return cur - prev;
  if (range === undefined || range <= 0) return NaN;
  const inc = (range - prev) + cur;
  return inc >= 0 ? inc : NaN;
}
