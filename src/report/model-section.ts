import type { ModelFile } from '../model/model-file.js';
import type { ReportChart } from './charts.js';
import { figuresOf, num, type Section } from './figure.js';
import type { ReportModel } from './gather.js';
import { html, type Html } from './html.js';

type Stats = ModelFile['fit']['inSample'];

function statsRow(label: string, s: Stats): Html {
  return html`<tr><td>${label}</td><td class="n">${s.n}</td><td class="n">${num(s.r2)}</td><td class="n">${num(s.rmse)}</td>
<td class="n">${num(s.mape, 2)}</td><td class="n">${num(s.maxError)}</td></tr>`;
}

function interval(ci: [number, number] | null): string {
  return ci ? ` [${num(ci[0], 4)}, ${num(ci[1], 4)}]` : '';
}

/** One model: settings, static power and terms, fit statistics, warnings, then its figures. */
function modelBlock(m: ReportModel, charts: readonly ReportChart[], item: number): Html {
  const { model } = m;
  const fit = [
    statsRow('in sample', model.fit.inSample),
    model.fit.cv ? statsRow(`blocked ${model.fit.cv.folds}-fold CV`, model.fit.cv) : null,
    ...(model.fit.workloads ?? []).map((w) => statsRow(`unseen workload ${w.workload}`, w)),
  ];
  const terms = model.terms.map((t) => html`<tr><td>${t.name}</td><td class="n">${num(t.weight, 4)}${interval(t.ci95)}</td><td class="n">${num(t.vif, 2)}</td></tr>`);
  const warnings = model.diagnostics.warnings;
  return html`<h3>${model.domain} model on ${m.label}</h3>
<p>${model.method}, ${model.scope} scope, ${model.training.intervals} intervals of ${model.intervalSeconds} s, lag ${num(model.lagSeconds * 1000)} ms;
static power ${num(model.staticWatts.value, 4)} W${interval(model.staticWatts.ci95)}.</p>
<div class="cols"><table><thead><tr><th>term</th><th>weight (J per event) [95 %]</th><th>VIF</th></tr></thead><tbody>${terms}</tbody></table>
<table><thead><tr><th>error</th><th>n</th><th>R²</th><th>RMSE (W)</th><th>MAPE (%)</th><th>max (W)</th></tr></thead><tbody>${fit}</tbody></table></div>
${warnings.length ? html`<ul class="warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : null}
${figuresOf(charts, 'model', item)}`;
}

/** The energy models given to the report, each with its fit and weights. */
export function modelSection(models: readonly ReportModel[], charts: readonly ReportChart[]): Section {
  const body = models.length
    ? html`${models.map((m, i) => modelBlock(m, charts, i))}`
    : html`<p class="note">No energy model was given: fit one with <code>vheat calibrate</code> and pass it with <code>--model</code>.</p>`;
  return { id: 'model', title: 'Energy model fit', body };
}
