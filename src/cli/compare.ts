import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { ParamSet } from '../policies/params.js';
import { compare, defaultSeeds, parseShard, type CompareResult } from '../replay/compare.js';
import type { MeanCi } from '../replay/mean-ci.js';
import { defaultWorkers } from '../replay/sweep.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';
import { addReplayOptions, cliArgs, modelOptionHelp, type ReplayCliOptions } from './replay.js';
import { withStore } from './with-store.js';

interface CompareCliOptions extends ReplayCliOptions {
  model: string;
  policies: string;
  seeds: number;
  sweep: string[];
  workers: number;
  shard?: string;
}

const columns = [
  ['imbalance_mean_c', 'imbal. mean °C'], ['imbalance_p95_c', 'imbal. p95 °C'], ['peak_c', 'peak °C'],
  ['above_limit_core_s', 'above lim. core-s'], ['energy_j', 'energy J'], ['migrations', 'migrations'],
  ['throttled_core_s', 'throttled core-s'],
] as const;

const cell = (s: MeanCi): string =>
  (s.mean === null ? '-' : `${s.mean.toPrecision(4)}${s.ci95 === null ? '' : ` ± ${s.ci95.toPrecision(2)}`}`);

function printRows(io: CliIo, r: CompareResult): void {
  const labels = r.rows.map((row) => row.policy + (Object.keys(row.params).length
    ? ` [${Object.entries(row.params).map(([k, v]) => `${k}=${v}`).join(' ')}]` : ''));
  const width = Math.max(6, ...labels.map((l) => l.length));
  const cells = r.rows.map((row) => columns.map(([key]) => cell(row.metrics[key])));
  const widths = columns.map(([, title], c) => Math.max(title.length, ...cells.map((line) => line[c]!.length)));
  io.out(`${'policy'.padEnd(width)}  ${columns.map(([, title], c) => title.padStart(widths[c]!)).join('  ')}\n`);
  r.rows.forEach((row, i) => {
    io.out(`${labels[i]!.padEnd(width)}  ${cells[i]!.map((c, k) => c.padStart(widths[k]!)).join('  ')}\n`);
    const slow = Object.entries(row.metrics.slowdown).map(([vm, s]) => `${vm} ${cell(s)}`).join(', ');
    io.out(`${''.padEnd(width)}  slowdown: ${slow || '-'}   (${row.seeds.length} seeds)\n`);
  });
  io.out(`mean ± 95 % confidence half-width over seeds; ${r.runs} of ${r.plannedRuns} runs` +
    `${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}\n`);
  for (const note of r.notes) io.out(`note: ${note}\n`);
  if (r.parquet.length) io.out(`results: Parquet ${r.parquet.join(', ')}\n`);
}

/** Parses repeated `--sweep key=v1,v2` into the values to sweep per key. */
function parseSweep(list: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(ParamSet.parse(list))) out[key] = values.split(',').map((v) => v.trim()).filter(Boolean);
  return out;
}

/**
 * `vheat compare`: several host policies on one recording, each over `--seeds` seeds (and
 * `--sweep` parameter values), in worker threads; one row per policy with means and 95 %
 * confidence intervals (`--json`: `{rows: [{policy, metrics: {key: {mean, ci95}}}]}`).
 */
export function makeCompareCommand(io: CliIo): Command {
  return addReplayOptions(new Command('compare')
    .description('compare host policies on one recording: metrics as mean ± 95 % CI over seeds, runs in parallel')
    .requiredOption('--model <file>', modelOptionHelp)
    .requiredOption('--policies <a,b,c>', 'host policies to compare (names or policy files), comma-separated'))
    .option('--seeds <n>', `runs per policy, seeds --seed … --seed + n − 1 (default ${defaultSeeds})`, cliArgs.count, defaultSeeds)
    .option('--sweep <[policy:]key=v1,v2>', 'parameter values to sweep, repeatable (every combination is a row; '
      + 'POLICY:key sweeps that policy\'s rows only)', cliArgs.collect, [])
    .option('--workers <n>', `worker threads (default: every core, here ${defaultWorkers()})`, cliArgs.count, defaultWorkers())
    .option('--shard <i/N>', 'run only slice i of N of the plan (spread a sweep over machines; merge the Parquet folders)')
    .action(async (options: CompareCliOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const policies = options.policies.split(',').map((p) => p.trim()).filter(Boolean);
      if (policies.length === 0) throw new UsageError('compare.noPolicies', messages.compareNoPolicies());
      const progress = createProgress(io, globals, 'steps');
      const sweep = parseSweep(options.sweep);
      const result = await withStore(globals, (store) => compare(store, {
        trace: options.trace, model: options.model, ...(options.coreModel ? { coreModel: options.coreModel } : {}),
        ...(options.thermal ? { thermal: options.thermal } : {}), policies, guestPolicy: options.guestPolicy,
        params: ParamSet.parse(options.param), sweep, seeds: options.seeds, seed: options.seed,
        tickSeconds: options.tick, workers: options.workers, parquetDir: options.out,
        ...(options.shard ? { shard: parseShard(options.shard) } : {}),
        onProgress: (done, total) => progress.update(done, total, 'runs'),
      })).finally(() => progress.stop());
      if (globals.json) {
        printJson(io, {
          rows: result.rows.map((row) => ({
            policy: row.policy, ...(Object.keys(sweep).length ? { params: row.params } : {}), metrics: row.metrics,
          })),
        });
      } else if (!globals.quiet) printRows(io, result);
    });
}
