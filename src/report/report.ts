import { resolve } from 'node:path';
import type { ThemeName } from '../charts/themes.js';
import type { ModelFile } from '../model/model-file.js';
import type { Store } from '../store/store.js';
import { writeOutputFile } from '../util/write-file.js';
import { renderReportCharts, type ReportChart } from './charts.js';
import type { Section } from './figure.js';
import { gatherReport } from './gather.js';
import { modelSection } from './model-section.js';
import { page } from './page.js';
import { policiesSection } from './policies-section.js';
import { temperaturesSection } from './temperatures-section.js';
import { tracesSection } from './traces-section.js';
import { vmEnergySection } from './vm-energy-section.js';

/** Options of `report`. */
export interface ReportOptions {
  /** HTML file to write; its folder is created. */
  out: string;
  /** Energy models to show (from `vheat calibrate`); default none. */
  models?: readonly ModelFile[];
  /** Document title; default "vheat report". */
  title?: string;
  /** Chart theme; default paper-2col (7 in wide, scaled to the page). */
  theme?: ThemeName;
  /** Time printed as the generation time; default now. */
  now?: Date;
  /** Called after each phase: gather, charts, write. */
  onProgress?: (done: number, total: number) => void;
}

/** What `report` wrote. */
export interface ReportResult {
  path: string;
  bytes: number;
  /** Sections in page order; `empty` when the store had nothing for it (the section then holds a note). */
  sections: { id: string; title: string; empty: boolean }[];
  /** The figures, rendered (SVG); `vheat demo` also writes them as files. */
  charts: ReportChart[];
  /** vega warnings raised while drawing. */
  warnings: string[];
}

/**
 * Writes one self-contained HTML report: traces, model fit, per-VM energy, policy comparison and
 * temperatures, charts inlined as SVG, no script and no external resource.
 *
 *   store, models ─(1) gatherReport──────▶ ReportData
 *                 ─(2) renderReportCharts▶ SVG figures
 *                 ─(3) sections, page────▶ HTML (every interpolated string escaped)
 *                 ─(4) write─────────────▶ out
 */
export async function report(store: Store, options: ReportOptions): Promise<ReportResult> {
  const progress = options.onProgress ?? (() => {});
  // 1. Gather
  const data = await gatherReport(store, options.models ?? []);
  progress(1, 3);
  // 2. Figures
  const warnings: string[] = [];
  const charts = await renderReportCharts(data, options.theme ?? 'paper-2col', (w) => warnings.push(w));
  progress(2, 3);
  // 3. Sections and page
  const sections: (Section & { empty: boolean })[] = [
    { ...tracesSection(data.info), empty: data.info.traces.length === 0 },
    { ...modelSection(data.models, charts), empty: data.models.length === 0 },
    { ...vmEnergySection(data.attributions, charts), empty: data.attributions.length === 0 },
    { ...policiesSection(data.comparisons, charts), empty: data.comparisons.length === 0 },
    { ...temperaturesSection(data.heatmaps, charts), empty: data.heatmaps.length === 0 },
  ];
  const generated = (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const text = page(options.title ?? 'vheat report', generated, sections).text;
  // 4. Write
  const path = resolve(options.out);
  writeOutputFile(path, text, 'report.write');
  progress(3, 3);
  return {
    path, bytes: Buffer.byteLength(text), charts, warnings,
    sections: sections.map(({ id, title, empty }) => ({ id, title, empty })),
  };
}
