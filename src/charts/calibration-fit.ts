import { z } from 'zod';
import {
  niceDomain, parseInput, requireData, round, roundSig, specFrame, tickLabelChars, withUnit, xAxisAllowance, yAxisAllowance,
  type ChartOptions, type VegaLiteSpec,
} from './spec.js';
import { contentWidth, heightPt, okabeIto, referenceGrey, ticksFor } from './themes.js';

/** Input of a calibration-fit chart: one entry per fitted interval, three arrays of equal length. */
export const calibrationFitInput = z.object({
  /** Interval time, s from trace start. */
  t: z.array(z.number()),
  /** Measured (RAPL) power over the interval, W. */
  measuredW: z.array(z.number()),
  /** Power the energy model predicts for the interval, W. */
  predictedW: z.array(z.number()),
}).refine((d) => d.t.length === d.measuredW.length && d.t.length === d.predictedW.length, {
  message: 't, measuredW and predictedW must have the same length',
});

/** Typed input of `calibrationFitSpec`. */
export type CalibrationFitInput = z.infer<typeof calibrationFitInput>;

/** Coefficient of determination and root-mean-square error (W) of predicted against measured. */
export function fitStats(measured: readonly number[], predicted: readonly number[]): { r2: number; rmseW: number } {
  const n = measured.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += measured[i]!;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (measured[i]! - predicted[i]!) ** 2;
    ssTot += (measured[i]! - mean) ** 2;
  }
  return { r2: ssTot > 0 ? 1 - ssRes / ssTot : NaN, rmseW: Math.sqrt(ssRes / n) };
}

/**
 * Calibration fit: predicted against measured power with the identity line and the fit's R² and
 * RMSE, beside (wide themes) or above (paper-1col) the residual, measured − predicted (W), over
 * time (s). Both power axes share one nice domain so the identity line is the diagonal.
 */
export function calibrationFitSpec(data: CalibrationFitInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('calibration-fit', calibrationFitInput, data);
  const n = input.t.length;
  requireData('calibration-fit', n);
  const { theme, top } = specFrame('calibration-fit', options);

  // 1. rows in time order (index breaks ties, so equal times keep input order)
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => input.t[a]! - input.t[b]! || a - b);
  const rows = order.map((i) => ({
    t: round(input.t[i]!, 3),
    measured: round(input.measuredW[i]!, 3),
    predicted: round(input.predictedW[i]!, 3),
    residual: round(input.measuredW[i]! - input.predictedW[i]!, 3),
  }));

  // 2. one domain for both power axes, and the residual domain
  const power = niceDomain(Math.min(...input.measuredW, ...input.predictedW), Math.max(...input.measuredW, ...input.predictedW));
  const maxResidual = Math.max(...rows.map((r) => Math.abs(r.residual)));
  const residual = niceDomain(-maxResidual * 1.05, maxResidual * 1.05, 4);
  const { r2, rmseW } = fitStats(input.measuredW, input.predictedW);
  const statsText = `R² = ${Number.isNaN(r2) ? 'n/a' : r2.toFixed(3)}, RMSE = ${roundSig(rmseW, 3)} W`;

  // 3. panel sizes from the theme: one shared y-axis allowance per panel column
  const yAllow = yAxisAllowance(theme, Math.max(tickLabelChars(power.domain, power.step), tickLabelChars(residual.domain, residual.step)));
  const spacing = theme.titleSize * 1.5;
  const total = contentWidth(theme);
  const plotHeight = heightPt(theme) - xAxisAllowance(theme) - theme.labelSize;
  const scatterWidth = theme.wide ? Math.round((total - 2 * yAllow - spacing) * 0.4) : Math.round(total - yAllow);
  const residualWidth = theme.wide ? Math.round(total - 2 * yAllow - spacing - scatterWidth) : scatterWidth;
  const scatterHeight = Math.round(theme.wide ? plotHeight : plotHeight * 0.85);
  const residualHeight = Math.round(theme.wide ? plotHeight : plotHeight * 0.45);

  // thousands of intervals would merge into one blot: smaller, lighter points as n grows
  const density = Math.min(1, Math.sqrt(150 / n));
  const point = { size: round(theme.pointSize * Math.max(0.3, density), 2), opacity: round(Math.max(0.2, 0.7 * density), 2) };
  const powerScale = { domain: power.domain, nice: false, zero: false };
  const powerX = { title: withUnit('Measured power', 'W'), axis: { tickCount: ticksFor(theme, scatterWidth, 'x') } };
  const powerY = { title: withUnit('Predicted power', 'W'), axis: { tickCount: ticksFor(theme, scatterHeight, 'y') } };
  const scatter = {
    width: scatterWidth,
    height: scatterHeight,
    layer: [
      {
        mark: { type: 'point' as const, color: okabeIto[0], ...point },
        encoding: {
          x: { field: 'measured', type: 'quantitative' as const, scale: powerScale, ...powerX },
          y: { field: 'predicted', type: 'quantitative' as const, scale: powerScale, ...powerY },
        },
      },
      {
        data: { values: [{ w: power.domain[0] }, { w: power.domain[1] }] },
        mark: { type: 'line' as const, color: referenceGrey, strokeDash: [3, 2], strokeWidth: theme.lineWidth * 0.7 },
        encoding: {
          x: { field: 'w', type: 'quantitative' as const, scale: powerScale, ...powerX },
          y: { field: 'w', type: 'quantitative' as const, scale: powerScale, ...powerY },
        },
      },
      {
        data: { values: [{ label: statsText }] },
        mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, x: theme.labelSize * 0.5, y: theme.labelSize * 0.5 },
        encoding: { text: { field: 'label', type: 'nominal' as const } },
      },
    ],
  };
  const residuals = {
    width: residualWidth,
    height: residualHeight,
    layer: [
      {
        mark: { type: 'point' as const, color: okabeIto[1], size: round(point.size * 0.5, 2), opacity: point.opacity },
        encoding: {
          x: {
            field: 't', type: 'quantitative' as const, scale: { zero: false, nice: false, padding: theme.labelSize * 0.5 },
            title: withUnit('Time', 's'), axis: { tickCount: ticksFor(theme, residualWidth, 'x') },
          },
          y: {
            field: 'residual', type: 'quantitative' as const, scale: { domain: residual.domain, nice: false },
            title: withUnit('Residual', 'W'), axis: { tickCount: ticksFor(theme, residualHeight, 'y') },
          },
        },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule' as const, color: referenceGrey, strokeWidth: theme.lineWidth * 0.7 },
        encoding: { y: { field: 'zero', type: 'quantitative' as const } },
      },
    ],
  };
  const panels = [scatter, residuals];
  const base = { ...top, data: { values: rows } };
  return theme.wide ? { ...base, hconcat: panels } : { ...base, vconcat: panels };
}
