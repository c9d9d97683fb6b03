/** The hottest core reading of a run. */
export interface Peak {
  /** °C; NaN for an empty run. */
  celsius: number;
  /** Tick of the peak, counted from the first row given; −1 for an empty run. */
  tick: number;
  /** Core of the peak; −1 for an empty run. */
  core: number;
}

/**
 * Peak temperature over core temperatures `celsius` (ticks × `cores`, row-major, °C): the
 * largest reading, and the first (tick, core) where it occurs. Streaming: run it per block of
 * ticks and keep the largest, adding the block's first tick to `tick`.
 */
export function peakTemperature(cols: { celsius: Float64Array }, opts: { cores: number }): Peak {
  let best = -1;
  for (let j = 0; j < cols.celsius.length; j++) {
    if (best < 0 ? !Number.isNaN(cols.celsius[j]!) : cols.celsius[j]! > cols.celsius[best]!) best = j;
  }
  if (best < 0) return { celsius: NaN, tick: -1, core: -1 };
  return { celsius: cols.celsius[best]!, tick: Math.floor(best / opts.cores), core: best % opts.cores };
}
