import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { generate, listScenarios } from '../generate/generate.js';
import { messages } from '../messages.js';
import { parseDuration } from '../util/duration.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';

interface GenerateCliOptions {
  scenario?: string;
  out?: string;
  seed?: number;
  duration?: number;
  list?: boolean;
}

function seedArg(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new InvalidArgumentError('a whole number ≥ 0');
  return Number(text);
}

function durationArg(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new InvalidArgumentError('a duration such as 90, 30s, 10min, 1h');
  }
}

/** `vheat generate`: a synthetic recording bundle with its ground truth, or `--list` of the shipped scenarios. */
export function makeGenerateCommand(io: CliIo): Command {
  return new Command('generate')
    .description('write a synthetic recording bundle (perf, turbostat, RAPL, xentrace, sched_switch…) plus truth.json')
    .option('--scenario <name|file.json>', 'shipped scenario (see --list) or a scenario JSON file')
    .option('--out <dir>', 'folder to write the bundle into (new, empty, or an earlier generated bundle)')
    .option('--seed <n>', 'run seed (default: the scenario\'s); same seed gives byte-identical files', seedArg)
    .option('--duration <time>', 'recording length instead of the scenario\'s, e.g. 30s, 10min, 1h', durationArg)
    .option('--list', 'list the shipped scenarios')
    .action(async (options: GenerateCliOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (options.list) {
        const list = listScenarios();
        if (globals.json) printJson(io, list);
        else for (const s of list) io.out(`${s.name.padEnd(10)} ${s.hypervisor}  ${s.description}\n`);
        return;
      }
      for (const flag of ['scenario', 'out'] as const) {
        if (!options[flag]) throw new UsageError('generate.missingOption', messages.missingOption(`--${flag}`), {
          hint: 'vheat generate --scenario NAME|FILE.json --out DIR  (vheat generate --list names the scenarios)',
        });
      }
      const progress = createProgress(io, globals, 'steps');
      const result = await generate({
        scenario: options.scenario!,
        outDir: options.out!,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.duration !== undefined ? { durationSeconds: options.duration } : {}),
        onProgress: (f) => progress.update(Math.round(f * 100), 100, 'simulating'),
      }).finally(() => progress.stop());
      if (globals.json) printJson(io, result);
      else if (!globals.quiet) {
        io.out(`generated ${result.scenario} (seed ${result.seed}, ${result.durationSeconds} s) into ${result.outDir}\n`);
        for (const f of result.files) io.out(`  ${f.name.padEnd(30)} ${f.format.padEnd(16)} ${f.bytes} bytes\n`);
        io.out(`${(result.bytes / 1e6).toFixed(1)} MB in ${result.elapsedSeconds.toFixed(2)} s\n`);
      }
    });
}
