/**
 * Parses the plain decimal `digits[.digits]` in `s[from, to)` without slicing the string (hot
 * parsing loops). Returns exactly what `Number()` returns for such text: with at most 15
 * significant digits both the digit integer and the power of ten are exact doubles, so the one
 * division is correctly rounded. Returns NaN for anything else (sign, exponent, spaces, longer
 * numbers, empty): callers then fall back to `Number(s.slice(from, to))`.
 */
export function decimalAt(s: string, from: number, to: number): number {
  if (to <= from || to - from > 16) return NaN;
  let n = 0;
  let scale = 1;
  let dot = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      if (dot) scale *= 10;
    } else if (c === 46 && !dot && i > from && i < to - 1) {
      dot = true;
    } else return NaN;
  }
  if (n > 999_999_999_999_999) return NaN;
  return dot ? n / scale : n;
}
