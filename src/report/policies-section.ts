import { comparedMetrics } from '../charts/comparison.js';
import type { ReportChart } from './charts.js';
import { figuresOf, meanCi, num, type Section } from './figure.js';
import type { ReportComparison } from './gather.js';
import { breakable, html, type Html } from './html.js';

/** One comparison: runs per policy, each compared metric as mean ± 95 % CI half-width, and its charts. */
function comparisonBlock(c: ReportComparison, charts: readonly ReportChart[], item: number): Html {
  const { comparison } = c;
  const cell = (metric: string, policy: (typeof comparison.policies)[number]) =>
    html`<td class="n">${meanCi(policy.metrics[metric]?.mean, policy.metrics[metric]?.ci95)}</td>`;
  // only the metrics the runs recorded: a column of dashes tells the reader nothing
  const shown = comparedMetrics.filter((m) => comparison.policies.some((p) => p.metrics[m.metric]?.mean != null));
  const rows = comparison.policies.map((p) => html`<tr><td class="wrap">${breakable(p.policy)}</td><td class="n">${p.runIds.length}</td>${shown.map((m) => cell(m.metric, p))}</tr>`);
  return html`<h3>${comparison.traces} <span class="meta">(${comparison.runs} runs, tick ${num(comparison.tickSeconds * 1000)} ms)</span></h3>
<div class="scroll"><table><thead><tr><th>policy</th><th>runs</th>${shown.map((m) => html`<th>${m.label} (${m.unit})</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="meta">Mean ± 95 % confidence half-width over each policy's runs (seeds). Runs compared: every stored replay of the same traces, model, tick and span.</p>
${figuresOf(charts, 'policies', item)}`;
}

/** Every set of comparable replay runs, one block each, or a note saying there is none. */
export function policiesSection(comparisons: readonly ReportComparison[], charts: readonly ReportChart[]): Section {
  const body = comparisons.length
    ? html`${comparisons.map((c, i) => comparisonBlock(c, charts, i))}`
    : html`<p class="note">No replay runs in the store: run <code>vheat replay</code> or <code>vheat compare</code> first.</p>`;
  return { id: 'policies', title: 'Policy comparison', body };
}
