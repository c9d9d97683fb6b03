import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { guestPolicyNames, hostPolicyNames } from '../policies/index.js';
import { ParamSet } from '../policies/params.js';
import type { FidelityReport } from '../replay/fidelity.js';
import { replayRecordedPower, type PowerReplayResult } from '../replay/power-replay.js';
import { replay, type ReplayResult } from '../replay/replay.js';
import { parseDuration } from '../util/duration.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';
import { withStore } from './with-store.js';

/** Default folder for the Parquet results of `replay` and `compare`. */
export const defaultResultsDir = 'out/replay';

/** Options `replay` and `compare` share: the recording, model, guest policy, parameters and tick. */
export interface ReplayCliOptions {
  trace: string[];
  model?: string;
  coreModel?: string;
  thermal?: string;
  guestPolicy: string;
  param: string[];
  seed: number;
  tick: number;
  out: string;
}

/** Commander argument parsers, as `InvalidArgumentError`s for bad values. */
export const cliArgs = {
  seed(text: string): number {
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new InvalidArgumentError('a whole number ≥ 0');
    return Number(text);
  },
  count(text: string): number {
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError('a whole number ≥ 1');
    return Number(text);
  },
  duration(text: string): number {
    try {
      return parseDuration(text);
    } catch {
      throw new InvalidArgumentError('a duration such as 1ms, 0.5ms, 1s');
    }
  },
  collect(value: string, previous: string[]): string[] {
    return [...previous, value];
  },
};

/** The `--model` option, which `compare` requires and `replay --validate` may leave out. */
export const modelOptionHelp = 'energy model file (vheat calibrate --out)';

/** `--trace` of the verbs that read one recording (`replay`, `compare`, `fit-thermal`). */
export const recordingSelHelp = 'the recording: its bundle name, or trace ids (1,2,3), names, bundle/name or globs of one bundle';

/** Adds the options `replay` and `compare` share to `command` (each adds its own `--model`). */
export function addReplayOptions(command: Command): Command {
  return command
    .requiredOption('--trace <sel...>', recordingSelHelp)
    .option('--core-model <file>', 'core-domain model: cores heated by core power, the heatsink by the rest (as the thermal fit); '
      + 'default: calibrated on the package model\'s training traces when the store holds them')
    .option('--thermal <file>', 'thermal parameter file (vheat fit-thermal --out); default: fitted to the recording\'s '
      + 'core temperatures, else the HotSpot-like defaults')
    .option('--guest-policy <name|path>', `guest policy (${guestPolicyNames().join(', ')}) or a policy file`, 'default')
    .option('--param <[policy:]key=value>', 'engine or policy parameter, repeatable (e.g. slice_ms=30, migration_cost_us=50, limit_c=85); '
      + 'POLICY:key=value reaches that host or guest policy only, over key=value (engine keys take no scope)', cliArgs.collect, [])
    .option('--seed <n>', 'run seed (compare: the first of --seeds)', cliArgs.seed, 1)
    .option('--tick <time>', 'tick length (default 1ms)', cliArgs.duration, 0.001)
    .option('--out <dir>', 'folder for Parquet results, partitioned by run', defaultResultsDir);
}

const fmt = (x: number | null, digits = 3): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));

function printFidelity(io: CliIo, f: FidelityReport): void {
  io.out('fidelity (replay vs recording)\n');
  const e = f.energy;
  if (e) {
    io.out(`  energy   ${e.intervals} intervals: replay ${fmt(e.replayJoules, 1)} J, recorded ${fmt(e.recordedJoules, 1)} J ` +
      `(${fmt(e.totalErrorPercent, 2)} %); per interval RMSE ${fmt(e.rmseWatts)} W, MAPE ${fmt(e.mapePercent, 2)} %\n`);
    io.out(`           model's own error: RMSE ${fmt(e.modelRmseWatts)} W, MAPE ${fmt(e.modelMapePercent, 2)} %` +
      ` -> ${e.withinFitError === null ? 'no fit error to compare' : e.withinFitError ? 'within fit error' : 'NOT within fit error'}\n`);
  } else io.out('  energy   no recorded energy of the model\'s domain inside the replayed span\n');
  const t = f.temps;
  if (t) {
    io.out(`  temps    ${t.readings} readings: RMSE ${fmt(t.rmseCelsius)} °C (max ${fmt(t.maxErrorCelsius, 2)}, ` +
      `per-core bias removed ${fmt(t.rmseAfterCoreBiasCelsius)}); thermal fit RMSE ${fmt(t.fitRmseCelsius)} °C` +
      ` -> ${t.withinFitError === null ? 'no fit error to compare' : t.withinFitError ? 'within fit error' : 'NOT within fit error'}\n`);
  } else io.out('  temps    no recorded core temperatures\n');
}

