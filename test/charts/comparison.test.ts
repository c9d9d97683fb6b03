import { describe, expect, it } from 'vitest';
import {
  imbalanceCdfInput, loadComparison, overheadTradeoffInput, policyComparisonInput, policyLabel, summarizeComparison,
} from '../../src/charts/comparison.js';
import { policyComparisonSpec } from '../../src/charts/policy-comparison.js';
import { openStore } from '../../src/store/store.js';
import type { ComparisonRun, RunMetricRow } from '../../src/store/report-data.js';

const t1 = 12.7062; // Student t 0.975 quantile, 1 degree of freedom

const run = (runId: string, hostPolicy: string, seed: number, params = '{}', hasSeries = false): ComparisonRun =>
  ({ runId, traces: 'demo', hostPolicy, guestPolicy: 'default', params, seed, tickSeconds: 0.001, hasSeries });
const m = (runId: string, metric: string, value: number | null, entity = ''): RunMetricRow => ({ runId, metric, entity, value });

// pinned, seeds 1 and 2: imbalance 2 and 4 °C; migration 0.5 + throttled 1 and 1.5 + 1 core-s; work lost (10 − 9) + (5 − 5)
// and 10 − 7 core-s. budget, one seed: imbalance 1 °C, nothing else recorded.
const runs = [run('a', 'pinned', 1, '{}', true), run('b', 'pinned', 2), run('c', 'budget', 1, '{"budget_w":"6"}', true)];
const metrics = [
  m('a', 'imbalance_mean_c', 2), m('a', 'migration_s', 0.5), m('a', 'throttled_core_s', 1),
  m('a', 'demanded_s', 10, 'vm1'), m('a', 'delivered_s', 9, 'vm1'), m('a', 'demanded_s', 5, 'vm2'), m('a', 'delivered_s', 5, 'vm2'),
  m('b', 'imbalance_mean_c', 4), m('b', 'migration_s', 1.5), m('b', 'throttled_core_s', 1), m('b', 'demanded_s', 10, 'vm1'), m('b', 'delivered_s', 7, 'vm1'),
  m('c', 'imbalance_mean_c', 1), m('c', 'peak_c', null),
];

describe('comparison of replay runs', () => {
  it('labels a policy by host policy, then guest policy and parameters when not the defaults', () => {
    expect(policyLabel({ hostPolicy: 'budget', guestPolicy: 'default', params: '{"budget_w":"6","window_ms":"5"}' })).toBe('budget (budget_w=6, window_ms=5)');
    expect(policyLabel({ hostPolicy: 'pinned', guestPolicy: 'energy-aware', params: '{}' })).toBe('pinned + energy-aware');
  });

  it('groups runs by policy and gives each metric as mean and 95 % half-width over the seeds, with the derived overheads', () => {
    const c = summarizeComparison('b', runs, metrics);
    expect(c).toMatchObject({ runId: 'b', traces: 'demo', tickSeconds: 0.001, runs: 3, seriesRuns: ['a', 'c'] });
    const [pinned, budget] = c.policies;
    expect(pinned).toMatchObject({ policy: 'pinned', runIds: ['a', 'b'], seeds: [1, 2], params: {} });
    expect(pinned!.metrics.imbalance_mean_c!.mean).toBe(3);
    expect(pinned!.metrics.imbalance_mean_c!.ci95).toBeCloseTo(t1, 4); // sd √2, n 2
    expect(pinned!.metrics.overhead_core_s!.mean).toBe(2); // 1.5 and 2.5
    expect(pinned!.metrics.overhead_core_s!.ci95).toBeCloseTo(t1 * 0.5, 4);
    expect(pinned!.metrics.work_lost_s!.mean).toBe(2); // 1 and 3
    expect(budget).toMatchObject({ policy: 'budget (budget_w=6)', params: { budget_w: '6' }, metrics: { imbalance_mean_c: { mean: 1, ci95: null } } });
    expect(budget!.metrics.peak_c).toEqual({ mean: null, ci95: null });
    expect(budget!.metrics.work_lost_s).toEqual({ mean: null, ci95: null }); // no per-VM rows
  });

  it('turns it into chart inputs: metric rows with CIs, and overhead against imbalance', () => {
    const c = summarizeComparison('a', runs, metrics);
    const rows = policyComparisonInput(c).rows;
    expect(rows.filter((r) => r.metric === 'Mean imbalance')).toEqual([
      { policy: 'pinned', metric: 'Mean imbalance', unit: '°C', mean: 3, ciLow: 3 - c.policies[0]!.metrics.imbalance_mean_c!.ci95!, ciHigh: 3 + c.policies[0]!.metrics.imbalance_mean_c!.ci95! },
      { policy: 'budget (budget_w=6)', metric: 'Mean imbalance', unit: '°C', mean: 1, ciLow: 1, ciHigh: 1 },
    ]);
    expect(rows.map((r) => r.metric)).not.toContain('Peak temperature');
    expect(() => policyComparisonSpec(policyComparisonInput(c))).not.toThrow();
    const tradeoff = overheadTradeoffInput(c);
    expect(tradeoff).toMatchObject({ overheadLabel: 'Work lost', overheadUnit: 'core-s' });
    // budget has no work-lost figure: left out
    expect(tradeoff.points.map((p) => [p.policy, p.overhead, p.imbalanceC])).toEqual([['pinned', 2, 3]]);
    expect(overheadTradeoffInput(c, 'charged').points[0]).toMatchObject({ overhead: 2, overheadLow: 2 - t1 * 0.5 });
  });

  it('pools the per-interval imbalance of the runs that kept series, per policy', async () => {
    const store = await openStore(':memory:');
    for (const r of runs) {
      await store.run(`INSERT INTO replay_runs VALUES (?, 'demo', '[1]', 'm', ?, 'default', ?::JSON, ?, 0.001, 0, 10, now()::TIMESTAMP, '{}')`,
        [r.runId, r.hostPolicy, r.params, r.seed]);
    }
    for (const [id, imbalance] of [['a', 1], ['a', 2], ['c', 0.5]] as const) {
      await store.run(`INSERT INTO replay_series VALUES (?, ?, ?, 'S0', 'imbalance_c', ?)`, [id, imbalance, imbalance + 1, imbalance]);
    }
    const c = await loadComparison(store, 'b');
    expect(c.policies.map((p) => p.policy)).toEqual(['budget (budget_w=6)', 'pinned']);
    expect(await imbalanceCdfInput(store, c)).toEqual({
      policies: [{ policy: 'budget (budget_w=6)', imbalanceC: [0.5] }, { policy: 'pinned', imbalanceC: [1, 2] }],
    });
    await expect(imbalanceCdfInput(store, { ...c, seriesRuns: [] })).rejects.toMatchObject({ code: 'chart.noSeries' });
    store.close();
  });
});
