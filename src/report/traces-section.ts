import type { StoreInfo } from '../store/info.js';
import { traceLabel } from './gather.js';
import { num, type Section } from './figure.js';
import { breakable, html } from './html.js';

/** The traces in the store: format, host, span, rows per table and measured energy per domain. */
export function tracesSection(info: StoreInfo): Section {
  const rows = info.traces.map((t) => {
    const tables = Object.entries(t.rows).filter(([, n]) => n > 0).map(([table, n]) => `${n} ${table}`).join(', ');
    const energy = Object.entries(t.energyJoules).map(([d, j]) => `${d} ${num(j, 4)}`).join(', ');
    const span = t.t0 !== null && t.t1 !== null ? num(t.t1 - t.t0, 4) : '–';
    return html`<tr><td class="n">${t.id}</td><td class="wrap">${breakable(traceLabel(t))}</td><td>${t.format}</td><td class="wrap">${t.host ?? '–'}${t.hypervisor ? ` (${t.hypervisor})` : ''}</td><td class="n">${span}</td><td class="wrap">${tables || '–'}</td><td class="wrap">${energy || '–'}</td><td class="n">${t.skippedLines}</td></tr>`;
  });
  const body = info.traces.length
    ? html`<p>${info.traces.length} traces in <code>${info.path}</code> (schema version ${info.schemaVersion}).</p>
<div class="scroll"><table><thead><tr><th>id</th><th>trace</th><th>format</th><th>host</th><th>span (s)</th>
<th>rows</th><th>energy (J)</th><th>skipped</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="note">The store holds no traces yet: load some with <code>vheat ingest</code>.</p>`;
  return { id: 'traces', title: 'Traces', body };
}
