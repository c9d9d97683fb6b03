/**
 * Allocation kernels of the engine: group members by owner (counting sort) and share one
 * owner's time among its members max-min fairly (water-filling). Index loops over typed
 * arrays into caller-owned scratch, so a tick allocates nothing.
 */

/**
 * Groups items by owner: afterwards the items of owner o are `order[start[o]] … order[start[o+1]−1]`
 * in ascending item order (stable, so ties later break on the lowest index). Items whose
 * owner is −1 are left out. `start` has owners + 1 entries.
 */
export function groupBy(owner: Int32Array, owners: number, order: Int32Array, start: Int32Array): void {
  start.fill(0);
  for (let i = 0; i < owner.length; i++) {
    const o = owner[i]!;
    if (o >= 0) start[o + 1]!++;
  }
  for (let o = 0; o < owners; o++) start[o + 1]! += start[o]!;
  // The fill position of each owner walks from its start; `order` is written front to back.
  for (let i = 0; i < owner.length; i++) {
    const o = owner[i]!;
    if (o >= 0) order[start[o]!++] = i;
  }
  for (let o = owners; o > 0; o--) start[o] = start[o - 1]!;
  start[0] = 0;
}

/**
 * `groupBy`, unless `owner` still equals `grouped` (the owners the grouping was last built from,
 * updated here): placements change at migrations and task moves, not every tick, so most ticks
 * keep their grouping. Fill `grouped` with −2 to force the first grouping.
 */
export function regroupBy(owner: Int32Array, grouped: Int32Array, owners: number, order: Int32Array, start: Int32Array): void {
  let same = true;
  for (let i = 0; i < owner.length; i++) {
    if (owner[i] !== grouped[i]) {
      same = false;
      break;
    }
  }
  if (same) return;
  groupBy(owner, owners, order, start);
  grouped.set(owner);
}

/**
 * Shares `capacity` seconds among the items `order[from..to)` wanting `want[i]` seconds each,
 * max-min fairly: nobody gets more than it wants, and what a small want leaves over goes to the
 * others in equal parts. Writes `got[i]`; returns the seconds handed out.
 */
export function waterFill(want: Float64Array, order: Int32Array, from: number, to: number, capacity: number,
  got: Float64Array): number {
  let total = 0;
  for (let k = from; k < to; k++) total += want[order[k]!]!;
  if (total <= capacity) {
    for (let k = from; k < to; k++) got[order[k]!] = want[order[k]!]!;
    return total;
  }
  // Over-committed: repeatedly satisfy every want below the equal share; NaN marks the unsatisfied.
  let remaining = Math.max(0, capacity);
  let open = 0;
  for (let k = from; k < to; k++) {
    const i = order[k]!;
    if (want[i]! > 0) {
      got[i] = NaN;
      open++;
    } else got[i] = 0;
  }
  while (open > 0) {
    const share = remaining / open;
    let settled = 0;
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      if (Number.isNaN(got[i]!) && want[i]! <= share) {
        got[i] = want[i]!;
        remaining -= want[i]!;
        settled++;
      }
    }
    if (settled === 0) {
      for (let k = from; k < to; k++) {
        const i = order[k]!;
        if (Number.isNaN(got[i]!)) got[i] = share;
      }
      return Math.max(0, capacity);
    }
    open -= settled;
  }
  return Math.max(0, capacity) - remaining;
}
