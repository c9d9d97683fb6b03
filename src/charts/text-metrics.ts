import PDFDocument from 'pdfkit';
import * as vega from 'vega';
import { pickFace, type FontFace } from './fonts.js';

/** The part of a vega text item that decides its width. */
interface TextItem {
  font?: string;
  fontSize?: number;
  fontWeight?: string | number;
  fontStyle?: string;
  text?: unknown;
}

/** vega's text measurer hook (vega-scenegraph `textMetrics`; vega's typings omit it). */
const textMetrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;

let installed: readonly FontFace[] | undefined;

/**
 * Makes vega lay text out with the widths of the actual font files. Headless vega has no canvas
 * and otherwise guesses 0.8 em per character, a third too wide for DejaVu: legends and axis
 * titles then sit far from their marks. vega documents replacing `textMetrics.width` for
 * exactly this (vl-convert does the same). pdfkit measures, so layout, PNG and PDF use one font.
 */
export function useFontMetrics(faces: readonly FontFace[]): void {
  if (installed === faces) return;
  // a document that is never ended writes nothing; it only caches the opened fonts
  const doc = new PDFDocument({ autoFirstPage: false });
  textMetrics.width = (item, text) => {
    const line = String(text ?? item.text ?? '').trim();
    const size = item.fontSize ?? 11;
    if (!line || size <= 0) return 0;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    const face = pickFace(faces, item.font ?? '', bold, item.fontStyle === 'italic' || item.fontStyle === 'oblique');
    return doc.font(face.file).fontSize(size).widthOfString(line);
  };
  installed = faces;
}
