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

/**
 * A mean with its 95 % CI half-width, both to the decimals of the mean's `digits` significant
 * digits but at most `maxDecimals` (so float noise such as 6e-11 J reads 0.000); the half-width
 * is left out when it rounds to zero or is missing. A dash for a missing mean.
 */
export function meanCi(mean: number | null | undefined, half: number | null | undefined, digits = 4, maxDecimals = 3): string {
  if (mean === null || mean === undefined || !Number.isFinite(mean)) return '–';
  const magnitude = mean === 0 ? 0 : Math.floor(Math.log10(Math.abs(mean)));
  const decimals = Math.min(maxDecimals, Math.max(0, digits - 1 - magnitude));
  const text = (x: number): string => (Object.is(+x.toFixed(decimals), -0) ? 0 : x).toFixed(decimals);
  const ci = half !== null && half !== undefined && Number.isFinite(half) && +half.toFixed(decimals) !== 0 ? ` ± ${text(half)}` : '';
  return text(mean) + ci;
}

/** A report section: an anchored heading and its body. */
export interface Section {
  id: string;
  title: string;
  body: Html;
}
