import { naturalCompare } from '../util/natural-compare.js';
import { vmEnergyComponents } from '../charts/vm-energy.js';
import type { ReportChart } from './charts.js';
import { figuresOf, meanCi, num, type Section } from './figure.js';
import type { ReportAttribution } from './gather.js';
import { breakable, html, type Html } from './html.js';

/** A closure residual above this share of the measured energy gets a warning: the model does not explain the recording. */
const residualWarnShare = 0.05;

/** One attribution: the closure (measured = VMs + host + idle + residual), the per-VM table, the chart. */
function attributionBlock(a: ReportAttribution, charts: readonly ReportChart[], item: number): Html {
  const perVm = new Map<string, Record<string, number>>();
  for (const r of a.books.vms) {
    const row = perVm.get(r.vm) ?? {};
    row[r.component] = (row[r.component] ?? 0) + r.joules;
    perVm.set(r.vm, row);
  }
  let vmSum = 0;
  const rows = [...perVm.keys()].sort(naturalCompare).map((vm) => {
    const parts = perVm.get(vm)!;
    const total = vmEnergyComponents.reduce((s, c) => s + (parts[c] ?? 0), 0);
    vmSum += total;
    const share = total > 0 ? (100 * (parts['io-emulation'] ?? 0)) / total : null;
    return html`<tr><td class="wrap">${breakable(vm)}</td>${vmEnergyComponents.map((c) => html`<td class="n">${meanCi(parts[c] ?? 0, null)}</td>`)}<td class="n">${meanCi(total, null)}</td><td class="n">${meanCi(share, null, 3, 1)}</td></tr>`;
  });
  const { measured, host, idle, residual, domain } = a.books;
  const large = measured !== null && residual !== null && measured > 0 && Math.abs(residual) > residualWarnShare * measured;
  const books = measured === null
    ? html`<p>No measured ${domain} energy in this recording: VMs ${meanCi(vmSum, null)} J + host ${meanCi(host, null)} J
+ unassigned idle ${meanCi(idle, null)} J are model estimates, and closure cannot be checked.</p>`
    : html`<p>Measured ${domain} energy ${meanCi(measured, null)} J = VMs ${meanCi(vmSum, null)} J + host ${meanCi(host, null)} J
+ unassigned idle ${meanCi(idle, null)} J + residual ${meanCi(residual, null)} J.</p>`;
  return html`<h3>${a.trace} <span class="meta">(attribution ${a.id})</span></h3>
${books}
${large ? html`<ul class="warnings"><li>The residual is ${num((100 * Math.abs(residual!)) / measured!, 2)} % of the measured energy: the model does not explain this recording's energy, so the per-VM figures are not to be trusted (see its fit).</li></ul>` : null}
<div class="scroll"><table><thead><tr><th>VM</th>${vmEnergyComponents.map((c) => html`<th>${c} (J)</th>`)}<th>total (J)</th><th>I/O share (%)</th></tr></thead>
<tbody>${rows}</tbody></table></div>${figuresOf(charts, 'vm-energy', item)}`;
}

/** Energy per VM and component (J) of each stored attribution, or a note saying there is none. */
export function vmEnergySection(attributions: readonly ReportAttribution[], charts: readonly ReportChart[]): Section {
  const body = attributions.length
    ? html`${attributions.map((a, i) => attributionBlock(a, charts, i))}`
    : html`<p class="note">No per-VM energy attribution in the store: run <code>vheat attribute</code> first.</p>`;
  return { id: 'vm-energy', title: 'Per-VM energy', body };
}
