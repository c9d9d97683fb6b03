/** Tick lengths, s: one number when every tick is as long, else one entry per tick. */
export type TickSeconds = number | Float64Array;

/** Length of tick k, s. */
export function tickLength(dt: TickSeconds, k: number): number {
  return typeof dt === 'number' ? dt : dt[k]!;
}

/** Length of ticks 0..ticks−1 together, s. */
export function runSeconds(dt: TickSeconds, ticks: number): number {
  if (typeof dt === 'number') return dt * ticks;
  let s = 0;
  for (let k = 0; k < ticks; k++) s += dt[k]!;
  return s;
}
