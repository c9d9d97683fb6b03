/** Student's t 0.975 quantiles for 1…30 degrees of freedom. */
const t975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604,
  2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484,
  2.0452, 2.0423];

/** Student's t 0.975 quantile with `df` degrees of freedom (table to 30, then Cornish–Fisher from the normal). */
export function studentT975(df: number): number {
  if (df <= 30) return t975[Math.max(1, Math.round(df)) - 1]!;
  const z = 1.959963984540054;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/** Mean of a sample and the half-width of its 95 % confidence interval (t-based; null below two values). */
export interface MeanCi {
  mean: number | null;
  ci95: number | null;
}

/** `MeanCi` of `values`, skipping nulls and non-finite values. */
export function meanCi95(values: readonly (number | null)[]): MeanCi {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: null, ci95: null };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, ci95: null };
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, ci95: studentT975(n - 1) * Math.sqrt(variance / n) };
}
