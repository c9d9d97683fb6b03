import { z } from 'zod';
import {
  parseInput, policyColorScale, requireData, roundSig, sortedDistinct, specFrame, withUnit, xAxisAllowance,
  type ChartOptions, type VegaLiteSpec,
} from './spec.js';
import { contentWidth, ticksFor } from './themes.js';

/** Input of a policy comparison: the mean of each metric per policy with its 95 % confidence interval. */
export const policyComparisonInput = z.object({
  rows: z.array(z.object({
    policy: z.string().min(1),
    /** Metric name as the axis shows it, e.g. `Mean imbalance`. */
    metric: z.string().min(1),
    /** Unit of the metric (°C, J, s, %, 1/s …); the same for every row of a metric. */
    unit: z.string().min(1),
    mean: z.number(),
    ciLow: z.number(),
    ciHigh: z.number(),
  })),
}).refine((d) => d.rows.every((r) => r.ciLow <= r.mean && r.mean <= r.ciHigh), {
  message: 'each mean must lie within [ciLow, ciHigh]', path: ['rows'],
}).refine((d) => d.rows.every((r) => d.rows.every((s) => s.metric !== r.metric || s.unit === r.unit)), {
  message: 'every row of a metric must have the same unit', path: ['rows'],
});

/** Typed input of `policyComparisonSpec`. */
export type PolicyComparisonInput = z.infer<typeof policyComparisonInput>;

/**
 * Policy comparison: one panel per metric (in the order metrics first appear), wrapped into the
 * theme's number of columns; in each, one row per policy (sorted) with the mean and an error bar
 * over its 95 % CI, on an axis titled with the metric and its unit. Policy names label the first
 * column only; colours follow the policy colours of the other charts.
 */
export function policyComparisonSpec(data: PolicyComparisonInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('policy-comparison', policyComparisonInput, data);
  requireData('policy-comparison', input.rows.length);
  const { theme, top } = specFrame('policy-comparison', options);

  const metrics = [...new Set(input.rows.map((r) => r.metric))];
  const policies = sortedDistinct(input.rows.map((r) => r.policy));
  const rows = input.rows
    .map((r) => ({ metric: r.metric, policy: r.policy, mean: roundSig(r.mean, 4), low: roundSig(r.ciLow, 4), high: roundSig(r.ciHigh, 4) }))
    .sort((a, b) => metrics.indexOf(a.metric) - metrics.indexOf(b.metric) || policies.indexOf(a.policy) - policies.indexOf(b.policy));

  // panel width: policy labels once, then equal panels (DejaVu letters average about 0.55 em)
  const columns = Math.min(theme.columns, metrics.length);
  const labelWidth = Math.min(...[Math.max(...policies.map((p) => p.length)) * theme.labelSize * 0.55, contentWidth(theme) * 0.3])
    + theme.labelSize;
  const spacing = theme.titleSize * 1.5;
  const panelWidth = Math.round((contentWidth(theme) - labelWidth - (columns - 1) * spacing) / columns);
  const panelHeight = Math.round(policies.length * theme.labelSize * 1.8);

  const panels = metrics.map((metric, i) => {
    const unit = input.rows.find((r) => r.metric === metric)!.unit;
    const firstColumn = i % columns === 0;
    const y = {
      field: 'policy', type: 'nominal' as const, sort: policies, scale: { domain: policies }, title: null,
      axis: firstColumn ? { grid: false } : { grid: false, labels: false, ticks: false },
    };
    const x = {
      type: 'quantitative' as const, scale: { zero: false, padding: theme.labelSize * 0.5 }, title: withUnit(metric, unit),
      axis: { tickCount: ticksFor(theme, panelWidth, 'x') },
    };
    return {
      width: panelWidth,
      height: panelHeight,
      transform: [{ filter: { field: 'metric', equal: metric } }],
      layer: [
        {
          mark: { type: 'errorbar' as const },
          encoding: {
            y, x: { ...x, field: 'low' }, x2: { field: 'high' },
            color: { field: 'policy', type: 'nominal' as const, scale: policyColorScale(policies), legend: null },
          },
        },
        {
          mark: { type: 'point' as const },
          encoding: {
            y, x: { ...x, field: 'mean' },
            color: { field: 'policy', type: 'nominal' as const, scale: policyColorScale(policies), legend: null },
          },
        },
      ],
    };
  });
  return {
    ...top,
    data: { values: rows },
    columns,
    concat: panels,
    spacing: { row: Math.round(xAxisAllowance(theme) * 0.5), column: spacing },
  };
}
