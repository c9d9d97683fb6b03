import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VheatError } from '../errors.js';
import { messages } from '../messages.js';

/** The two type families charts use: a serif and a sans, available as font files. */
export type FontChoice = 'serif' | 'sans';

/** Family names as they appear in the SVG `font-family` attributes and in the TTF name tables. */
export const fontFamilies: Readonly<Record<FontChoice, string>> = { serif: 'DejaVu Serif', sans: 'DejaVu Sans' };

/**
 * Folder of Debian's fonts-dejavu-core. The same files feed resvg (PNG), pdfkit (PDF) and the
 * text measurement of the layout, so the three outputs agree; `VHEAT_FONT_DIR` names another
 * folder holding the same file names.
 */
export const fontDir = process.env.VHEAT_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu';

/** One face of a family: weight and slant select the file. */
export interface FontFace {
  family: string;
  bold: boolean;
  italic: boolean;
  file: string;
}

const faceFiles: readonly [FontChoice, boolean, boolean, string][] = [
  ['serif', false, false, 'DejaVuSerif.ttf'],
  ['serif', true, false, 'DejaVuSerif-Bold.ttf'],
  ['serif', false, true, 'DejaVuSerif-Italic.ttf'],
  ['serif', true, true, 'DejaVuSerif-BoldItalic.ttf'],
  ['sans', false, false, 'DejaVuSans.ttf'],
  ['sans', true, false, 'DejaVuSans-Bold.ttf'],
  ['sans', false, true, 'DejaVuSans-Oblique.ttf'],
  ['sans', true, true, 'DejaVuSans-BoldOblique.ttf'],
];

let cachedFaces: readonly FontFace[] | undefined;

/**
 * Every face charts may use, checked to exist: without font files resvg silently draws no text,
 * so a missing file is an error, not a blank figure.
 */
export function fontFaces(): readonly FontFace[] {
  cachedFaces ??= faceFiles.map(([choice, bold, italic, name]) => {
    const file = join(fontDir, name);
    if (!existsSync(file)) {
      throw new VheatError('chart.fontMissing', messages.chartFontMissing(file), {
        hint: messages.hintChartFonts(),
      });
    }
    return { family: fontFamilies[choice], bold, italic, file };
  });
  return cachedFaces;
}

/**
 * The CSS font list charts write: the DejaVu family, then the generic one, so an SVG opened where
 * DejaVu is not installed still gets a serif or a sans.
 */
export function fontList(choice: FontChoice): string {
  return `${fontFamilies[choice]}, ${choice === 'serif' ? 'serif' : 'sans-serif'}`;
}

/**
 * The face for a CSS font list (the first family we have a file for; else the sans), weight and
 * slant.
 */
export function pickFace(faces: readonly FontFace[], fontFamily: string, bold: boolean, italic: boolean): FontFace {
  const names = fontFamily.split(',').map((n) => n.trim().replace(/^["']|["']$/g, ''));
  const known = names.find((n) => faces.some((f) => f.family === n)) ?? fontFamilies.sans;
  return faces.find((f) => f.family === known && f.bold === bold && f.italic === italic)!;
}
