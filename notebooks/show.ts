/**
 * Display helpers for the notebooks (Deno's Jupyter kernel). A chart is shown as its vega-lite
 * spec (interactive in JupyterLab and VS Code) with the same chart as PNG beside it, which
 * viewers without a vega-lite renderer (nbconvert's HTML export, GitHub) pick instead. PNG, not
 * SVG: nbconvert's HTML export sanitises inline SVG down to its text.
 */
import { Buffer } from 'node:buffer';
import { renderChart, type Row, type VegaLiteSpec } from '../src/index.ts';

/** PNG resolution of the fallback image, pixels per inch: sharp on screen, small in the .ipynb. */
const pngDpi = 150;

/** How long `display` yields after each message, ms. */
const flushMs = 20;

/**
 * Sends one display message, then yields for a moment. Deno's kernel queues the message and may
 * report the cell done before sending it; headless runs (nbconvert) drop what comes after that,
 * and on a loaded machine a cell of quick tables lost some of them without the pause.
 */
async function display(bundle: Record<string, unknown>): Promise<void> {
  await Deno.jupyter.display(bundle, { raw: true });
  await new Promise((resolve) => setTimeout(resolve, flushMs));
}

/** Shows `spec` inline: vega-lite plus its PNG rendering. */
export async function show(spec: VegaLiteSpec): Promise<void> {
  const png = await renderChart(spec, 'png', { dpi: pngDpi });
  await display({
    'application/vnd.vegalite.v5+json': spec,
    'image/png': Buffer.from(png).toString('base64'),
  });
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `x` as a table cell: numbers to 4 significant digits (integers in full), null as an empty cell. */
function cell(x: unknown): string {
  if (x === null || x === undefined) return '';
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : x.toPrecision(4);
  return escapeHtml(typeof x === 'object' ? JSON.stringify(x) : String(x));
}

/** Shows rows (query results, or any objects with the same keys) as an HTML table, at most `limit` rows. */
export async function table(rows: readonly Row[] | readonly Record<string, unknown>[], limit = 30): Promise<void> {
  const keys = rows.length ? Object.keys(rows[0]!) : [];
  const head = `<tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>`;
  const body = rows.slice(0, limit).map((r) => `<tr>${keys.map((k) => `<td>${cell((r as Record<string, unknown>)[k])}</td>`).join('')}</tr>`);
  const more = rows.length > limit ? `<p>… ${rows.length - limit} more rows</p>` : '';
  const text = rows.slice(0, limit).map((r) => keys.map((k) => cell((r as Record<string, unknown>)[k])).join('\t')).join('\n');
  await display({ 'text/html': `<table>${head}${body.join('')}</table>${more}`, 'text/plain': text });
}
