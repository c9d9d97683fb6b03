/**
 * Number parsing shared by the text parsers. All return NaN for text that is not a number,
 * so callers decide whether that is missing data or an error.
 */

/** A plain decimal number with optional surrounding spaces (`nan`/`inf` allowed). */
export function parseDecimal(text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  const n = Number(t);
  if (!Number.isNaN(n)) return n;
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return NaN;
}

/** True when `text` is `<not counted>` or `<not supported>` (perf's missing values). */
export function isNotCounted(text: string): boolean {
  const t = text.trim();
  return t === '<not counted>' || t === '<not supported>';
}

/**
 * A human-printed number that may carry thousands separators (`,` `.` `'` NBSP, narrow NBSP)
 * and a comma or dot decimal mark, e.g. `229,570,665,834`, `1.234.567,89`, `0,05`.
 * `decimalComma` says which mark the file uses when the text alone is ambiguous.
 */
export function parseGroupedNumber(text: string, decimalComma = false): number {
  let t = text.trim().replace(/[\u00a0\u202f' ]/g, '');
  if (t === '') return NaN;
  if (decimalComma) t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,/g, '');
  return parseDecimal(t);
}
