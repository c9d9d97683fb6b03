/**
 * The attribution grid: the measured energy intervals `[t0[i], t1[i]]` (s on the energy trace's
 * clock, sorted, non-overlapping). Every other series is spread onto it by `spread`.
 */
export interface Grid {
  t0: Float64Array;
  t1: Float64Array;
}

/** Index of the first grid interval ending after `t` (binary search). */
function firstAfter(grid: Grid, t: number): number {
  let lo = 0;
  let hi = grid.t1.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid.t1[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds `value` (a delta over `[t0, t1]` s: counts, J, ops, s) to `out` on `grid`, each grid
 * interval getting the share of the row it overlaps (a uniform rate within the row is assumed;
 * the part of a row outside the grid is dropped). A zero-length row goes to the interval holding t0.
 */
export function spread(grid: Grid, t0: number, t1: number, value: number, out: Float64Array): void {
  const len = t1 - t0;
  for (let i = firstAfter(grid, t0); i < grid.t0.length && grid.t0[i]! < t1; i++) {
    const ov = Math.min(t1, grid.t1[i]!) - Math.max(t0, grid.t0[i]!);
    if (ov > 0) out[i] = out[i]! + (value * ov) / len;
  }
}

/** Interval lengths of `grid`, s. */
export function lengths(grid: Grid): Float64Array {
  const out = new Float64Array(grid.t0.length);
  for (let i = 0; i < out.length; i++) out[i] = grid.t1[i]! - grid.t0[i]!;
  return out;
}
