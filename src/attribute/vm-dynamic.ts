import type { ModelFile } from '../model/model-file.js';

/** Counts per event on the grid (one value per interval). */
export type Counts = ReadonlyMap<string, Float64Array>;

/**
 * Dynamic energy (J) per grid interval of `counts` under `model`: Σ weight·term, where a `count`
 * term is the event's count and a `count*freq` term its count × f/`referenceMhz`. With per-band
 * weights (`frequency.bands`) each interval uses the band nearest its clock `mhz[i]` (NaN or no
 * gauge: the pooled weights). An event missing from `counts` contributes nothing; callers check
 * coverage first (`missingEvents`).
 */
export function dynamicJoules(model: ModelFile, counts: Counts, mhz: Float64Array | null, n: number): Float64Array {
  const out = new Float64Array(n);
  const ref = model.frequency?.referenceMhz ?? 1;
  model.terms.forEach((term, k) => {
    const c = counts.get(term.event);
    if (!c) return;
    for (let i = 0; i < n; i++) {
      const f = mhz ? mhz[i]! : NaN;
      const w = weightAt(model, k, f);
      out[i] = out[i]! + w * (term.kind === 'count' ? c[i]! : (c[i]! * (Number.isFinite(f) ? f : ref)) / ref);
    }
  });
  return out;
}

/** Static power (W) at clock `mhz` (NaN: pooled). */
export function staticWattsAt(model: ModelFile, mhz: number): number {
  const band = bandAt(model, mhz);
  return band ? band.staticWatts : model.staticWatts.value;
}

/** Weight of term `k` at clock `mhz` (NaN: pooled), J per unit of the term. */
function weightAt(model: ModelFile, k: number, mhz: number): number {
  const band = bandAt(model, mhz);
  return band ? band.weights[k]! : model.terms[k]!.weight;
}

/** The band nearest `mhz`, as `evaluate` picks it; null without bands or a clock. */
function bandAt(model: ModelFile, mhz: number): { staticWatts: number; weights: number[] } | null {
  const bands = model.frequency?.bands;
  if (!bands || bands.length === 0 || !Number.isFinite(mhz)) return null;
  let best = bands[0]!;
  for (const b of bands) if (Math.abs(b.mhz - mhz) < Math.abs(best.mhz - mhz)) best = b;
  return best;
}

/** Events of `model` absent from `events`. */
export function missingEvents(model: ModelFile, events: ReadonlySet<string>): string[] {
  return [...new Set(model.terms.map((t) => t.event))].filter((e) => !events.has(e));
}

/** `a − b` per interval, J. */
export function minus(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** Element-wise sum of `parts` (length `n`). */
export function sumOf(parts: Iterable<Float64Array>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (const p of parts) for (let i = 0; i < n; i++) out[i] = out[i]! + p[i]!;
  return out;
}
