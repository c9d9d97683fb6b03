/**
 * HTML building with escaping by default: `html` escapes every interpolated string or number,
 * and only `Html` values (built by `html` itself or by `inlineSvg`) pass through unchanged, so a
 * trace, VM or policy name can never become markup.
 */

/** Markup known to be safe: built by `html` or `inlineSvg`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` with `& < > " '` as entities: safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** What `html` accepts between its literal parts; arrays are joined, null/undefined/false give nothing. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are markup, every interpolation is escaped unless it is `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/**
 * `text` escaped, with line-break opportunities (`<wbr>`) after `/` and `+` and before `.`, so
 * long trace and policy names wrap at their parts instead of widening a table.
 */
export function breakable(text: string): Html {
  return new Html(escapeHtml(text).replace(/([/+])/g, '$1<wbr>').replace(/\.(?=[^.])/g, '<wbr>.'));
}

/**
 * A chart's SVG (from `renderChart`, which escapes its own text) ready to inline: ids and their
 * references get `prefix`, because vega numbers clip paths from 1 in every chart and ids are
 * shared by the whole page; the physical size (inches) is dropped for the viewBox alone, so the
 * stylesheet sizes the chart to the column.
 */
export function inlineSvg(svg: string, prefix: string): Html {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  const prefixed = svg
    .replace(/\sid="([^"]+)"/g, ` id="${safePrefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${safePrefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${safePrefix}-$1"`);
  return new Html(prefixed.replace(/^<svg([^>]*?)\swidth="[\d.]+in"\s+height="[\d.]+in"/, '<svg$1'));
}
