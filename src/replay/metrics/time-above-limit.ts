import { tickLength, type TickSeconds } from './tick-seconds.js';

/**
 * Time above limit, core-seconds: for each tick, its length times the number of cores whose
 * temperature is strictly above `limitCelsius` (`celsius`: ticks × `cores`, row-major, °C). A
 * tick counts whole, as the replay knows one temperature per tick. Additive over tick blocks.
 */
export function timeAboveLimit(cols: { celsius: Float64Array; dt: TickSeconds }, opts: { cores: number; limitCelsius: number }): number {
  const ticks = cols.celsius.length / opts.cores;
  let total = 0;
  for (let k = 0; k < ticks; k++) {
    let hot = 0;
    for (let c = 0; c < opts.cores; c++) if (cols.celsius[k * opts.cores + c]! > opts.limitCelsius) hot++;
    total += hot * tickLength(cols.dt, k);
  }
  return total;
}
