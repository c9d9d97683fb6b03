import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { writeThermalFile } from '../../src/thermal/thermal-file.js';
import { vheat, vheatOrThrow } from '../helpers/cli.js';
import { twoRecordingStore, type TwoRecordingStore } from '../helpers/generated.js';
import { replayModelFile, writeReplayModel } from '../helpers/replay-model.js';
import { miniStore } from '../helpers/replay-store.js';

const run = vheat;

const metricKeys = ['imbalance_mean_c', 'imbalance_p95_c', 'peak_c', 'above_limit_core_s', 'energy_j', 'migrations',
  'throttled_core_s', 'slowdown'];

describe('vheat replay / compare', () => {
  let db: string;
  let model: string;
  let dir: string;
  beforeAll(async () => {
    const mini = await miniStore();
    mini.store.close();
    ({ db, modelPath: model, dir } = mini);
  });

  it('replay --json prints {run_id, metrics} with the documented keys', async () => {
    const r = await run('--db', db, '--json', 'replay', '--trace', 'mini', '--model', model, '--host-policy', 'pinned',
      '--out', join(dir, 'out'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { run_id: string; metrics: Record<string, unknown> };
    expect(Object.keys(j)).toEqual(['run_id', 'metrics']);
    expect(Object.keys(j.metrics)).toEqual(metricKeys);
    expect(j.metrics.slowdown).toEqual({ vm1: expect.any(Number), vm2: expect.any(Number) });
  });

  it('replay --validate prints the fidelity figures', async () => {
    const r = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--validate', '--tick', '2ms', '--out', join(dir, 'out'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run [0-9a-f]{16} {2}host recorded, guest default, seed 1, tick 2 ms, 4\.000 s \(2000 ticks\)\n/);
    expect(r.stdout).toContain('  energy   4 intervals: replay 49.0 J, recorded 49.0 J (0.00 %)');
    expect(r.stdout).toContain('-> within fit error');
    expect(r.stdout).toContain('  temps    no recorded core temperatures\n');
  });

  it('replay and compare take --thermal and say which thermal parameters they used', async () => {
    const file = join(dir, 'thermal.json');
    writeThermalFile(file, {
      format: 'vheat-thermal-params', version: 1, source: 'manual', params: { ...defaultThermalParams, ambientCelsius: 20 },
      fit: null, training: null, notes: [],
    });
    const plain = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--tick', '2ms', '--out', join(dir, 'out'));
    expect(plain.stdout).toContain(`note: ${messages.thermalFromDefaults()}\n`);
    const given = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--tick', '2ms', '--thermal', file,
      '--out', join(dir, 'out'));
    expect(given.code).toBe(0);
    expect(given.stdout).toContain(`note: ${messages.thermalFromFile(file, null)}\n`);
    // 25 °C cooler air: a new run, and a cooler peak.
    const peak = (out: string): number => Number(/peak +([\d.]+) °C/.exec(out)![1]);
    expect(given.stdout.slice(4, 20)).not.toBe(plain.stdout.slice(4, 20));
    expect(peak(plain.stdout) - peak(given.stdout)).toBeCloseTo(25, 6);
    const compared = await run('--db', db, 'compare', '--trace', 'mini', '--model', model, '--policies', 'recorded', '--seeds', '1',
      '--workers', '1', '--thermal', file, '--out', join(dir, 'out'));
    expect(compared.code).toBe(0);
    expect(compared.stdout).toContain(`note: ${messages.thermalFromFile(file, null)}\n`);
    const bad = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--thermal', join(dir, 'none.json'));
    expect(bad.code).toBe(6);
  });

  it('compare --json prints one row per policy with {mean, ci95} per metric', async () => {
    const r = await run('--db', db, '--json', 'compare', '--trace', 'mini', '--model', model, '--policies', 'recorded,pinned',
      '--seeds', '2', '--workers', '1', '--out', join(dir, 'out'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: { policy: string; metrics: Record<string, unknown> }[] };
    expect(j.rows.map((row) => row.policy)).toEqual(['recorded', 'pinned']);
    expect(Object.keys(j.rows[0]!)).toEqual(['policy', 'metrics']);
    expect(Object.keys(j.rows[0]!.metrics)).toEqual(metricKeys);
    expect(j.rows[0]!.metrics.energy_j).toEqual({ mean: expect.closeTo(49, 6), ci95: 0 });
    expect(j.rows[1]!.metrics.slowdown).toEqual({ vm1: { mean: expect.any(Number), ci95: 0 }, vm2: { mean: expect.any(Number), ci95: 0 } });
  });

  it('compare prints a table with means ± half-widths', async () => {
    const r = await run('--db', db, 'compare', '--trace', 'mini', '--model', model, '--policies', 'recorded',
      '--seeds', '2', '--workers', '1', '--shard', '1/1', '--out', join(dir, 'out'));
    expect(r.stdout).toMatch(/^policy +imbal\. mean °C +imbal\. p95 °C/);
    expect(r.stdout).toContain('recorded  ');
    expect(r.stdout).toContain('slowdown: vm1 1.000 ± 0.0, vm2 1.000 ± 0.0   (2 seeds)');
    expect(r.stdout).toContain('2 of 2 runs (shard 1/1)');
  });

  it('compare takes --param POLICY:key=value and scoped sweeps; replay rejects a scope of no policy of its run', async () => {
    const r = await run('--db', db, '--json', 'compare', '--trace', 'mini', '--model', model, '--policies', 'budget,hotplug',
      '--param', 'budget_w=4', '--sweep', 'budget:budget_w=0.5,1', '--seeds', '1', '--workers', '1', '--tick', '2ms', '--out', join(dir, 'out'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: { policy: string; params: Record<string, string>; metrics: Record<string, { mean: number }> }[] };
    // The sweep of budget's own budget makes budget's rows only; hotplug keeps the unscoped 4 W, which never binds on mini.
    expect(j.rows.map((row) => [row.policy, row.params])).toEqual([
      ['budget', { 'budget:budget_w': '0.5' }], ['budget', { 'budget:budget_w': '1' }], ['hotplug', {}],
    ]);
    const throttled = j.rows.map((row) => row.metrics.throttled_core_s!.mean);
    expect(throttled[0]).toBeGreaterThan(throttled[1]!);
    expect(throttled[1]).toBeGreaterThan(0);
    expect(j.rows[2]!.metrics.energy_j!.mean).toBeCloseTo(49, 9);
    const bad = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--host-policy', 'budget',
      '--param', 'budget_w=1', '--param', 'budgte:window_ms=5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(messages.paramScopeUnknown('budgte', 'run', ['host budget', 'guest default']));
    expect(bad.stderr).toContain('hint: did you mean "budget"?');
  });

  it('exits with the policy code for an unknown policy and the usage code for a bad shard', async () => {
    const policy = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--host-policy', 'pined');
    expect(policy.code).toBe(7);
    expect(policy.stderr).toContain('hint: did you mean "pinned"?');
    const shard = await run('--db', db, 'compare', '--trace', 'mini', '--model', model, '--policies', 'pinned', '--shard', '3/2');
    expect(shard.code).toBe(2);
  });
});

describe('--trace of replay, compare and fit-thermal on a generated store of two recordings', () => {
  // Bundles demo-kvm (test-kvm) and demo-xen (test-xen), 2 s each, in one store.
  let recordings: TwoRecordingStore | undefined;
  let root: string;
  let db: string;
  let model: string;
  let kvm: { id: number; name: string }[];
  let xenId: number;
  beforeAll(async () => {
    recordings = await twoRecordingStore();
    ({ root, db } = recordings);
    kvm = recordings.traces.filter((t) => t.bundle === 'demo-kvm');
    xenId = recordings.traces.find((t) => t.bundle === 'demo-xen')!.id;
    model = writeReplayModel(root, replayModelFile({ instructions: 1e-9 }, 10));
  });
  afterAll(() => recordings?.remove());

  const runId = async (...sels: string[]): Promise<string> => {
    const r = await vheat('--db', db, '--json', 'replay', '--trace', ...sels, '--model', model, '--tick', '10ms', '--out', join(root, 'out'));
    expect(r.stderr).toBe('');
    return (JSON.parse(r.stdout) as { run_id: string }).run_id;
  };

  it('replay: a glob, the bundle name, comma-separated ids and every bundle/name select the same traces (the same run)', async () => {
    expect(kvm.length).toBeGreaterThan(3);
    const byBundle = await runId('demo-kvm');
    expect(await runId('demo-k*')).toBe(byBundle);
    expect(await runId(kvm.map((t) => t.id).join(','))).toBe(byBundle);
    expect(await runId(...kvm.map((t) => `demo-kvm/${t.name}`))).toBe(byBundle);
    // Fewer traces are another run.
    expect(await runId(...kvm.slice(1).map((t) => String(t.id)))).not.toBe(byBundle);
  });

  it('fit-thermal: bundle/name SELs pick exactly those traces, labelled as given', async () => {
    const sels = ['demo-kvm/turbostat.txt', 'demo-kvm/powercap.csv'];
    const r = await vheatOrThrow('--db', db, '--json', 'fit-thermal', '--trace', ...sels, '--out', join(root, 'thermal.json'));
    const file = JSON.parse(r.stdout) as { source: string; training: { trace: string; traceIds: number[] } };
    expect(file.training.trace).toBe(sels.join(' '));
    expect(file.training.traceIds).toEqual(kvm.filter((t) => sels.includes(`demo-kvm/${t.name}`)).map((t) => t.id));
    expect(file.source).toBe('fit');
  });

  it('a selection spanning both bundles is a UsageError naming them, for every verb', async () => {
    const out = join(root, 'out');
    const spanning: string[][] = [
      ['replay', '--trace', 'demo*', '--model', model, '--out', out],
      ['compare', '--trace', 'demo-kvm', String(xenId), '--model', model, '--policies', 'recorded', '--out', out],
      ['fit-thermal', '--trace', `${kvm[0]!.id},${xenId}`, '--out', join(root, 'never.json')],
    ];
    for (const args of spanning) {
      const label = args.slice(2, args.findIndex((a, i) => i > 2 && a.startsWith('--'))).join(' ');
      const error = await vheatOrThrow('--db', db, ...args).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ code: 'replay.ambiguousTrace', message: messages.replayManyBundles(label, ['demo-kvm', 'demo-xen']) });
    }
    const printed = await vheat('--db', db, 'replay', '--trace', 'demo*', '--model', model, '--out', out);
    expect(printed.code).toBe(2);
    expect(printed.stderr).toContain('hint: name one recording');
  });
});
