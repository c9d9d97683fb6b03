/**
 * The regression design: one row per aligned interval, one column per model term, stored
 * column-major as typed arrays. Column 0 is always `static` (the interval length Δt in s), so its
 * coefficient is the static power in W and every other coefficient is joules per unit of its
 * term. The target `y` is the measured energy of the interval in J.
 */
export interface Design {
  rows: number;
  /** Term names; `columns[0]` is `static`. */
  columns: readonly string[];
  /** `x[j][i]`: term j in row i. */
  x: readonly Float64Array[];
  /** Measured energy per row, J. */
  y: Float64Array;
}

/**
 * Sufficient statistics of a set of rows for every linear fit vheat makes: XᵀX (p×p,
 * row-major), Xᵀy, Σy², Σy and the row count. Grams of disjoint row sets add up, so
 * cross-validation, bootstrap and event selection work on sums of small matrices instead of
 * passes over the data.
 */
export interface Gram {
  p: number;
  n: number;
  xx: Float64Array;
  xy: Float64Array;
  yy: number;
  sy: number;
}

/** A Gram of p columns over no rows. */
export function emptyGram(p: number): Gram {
  return { p, n: 0, xx: new Float64Array(p * p), xy: new Float64Array(p), yy: 0, sy: 0 };
}

/** `into += sign × g`, in place; returns `into`. */
export function addGram(into: Gram, g: Gram, sign: 1 | -1 = 1): Gram {
  for (let k = 0; k < into.xx.length; k++) into.xx[k] = into.xx[k]! + sign * g.xx[k]!;
  for (let k = 0; k < into.xy.length; k++) into.xy[k] = into.xy[k]! + sign * g.xy[k]!;
  into.n += sign * g.n;
  into.yy += sign * g.yy;
  into.sy += sign * g.sy;
  return into;
}

/** The sum of `grams` (all of `p` columns). */
export function sumGrams(p: number, grams: Iterable<Gram>): Gram {
  const out = emptyGram(p);
  for (const g of grams) addGram(out, g);
  return out;
}

/** A half-open range of design rows, `[start, end)`. */
export interface RowRange {
  start: number;
  end: number;
}

// Rows per chunk: 16 columns × 512 rows × 8 B = 64 KiB, so a chunk's columns stay in cache
// while all p(p+1)/2 products are taken over it.
const CHUNK = 512;

/**
 * XᵀX, Xᵀy, Σy², Σy over each range of rows, in one pass over the data. `group` (one entry per
 * row, 0…groups−1, or −1 to skip the row) splits each range further: the result is then
 * indexed `[range × groups + group]`.
 */
export function accumulateGrams(design: Design, ranges: readonly RowRange[], group?: Int32Array, groups = 1): Gram[] {
  const p = design.columns.length;
  const out: Gram[] = [];
  for (let r = 0; r < ranges.length * groups; r++) out.push(emptyGram(p));
  const { x, y } = design;
  for (let r = 0; r < ranges.length; r++) {
    const { start, end } = ranges[r]!;
    if (!group) {
      accumulateRange(out[r]!, x, y, start, end);
      continue;
    }
    for (let i = start; i < end; i++) {
      const g = group[i]!;
      if (g >= 0) accumulateRow(out[r * groups + g]!, x, y, i);
    }
  }
  for (const g of out) mirror(g);
  return out;
}

function accumulateRange(g: Gram, x: readonly Float64Array[], y: Float64Array, start: number, end: number): void {
  const p = g.p;
  const { xx, xy } = g;
  for (let c0 = start; c0 < end; c0 += CHUNK) {
    const c1 = Math.min(end, c0 + CHUNK);
    for (let j = 0; j < p; j++) {
      const xj = x[j]!;
      for (let k = j; k < p; k++) {
        const xk = x[k]!;
        let s = 0;
        for (let i = c0; i < c1; i++) s += xj[i]! * xk[i]!;
        xx[j * p + k] = xx[j * p + k]! + s;
      }
      let s = 0;
      for (let i = c0; i < c1; i++) s += xj[i]! * y[i]!;
      xy[j] = xy[j]! + s;
    }
    let yy = 0;
    let sy = 0;
    for (let i = c0; i < c1; i++) {
      yy += y[i]! * y[i]!;
      sy += y[i]!;
    }
    g.yy += yy;
    g.sy += sy;
  }
  g.n += Math.max(0, end - start);
}

function accumulateRow(g: Gram, x: readonly Float64Array[], y: Float64Array, i: number): void {
  const p = g.p;
  for (let j = 0; j < p; j++) {
    const v = x[j]![i]!;
    for (let k = j; k < p; k++) g.xx[j * p + k] = g.xx[j * p + k]! + v * x[k]![i]!;
    g.xy[j] = g.xy[j]! + v * y[i]!;
  }
  g.yy += y[i]! * y[i]!;
  g.sy += y[i]!;
  g.n += 1;
}

/** Accumulation fills the upper triangle only; this copies it down. */
function mirror(g: Gram): void {
  const p = g.p;
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) g.xx[k * p + j] = g.xx[j * p + k]!;
}
