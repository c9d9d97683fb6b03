import { attribute } from '../attribute/attribute.js';
import type { ModelFile } from '../model/model-file.js';
import { loadComparison } from '../charts/comparison.js';
import { hostPolicyNames } from '../policies/index.js';
import { compare } from '../replay/compare.js';
import { resolveInputs } from '../replay/inputs.js';
import { replayResolved } from '../replay/replay.js';
import type { ReplayDetails } from '../replay/run-metrics.js';
import { slug } from '../report/charts.js';
import { comparisonCsv } from '../report/comparison-csv.js';
import { writeJsonOutput, writeOutput } from './outputs.js';
import { calibratedBundles, type CalibratedBundle } from './settings.js';
import type { DemoContext, DemoStage } from './stages.js';

/** The energy model the calibrate stage fitted to `bundle` (models are in `calibratedBundles` order). */
function modelOf(ctx: DemoContext, bundle: CalibratedBundle): ModelFile {
  return ctx.models[calibratedBundles.indexOf(bundle)]!;
}

/** Per-VM energy of each calibrated bundle through its model (stored in `attribution`), into out/attribution/. */
export const attributeStage: DemoStage = {
  name: 'attribute',
  async run(ctx) {
    for (const [i, bundle] of calibratedBundles.entries()) {
      const model = modelOf(ctx, bundle);
      const result = await attribute(ctx.store, { traces: [bundle], models: [model] });
      ctx.attributions.push({ bundle, result });
      writeJsonOutput(ctx, `attribution/${bundle}.json`, result, `${bundle} per-VM energy`);
      ctx.progress(i + 1, calibratedBundles.length);
    }
  },
};

/**
 * The energy budget of the budget policies, W per VM on each pCPU it uses: `share` of the
 * highest power per busy vCPU (energy per delivered CPU-second) of any VM in `details`, to two
 * significant digits; null when no VM ran.
 */
function demoBudgetWatts(details: Pick<ReplayDetails, 'vm_energy_j' | 'vm_delivered_s'>, share: number): number | null {
  let most = 0;
  for (const [vm, joules] of Object.entries(details.vm_energy_j)) {
    const seconds = details.vm_delivered_s[vm] ?? 0;
    if (seconds > 0) most = Math.max(most, joules / seconds);
  }
  return most > 0 ? Number((share * most).toPrecision(2)) : null;
}

/**
 * Every registered host policy replayed once (seed 1) on the replayed bundle, keeping the
 * per-interval series (the imbalance CDF and replay heatmaps read them), into out/replay/.
 * `recorded` goes first: the budget policies' budget is sized from its run (`demoBudgetWatts`).
 */
export const replayStage: DemoStage = {
  name: 'replay',
  async run(ctx) {
    const { bundle, tickSeconds, seriesSeconds, budgetPolicies, budgetShare } = ctx.replay;
    const model = modelOf(ctx, bundle);
    const policies = hostPolicyNames().sort((a, b) => Number(b === 'recorded') - Number(a === 'recorded'));
    for (const [i, policy] of policies.entries()) {
      const params = ctx.policyParams[policy] ?? {};
      // the thermal fit is the recording's, not the policy's: fitted for the first run, reused by the others
      const inputs = await resolveInputs(ctx.store, { trace: bundle, model, hostPolicy: policy, params, seed: 1, tickSeconds, seriesSeconds }, ctx.shared);
      ctx.shared ??= inputs.shared;
      const r = await replayResolved(ctx.store, inputs, { onProgress: (fraction) => ctx.progress(i + fraction, policies.length) });
      if (policy === 'recorded') {
        const watts = demoBudgetWatts(r.details, budgetShare);
        for (const p of budgetPolicies) if (watts !== null) ctx.policyParams[p] = { budget_w: String(watts) };
      }
      ctx.replays.push(r.summary.run_id);
      const { settings: _settings, ...run } = r.run;
      writeJsonOutput(ctx, `replay/${slug(policy)}.json`, { ...r.summary, run, notes: r.notes }, `${policy} replay of ${bundle}`);
    }
  },
};

/**
 * The further seeds (2 … seeds) of every host policy in worker threads (stored in
 * `replay_runs`/`replay_metrics`), then the comparison of all the runs (seed 1 from the replay
 * stage) read back from the store into out/comparison.json and out/comparison.csv.
 */
export const compareStage: DemoStage = {
  name: 'compare',
  async run(ctx) {
    const { bundle, tickSeconds, seriesSeconds, seeds, workers } = ctx.replay;
    const { policyParams } = ctx;
    // compare gives all its policies the same parameters: one call per distinct set
    const groups = new Map<string, string[]>();
    for (const policy of hostPolicyNames()) {
      const key = JSON.stringify(policyParams[policy] ?? {});
      groups.set(key, [...(groups.get(key) ?? []), policy]);
    }
    const total = (seeds - 1) * hostPolicyNames().length;
    let done = 0;
    for (const [params, policies] of seeds > 1 ? groups : []) {
      await compare(ctx.store, {
        trace: bundle, model: modelOf(ctx, bundle), policies, params: JSON.parse(params) as Record<string, string>,
        // the replay stage's fitted thermal parameters: no second fit, and the same run ids for the same seeds
        ...(ctx.shared ? { thermal: ctx.shared.thermal.params } : {}),
        seed: 2, seeds: seeds - 1, tickSeconds, seriesSeconds, ...(workers ? { workers } : {}),
        onProgress: (n) => ctx.progress(done + n, total),
      });
      done += (seeds - 1) * policies.length;
    }
    ctx.comparison = await loadComparison(ctx.store, ctx.replays[0]);
    writeJsonOutput(ctx, 'comparison.json', ctx.comparison, `host policies compared on ${bundle}`);
    writeOutput(ctx, 'comparison.csv', comparisonCsv(ctx.comparison), 'comparison table (mean, 95 % CI half-width)');
  },
};
