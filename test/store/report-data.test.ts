import { describe, expect, it } from 'vitest';
import { writeAttribution, type AttributionRow } from '../../src/store/attribution-data.js';
import {
  attributionBooks, attributionList, comparisonMetrics, comparisonRuns, comparisonSeries, replayComparisons,
} from '../../src/store/report-data.js';
import { openStore, type Store } from '../../src/store/store.js';

/** Inserts a `replay_runs` row; runs of the same traces, model, tick and span are comparable. */
async function run(store: Store, id: string, o: { policy: string; seed: number; created: string; traces?: string; tick?: number; params?: string }) {
  await store.run(`INSERT INTO replay_runs VALUES (?, 'demo', ?, 'm', ?, 'default', ?::JSON, ?, ?, 0, 10, ?::TIMESTAMP, '{}')`,
    [id, o.traces ?? '[1,2]', o.policy, o.params ?? '{}', o.seed, o.tick ?? 0.001, o.created]);
}

async function storeWithComparisons(): Promise<Store> {
  const store = await openStore(':memory:');
  await run(store, 'r1', { policy: 'pinned', seed: 1, created: '2026-01-02 10:00:00' });
  await run(store, 'r2', { policy: 'pinned', seed: 2, created: '2026-01-02 10:00:00' });
  await run(store, 'r3', { policy: 'budget', seed: 1, created: '2026-01-02 11:00:00', params: '{"budget_w":"6"}' });
  // other traces, or another tick: another comparison
  await run(store, 's1', { policy: 'pinned', seed: 1, created: '2026-01-01 00:00:00', traces: '[3]' });
  await run(store, 't1', { policy: 'pinned', seed: 1, created: '2026-01-03 00:00:00', tick: 0.01 });
  return store;
}

describe('replay comparisons in the store', () => {
  it('groups runs of the same traces, model, tick and span, whatever their policy and seed', async () => {
    const store = await storeWithComparisons();
    const runs = await comparisonRuns(store, 'r2');
    expect(runs.map((r) => [r.runId, r.hostPolicy, r.params, r.seed])).toEqual([
      ['r3', 'budget', '{"budget_w":"6"}', 1], ['r1', 'pinned', '{}', 1], ['r2', 'pinned', '{}', 2],
    ]);
    expect((await comparisonRuns(store, 's1')).map((r) => r.runId)).toEqual(['s1']);
    // one run per comparison (its smallest id), oldest comparison first
    expect(await replayComparisons(store)).toEqual(['s1', 'r1', 't1']);
    store.close();
  });

  it('reads the metrics and the series of a comparison\'s runs only', async () => {
    const store = await storeWithComparisons();
    await store.run(`INSERT INTO replay_metrics VALUES ('r1', 'peak_c', '', 50), ('r1', 'demanded_s', 'vm1', 3), ('r2', 'peak_c', '', NULL),
      ('s1', 'peak_c', '', 70)`);
    await store.run(`INSERT INTO replay_series VALUES ('r1', 1, 2, 'S0', 'imbalance_c', 2), ('r1', 0, 1, 'S0', 'imbalance_c', 1),
      ('r1', 0, 1, 'S1', 'imbalance_c', 5), ('r1', 0, 1, 'S0-C0', 'temp_c', 40), ('r3', 0, 1, 'S0', 'imbalance_c', 3), ('s1', 0, 1, 'S0', 'imbalance_c', 9)`);
    expect(await comparisonMetrics(store, 'r3')).toEqual([
      { runId: 'r1', metric: 'demanded_s', entity: 'vm1', value: 3 }, { runId: 'r1', metric: 'peak_c', entity: '', value: 50 },
      { runId: 'r2', metric: 'peak_c', entity: '', value: null },
    ]);
    const series = await comparisonSeries(store, 'r1', 'imbalance_c');
    expect([...series.keys()]).toEqual(['r1', 'r3']);
    expect([...series.get('r1')!]).toEqual([1, 2, 5]); // by entity, then time
    expect((await comparisonRuns(store, 'r1')).map((r) => [r.runId, r.hasSeries])).toEqual([['r3', true], ['r1', true], ['r2', false]]);
    store.close();
  });
});

describe('attributions in the store', () => {
  const row = (o: Partial<AttributionRow>): AttributionRow => ({
    t0: 0, t1: 1, role: 'vm', vm: null, vcpu: null, domain: 'package', joules: 0, ioJoules: 0, idleJoules: 0, method: 'counter-model', ...o,
  });

  it('books a run per VM and component, counter-model rows of one domain only, with the closure terms', async () => {
    const store = await openStore(':memory:');
    await store.run(`INSERT INTO traces (trace_id, name, bundle, format, source, content_hash, ingested_at, skipped_lines)
      VALUES (7, 'perf.csv', 'rec', 'perf-stat-csv', 'x', 'h', now(), 0)`);
    // web: two intervals of 30 J (10 J idle share, 5 J I/O emulation each); db: 6 J; and rows the books must leave out
    await writeAttribution(store, 'a', 7, [
      row({ vm: 'web', joules: 30, idleJoules: 10, ioJoules: 5 }), row({ t0: 1, t1: 2, vm: 'web', joules: 30, idleJoules: 10, ioJoules: 5 }),
      row({ vm: 'db', joules: 6 }), row({ vm: 'web', joules: 99, method: 'kepler' }), row({ vm: 'web', joules: 99, domain: 'dram' }),
      row({ vm: 'web', vcpu: 'web/vcpu0', role: 'vcpu', joules: 99 }),
      row({ role: 'measured', joules: 80 }), row({ role: 'host', joules: 3 }), row({ role: 'idle', joules: 4 }), row({ role: 'residual', joules: 7 }),
    ], []);
    expect(await attributionList(store)).toEqual([{ id: 'a', traceId: 7, trace: 'rec/perf.csv' }]);
    expect(await attributionBooks(store, 'a')).toEqual({
      domain: 'package', measured: 80, host: 3, idle: 4, residual: 7,
      vms: [
        { vm: 'db', component: 'static', joules: 0 }, { vm: 'db', component: 'dynamic', joules: 6 }, { vm: 'db', component: 'io-emulation', joules: 0 },
        { vm: 'web', component: 'static', joules: 20 }, { vm: 'web', component: 'dynamic', joules: 30 }, { vm: 'web', component: 'io-emulation', joules: 10 },
      ],
    });
    store.close();
  });
});
