import { z } from 'zod';
import {
  fitSize, niceCeil, parseInput, requireData, round, sortedDistinct, specFrame, withUnit,
  type ChartOptions, type VegaLiteSpec,
} from './spec.js';
import { contentWidth, heightPt, temperatureScheme } from './themes.js';

/** Input of a temperature heatmap: one entry per reading, three arrays of equal length. */
export const temperatureHeatmapInput = z.object({
  /** Reading time, s from trace start. */
  t: z.array(z.number()),
  /** Core (or CPU) label of the reading, e.g. `S0-C3`. */
  core: z.array(z.string().min(1)),
  /** Temperature, °C. */
  celsius: z.array(z.number()),
  /** What the labels name: cores (default) or logical CPUs; titles the axis. */
  scope: z.enum(['core', 'cpu']).default('core'),
}).refine((d) => d.t.length === d.core.length && d.t.length === d.celsius.length, {
  message: 't, core and celsius must have the same length',
});

/** Typed input of `temperatureHeatmapSpec`. */
export type TemperatureHeatmapInput = z.input<typeof temperatureHeatmapInput>;

/** Median gap between consecutive distinct reading times, s (0 for a single time). */
function medianInterval(t: readonly number[]): number {
  const times = Float64Array.from(new Set(t)).sort();
  if (times.length < 2) return 0;
  const gaps = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
  gaps.sort();
  return gaps[gaps.length >> 1]!;
}

/**
 * Time bins of a heatmap: a nice width (1, 2 or 5 × 10^k s) giving at most `maxBins` bins over the
 * trace and no narrower than the median reading interval, so sparse readings leave no gaps.
 * Returns the width and the index of the first bin (bin k covers [k·width, (k+1)·width) s).
 */
export function heatmapBins(t: readonly number[], maxBins: number): { width: number; first: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < lo) lo = t[i]!;
    if (t[i]! > hi) hi = t[i]!;
  }
  const width = niceCeil(Math.max((hi - lo) / maxBins, medianInterval(t), 1e-3));
  return { width, first: Math.floor(lo / width) };
}

/**
 * Per-core temperature over time: cores (natural order) down, time (s) across in nice bins (about
 * one per 2.5 pt of width), each cell the mean °C of the readings in it, coloured with the
 * colour-blind-safe inferno scheme (dark = cool).
 */
export function temperatureHeatmapSpec(data: TemperatureHeatmapInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('temperature-heatmap', temperatureHeatmapInput, data);
  const n = input.t.length;
  requireData('temperature-heatmap', n);
  const { theme, top } = specFrame('temperature-heatmap', options);

  // 1. bin: mean °C per (core, time bin)
  const { width, first } = heatmapBins(input.t, Math.floor(contentWidth(theme) / 2.5));
  const cores = sortedDistinct(input.core);
  const coreIndex = new Map(cores.map((c, i) => [c, i]));
  const cells = new Map<number, { sum: number; count: number }>();
  const stride = cores.length; // key = (bin − first) · stride + core index: one small number per cell
  for (let i = 0; i < n; i++) {
    const key = (Math.floor(input.t[i]! / width) - first) * stride + coreIndex.get(input.core[i]!)!;
    const cell = cells.get(key) ?? { sum: 0, count: 0 };
    cell.sum += input.celsius[i]!;
    cell.count++;
    cells.set(key, cell);
  }

  // 2. rows ordered by core, then time
  const digits = Math.max(0, -Math.floor(Math.log10(width)) + 1);
  const rows = [...cells.entries()]
    .map(([key, { sum, count }]) => {
      const offset = Math.floor(key / stride);
      return { coreIndex: key - offset * stride, bin: first + offset, celsius: round(sum / count, 2) };
    })
    .sort((a, b) => a.coreIndex - b.coreIndex || a.bin - b.bin)
    .map((r) => ({ core: cores[r.coreIndex]!, t0: round(r.bin * width, digits), t1: round((r.bin + 1) * width, digits), celsius: r.celsius }));

  // the plot gets about 70 % of the figure height, shared by the cores
  const rowHeight = (heightPt(theme) * 0.7) / cores.length;
  return {
    ...top,
    ...fitSize(theme),
    data: { values: rows },
    // cells reach a hair into their right and lower neighbours, which are drawn later and cover
    // it: otherwise anti-aliasing leaves light seams between equal-coloured cells
    mark: { type: 'rect', x2Offset: 0.3, height: { band: round(1 + 0.3 / rowHeight, 4) } },
    encoding: {
      x: { field: 't0', type: 'quantitative', scale: { zero: false, nice: false }, title: withUnit('Time', 's') },
      x2: { field: 't1' },
      y: {
        field: 'core', type: 'ordinal', sort: cores, title: input.scope === 'cpu' ? 'CPU' : 'Core',
        // many cores: every row keeps its cell, labels thin out and the tick comb goes
        axis: { labelOverlap: 'greedy', ticks: cores.length <= 16 },
      },
      color: {
        field: 'celsius', type: 'quantitative', scale: { scheme: temperatureScheme, zero: false },
        title: withUnit('Temperature', '°C'),
      },
    },
  };
}
