import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import { calibrationFitSpec } from './calibration-fit.js';
import { imbalanceCdfSpec } from './imbalance-cdf.js';
import { overheadTradeoffSpec } from './overhead-tradeoff.js';
import { policyComparisonSpec } from './policy-comparison.js';
import { renderChart, type ChartFormat, type RenderOptions } from './render.js';
import type { ChartOptions, VegaLiteSpec } from './spec.js';
import { temperatureHeatmapSpec } from './temperature-heatmap.js';
import { vmEnergySpec } from './vm-energy.js';
import { weightsSpec } from './weights.js';

/** One chart kind: a pure spec builder that checks its own input. */
export interface ChartKind {
  name: string;
  /** One line for `vheat chart --help`. */
  description: string;
  build: (data: never, options?: ChartOptions) => VegaLiteSpec;
}

const registry = new Map<string, ChartKind>();

/** Adds a chart kind; a second kind of the same name is refused unless `override` is set. */
export function registerChartKind(kind: ChartKind, options: { override?: boolean } = {}): void {
  if (registry.has(kind.name) && !options.override) {
    throw new UsageError('chart.duplicateKind', messages.chartKindDefined(kind.name));
  }
  registry.set(kind.name, kind);
}

const builtIn: ChartKind[] = [
  { name: 'calibration-fit', description: 'predicted vs measured power, and residuals over time', build: calibrationFitSpec },
  { name: 'weights', description: 'energy weight per event with confidence intervals', build: weightsSpec },
  { name: 'vm-energy', description: 'per-VM energy stacked: static, dynamic, I/O emulation', build: vmEnergySpec },
  { name: 'temperature-heatmap', description: 'per-core temperature over time', build: temperatureHeatmapSpec },
  { name: 'imbalance-cdf', description: 'CDF of per-tick thermal imbalance by policy', build: imbalanceCdfSpec },
  { name: 'policy-comparison', description: 'metric means with 95 % CIs by policy, one panel per metric', build: policyComparisonSpec },
  { name: 'overhead-tradeoff', description: 'overhead vs mean thermal imbalance per policy, with CIs', build: overheadTradeoffSpec },
];
for (const kind of builtIn) registerChartKind(kind);

/** The registered chart kinds, in registration order. */
export function listChartKinds(): { name: string; description: string }[] {
  return [...registry.values()].map(({ name, description }) => ({ name, description }));
}

/** The kind named `name`; unknown names are a UsageError with a did-you-mean. */
export function chartKind(name: string): ChartKind {
  const kind = registry.get(name);
  if (kind) return kind;
  const known = [...registry.keys()];
  throw new UsageError('chart.unknownKind', messages.unknownChartKind(name, known), { hint: suggestSimilar(name, known) });
}

/**
 * The vega-lite spec of a chart of `kind` for `data` (the kind's typed input, checked on
 * arrival; see each `*Input` schema).
 */
export function chartSpec(kind: string, data: unknown, options: ChartOptions = {}): VegaLiteSpec {
  return chartKind(kind).build(data as never, options);
}

/** Options of `chart`: the spec's options plus the output format (default svg). */
export interface ChartVerbOptions extends ChartOptions, RenderOptions {
  format?: ChartFormat;
}

/**
 * `vheat chart` as a library verb: builds the spec of `kind` for `data` and renders it as
 * svg (default) or json (strings), png or pdf (bytes); see `renderChart`.
 */
export async function chart(kind: string, data: unknown, options: ChartVerbOptions = {}): Promise<string | Uint8Array> {
  const { format = 'svg', theme, font, title, ...render } = options;
  return renderChart(chartSpec(kind, data, { theme, font, title }), format, render);
}
