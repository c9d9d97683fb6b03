/**
 * Field scanning for the `perf stat -x` hot path: separators are found with indexOf from the left
 * and with backward charCode scans from the right (TRACE-FORMATS §1.2.2), and numbers are read
 * in place, so a row costs no regex and no per-line object.
 */
import { decimalAt } from './decimal-at.js';
import type { CsvLayout } from './perf-csv-layout.js';

/** True when `s[i]` is an ASCII digit. */
export function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Start of the last `sep` that ends at or before `end`, or −1. A charCode loop for the usual
 * one-character separator: V8's lastIndexOf is a runtime call, too slow once per field.
 */
export function sepBefore(line: string, end: number, sep: string): number {
  if (sep.length !== 1) return end < sep.length ? -1 : line.lastIndexOf(sep, end - sep.length);
  const code = sep.charCodeAt(0);
  for (let i = end - 1; i >= 0; i--) if (line.charCodeAt(i) === code) return i;
  return -1;
}

/** Output of `rightFields`, reused across lines. */
export interface RightFields {
  /** Enabled (running) fraction, P / 100. */
  enabled: number;
  /** Start of the separator before N (with `-r`) or R: the event (and cgroup) end there. */
  middleEnd: number;
}

/**
 * Locates `tail` trailing fields (metric value, unit, threshold), then P, R and, with `-r`, N from
 * the right of `line`, never left of `pos` (the start of the event). Fills `out`; false when the
 * fields do not fit. Comma-decimal `-x,` rows have P (and N) split in two fields (`100`,`00`).
 */
export function rightFields(line: string, pos: number, tail: number, layout: CsvLayout, out: RightFields): boolean {
  const sep = layout.sep;
  const sl = sep.length;
  let e = line.length;
  for (let t = 0; t < tail; t++) {
    e = sepBefore(line, e, sep);
    if (e < pos) return false;
  }
  let s = sepBefore(line, e, sep);
  if (s < pos || e - s - sl < 1) return false;
  let pct = decimalAt(line, s + sl, e);
  if (pct !== pct) pct = Number(line.slice(s + sl, e));
  if (layout.decimalComma) {
    if (sep === ',' && e - s === 3) {
      const s2 = sepBefore(line, s, sep);
      if (s2 < pos) return false;
      pct = Number(`${line.slice(s2 + 1, s)}.${line.slice(s + 1, e)}`);
      s = s2;
    } else if (pct !== pct) pct = Number(line.slice(s + sl, e).replace(',', '.'));
  }
  if (pct !== pct) return false;
  // R: run time in ns (checked, not stored).
  e = s;
  s = sepBefore(line, e, sep);
  if (s < pos || e - s - sl < 1) return false;
  for (let i = s + sl; i < e; i++) if (!isDigitAt(line, i)) return false;
  if (layout.variance) {
    e = s;
    s = sepBefore(line, e, sep);
    if (s < pos || line.charCodeAt(e - 1) !== 37 /* % */) return false;
    if (layout.decimalComma && sep === ',' && e - s === 4) {
      const s2 = sepBefore(line, s, sep);
      if (s2 >= pos && isDigitAt(line, s2 + 1)) s = s2;
    }
  }
  out.enabled = pct / 100;
  out.middleEnd = s;
  return true;
}
