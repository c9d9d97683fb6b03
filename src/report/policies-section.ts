import type { ReportChart } from './charts.js';
import { figuresOf, num, type Section } from './figure.js';
import { comparedMetrics, type PolicySummary } from './gather.js';
import { html } from './html.js';

/** Replayed policies: runs per policy, each compared metric as mean ± 95 % CI half-width, and the chart. */
export function policiesSection(policies: PolicySummary | null, charts: readonly ReportChart[]): Section {
  if (!policies) {
    return {
      id: 'policies', title: 'Policy comparison',
      body: html`<p class="note">No replay runs in the store: run <code>vheat replay</code> or <code>vheat compare</code> first.</p>`,
    };
  }
  const cell = (policy: string, label: string) => {
    const r = policies.chart.rows.find((x) => x.policy === policy && x.metric === label);
    if (!r) return html`<td class="n">–</td>`;
    const half = r.ciHigh - r.mean;
    return html`<td class="n">${num(r.mean, 4)}${half > 0 ? ` ± ${num(half, 2)}` : ''}</td>`;
  };
  // only the metrics the runs recorded: a column of dashes tells the reader nothing
  const shown = comparedMetrics.filter((m) => policies.chart.rows.some((r) => r.metric === m.label));
  const rows = policies.policies.map((p) => html`<tr><td>${p.policy}</td><td class="n">${p.runs}</td>${shown.map((m) => cell(p.policy, m.label))}</tr>`);
  const body = html`<div class="scroll"><table><thead><tr><th>policy</th><th>runs</th>${shown.map((m) => html`<th>${m.label} (${m.unit})</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>${figuresOf(charts, 'policies')}`;
  return { id: 'policies', title: 'Policy comparison', body };
}
