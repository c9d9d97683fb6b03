import { Command, InvalidArgumentError } from 'commander';
import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import { describeCapabilities, describePlan } from '../record/describe.js';
import type { HostEnv } from '../record/host-env.js';
import { record, type RecordResult } from '../record/record.js';
import type { StepResult } from '../record/run.js';
import type { SpawnRecorder } from '../record/spawn.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

function amount(text: string, defaultUnit: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  return m ? Number(m[1]) * unitSeconds[m[2] ?? defaultUnit]! : NaN;
}

/** `30s`, `5m`, `1h` or plain seconds → whole seconds ≥ 1. */
export function parseDuration(text: string): number {
  const seconds = amount(text, 's');
  if (!Number.isInteger(seconds) || seconds < 1) throw new InvalidArgumentError(messages.recordBadDuration(text));
  return seconds;
}

/** `100ms`, `1s` or plain milliseconds → whole ms ≥ 10. */
export function parseInterval(text: string): number {
  const ms = Math.round(amount(text, 'ms') * 1e6) / 1e3;
  if (!Number.isInteger(ms) || ms < 10) throw new InvalidArgumentError(messages.recordBadInterval(text));
  return ms;
}

function printDryRun(io: CliIo, result: RecordResult): void {
  const section = (title: string, lines: readonly string[]): void => io.out(`${title}\n${lines.map((l) => `  ${l}\n`).join('')}`);
  section('host', describeCapabilities(result.capabilities));
  section('commands', describePlan(result.plan));
  section('skipped', result.plan.skipped.length ? result.plan.skipped.map((s) => `${s.recorder}: ${s.reason}`) : ['nothing']);
}

function describeFailure(r: StepResult): string {
  const how = r.ran ? `exit ${r.code ?? r.signal ?? 'unknown'}` : 'not run: its input was not written';
  const tail = r.stderr.trim().split('\n').slice(-5).map((l) => `    ${l}\n`).join('');
  return `  ${r.recorder} (${r.output}): ${how}\n${r.stderr.trim() ? tail : ''}`;
}

/** What `vheat record` works on: this machine unless tests pass a fake host and process starter. */
export interface RecordDeps {
  env?: HostEnv;
  spawn?: SpawnRecorder;
}

/** `vheat record`: probe the host, then print (`--dry-run`) or run the recorders and write a bundle. */
export function makeRecordCommand(io: CliIo, deps: RecordDeps = {}): Command {
  return new Command('record')
    .description('record a bundle on this Xen dom0 or KVM host (perf, sched_switch, xentrace, xentop, xenpm, turbostat, powercap)')
    .option('--duration <time>', 'how long to record: 30s, 5m, 1h', parseDuration, 30)
    .option('--interval <time>', 'counter interval: 100ms, 1s', parseInterval, 100)
    .option('--out <dir>', 'bundle folder to create (default vheat-<host>-<time>)')
    .option('--vm <name>', 'per-VM counters only for this VM (repeatable; default every VM)',
      (name: string, list: string[] | undefined) => [...(list ?? []), name])
    .option('--dry-run', 'print what the host offers, the exact commands and what is skipped and why; run nothing', false)
    .action(async (options: { duration: number; interval: number; out?: string; vm?: string[]; dryRun: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const progress = createProgress(io, globals, 'steps');
      const stop = new AbortController();
      const onSigint = (): void => stop.abort();
      if (!options.dryRun) process.once('SIGINT', onSigint);
      const result = await record({
        ...deps, dryRun: options.dryRun, durationSeconds: options.duration, intervalMs: options.interval,
        ...(options.out !== undefined ? { outDir: options.out } : {}),
        ...(options.vm !== undefined ? { vms: options.vm } : {}),
        signal: stop.signal,
        onProgress: (e) => {
          if (e.kind === 'tick') progress.update(e.elapsedSeconds, e.durationSeconds, 'recording');
          else if (e.kind === 'exit' && !e.ok && !globals.quiet) io.err(`vheat: ${e.recorder} stopped with an error\n`);
        },
      }).finally(() => {
        progress.stop();
        process.removeListener('SIGINT', onSigint);
      });
      const { capabilities, plan, run } = result;
      if (globals.json) {
        printJson(io, { capabilities, plan: { steps: plan.steps, skipped: plan.skipped }, bundle: run?.bundle ?? plan.bundle,
          ...(run ? { results: run.steps } : {}) });
      } else if (!globals.quiet) {
        if (!run) printDryRun(io, result);
        else io.out(`wrote ${run.outDir}: ${run.steps.filter((s) => s.ok).map((s) => s.output).join(', ')}, bundle.json\n`);
      }
      const failed = run?.steps.filter((s) => !s.ok) ?? [];
      if (failed.length > 0) {
        io.err(failed.map(describeFailure).join(''));
        throw new BundleError('record.failed', messages.recordFailed([...new Set(failed.map((s) => s.recorder))]), {
          context: { file: run!.outDir }, hint: messages.hintRecordFailed(run!.outDir),
        });
      }
    });
}
