import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { writeThermalFile } from '../../src/thermal/thermal-file.js';
import { vheat } from '../helpers/cli.js';
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

  it('exits with the policy code for an unknown policy and the usage code for a bad shard', async () => {
    const policy = await run('--db', db, 'replay', '--trace', 'mini', '--model', model, '--host-policy', 'pined');
    expect(policy.code).toBe(7);
    expect(policy.stderr).toContain('hint: did you mean "pinned"?');
    const shard = await run('--db', db, 'compare', '--trace', 'mini', '--model', model, '--policies', 'pinned', '--shard', '3/2');
    expect(shard.code).toBe(2);
  });
});
