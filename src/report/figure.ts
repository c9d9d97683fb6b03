import type { ReportChart, ReportSection } from './charts.js';
import { html, inlineSvg, type Html } from './html.js';

/** A chart inlined as SVG with its caption. */
export function figure(chart: ReportChart): Html {
  return html`<figure id="fig-${chart.name}" data-kind="${chart.kind}">${inlineSvg(chart.svg, chart.name)}<figcaption>${chart.caption}</figcaption></figure>`;
}

/** The figures of one item of a section, in report order. */
export function figuresOf(charts: readonly ReportChart[], section: ReportSection, item = 0): Html[] {
  return charts.filter((c) => c.section === section && c.item === item).map(figure);
}

/** A number with `digits` significant digits, or a dash when missing. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) >= 10 ** digits ? value.toFixed(0) : value.toPrecision(digits);
}

/** A report section: an anchored heading and its body. */
export interface Section {
  id: string;
  title: string;
  body: Html;
}
