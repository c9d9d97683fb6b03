import { z } from 'zod';
import {
  fitSize, legendColumns, parseInput, policyColorScale, requireData, round, sortedDistinct, specFrame, withUnit,
  type ChartOptions, type VegaLiteSpec,
} from './spec.js';

/** Input of an imbalance CDF: the per-tick thermal imbalance of each policy's replay. */
export const imbalanceCdfInput = z.object({
  policies: z.array(z.object({
    policy: z.string().min(1),
    /** Per tick (or per equal-length interval): max − min core temperature within the package, °C. */
    imbalanceC: z.array(z.number()).min(1),
  })).refine((p) => new Set(p.map((x) => x.policy)).size === p.length, { message: 'policy names must be unique' }),
});

/** Typed input of `imbalanceCdfSpec`. */
export type ImbalanceCdfInput = z.infer<typeof imbalanceCdfInput>;

/** Points of the step function of one policy: at most this many, so long replays stay small. */
export const maxCdfPoints = 400;

/**
 * Empirical CDF of `values` as step points (x, % of values ≤ x), starting at (min, 0). With more
 * than `maxPoints` values it keeps the quantiles at `maxPoints` even steps of the fraction, which
 * is exact at those steps.
 */
export function ecdfPoints(values: readonly number[], maxPoints = maxCdfPoints): { x: number; percent: number }[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const out = [{ x: sorted[0]!, percent: 0 }];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) {
      // only the last of equal values: the CDF counts all of them
      if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
      out.push({ x: sorted[i]!, percent: (100 * (i + 1)) / n });
    }
    return out;
  }
  for (let k = 1; k <= maxPoints; k++) {
    const index = Math.ceil((k * n) / maxPoints) - 1;
    out.push({ x: sorted[index]!, percent: (100 * (index + 1)) / n });
  }
  return out;
}

/**
 * Thermal-imbalance CDF by policy: for each policy the share of time (% of ticks or intervals) whose imbalance (°C) is
 * at or below x, as a step line; policies differ in colour (Okabe–Ito, by sorted name) and
 * dash, so the chart survives greyscale printing.
 */
export function imbalanceCdfSpec(data: ImbalanceCdfInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('imbalance-cdf', imbalanceCdfInput, data);
  requireData('imbalance-cdf', input.policies.length);
  const { theme, top } = specFrame('imbalance-cdf', options);

  const policies = sortedDistinct(input.policies.map((p) => p.policy));
  const byName = new Map(input.policies.map((p) => [p.policy, p.imbalanceC]));
  const rows = policies.flatMap((policy) => ecdfPoints(byName.get(policy)!).map((p) => ({
    policy, imbalance: round(p.x, 3), percent: round(p.percent, 2),
  })));
  const dashes = [[], [4, 2], [1, 1.5], [6, 2, 1, 2], [2, 3], [8, 3]];
  // stroke legend symbols long enough to show the dash pattern
  const symbolLength = theme.labelSize * 1.8;
  const legend = { title: null, columns: legendColumns(theme, policies, symbolLength), symbolSize: symbolLength ** 2 };

  return {
    ...top,
    ...fitSize(theme),
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'imbalance', type: 'quantitative', scale: { zero: false }, title: withUnit('Thermal imbalance', '°C') },
      y: { field: 'percent', type: 'quantitative', scale: { domain: [0, 100] }, title: withUnit('Time at or below', '%') },
      color: { field: 'policy', type: 'nominal', scale: policyColorScale(policies), legend },
      strokeDash: {
        field: 'policy', type: 'nominal', legend,
        scale: { domain: policies, range: policies.map((_, i) => dashes[i % dashes.length]!) },
      },
    },
  };
}
