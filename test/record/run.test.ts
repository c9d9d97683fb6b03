import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError } from '../../src/errors.js';
import { planRecording } from '../../src/record/plan.js';
import type { RecordingPlan } from '../../src/record/plan-types.js';
import { probeHost } from '../../src/record/probe.js';
import { runPlan, type RecordProgress } from '../../src/record/run.js';
import { fakeHostEnv, type FakeHost } from '../helpers/fake-host.js';
import { fakeSpawn, type FakeBehaviour } from '../helpers/fake-spawn.js';
import { kvmLibvirt, kvmNested, xenDom0 } from './fake-hosts.js';

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'vheat-run-')), 'bundle');

async function planFor(host: FakeHost, durationSeconds = 1): Promise<RecordingPlan> {
  return planRecording(await probeHost(fakeHostEnv(host)), { durationSeconds, intervalMs: 100, outDir: tempDir() });
}

/** Every recorder writes a line and exits 0, except the ones named. */
const behaviour = (special: Record<string, FakeBehaviour> = {}) => (argv: readonly string[]): FakeBehaviour =>
  Object.entries(special).find(([word]) => argv.join(' ').includes(word))?.[1] ?? { writes: `${argv[1]} output\n` };

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('runPlan with fake processes', () => {
  it('starts every recorder at once, post-processes, reports a failing recorder, writes bundle.json', async () => {
    const plan = await planFor(kvmLibvirt());
    // the powercap reader is real: point it at a one-zone tree
    const sysfs = mkdtempSync(join(tmpdir(), 'vheat-run-sysfs-'));
    mkdirSync(join(sysfs, 'intel-rapl:0'));
    for (const [f, v] of [['name', 'package-0'], ['energy_uj', '5'], ['max_energy_range_uj', '262143328850']]) writeFileSync(join(sysfs, 'intel-rapl:0', f!), `${v}\n`);
    const steps = plan.steps.map((s) => (s.kind === 'powercap' ? { ...s, root: sysfs, zones: ['intel-rapl:0'] } : s));
    const { spawn, calls } = fakeSpawn(behaviour({ turbostat: { code: 1, stderr: 'turbostat: Failed to set rlimit: Operation not permitted\n' } }));
    const events: RecordProgress[] = [];
    const result = await runPlan({ ...plan, steps }, { spawn, onProgress: (e) => events.push(e), graceMs: 50 });

    expect(calls.map((c) => c.argv[1])).toEqual(['stat', 'stat', 'stat', 'record', '--quiet', 'script']);
    expect(calls.at(-1)!.stdoutFile).toBe(join(plan.outDir, 'sched.txt'));
    expect(result.steps.map((s) => `${s.recorder}:${s.ok}`)).toEqual([
      'perf-percpu:true', 'perf-threads:true', 'perf-cgroups:true', 'sched-switch:true', 'powercap:true', 'turbostat:false', 'sched-switch:true',
    ]);
    expect(result.steps.find((s) => s.recorder === 'turbostat')).toMatchObject({ code: 1, stderr: 'turbostat: Failed to set rlimit: Operation not permitted\n' });
    expect(readFileSync(join(plan.outDir, 'sched.txt'), 'utf8')).toBe('script output\n');
    expect(readFileSync(join(plan.outDir, 'powercap.csv'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1 + 11);
    expect(readJson(join(plan.outDir, 'bundle.json'))).toEqual(plan.bundle);
    expect(events.filter((e) => e.kind === 'start')).toHaveLength(6);
    expect(events).toContainEqual({ kind: 'exit', recorder: 'turbostat', output: 'turbostat.txt', ok: false });
    expect(events).toContainEqual({ kind: 'post', recorder: 'sched-switch', output: 'sched.txt' });
  });

  it('stops a recorder that outlives the duration with SIGINT, and stamps xentop\'s start', async () => {
    const plan = await planFor(xenDom0());
    const { spawn, calls } = fakeSpawn(behaviour({ xentrace: { hang: true } }));
    const before = Date.now() / 1000;
    const result = await runPlan(plan, { spawn, graceMs: 50 });
    expect(calls.find((c) => c.argv[0]!.endsWith('xentrace'))!.signals).toEqual(['SIGINT']);
    expect(result.steps.map((s) => `${s.recorder}:${s.ok}:${s.signal}`)).toEqual(['xentrace:true:SIGINT', 'xentop:true:null', 'xenpm:true:null',
      'perf-backend:true:null']);
    const xentop = (readJson(join(plan.outDir, 'bundle.json')) as typeof plan.bundle).files!['xentop.txt']!;
    expect(xentop.interval_seconds).toBe(1);
    expect(xentop.start_epoch_seconds).toBeGreaterThanOrEqual(before);
    expect(xentop.start_epoch_seconds).toBeLessThanOrEqual(Date.now() / 1000);
    expect(plan.bundle.files!['xentop.txt']!.start_epoch_seconds).toBeUndefined();
  });

  it('on abort interrupts everything at once, and skips a post step whose input was not written', async () => {
    const plan = await planFor(kvmNested(), 30);
    const { spawn, calls } = fakeSpawn((argv) => ({ hang: true, ...(argv[1] === 'stat' ? { writes: 'x\n' } : {}) }));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const started = performance.now();
    const result = await runPlan(plan, { spawn, signal: abort.signal });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(calls.every((c) => c.signals.join() === 'SIGINT')).toBe(true);
    expect(result.steps.at(-1)).toEqual({
      recorder: 'sched-switch', output: 'sched.txt', phase: 'post', ran: false, ok: false, code: null, signal: null, stderr: '',
    });
    expect(result.steps.filter((s) => s.phase === 'record').every((s) => s.ok)).toBe(true);
  });

  it('refuses a folder that already holds files', async () => {
    const plan = await planFor(kvmNested());
    mkdirSync(plan.outDir, { recursive: true });
    writeFileSync(join(plan.outDir, 'old.csv'), '');
    await expect(runPlan(plan, { spawn: fakeSpawn(() => ({})).spawn })).rejects.toThrow(BundleError);
  });
});
