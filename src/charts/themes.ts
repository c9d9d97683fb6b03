import type { Config } from 'vega-lite';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import { fontList, type FontChoice } from './fonts.js';

/** Names of the shipped chart themes. */
export type ThemeName = 'paper-1col' | 'paper-2col' | 'slides';

/**
 * Physical size and type sizes of a figure. Layout works in points (1/72 in), so a figure laid
 * out at `widthInches · 72` units and printed at `widthInches` keeps its type at the sizes here.
 */
export interface ChartTheme {
  name: ThemeName;
  /** Total figure width, inches (the column or text width it is made for). */
  widthInches: number;
  /** Total figure height of a single-panel chart, inches. */
  heightInches: number;
  /** Default type family; `--font` overrides it. */
  font: FontChoice;
  /** Tick and legend labels, pt. */
  labelSize: number;
  /** Axis and legend titles, pt. */
  titleSize: number;
  /** Line and error-bar width, pt. */
  lineWidth: number;
  /** Point mark area, pt². */
  pointSize: number;
  /** Multi-panel charts put panels side by side (true) or stack them (false). */
  wide: boolean;
  /** Panels per row when one panel is drawn per metric. */
  columns: number;
}

/** The shipped themes: a 3.5 in column, a 7 in two-column spread, and a 10 in slide. */
export const chartThemes: Readonly<Record<ThemeName, ChartTheme>> = {
  'paper-1col': {
    name: 'paper-1col', widthInches: 3.5, heightInches: 2.4, font: 'serif',
    labelSize: 7, titleSize: 8, lineWidth: 0.75, pointSize: 12, wide: false, columns: 2,
  },
  'paper-2col': {
    name: 'paper-2col', widthInches: 7, heightInches: 2.6, font: 'serif',
    labelSize: 7, titleSize: 8, lineWidth: 0.75, pointSize: 14, wide: true, columns: 4,
  },
  slides: {
    name: 'slides', widthInches: 10, heightInches: 5.625, font: 'sans',
    labelSize: 16, titleSize: 18, lineWidth: 2, pointSize: 80, wide: true, columns: 3,
  },
};

/** Theme names, for `--help` and did-you-mean. */
export const themeNames = Object.keys(chartThemes) as ThemeName[];

/**
 * Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008): its eight colours
 * stay distinct under protanopia, deuteranopia and tritanopia. Ordered for marks on white:
 * the strongest first, yellow last because thin yellow lines vanish on paper.
 */
export const okabeIto = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
] as const;

/** Neutral grey for reference marks (identity line, zero rule), readable in greyscale too. */
export const referenceGrey = '#777777';

/** Sequential scheme for temperatures: perceptually uniform and colour-blind-safe, dark = cool. */
export const temperatureScheme = 'inferno';

/** The theme named `name` (default paper-1col); unknown names are a UsageError with a suggestion. */
export function resolveTheme(name: string = 'paper-1col'): ChartTheme {
  const theme = (chartThemes as Record<string, ChartTheme>)[name];
  if (theme) return theme;
  throw new UsageError('chart.unknownTheme', messages.unknownChartTheme(name, themeNames), {
    hint: suggestSimilar(name, themeNames),
  });
}

/** Figure width in layout units (pt). */
export function widthPt(theme: ChartTheme): number {
  return theme.widthInches * 72;
}

/** White margin around the figure, pt. */
export function framePadding(theme: ChartTheme): number {
  return Math.round(theme.labelSize / 2);
}

/** Width left for panels and their axes inside the margin, pt. */
export function contentWidth(theme: ChartTheme): number {
  return widthPt(theme) - 2 * framePadding(theme);
}

/** Single-panel figure height in layout units (pt). */
export function heightPt(theme: ChartTheme): number {
  return theme.heightInches * 72;
}

/**
 * Tick count for an axis `extent` pt long: about one label per six label heights across (labels
 * are wide) and per four down, at least three.
 */
export function ticksFor(theme: ChartTheme, extent: number, axis: 'x' | 'y'): number {
  return Math.max(3, Math.round(extent / (theme.labelSize * (axis === 'x' ? 6 : 4))));
}

/**
 * The vega-lite `config` of a theme: print type sizes in the chosen family, hairline axes,
 * the Okabe–Ito palette, no chart frame, legends on top so the plot keeps the full width.
 */
export function themeConfig(theme: ChartTheme, font: FontChoice = theme.font): Config {
  const { labelSize, titleSize, lineWidth } = theme;
  const hairline = lineWidth * 0.7;
  return {
    font: fontList(font),
    background: 'white',
    padding: framePadding(theme),
    view: { stroke: null },
    axis: {
      labelFontSize: labelSize, titleFontSize: titleSize, titleFontWeight: 'normal',
      labelColor: 'black', titleColor: 'black', domainColor: 'black', tickColor: 'black',
      domainWidth: hairline, tickWidth: hairline, tickSize: labelSize * 0.4,
      gridColor: '#e0e0e0', gridWidth: hairline, labelPadding: labelSize * 0.25, titlePadding: labelSize * 0.5,
    },
    // vega's default, one tick per 40 px, crowds large type; full-width panels get ticksFor()
    axisX: { tickCount: ticksFor(theme, contentWidth(theme) * 0.85, 'x') },
    axisY: { tickCount: ticksFor(theme, heightPt(theme) * 0.7, 'y') },
    legend: {
      orient: 'top', direction: 'horizontal', labelFontSize: labelSize, titleFontSize: titleSize,
      titleFontWeight: 'normal', labelColor: 'black', titleColor: 'black', padding: 0, offset: labelSize * 0.6,
      columnPadding: labelSize, symbolSize: theme.pointSize * 2, symbolStrokeWidth: lineWidth,
      gradientThickness: labelSize, gradientLength: labelSize * 14, titleAnchor: 'start',
    },
    header: { labelFontSize: titleSize, titleFontSize: titleSize, labelColor: 'black' },
    title: { fontSize: titleSize + 1, fontWeight: 'normal', anchor: 'start', color: 'black' },
    text: { fontSize: labelSize, color: 'black' },
    range: { category: [...okabeIto] },
    point: { size: theme.pointSize, filled: true, strokeWidth: 0, opacity: 1 },
    line: { strokeWidth: lineWidth },
    rule: { strokeWidth: lineWidth },
    errorbar: { thickness: lineWidth, ticks: { size: labelSize * 0.8, thickness: lineWidth, opacity: 1 } },
    concat: { spacing: titleSize * 1.5 },
  };
}
