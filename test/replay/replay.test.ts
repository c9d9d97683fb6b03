import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError, PolicyError, UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { recordedPolicy } from '../../src/policies/recorded.js';
import { noActions, type HostPolicy } from '../../src/policies/types.js';
import { replay, type ReplayRunOptions } from '../../src/replay/replay.js';
import type { Store } from '../../src/store/store.js';
import { replayModelFile } from '../helpers/replay-model.js';
import { miniModel, miniStore } from '../helpers/replay-store.js';

/** Numbers to 6 significant digits, keys in written order: what the golden keeps. */
function golden(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? +v.toPrecision(6) : v), 2)}\n`;
}

describe('replay on the hand-built mini recording', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    ({ store, dir } = await miniStore());
  });
  afterAll(() => store.close());

  it('reproduces the recorded energy of every interval with the recorded policy', async () => {
    const r = await replay(store, { trace: 'mini', model: miniModel, validate: true, save: false });
    const e = r.summary.fidelity!.energy!;
    expect(e.intervals).toBe(4);
    expect(e.recordedJoules).toBeCloseTo(49, 12);
    expect(Math.abs(e.replayJoules - 49)).toBeLessThan(1e-9);
    expect(e.rmseWatts).toBeLessThan(1e-9);
    expect(e.withinFitError).toBe(true);
    expect(r.summary.fidelity!.temps).toBeNull();
    // Three recorded migrations (t = 2 s: every vCPU changes pCPU), all demand delivered, nothing throttled.
    expect(r.summary.metrics.migrations).toBe(3);
    expect(r.details.migration_s).toBe(0);
    expect(r.summary.metrics.throttled_core_s).toBe(0);
    expect(r.summary.metrics.slowdown).toEqual({ vm1: expect.closeTo(1, 12), vm2: expect.closeTo(1, 12) });
    expect(r.details.vm_demanded_s).toEqual({ vm1: expect.closeTo(5.5, 9), vm2: expect.closeTo(3, 9) });
  });

  it('matches the golden summary of a seeded load-balance run', async () => {
    const r = await replay(store, {
      trace: 'mini', model: miniModel, hostPolicy: 'load-balance', seed: 7, save: false,
      params: { slice_ms: '5', migration_cost_us: '200' },
    });
    await expect(golden(r.summary)).toMatchFileSnapshot('golden/mini-load-balance.summary.json');
  });

  it('gives a byte-identical summary and the same run id twice', async () => {
    const options: ReplayRunOptions = { trace: 'mini', model: miniModel, hostPolicy: 'load-balance', seed: 3, save: false };
    const a = await replay(store, options);
    const b = await replay(store, options);
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    const c = await replay(store, { ...options, seed: 4 });
    expect(c.summary.run_id).not.toBe(a.summary.run_id);
  });

  it('does not modify its options', async () => {
    const options: ReplayRunOptions = {
      trace: 'mini', model: replayModelFile({ instructions: 1e-9 }, 10), hostPolicy: 'pinned', params: { first: '1' },
      validate: true, save: false,
    };
    const before = structuredClone(options);
    await replay(store, options);
    expect(options).toEqual(before);
  });

  it('carries the demand of a throttled vCPU as backlog and delivers it once released', async () => {
    // The recorded placement, but vm1/vcpu0 held to half its pCPU for the first second. Worked by hand:
    // vm1/vcpu0 ends [0, 1) with 0.5 s of backlog and runs it in [1, 2) on pCPU 0, sharing that pCPU
    // half and half with vm2/vcpu0, which so falls 0.5 s behind and, its pCPU 2 busy with new work
    // from t = 2, stays behind to the end: vm2 delivers 2.5 of 3 s (slowdown 1.2) and its missing
    // 0.5 s at 1.5e9 instructions/s cost 0.75 J less than the recorded 49 J.
    const throttle = (): HostPolicy => {
      const recorded = recordedPolicy();
      return {
        init: () => [],
        decide: (obs) => [...recorded.decide(obs), ...(obs.tick === 0 ? [{ type: 'throttle-vcpu', vcpu: 0, fraction: 0.5 } as const]
          : obs.tick === 1000 ? [{ type: 'throttle-vcpu', vcpu: 0, fraction: 0 } as const] : noActions)],
      };
    };
    const r = await replay(store, { trace: 'mini', model: miniModel, hostPolicy: throttle, series: true });
    const m = r.summary.metrics;
    expect(m.throttled_core_s).toBeCloseTo(0.5, 9);
    expect(m.slowdown).toEqual({ vm1: expect.closeTo(1, 9), vm2: expect.closeTo(1.2, 9) });
    expect(m.energy_j).toBeCloseTo(48.25, 9);
    const series = async (metric: string) => (await store.query(
      `SELECT entity, list(value ORDER BY t0) AS v FROM replay_series WHERE run_id = ? AND metric = ? AND entity LIKE 'vm%'
       GROUP BY entity ORDER BY entity`, [r.summary.run_id, metric])).map((row) => String(row.v));
    const rounded = (text: string) => text.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, (x) => String(+(+x).toFixed(9)));
    expect((await series('backlog_s')).map(rounded)).toEqual(['0.5,0,0,0', '0,0.5,0.5,0.5']);
    expect((await series('run_s')).map(rounded)).toEqual(['1.5,1,2,1', '0,0.5,1,1']);
  });

  it('writes the run, its metrics and its series to the store and Parquet, replacing an earlier run', async () => {
    const options: ReplayRunOptions = { trace: 'mini', model: miniModel, hostPolicy: 'pinned', parquetDir: join(dir, 'parquet') };
    const r = await replay(store, options);
    await replay(store, options);
    const id = r.summary.run_id;
    const count = async (table: string) => Number((await store.query(`SELECT count(*) AS n FROM ${table} WHERE run_id = ?`, [id]))[0]!.n);
    expect(await count('replay_runs')).toBe(1);
    expect(await count('replay_metrics')).toBeGreaterThan(10);
    // 4 one-second intervals × (S0 energy and imbalance, 3 cores × temp and power, 2 VMs × 3, host migrations).
    expect(await count('replay_series')).toBe(4 * 15);
    const [row] = await store.query('SELECT host_policy, seed, summary FROM replay_runs WHERE run_id = ?', [id]);
    expect(row!.host_policy).toBe('pinned');
    expect(JSON.parse(String(row!.summary))).toEqual(JSON.parse(JSON.stringify(r.summary)));
    expect(existsSync(join(dir, 'parquet', 'replay_series', `run_id=${id}`))).toBe(true);
    const parquet = await store.query(`SELECT count(*) AS n FROM read_parquet('${join(dir, 'parquet')}/replay_metrics/*/*.parquet')`);
    expect(Number(parquet[0]!.n)).toBe(await count('replay_metrics'));
  });

  it('names what is wrong: the trace, the model events, the policy', async () => {
    await expect(replay(store, { trace: 'minj', model: miniModel })).rejects.toSatisfy((e: unknown) =>
      e instanceof UsageError && e.message === messages.replayNoTrace('minj') && e.hint === 'did you mean "mini"?');
    await expect(replay(store, { trace: 'mini', model: replayModelFile({ cycles: 1e-9 }, 10) }))
      .rejects.toBeInstanceOf(ModelError);
    await expect(replay(store, { trace: 'mini', model: miniModel, hostPolicy: 'pined' })).rejects.toBeInstanceOf(PolicyError);
    await expect(replay(store, { trace: 'mini', model: miniModel, params: { slice_ms: '5' } })).rejects.toSatisfy((e: unknown) =>
      e instanceof UsageError && e.code === 'replay.unknownParam');
  });
});
