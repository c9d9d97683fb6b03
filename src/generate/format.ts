/**
 * Number and time formatting shared by the writers, fast enough for tens of millions of lines:
 * common `%.2f` values come from a table instead of `toFixed`.
 */

const fixed2Table: string[] = Array.from({ length: 10001 }, (_, i) => `${Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`);

/** `%.2f` of a non-negative number (table for 0..100). */
export function fixed2(x: number): string {
  if (x >= 0 && x < 100.005) {
    const i = Math.round(x * 100);
    return fixed2Table[i]!;
  }
  return x.toFixed(2);
}

/** perf's interval stamp `%6lu.%09lu` (seconds left-padded to 6 places) of `ns` nanoseconds. */
export function perfStamp(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return `${String(s).padStart(6)}.${String(ns - s * 1e9).padStart(9, '0')}`;
}

/** `<s>.<6 digits>` of a time in whole µs (kernel trace timestamps, turbostat, powercap). */
export function micros(us: number): string {
  const s = Math.floor(us / 1e6);
  return `${s}.${String(us - s * 1e6).padStart(6, '0')}`;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** C `ctime()` text of an epoch time in UTC, without the newline: `Tue Nov 24 17:58:08 2026`. */
export function ctime(epochSeconds: number): string {
  const d = new Date(Math.floor(epochSeconds) * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
