import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { compare, parseShard } from '../../src/replay/compare.js';
import { meanCi95, studentT975 } from '../../src/replay/mean-ci.js';
import { replay } from '../../src/replay/replay.js';
import type { Store } from '../../src/store/store.js';
import { miniStore } from '../helpers/replay-store.js';

describe('meanCi95', () => {
  it('gives the mean and the t-based 95 % half-width', () => {
    // 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.3027 → 4.3027 / √3.
    const r = meanCi95([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.ci95).toBeCloseTo(4.3027 / Math.sqrt(3), 4);
    expect(meanCi95([5])).toEqual({ mean: 5, ci95: null });
    expect(meanCi95([null, NaN])).toEqual({ mean: null, ci95: null });
    expect(meanCi95([4, 4, 4]).ci95).toBe(0);
  });

  it('follows the t table and tends to the normal quantile', () => {
    expect(studentT975(1)).toBeCloseTo(12.7062, 4);
    expect(studentT975(30)).toBeCloseTo(2.0423, 4);
    expect(studentT975(60)).toBeCloseTo(2.0003, 3);
    expect(studentT975(1e6)).toBeCloseTo(1.96, 3);
  });
});

describe('parseShard', () => {
  it('takes i/N with 1 ≤ i ≤ N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(UsageError);
    expect(() => parseShard('5/4')).toThrow(UsageError);
    expect(() => parseShard('1-4')).toThrow(UsageError);
  });
});

