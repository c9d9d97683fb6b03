import { z } from 'zod';
import {
  fitSize, legendColumns, parseInput, policyColorScale, requireData, roundSig, sortedDistinct, specFrame, withUnit,
  type ChartOptions, type VegaLiteSpec,
} from './spec.js';

/** Input of an overhead trade-off chart: per policy, its overhead and mean imbalance with CIs. */
export const overheadTradeoffInput = z.object({
  /** What the overhead axis measures, e.g. `Migrations` or `Throttled time`; defaults to `Overhead`. */
  overheadLabel: z.string().min(1).default('Overhead'),
  /** Unit of the overhead, e.g. `1/s` or `core-s`. */
  overheadUnit: z.string().min(1),
  points: z.array(z.object({
    policy: z.string().min(1),
    overhead: z.number(),
    overheadLow: z.number(),
    overheadHigh: z.number(),
    /** Time-weighted mean thermal imbalance, °C. */
    imbalanceC: z.number(),
    imbalanceLowC: z.number(),
    imbalanceHighC: z.number(),
  })).refine((p) => new Set(p.map((x) => x.policy)).size === p.length, { message: 'policy names must be unique' })
    .refine((p) => p.every((x) => x.overheadLow <= x.overhead && x.overhead <= x.overheadHigh
      && x.imbalanceLowC <= x.imbalanceC && x.imbalanceC <= x.imbalanceHighC), {
      message: 'each value must lie within its [low, high] interval',
    }),
});

/** Typed input of `overheadTradeoffSpec` (`overheadLabel` may be left out). */
export type OverheadTradeoffInput = z.input<typeof overheadTradeoffInput>;

/**
 * Overhead against thermal imbalance: one point per policy at (overhead, mean imbalance °C) with
 * error bars over both confidence intervals; colour and shape both mark the policy, so points
 * stay apart in greyscale. Lower left is better.
 */
export function overheadTradeoffSpec(data: OverheadTradeoffInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('overhead-tradeoff', overheadTradeoffInput, data);
  requireData('overhead-tradeoff', input.points.length);
  const { theme, top } = specFrame('overhead-tradeoff', options);

  const policies = sortedDistinct(input.points.map((p) => p.policy));
  const rows = input.points
    .map((p) => ({
      policy: p.policy,
      overhead: roundSig(p.overhead, 4), overheadLow: roundSig(p.overheadLow, 4), overheadHigh: roundSig(p.overheadHigh, 4),
      imbalance: roundSig(p.imbalanceC, 4), imbalanceLow: roundSig(p.imbalanceLowC, 4), imbalanceHigh: roundSig(p.imbalanceHighC, 4),
    }))
    .sort((a, b) => policies.indexOf(a.policy) - policies.indexOf(b.policy));

  // padded, so a policy at an end of a range is not drawn on the axis
  const scale = { zero: false, padding: theme.labelSize };
  const x = { type: 'quantitative' as const, scale, title: withUnit(input.overheadLabel, input.overheadUnit) };
  const y = { type: 'quantitative' as const, scale, title: withUnit('Mean thermal imbalance', '°C') };
  const legend = { title: null, columns: legendColumns(theme, policies) };
  const color = { field: 'policy', type: 'nominal' as const, scale: policyColorScale(policies), legend };
  return {
    ...top,
    ...fitSize(theme),
    data: { values: rows },
    layer: [
      { mark: { type: 'errorbar' }, encoding: { x: { ...x, field: 'overheadLow' }, x2: { field: 'overheadHigh' }, y: { ...y, field: 'imbalance' }, color } },
      { mark: { type: 'errorbar' }, encoding: { y: { ...y, field: 'imbalanceLow' }, y2: { field: 'imbalanceHigh' }, x: { ...x, field: 'overhead' }, color } },
      {
        mark: { type: 'point', size: theme.pointSize * 2.5 },
        encoding: {
          x: { ...x, field: 'overhead' }, y: { ...y, field: 'imbalance' }, color,
          shape: { field: 'policy', type: 'nominal', scale: { domain: policies }, legend },
        },
      },
    ],
  };
}
