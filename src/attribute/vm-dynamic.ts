import type { ModelFile } from '../model/model-file.js';
import type { ClockMix } from './clock-mix.js';

/** Counts per event on the grid (one value per interval). */
export type Counts = ReadonlyMap<string, Float64Array>;

/**
 * Dynamic energy (J) per grid interval of `counts` under `model`: Σ weight·term, where a `count`
 * term is the event's count and a `count*freq` term its count × f/`referenceMhz`. With per-band
 * weights (`frequency.bands`) a count is priced in the band nearest each clock in `clock` (the
 * CPUs the counts were made on, by their share of the time; NaN or no clock: the pooled
 * weights). An event missing from `counts` contributes nothing; callers check coverage first
 * (`missingEvents`).
 */
export function dynamicJoules(model: ModelFile, counts: Counts, clock: ClockMix | null, n: number): Float64Array {
  const out = new Float64Array(n);
  model.terms.forEach((term, k) => {
    const c = counts.get(term.event);
    if (!c) return;
    for (let i = 0; i < n; i++) out[i] = out[i]! + c[i]! * perUnit(model, k, clock, i);
  });
  return out;
}

/** J per unit of term `k` in interval `i`: its price at each clock of `clock`, weighted by time there. */
function perUnit(model: ModelFile, k: number, clock: ClockMix | null, i: number): number {
  if (!clock) return priceAt(model, k, NaN);
  let time = 0;
  let sum = 0;
  for (let c = 0; c < clock.mhz.length; c++) {
    const w = clock.weight[c]![i]!;
    const f = clock.mhz[c]![i]!;
    if (!(w > 0) || !Number.isFinite(f)) continue;
    time += w;
    sum += w * priceAt(model, k, f);
  }
  if (time > 0) return sum / time;
  for (const mhz of clock.fallback) {
    const f = mhz[i]!;
    if (!Number.isFinite(f)) continue;
    time += 1;
    sum += priceAt(model, k, f);
  }
  return time > 0 ? sum / time : priceAt(model, k, NaN);
}

/** J per unit of term `k` at clock `mhz` (NaN: pooled weights, reference clock). */
function priceAt(model: ModelFile, k: number, mhz: number): number {
  const term = model.terms[k]!;
  if (term.kind === 'count') return weightAt(model, k, mhz);
  const ref = model.frequency?.referenceMhz ?? 1;
  return (weightAt(model, k, mhz) * (Number.isFinite(mhz) ? mhz : ref)) / ref;
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

/** Element-wise sum of `parts` (length `n`). */
export function sumOf(parts: Iterable<Float64Array>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (const p of parts) for (let i = 0; i < n; i++) out[i] = out[i]! + p[i]!;
  return out;
}
