/**
 * `a` if it holds at least `need` entries, else a copy at least twice as long: growable typed
 * arrays whose cost is amortised away, so steady-state ticks allocate nothing.
 */
export function grow<T extends Float64Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const out = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  out.set(a);
  return out;
}
