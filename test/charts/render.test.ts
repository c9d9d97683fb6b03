import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { chartSpec } from '../../src/charts/chart.js';
import { fixedCreationDate, renderChart } from '../../src/charts/render.js';
import { themeNames } from '../../src/charts/themes.js';
import { decodePng, inkFraction } from '../helpers/png.js';
import { samples } from './sample-data.js';

/** The axis titles of each kind as the sample data produces them. */
const axisTitles: Record<string, string[]> = {
  'calibration-fit': ['Measured power (W)', 'Predicted power (W)', 'Residual (W)', 'Time (s)'],
  weights: ['Energy per event (nJ)', 'Event'],
  'vm-energy': ['Energy (kJ)', 'VM'],
  'temperature-heatmap': ['Time (s)', 'Core', 'Temperature (°C)'],
  'imbalance-cdf': ['Thermal imbalance (°C)', 'Time at or below (%)'],
  'policy-comparison': ['Mean imbalance (°C)', 'Energy (kJ)', 'Migrations (1/s)'],
  'overhead-tradeoff': ['Migrations (1/s)', 'Mean thermal imbalance (°C)'],
};

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe.each(Object.keys(samples))('rendering %s', (kind) => {
  const spec = chartSpec(kind, samples[kind]!());

  it('writes an SVG of the physical width with every axis title as text in the theme font', async () => {
    const svg = await renderChart(spec, 'svg');
    expect(svg).toMatch(/^<svg[^>]* width="3.5in" height="[\d.]+in" viewBox="0 0 [\d.]+ [\d.]+"/);
    for (const title of axisTitles[kind]!) expect(svg).toContain(`>${escapeXml(title)}</text>`);
    expect(svg).toContain('font-family="DejaVu Serif, serif"');
  });

  it('writes a 300 dpi PNG that is not blank', async () => {
    const png = decodePng(await renderChart(spec, 'png'));
    expect(png.width).toBe(3.5 * 300);
    expect(png.height).toBeGreaterThan(200);
    expect(inkFraction(png)).toBeGreaterThan(0.03);
  });

  it('writes a one-page vector PDF with the font embedded and no raster image', async () => {
    const pdf = Buffer.from(await renderChart(spec, 'pdf')).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif\b/);
    expect(pdf).toContain('/FontFile2');
    expect(pdf).not.toContain('/Subtype /Image');
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(pdf).toMatch(/\/MediaBox \[0 0 252 [\d.]+\]/);
  });
});

describe('renderChart', () => {
  it('gives byte-identical SVG, PNG and PDF for the same input', async () => {
    for (const kind of ['temperature-heatmap', 'calibration-fit']) {
      for (const format of ['svg', 'png', 'pdf'] as const) {
        const first = await renderChart(chartSpec(kind, samples[kind]!()), format);
        const second = await renderChart(chartSpec(kind, samples[kind]!()), format);
        expect(Buffer.from(second).equals(Buffer.from(first)), `${kind} ${format}`).toBe(true);
      }
    }
  });

  it('dates PDFs with the fixed creation date unless told otherwise', async () => {
    const spec = chartSpec('weights', samples.weights!());
    const fixed = Buffer.from(await renderChart(spec, 'pdf')).toString('latin1');
    expect(fixed).toContain(`(D:${fixedCreationDate.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`);
    const other = Buffer.from(await renderChart(spec, 'pdf', { creationDate: new Date(Date.UTC(2024, 1, 2)) })).toString('latin1');
    expect(other).toContain('(D:20240202000000Z)');
    expect(other).not.toContain('(D:20000101000000Z)');
  });

  it('embeds DejaVu Sans for the sans font and the slides theme', async () => {
    const pdf = Buffer.from(await renderChart(chartSpec('weights', samples.weights!(), { font: 'sans' }), 'pdf')).toString('latin1');
    expect(pdf).toMatch(/\+DejaVuSans\b/);
    expect(pdf).not.toMatch(/\+DejaVuSerif\b/);
    const svg = await renderChart(chartSpec('weights', samples.weights!(), { theme: 'slides' }), 'svg');
    expect(svg).toContain('font-family="DejaVu Sans, sans-serif"');
  });

  it('returns the spec itself as JSON with sorted keys', async () => {
    const spec = chartSpec('vm-energy', samples['vm-energy']!());
    const json = await renderChart(spec, 'json');
    expect(JSON.parse(json)).toEqual(spec);
    expect(json.indexOf('"$schema"')).toBeLessThan(json.indexOf('"config"'));
  });

  it('lays every kind out within 4 % of the theme width, so type stays at its print size', async () => {
    for (const kind of Object.keys(samples)) {
      for (const theme of themeNames) {
        const spec = chartSpec(kind, samples[kind]!(), { theme });
        const svg = await renderChart(spec, 'svg');
        const layoutWidth = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)![1]);
        expect(Math.abs(layoutWidth / (spec.usermeta!.vheat as { widthInches: number }).widthInches / 72 - 1), `${kind} ${theme}`)
          .toBeLessThan(0.04);
      }
    }
  });

  it('draws the text in the PNG (resvg silently drops text it has no font for)', async () => {
    const spec = chartSpec('weights', samples.weights!());
    const withText = inkFraction(decodePng(await renderChart(spec, 'png')));
    const svg = (await renderChart(spec, 'svg')).replace(/<text[^>]*>[^<]*<\/text>/g, '');
    const withoutText = inkFraction(decodePng(new Resvg(svg, { fitTo: { mode: 'width', value: 1050 } }).render().asPng()));
    expect(withText - withoutText).toBeGreaterThan(0.01);
  });

  it('renders PNGs at other resolutions on request', async () => {
    const png = decodePng(await renderChart(chartSpec('weights', samples.weights!(), { theme: 'paper-2col' }), 'png', { dpi: 150 }));
    expect(png.width).toBe(7 * 150);
  });
});
