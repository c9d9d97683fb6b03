import type { ReportChart } from './charts.js';
import { figuresOf, type Section } from './figure.js';
import type { ReportHeatmap } from './gather.js';
import { html } from './html.js';

/** A temperature heatmap per trace that recorded per-core (or per-CPU) temperatures. */
export function temperaturesSection(heatmaps: readonly ReportHeatmap[], charts: readonly ReportChart[]): Section {
  const body = heatmaps.length
    ? html`${heatmaps.map((h, i) => html`<h3>${h.trace}</h3>${figuresOf(charts, 'temperatures', i)}`)}`
    : html`<p class="note">No trace in the store recorded per-core or per-CPU temperatures.</p>`;
  return { id: 'temperatures', title: 'Temperatures', body };
}
