import { Resvg } from '@resvg/resvg-js';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { fontFaces, pickFace, type FontFace } from './fonts.js';
import { chartMeta, type VegaLiteSpec } from './spec.js';
import { stableJson } from './stable-json.js';
import { useFontMetrics } from './text-metrics.js';

/** Output formats of a chart: the vega-lite spec itself, or a figure. */
export type ChartFormat = 'svg' | 'png' | 'pdf' | 'json';

/** The formats, in the order `--help` lists them. */
export const chartFormats: readonly ChartFormat[] = ['svg', 'png', 'pdf', 'json'];

/** Options of `renderChart`. */
export interface RenderOptions {
  /** PNG resolution, pixels per inch of the physical width; defaults to 300. */
  dpi?: number;
  /** Physical width, inches; defaults to the width the spec was built for (or its layout size at 72 pt/in). */
  widthInches?: number;
  /** Receives vega-lite and vega warnings; by default they are dropped. */
  warn?: (message: string) => void;
  /** PDF creation date; fixed (2000-01-01 UTC) by default so the same chart gives the same bytes. */
  creationDate?: Date;
}

/** The fixed PDF creation date: PDFs of the same chart are byte-identical. */
export const fixedCreationDate = new Date(Date.UTC(2000, 0, 1));

/** An SVG sized in physical units, with its layout size (pt). */
interface PhysicalSvg {
  svg: string;
  widthInches: number;
  heightInches: number;
  layoutWidth: number;
  layoutHeight: number;
}

/** A vega logger that passes warnings on and throws on errors. */
function makeLogger(warn: (message: string) => void): vega.LoggerInterface {
  const logger: vega.LoggerInterface = {
    level: () => logger,
    error: (...args: unknown[]) => {
      throw new Error(args.map(String).join(' '));
    },
    warn: (...args: unknown[]) => {
      warn(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Lays the spec out with vega (text measured with the font files) and returns its SVG. */
async function toLayoutSvg(spec: VegaLiteSpec, faces: readonly FontFace[], warn: (message: string) => void): Promise<string> {
  const logger = makeLogger(warn);
  const { spec: vgSpec } = compile(spec, { logger });
  useFontMetrics(faces);
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    // clip and gradient ids count up across renders; restart them so equal charts give equal bytes
    vega.resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Gives the SVG its physical size: the layout is in points (1/72 in), so the root gets
 * `width`/`height` in inches and keeps its viewBox; a layout a little off the target width is
 * scaled to it (type sizes change by that small factor).
 */
function toPhysical(svg: string, widthInches: number | undefined): PhysicalSvg {
  const root = /^<svg[^>]*?\swidth="([\d.]+)"\s+height="([\d.]+)"/.exec(svg);
  if (!root) throw new Error('vega produced an SVG without width and height');
  const layoutWidth = Number(root[1]);
  const layoutHeight = Number(root[2]);
  const w = widthInches ?? layoutWidth / 72;
  const h = (w * layoutHeight) / layoutWidth;
  const sized = svg.replace(/^(<svg[^>]*?\s)width="[\d.]+"\s+height="[\d.]+"/, `$1width="${+w.toFixed(4)}in" height="${+h.toFixed(4)}in"`);
  return { svg: sized, widthInches: w, heightInches: h, layoutWidth, layoutHeight };
}

/** PNG of the SVG at `dpi` pixels per physical inch, drawn with the given font files only. */
function toPng(page: PhysicalSvg, faces: readonly FontFace[], family: string, dpi: number): Uint8Array {
  const resvg = new Resvg(page.svg, {
    fitTo: { mode: 'width', value: Math.round(page.widthInches * dpi) },
    background: 'white',
    font: { fontFiles: faces.map((f) => f.file), loadSystemFonts: false, defaultFontFamily: family },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Vector PDF of the SVG, one page of the figure's physical size, text kept as text in the embedded fonts. */
function toPdf(page: PhysicalSvg, faces: readonly FontFace[], creationDate: Date, warn: (message: string) => void): Promise<Uint8Array> {
  const width = page.widthInches * 72;
  const height = page.heightInches * 72;
  const doc = new PDFDocument({
    size: [width, height], margin: 0, autoFirstPage: true,
    info: { Creator: 'vheat', Producer: 'vheat (pdfkit)', CreationDate: creationDate },
  });
  for (const f of faces) doc.registerFont(`${f.family}|${f.bold}|${f.italic}`, f.file);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  SVGtoPDF(doc, page.svg, 0, 0, {
    width, height, assumePt: true, preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (family, bold, italic) => {
      const face = pickFace(faces, family, bold, italic);
      return `${face.family}|${face.bold}|${face.italic}`;
    },
    warningCallback: warn,
  });
  doc.end();
  return done;
}

/**
 * Renders a vega-lite spec: `json` gives the spec itself (sorted keys); `svg` the vega SVG
 * sized in inches; `png` that SVG rasterised by resvg at 300 dpi with the DejaVu files (resvg
 * draws no text without them); `pdf` a vector page via pdfkit with the same fonts embedded.
 * The same spec always gives the same bytes.
 *
 * spec → (compile: vega-lite → vega) → (layout: vega View, text measured with the font
 * files) → (size: physical inches) → (encode: svg | png | pdf)
 */
export async function renderChart(spec: VegaLiteSpec, format: 'svg' | 'json', options?: RenderOptions): Promise<string>;
export async function renderChart(spec: VegaLiteSpec, format: 'png' | 'pdf', options?: RenderOptions): Promise<Uint8Array>;
export async function renderChart(spec: VegaLiteSpec, format: ChartFormat, options?: RenderOptions): Promise<string | Uint8Array>;
export async function renderChart(spec: VegaLiteSpec, format: ChartFormat, options: RenderOptions = {}): Promise<string | Uint8Array> {
  if (format === 'json') return stableJson(spec);
  const warn = options.warn ?? (() => {});
  const faces = fontFaces();
  // 1–2. compile and lay out
  const svg = await toLayoutSvg(spec, faces, warn);
  // 3. physical size
  const page = toPhysical(svg, options.widthInches ?? chartMeta(spec)?.widthInches);
  // 4. encode
  if (format === 'svg') return page.svg;
  if (format === 'png') {
    const family = pickFace(faces, typeof spec.config?.font === 'string' ? spec.config.font : '', false, false).family;
    return toPng(page, faces, family, options.dpi ?? 300);
  }
  return toPdf(page, faces, options.creationDate ?? fixedCreationDate, warn);
}
