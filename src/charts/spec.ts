import type { TopLevelSpec } from 'vega-lite';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { naturalCompare } from '../util/natural-compare.js';
import type { FontChoice } from './fonts.js';
import { contentWidth, heightPt, okabeIto, resolveTheme, themeConfig, widthPt, type ChartTheme, type ThemeName } from './themes.js';

/** A vega-lite top-level specification, as `vegaLite.compile` takes it. */
export type VegaLiteSpec = TopLevelSpec;

/** `$schema` of every spec vheat writes (the vega-lite major version it is built with). */
export const vegaLiteSchemaUrl = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Options every chart builder takes. */
export interface ChartOptions {
  /** Size and type sizes; defaults to paper-1col. */
  theme?: ThemeName;
  /** Type family; defaults to the theme's (serif for paper, sans for slides). */
  font?: FontChoice;
  /** A title above the chart; none by default, as papers caption their figures. */
  title?: string;
}

/**
 * What vheat records in `usermeta.vheat` of each spec, so a saved `.json` renders at its
 * physical size on its own.
 */
export interface ChartMeta {
  kind: string;
  theme: ThemeName;
  font: FontChoice;
  /** Physical width the figure is laid out for, inches. */
  widthInches: number;
}

/** The resolved theme and the top-level properties every spec of a kind starts with. */
export interface SpecFrame {
  theme: ChartTheme;
  top: Pick<TopLevelSpec, '$schema' | 'config' | 'usermeta'> & { title?: string };
}

/** Resolves the theme and font of `options` into the shared top of a spec. */
export function specFrame(kind: string, options: ChartOptions = {}): SpecFrame {
  const theme = resolveTheme(options.theme);
  const font = options.font ?? theme.font;
  const meta: ChartMeta = { kind, theme: theme.name, font, widthInches: theme.widthInches };
  const top: SpecFrame['top'] = { $schema: vegaLiteSchemaUrl, config: themeConfig(theme, font), usermeta: { vheat: meta } };
  if (options.title) top.title = options.title;
  return { theme, top };
}

/** The `usermeta.vheat` block of a spec written by vheat, if any. */
export function chartMeta(spec: VegaLiteSpec): ChartMeta | undefined {
  const meta = spec.usermeta?.vheat as ChartMeta | undefined;
  return meta && typeof meta.widthInches === 'number' ? meta : undefined;
}

/**
 * Checks `data` against a kind's input schema on arrival and returns a parsed copy (so the
 * builder never touches the caller's object). Invalid data is a UsageError listing
 * `path: problem` per issue.
 */
export function parseInput<S extends z.ZodType>(kind: string, schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const detail = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new UsageError('chart.badData', messages.badChartData(kind, detail));
}

/** Throws the "needs at least one point" UsageError when `count` is 0. */
export function requireData(kind: string, count: number): void {
  if (count === 0) throw new UsageError('chart.noData', messages.chartNoData(kind));
}

/** `x` rounded to `digits` decimals (−0 becomes 0), so goldens and JSON stay short and stable. */
export function round(x: number, digits: number): number {
  return +x.toFixed(digits) || 0;
}

/** `x` rounded to `digits` significant digits. */
export function roundSig(x: number, digits: number): number {
  return x === 0 ? 0 : +x.toPrecision(digits) || 0;
}

const prefixes: Readonly<Record<number, string>> = { [-12]: 'p', [-9]: 'n', [-6]: 'µ', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G' };

/**
 * The SI prefix that puts `maxAbs` in [1, 1000): returns the factor to multiply values by and the
 * prefixed unit (`siScale(2.4e-9, 'J')` → `{ factor: 1e9, unit: 'nJ' }`).
 */
export function siScale(maxAbs: number, unit: string): { factor: number; unit: string } {
  const exponent = maxAbs > 0 && Number.isFinite(maxAbs) ? Math.min(9, Math.max(-12, Math.floor(Math.log10(maxAbs) / 3) * 3)) : 0;
  return { factor: 10 ** -exponent, unit: `${prefixes[exponent]}${unit}` };
}

/** Axis title with its unit in parentheses: `Power (W)`. */
export function withUnit(label: string, unit: string): string {
  return `${label} (${unit})`;
}

/** The distinct values of `labels` in natural order. */
export function sortedDistinct(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort(naturalCompare);
}

/**
 * Width (pt) a y axis takes beside its plot: title, padding, tick and `labelChars` characters of
 * labels. An estimate (digits are about 0.6 em in DejaVu), used to size panels of multi-panel
 * charts, where vega-lite cannot fit the total width itself; the renderer scales the rest away.
 */
export function yAxisAllowance(theme: ChartTheme, labelChars: number): number {
  return theme.titleSize * 1.6 + theme.labelSize * (0.62 * labelChars + 0.8);
}

/** Height (pt) an x axis with title takes below its plot. */
export function xAxisAllowance(theme: ChartTheme): number {
  return theme.labelSize * 2 + theme.titleSize * 1.6;
}

/** A "nice" step (1, 2 or 5 × 10^k) near `span / count`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

/** `[lo, hi]` widened to multiples of a nice step (about `count` steps), and the step. */
export function niceDomain(lo: number, hi: number, count = 5): { domain: [number, number]; step: number } {
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return { domain: [round(Math.floor(lo / step) * step, digits), round(Math.ceil(hi / step) * step, digits)], step };
}

/** Characters of the longest tick label of a nice domain (sign and decimals included). */
export function tickLabelChars(domain: readonly [number, number], step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return Math.max(...domain.map((v) => v.toFixed(digits).length));
}

/**
 * Size of a single-panel chart: vega-lite fits plot, axes and legends into the theme's width
 * (and `height`, pt; the theme's height by default) including the margin.
 */
export function fitSize(theme: ChartTheme, height: number = heightPt(theme)): { width: number; height: number; autosize: { type: 'fit'; contains: 'padding' } } {
  return { width: widthPt(theme), height: Math.round(height), autosize: { type: 'fit', contains: 'padding' } };
}

/** Smallest 1, 2 or 5 × 10^k at or above `x` (> 0). */
export function niceCeil(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const m = x / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/**
 * Colour scale for policies: the Okabe–Ito colours in order of the sorted policy names, so the
 * same set of policies gets the same colours in every chart.
 */
export function policyColorScale(policies: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...policies], range: policies.map((_, i) => okabeIto[i % okabeIto.length]!) };
}

/**
 * Columns of a horizontal legend holding `labels`, so it wraps instead of running off the
 * figure. The legend starts at the plot's left edge, right of the y axis; items are as wide as
 * the widest: symbol, offset, label (DejaVu Serif letters average about 0.65 em), padding.
 */
export function legendColumns(theme: ChartTheme, labels: readonly string[], symbolWidth = theme.labelSize): number {
  const item = symbolWidth + theme.labelSize * (1.6 + 0.65 * Math.max(...labels.map((l) => l.length)));
  const available = contentWidth(theme) - yAxisAllowance(theme, 3);
  return Math.max(1, Math.min(labels.length, Math.floor(available / item)));
}