function printPowerResult(io: CliIo, r: PowerReplayResult): void {
  io.out(`recorded-power replay of "${r.run.traces}": ${r.run.cores.length} cores, tick ${r.run.tickSeconds * 1000} ms, ` +
    `${fmt(r.run.t1 - r.run.t0, 3)} s (${r.run.ticks} ticks)\n`);
  printFidelity(io, r.fidelity);
  for (const note of r.notes) io.out(`note: ${note}\n`);
}

function printResult(io: CliIo, r: ReplayResult, db: string): void {
  const m = r.summary.metrics;
  const d = r.details;
  io.out(`run ${r.summary.run_id}  host ${r.run.hostPolicy}, guest ${r.run.guestPolicy}, seed ${r.run.seed}, ` +
    `tick ${r.run.tickSeconds * 1000} ms, ${fmt(r.run.t1 - r.run.t0, 3)} s (${r.run.ticks} ticks)\n`);
  io.out(`  thermal imbalance  mean ${fmt(m.imbalance_mean_c)} °C, p95 ${fmt(m.imbalance_p95_c)} °C\n`);
  io.out(`  peak               ${fmt(m.peak_c, 2)} °C (${d.peak_core || '-'} at ${fmt(d.peak_time_s)} s)\n`);
  io.out(`  above limit        ${fmt(m.above_limit_core_s)} core-s (limit ${r.run.settings.limitC} °C)\n`);
  io.out(`  energy             ${fmt(m.energy_j, 1)} J\n`);
  io.out(`  migrations         ${m.migrations} (${fmt(d.migrations_per_s, 2)}/s, ${fmt(d.migration_s * 1000)} ms charged)\n`);
  io.out(`  throttled          ${fmt(m.throttled_core_s)} core-s\n`);
  io.out(`  slowdown           ${Object.entries(m.slowdown).map(([vm, s]) => `${vm} ${fmt(s)}`).join(', ') || '-'}\n`);
  if (r.summary.fidelity) printFidelity(io, r.summary.fidelity);
  for (const note of r.notes) io.out(`note: ${note}\n`);
  io.out(`results: store ${db} (replay_runs, replay_metrics, replay_series)${r.parquet.length ? `, Parquet ${r.parquet.join(', ')}` : ''}\n`);
}

/**
 * `vheat replay`: one run of a recording through a host and a guest policy; the summary on
 * stdout (`--json`: `{run_id, metrics}`, plus `fidelity` with `--validate`), the results in the
 * store and as Parquet. `--validate` without `--model` (a recording of RAPL energy and
 * temperatures only) replays the recorded power through the thermal model instead
 * (`--json`: `{thermal, fidelity}`; nothing is saved).
 */
export function makeReplayCommand(io: CliIo): Command {
  return addReplayOptions(new Command('replay')
    .description('replay a recording through host and guest policies: thermal imbalance, peak, energy, overhead')
    .option('--model <file>', `${modelOptionHelp}; required unless --validate checks a recording of energy and temperatures only`)
    .option('--host-policy <name|path>', `host policy (${hostPolicyNames().join(', ')}) or a policy file`, 'recorded'))
    .option('--series <time>', 'interval of the per-interval results (replay_series)', cliArgs.duration, 1)
    .option('--validate', 'check fidelity: recorded energy per interval and recorded temperatures vs the replay', false)
    .action(async (options: ReplayCliOptions & { hostPolicy: string; series: number; validate: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const progress = createProgress(io, globals, 'steps');
      const onProgress = (f: number): void => progress.update(Math.round(f * 1000), 1000, 'ticks');
      const model = options.model;
      if (!model) {
        if (!options.validate || options.hostPolicy !== 'recorded') {
          throw new UsageError('replay.noModel', messages.replayNoModel(), { hint: messages.hintReplayNoModel() });
        }
        const checked = await withStore(globals, (store) => replayRecordedPower(store, {
          trace: options.trace, ...(options.thermal ? { thermal: options.thermal } : {}), tickSeconds: options.tick, onProgress,
        })).finally(() => progress.stop());
        const { params, source, file, fitRmseCelsius } = checked.thermal;
        if (globals.json) printJson(io, { thermal: { source, file, fitRmseCelsius, params }, fidelity: checked.fidelity });
        else if (!globals.quiet) printPowerResult(io, checked);
        return;
      }
      const result = await withStore(globals, (store) => replay(store, {
        trace: options.trace, model, ...(options.coreModel ? { coreModel: options.coreModel } : {}),
        ...(options.thermal ? { thermal: options.thermal } : {}),
        hostPolicy: options.hostPolicy, guestPolicy: options.guestPolicy,
        params: ParamSet.parse(options.param), seed: options.seed, tickSeconds: options.tick, seriesSeconds: options.series,
        validate: options.validate, parquetDir: options.out, onProgress,
      })).finally(() => progress.stop());
      if (globals.json) printJson(io, result.summary);
      else if (!globals.quiet) printResult(io, result, globals.db);
    });
}
