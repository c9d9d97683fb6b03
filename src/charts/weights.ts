import { z } from 'zod';
import {
  fitSize, parseInput, requireData, roundSig, siScale, specFrame, withUnit, xAxisAllowance,
  type ChartOptions, type VegaLiteSpec,
} from './spec.js';
import { contentWidth, okabeIto, referenceGrey } from './themes.js';

/** Input of a weights chart: the fitted energy weight of each event with its confidence interval. */
export const weightsInput = z.object({
  /** Counter event names, one per weight; unique. */
  events: z.array(z.string().min(1)),
  /** Fitted weight, J per event. */
  weightsJ: z.array(z.number()),
  /** Lower end of the confidence interval, J per event. */
  ciLowJ: z.array(z.number()),
  /** Upper end of the confidence interval, J per event. */
  ciHighJ: z.array(z.number()),
}).refine((d) => [d.weightsJ, d.ciLowJ, d.ciHighJ].every((a) => a.length === d.events.length), {
  message: 'events, weightsJ, ciLowJ and ciHighJ must have the same length',
}).refine((d) => new Set(d.events).size === d.events.length, { message: 'events must be unique', path: ['events'] })
  .refine((d) => d.weightsJ.every((w, i) => d.ciLowJ[i]! <= w && w <= d.ciHighJ[i]!), {
    message: 'each weight must lie within [ciLowJ, ciHighJ]', path: ['weightsJ'],
  });

/** Typed input of `weightsSpec`. */
export type WeightsInput = z.infer<typeof weightsInput>;

/**
 * Energy weights: one row per event, largest weight on top, a point at the fitted weight and an
 * error bar over its confidence interval, on an axis in J per event with an SI prefix chosen
 * from the data (nJ, µJ, …) and a grey rule at zero.
 */
export function weightsSpec(data: WeightsInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('weights', weightsInput, data);
  const n = input.events.length;
  requireData('weights', n);
  const { theme, top } = specFrame('weights', options);

  const maxAbs = Math.max(...input.ciLowJ.map(Math.abs), ...input.ciHighJ.map(Math.abs));
  const { factor, unit } = siScale(maxAbs, 'J');
  const rows = input.events
    .map((event, i) => ({
      event,
      weight: roundSig(input.weightsJ[i]! * factor, 4),
      low: roundSig(input.ciLowJ[i]! * factor, 4),
      high: roundSig(input.ciHighJ[i]! * factor, 4),
    }))
    .sort((a, b) => b.weight - a.weight || (a.event < b.event ? -1 : 1));

  const y = {
    field: 'event', type: 'nominal' as const, sort: rows.map((r) => r.event), title: 'Event',
    axis: { labelLimit: Math.round(contentWidth(theme) * 0.4), grid: false },
  };
  const x = { type: 'quantitative' as const, title: withUnit('Energy per event', unit) };
  const rowHeight = theme.labelSize * 1.8;
  return {
    ...top,
    ...fitSize(theme, n * rowHeight + xAxisAllowance(theme) + theme.labelSize),
    data: { values: rows },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: referenceGrey, strokeWidth: theme.lineWidth * 0.7 },
        encoding: { x: { ...x, field: 'zero' } },
      },
      {
        mark: { type: 'errorbar', color: okabeIto[0] },
        encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' } },
      },
      {
        mark: { type: 'point', color: okabeIto[0] },
        encoding: { y, x: { ...x, field: 'weight' } },
      },
    ],
  };
}
