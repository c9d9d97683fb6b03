import { chartSpec } from '../charts/chart.js';
import { renderChart } from '../charts/render.js';
import type { VegaLiteSpec } from '../charts/spec.js';
import type { ThemeName } from '../charts/themes.js';
import type { ReportData } from './gather.js';

/** One figure of the report, rendered. */
export interface ReportChart {
  /** File stem, unique in the report: `<subject>-<kind>` (e.g. `demo-kvm-weights`). */
  name: string;
  kind: string;
  /** The report section showing it, and which of the section's items (model, trace) it belongs to. */
  section: ReportSection;
  item: number;
  /** What the figure shows, for its caption. */
  caption: string;
  spec: VegaLiteSpec;
  svg: string;
}

/** Report sections that hold figures. */
export type ReportSection = 'model' | 'temperatures' | 'vm-energy' | 'policies';

/** A figure to draw: the kind's input and its caption. */
interface ChartPlan {
  section: ReportSection;
  item: number;
  subject: string;
  kind: string;
  input: unknown;
  caption: string;
}

/** Lower-case letters, digits and dashes only, for file names. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
}

/** Every figure the data allows, in page order (sections: model, per-VM energy, policies, temperatures). */
function planCharts(data: ReportData): ChartPlan[] {
  const plans: ChartPlan[] = [];
  data.models.forEach((m, item) => {
    const subject = m.model.training.traces[0]!.bundle ?? m.model.training.traces[0]!.name;
    plans.push({ section: 'model', item, subject, kind: 'calibration-fit', input: m.fit, caption: `Predicted against measured ${m.model.domain} power, and the residual over time, on ${m.label}.` });
    if (m.weights) plans.push({ section: 'model', item, subject, kind: 'weights', input: m.weights, caption: `Energy per event of each model term, with 95 % intervals (${m.label}).` });
  });
  data.attributions.forEach((a, item) => {
    if (!a.vmEnergy.rows.length) return;
    plans.push({
      section: 'vm-energy', item, subject: a.trace.split('/')[0]!, kind: 'vm-energy', input: a.vmEnergy,
      caption: `${a.books.domain[0]!.toUpperCase()}${a.books.domain.slice(1)} energy attributed to each VM of ${a.trace}, by component, with the I/O-emulation share of its total.`,
    });
  });
  data.comparisons.forEach((c, item) => {
    const subject = c.comparison.traces;
    if (c.chart.rows.length) {
      plans.push({ section: 'policies', item, subject, kind: 'policy-comparison', input: c.chart, caption: `Mean of each metric per policy over its runs (seeds) on ${subject}, with 95 % confidence intervals.` });
    }
    if (c.cdf?.policies.length) {
      plans.push({ section: 'policies', item, subject, kind: 'imbalance-cdf', input: c.cdf, caption: `Share of time at or below each thermal imbalance (per-interval max − min core temperature in a package) on ${subject}, over the runs that kept series.` });
    }
    if (c.tradeoff.points.length) {
      plans.push({ section: 'policies', item, subject, kind: 'overhead-tradeoff', input: c.tradeoff, caption: `Work each policy costs the VMs (demanded minus delivered CPU time) against its mean thermal imbalance on ${subject}, with 95 % confidence intervals; lower left is better.` });
    }
  });
  data.heatmaps.forEach((h, item) => {
    plans.push({
      section: 'temperatures', item, subject: h.bundle ?? h.trace, kind: 'temperature-heatmap', input: h.input,
      caption: `${h.input.scope === 'cpu' ? 'Per-CPU' : 'Per-core'} temperatures over time in ${h.trace}.`,
    });
  });
  return plans;
}

/**
 * Builds and renders (SVG) every figure of the report with `theme`; names are made unique with a
 * numeric suffix. Warnings of vega go to `warn`.
 */
export async function renderReportCharts(data: ReportData, theme: ThemeName, warn: (message: string) => void): Promise<ReportChart[]> {
  const used = new Set<string>();
  const charts: ReportChart[] = [];
  for (const plan of planCharts(data)) {
    const base = `${slug(plan.subject)}-${plan.kind}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    const spec = chartSpec(plan.kind, plan.input, { theme });
    charts.push({ name, kind: plan.kind, section: plan.section, item: plan.item, caption: plan.caption, spec, svg: await renderChart(spec, 'svg', { warn }) });
  }
  return charts;
}
