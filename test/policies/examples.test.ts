import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vheat } from '../helpers/cli.js';
import { miniStore } from '../helpers/replay-store.js';

const hostExample = './examples/coolest-core-policy.ts';
const guestExample = './examples/cap-guest-policy.ts';

interface Metrics {
  imbalance_mean_c: number;
  energy_j: number;
  migrations: number;
  throttled_core_s: number;
  slowdown: Record<string, number>;
}

describe('the example policies, through the real CLI', () => {
  let db: string;
  let model: string;
  let out: string;
  beforeAll(async () => {
    const mini = await miniStore();
    mini.store.close();
    ({ db, modelPath: model } = mini);
    out = join(mini.dir, 'out');
  });

  /** `vheat --json replay` on the `mini` recording (4 ms ticks keep it quick) with `args`; the metrics. */
  async function replay(...args: string[]): Promise<Metrics> {
    const r = await vheat('--db', db, '--json', 'replay', '--trace', 'mini', '--model', model, '--tick', '4ms', '--out', out, ...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as { metrics: Metrics }).metrics;
  }

  it('runs the host example by path, and its migrations narrow the thermal imbalance', async () => {
    expect(existsSync(hostExample)).toBe(true);
    const acting = await replay('--host-policy', hostExample);
    // A margin no core gap reaches: the same policy never acts, the vCPUs stay where they start.
    const idle = await replay('--host-policy', hostExample, '--param', 'margin_c=1000');
    expect(idle.migrations).toBe(0);
    expect(acting.migrations).toBeGreaterThan(0);
    expect(acting.imbalance_mean_c).toBeLessThan(idle.imbalance_mean_c);
  });

  it('runs the guest example by path: capped tasks run less, draw less energy and are slowed down', async () => {
    const plain = await replay('--host-policy', 'pinned');
    const capped = await replay('--host-policy', 'pinned', '--guest-policy', guestExample, '--param', 'cap_pct=50');
    const uncapped = await replay('--host-policy', 'pinned', '--guest-policy', guestExample, '--param', 'cap_pct=100');
    expect(plain.throttled_core_s).toBe(0);
    expect(capped.throttled_core_s).toBeGreaterThan(0);
    expect(capped.energy_j).toBeLessThan(plain.energy_j);
    expect(capped.slowdown.vm2!).toBeGreaterThan(plain.slowdown.vm2!);
    expect(uncapped).toEqual(plain);
  });

  it('rejects a misspelt parameter of an example with a suggestion', async () => {
    const r = await vheat('--db', db, 'replay', '--trace', 'mini', '--model', model, '--out', out,
      '--host-policy', hostExample, '--param', 'margn_c=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "margin_c"?');
  });

  it('compares the host example with a built-in policy', async () => {
    const r = await vheat('--db', db, '--json', 'compare', '--trace', 'mini', '--model', model, '--out', out,
      '--policies', `recorded,${hostExample}`, '--seeds', '1', '--workers', '1', '--tick', '4ms');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.stdout) as { rows: { policy: string; metrics: { migrations: { mean: number } } }[] }).rows;
    expect(rows.map((row) => row.policy)).toEqual(['recorded', hostExample]);
    expect(rows[1]!.metrics.migrations.mean).toBeGreaterThan(0);
  });
});

describe('docs/policies.md', () => {
  it('shows each included example exactly as the file is', () => {
    const doc = readFileSync('docs/policies.md', 'utf8');
    const blocks = [...doc.matchAll(/<!-- include: (\S+) -->\n```ts\n([\s\S]*?)```\n<!-- \/include -->/g)];
    expect(blocks.map((b) => b[1])).toEqual(['examples/coolest-core-policy.ts', 'examples/cap-guest-policy.ts']);
    for (const [, file, code] of blocks) expect(code, file).toBe(readFileSync(file!, 'utf8'));
  });
});