describe('compare on the mini recording', () => {
  let store: Store;
  let dir: string;
  let modelPath: string;
  beforeAll(async () => {
    ({ store, dir, modelPath } = await miniStore());
  });
  afterAll(() => store.close());

  const base = () => ({
    trace: 'mini', model: modelPath, policies: ['recorded', 'load-balance'], seeds: 2, params: { slice_ms: '5' }, save: false,
  });

  it('gives one row per policy with means and intervals over seeds, the same in worker threads', async () => {
    const here = await compare(store, { ...base(), workers: 1 });
    expect(here.rows.map((r) => [r.policy, r.seeds])).toEqual([['recorded', [1, 2]], ['load-balance', [1, 2]]]);
    const recorded = here.rows[0]!.metrics;
    // The recorded policy draws nothing at random: both seeds agree, so the interval is 0.
    expect(recorded.energy_j.mean).toBeCloseTo(49, 9);
    expect(recorded.energy_j.ci95).toBe(0);
    expect(recorded.migrations).toEqual({ mean: 3, ci95: 0 });
    expect(Object.keys(recorded.slowdown)).toEqual(['vm1', 'vm2']);
    const threads = await compare(store, { ...base(), workers: 2 });
    expect(threads.rows).toEqual(here.rows);
  }, 60_000);

  it('splits the plan into shards whose runs together are the whole plan', async () => {
    const whole = await compare(store, { ...base(), workers: 1 });
    const parts = [];
    for (const index of [1, 2, 3]) {
      parts.push(await compare(store, { ...base(), save: true, workers: 1, shard: { index, count: 3 }, parquetDir: join(dir, `shard${index}`) }));
    }
    expect(parts.map((p) => p.runs)).toEqual([2, 1, 1]);
    const ids = parts.flatMap((p) => p.rows.flatMap((r) => r.runIds)).sort();
    expect(ids).toEqual(whole.rows.flatMap((r) => r.runIds).sort());
    // The shards' Parquet folders merge with one query.
    const merged = await store.query(`SELECT count(DISTINCT run_id) AS runs FROM read_parquet('${dir}/shard*/replay_runs/*/*.parquet')`);
    expect(Number(merged[0]!.runs)).toBe(4);
  });

  it('sweeps parameter values into rows of their own and saves every run', async () => {
    const r = await compare(store, {
      trace: 'mini', model: modelPath, policies: ['load-balance'], seeds: 1, workers: 1,
      sweep: { slice_ms: ['5', '50'] },
    });
    expect(r.rows.map((row) => row.params)).toEqual([{ slice_ms: '5' }, { slice_ms: '50' }]);
    const saved = await store.query(`SELECT count(*) AS n FROM replay_runs WHERE run_id IN (?, ?)`, r.rows.map((row) => row.runIds[0]!));
    expect(Number(saved[0]!.n)).toBe(2);
  });

  const scopedBase = () => ({ trace: 'mini', model: modelPath, seeds: 1, workers: 1, tickSeconds: 0.002 });
  const savedParams = async (runId: string): Promise<unknown> =>
    JSON.parse(String((await store.query('SELECT CAST(params AS VARCHAR) AS p FROM replay_runs WHERE run_id = ?', [runId]))[0]!.p));

  it('gives a scoped parameter to its policy\'s runs only, and saves each run\'s effective parameters', async () => {
    const r = await compare(store, { ...scopedBase(), policies: ['budget', 'balloon'], params: { 'budget:budget_w': '4', 'balloon:budget_w': '8' } });
    expect(r.rows.map((row) => [row.policy, row.params])).toEqual([['budget', {}], ['balloon', {}]]);
    expect(await savedParams(r.rows[0]!.runIds[0]!)).toEqual({ 'budget:budget_w': '4' });
    expect(await savedParams(r.rows[1]!.runIds[0]!)).toEqual({ 'balloon:budget_w': '8' });
  });

  it('lets a scoped value override the unscoped one for its policy while the others keep the unscoped one', async () => {
    const r = await compare(store, {
      ...scopedBase(), policies: ['budget', 'balloon', 'hotplug'], save: false,
      params: { budget_w: '4', 'budget:budget_w': '0.5', 'balloon:budget_w': '1' },
    });
    const alone = async (hostPolicy: string, watts: string) =>
      (await replay(store, { ...scopedBase(), hostPolicy, params: { budget_w: watts }, save: false })).summary.metrics;
    const [budget, balloon, hotplug] = r.rows.map((row) => row.metrics);
    // Each row is its policy run alone with the budget meant for it (seeds 1: the mean is the run).
    expect(budget!.energy_j.mean).toBe((await alone('budget', '0.5')).energy_j);
    expect(budget!.throttled_core_s.mean).toBe((await alone('budget', '0.5')).throttled_core_s);
    expect(balloon!.energy_j.mean).toBe((await alone('balloon', '1')).energy_j);
    // 4 W per VM and pCPU never binds on mini (a vCPU draws at most 2 W): hotplug delivers the
    // recorded demand, 49 J, while 0.5 W throttles budget's vCPUs and 1 W balloons vm2.
    expect(hotplug!.energy_j.mean).toBeCloseTo(49, 9);
    expect(hotplug!.slowdown.vm2!.mean).toBeCloseTo(1, 9);
    expect(budget!.throttled_core_s.mean).toBeGreaterThan(1);
    expect(balloon!.energy_j.mean).toBeLessThan(49 - 0.1);
  });

  it('rejects a scope naming no policy of the comparison, and a key its policy does not read', async () => {
    const scope = await compare(store, { ...scopedBase(), policies: ['budget', 'hotplug'], params: { budget_w: '1', 'hotplg:budget_w': '2' } })
      .catch((e: unknown) => e);
    expect(scope).toBeInstanceOf(UsageError);
    expect(scope).toMatchObject({
      code: 'compare.paramScope', hint: 'did you mean "hotplug"?',
      message: messages.paramScopeUnknown('hotplg', 'comparison', ['host budget', 'host hotplug', 'guest default']),
    });
    await expect(compare(store, { ...scopedBase(), policies: ['budget'], params: { budget_w: '1', 'budget:budgt_w': '2' } }))
      .rejects.toMatchObject({ code: 'replay.unknownParam', hint: 'did you mean "budget:budget_w"?' });
    await expect(compare(store, { ...scopedBase(), policies: ['budget'], params: { budget_w: '1' }, sweep: { 'budget:limit_c': ['80', '90'] } }))
      .rejects.toMatchObject({ code: 'replay.scopedEngineParam' });
  });
});
