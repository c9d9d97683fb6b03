/**
 * The running weight at which the q-quantile is reached, less a rounding allowance: sums of
 * the same weights in another order (`QuantileHistogram` adds per bin) must reach it together
 * when it falls exactly on a jump of the distribution (q = 0.5 of four equal weights).
 */
export function quantileTarget(q: number, total: number): number {
  return q * total - 1e-12 * total;
}

/**
 * The q-quantile of `values` weighted by `weights` (e.g. seconds): the smallest value v such
 * that the values ≤ v carry at least q of the total weight (the lower inverse of the weighted
 * distribution function, no interpolation). NaN when the total weight is 0. Sorts a copy of
 * the indices: O(n log n), for runs whose values fit in memory; see `QuantileHistogram` for
 * streams.
 */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, q: number): number {
  const order = Uint32Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  if (!(total > 0)) return NaN;
  const target = quantileTarget(q, total);
  let cumulative = 0;
  let last = NaN;
  for (const i of order) {
    if (!(weights[i]! > 0)) continue;
    cumulative += weights[i]!;
    last = values[i]!;
    if (cumulative >= target) return last;
  }
  return last;
}
