import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { tempDb, vheat } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

/** A bundle without bundle.json: one per-thread perf file plus the run's thread listing and command line. */
function bareBundle(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'vheat-vms-')), 'burn5');
  mkdirSync(dir);
  for (const f of ['a1_perfstat_thread.csv', 'threads.tsv', 'qemu-cmdline.txt']) {
    copyFileSync(fixturePath('..', '..', 'traces', 'kvm-nested-burn5', f), join(dir, f));
  }
  return dir;
}

describe('vheat ingest: VM identity', () => {
  it('prints the inferred VMs with their evidence and asks to confirm them', async () => {
    const run = await vheat('--db', tempDb(), 'ingest', bareBundle());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('VMs of burn5: spike-kvm (-name spike-kvm in qemu-cmdline.txt; '
      + 'threads.tsv: pid 31316, vCPU threads 31325 31330, 2 other threads, cgroup kvmspike)\n');
    expect(run.stdout).toContain(`  inferred: ${messages.vmConfirm()}\n`);
    expect(run.stdout).toContain('  per-VM/per-vCPU samples derived: 600 per-thread\n');
  });

  it('adds vms and derived_samples to --json and keeps the other keys', async () => {
    const run = await vheat('--db', tempDb(), '--json', 'ingest', bareBundle());
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['traces', 'duplicates', 'ignored', 'vms', 'derived_samples']);
    expect(out.vms).toMatchObject([{ bundle: 'burn5', name: 'spike-kvm', inferred: true, pid: 31316,
      sources: [{ rule: 'qemu-name' }, { rule: 'thread-listing' }] }]);
    expect(out.derived_samples).toEqual([{ bundle: 'burn5', rows: { 'per-thread': 600 }, notes: [] }]);
  });
});
