import { naturalCompare } from '../charts/spec.js';
import { vmEnergyComponents, type VmEnergyInput } from '../charts/vm-energy.js';
import type { ReportChart } from './charts.js';
import { figuresOf, num, type Section } from './figure.js';
import { html } from './html.js';

/** Package energy per VM and component (J) from the stored attribution, or a note saying there is none. */
export function vmEnergySection(vmEnergy: VmEnergyInput, charts: readonly ReportChart[]): Section {
  if (!vmEnergy.rows.length) {
    return {
      id: 'vm-energy', title: 'Per-VM energy',
      body: html`<p class="note">No per-VM energy attribution in the store: run <code>vheat attribute</code> first.</p>`,
    };
  }
  const perVm = new Map<string, Record<string, number>>();
  for (const r of vmEnergy.rows) {
    const row = perVm.get(r.vm) ?? {};
    row[r.component] = (row[r.component] ?? 0) + r.joules;
    perVm.set(r.vm, row);
  }
  const rows = [...perVm.keys()].sort(naturalCompare).map((vm) => {
    const parts = perVm.get(vm)!;
    const total = vmEnergyComponents.reduce((s, c) => s + (parts[c] ?? 0), 0);
    return html`<tr><td>${vm}</td>${vmEnergyComponents.map((c) => html`<td class="n">${num(parts[c] ?? 0, 4)}</td>`)}<td class="n">${num(total, 4)}</td></tr>`;
  });
  const body = html`<table><thead><tr><th>VM</th>${vmEnergyComponents.map((c) => html`<th>${c} (J)</th>`)}<th>total (J)</th></tr></thead>
<tbody>${rows}</tbody></table>${figuresOf(charts, 'vm-energy')}`;
  return { id: 'vm-energy', title: 'Per-VM energy', body };
}
