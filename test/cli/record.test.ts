import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/handle-error.js';
import type { CliIo } from '../../src/cli/io.js';
import { makeRecordCommand, parseDuration, parseInterval, type RecordDeps } from '../../src/cli/record.js';
import { ExitCode } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import type { CliRun } from '../helpers/cli.js';
import { fakeHostEnv, type FakeHost } from '../helpers/fake-host.js';
import { fakeSpawn } from '../helpers/fake-spawn.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { kvmLibvirt, kvmNested, xenDom0 } from '../record/fake-hosts.js';

/** `vheat record <args>` against a fake host: the global options of src/cli/program.ts plus the record command. */
async function vheatRecord(host: FakeHost, args: string[], deps: Omit<RecordDeps, 'env'> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, isTTY: false };
  const output = { writeOut: (s: string) => io.out(s), writeErr: (s: string) => io.err(s) };
  const program = new Command('vheat').option('--db <path>', 'store', ':memory:').option('--json', 'json', false)
    .option('--quiet', 'quiet', false).option('--debug', 'debug', false).exitOverride().configureOutput(output);
  program.addCommand(makeRecordCommand(io, { env: fakeHostEnv(host), ...deps }).exitOverride().configureOutput(output));
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: reportError(e, io, { json: args.includes('--json') }), stdout, stderr };
  }
}

const dryRun = ['record', '--dry-run', '--out', '/rec'];

describe('vheat record --dry-run', () => {
  it.each([['xen-dom0', xenDom0], ['kvm-libvirt', kvmLibvirt], ['kvm-nested', kvmNested]] as const)(
    '%s: findings, the exact commands as a script, and what is skipped and why', async (name, host) => {
      const run = await vheatRecord(host(), dryRun);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      await expect(run.stdout).toMatchFileSnapshot(fixturePath('record', `${name}.dry-run.txt`));
    });

  it.each([['xen-dom0', xenDom0], ['kvm-nested', kvmNested]] as const)('%s --json prints the checked plan golden', async (name, host) => {
    const run = await vheatRecord(host(), ['--json', ...dryRun]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(fixture('record', `${name}.plan.json`));
  });

  it('takes --duration, --interval and --vm', async () => {
    const run = await vheatRecord(kvmLibvirt(), [...dryRun, '--duration', '5m', '--interval', '1s', '--vm', 'web01']);
    expect(run.stdout).toContain('/usr/bin/perf stat -I 1000 -x, --per-thread -p 4180 -e ');
    expect(run.stdout).toContain('-o /rec/threads.csv -- sleep 300 &');
    expect(run.stdout).toContain('--interval 1 --num_iterations 300 --out /rec/turbostat.txt &');
  });

  it('rejects bad values as usage errors', async () => {
    const duration = await vheatRecord(kvmNested(), [...dryRun, '--duration', '1.5s']);
    expect(duration.code).toBe(ExitCode.usage);
    expect(duration.stderr).toContain(messages.recordBadDuration('1.5s'));
    expect((await vheatRecord(kvmNested(), [...dryRun, '--interval', '5ms'])).code).toBe(ExitCode.usage);
    const vm = await vheatRecord(kvmLibvirt(), [...dryRun, '--vm', 'web1']);
    expect(vm.code).toBe(ExitCode.usage);
    expect(vm.stderr).toBe(`vheat: error[record.unknownVm]: ${messages.recordUnknownVm('web1', ['web01', 'db01'])}\n  hint: did you mean "web01"?\n`);
  });
});

describe('vheat record (fake processes)', () => {
  it('records into the folder and says what it wrote', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vheat-cli-record-')), 'b');
    const { spawn } = fakeSpawn(() => ({ writes: 'x\n' }));
    const run = await vheatRecord(kvmNested(), ['record', '--duration', '1s', '--out', out], { spawn });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`wrote ${out}: percpu.csv, threads.csv, cgroups.csv, sched.data, sched.txt, bundle.json\n`);
    expect(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'))).toMatchObject({ host: 'spike', hypervisor: 'kvm' });
  });

  it('exits with the bundle code and names the failed recorders', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vheat-cli-record-')), 'b');
    const { spawn } = fakeSpawn((argv) => (argv[1] === 'record' ? { code: 255, stderr: 'failed to mmap: Operation not permitted\n' } : { writes: 'x\n' }));
    const run = await vheatRecord(kvmNested(), ['record', '--duration', '1s', '--out', out], { spawn });
    expect(run.code).toBe(ExitCode.bundle);
    expect(run.stderr).toContain('  sched-switch (sched.data): exit 255\n    failed to mmap: Operation not permitted\n');
    expect(run.stderr).toContain('  sched-switch (sched.txt): not run: its input was not written\n');
    expect(run.stderr).toContain(`vheat: error[record.failed]: ${out}: ${messages.recordFailed(['sched-switch'])}`);
  });
});

describe('duration and interval values', () => {
  it('reads units', () => {
    expect([parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('90')]).toEqual([30, 300, 3600, 90]);
    expect([parseInterval('100ms'), parseInterval('1s'), parseInterval('0.25s'), parseInterval('50')]).toEqual([100, 1000, 250, 50]);
    expect(() => parseDuration('0s')).toThrow(messages.recordBadDuration('0s'));
    expect(() => parseDuration('500ms')).toThrow();
    expect(() => parseInterval('9ms')).toThrow(messages.recordBadInterval('9ms'));
    expect(() => parseInterval('fast')).toThrow();
  });
});
