import { Command, InvalidArgumentError, Option } from 'commander';
import { calibrate, type CalibrateOptions, type CalibrateResult } from '../model/calibrate.js';
import { methods, type Method } from '../model/fit-gram.js';
import { writeModel } from '../model/model-file.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { fraction, numberList, positiveNumber, wholeNumber } from './parse-options.js';
import { formatStats, formatTrace, testEntry } from './print-fit.js';
import { withStore } from './with-store.js';

interface CalibrateFlags {
  train: string[];
  test?: string[];
  domain: string;
  method: Method;
  events: string;
  maxEvents: number;
  interval: number;
  lag: string;
  minEnabled: number;
  folds: number;
  gap: number;
  alpha?: number;
  l1Ratio?: number;
  tdp?: number;
  perFrequency: 'auto' | 'on' | 'off';
  extraTerms: boolean;
  replicates: number;
  seed: number;
  scope: 'auto' | 'socket' | 'host';
  cpuSocket?: number[];
  cpuModel?: string;
  out: string;
}

function lagOption(text: string): string {
  if (text !== 'auto' && !Number.isFinite(Number(text))) throw new InvalidArgumentError(`expected "auto" or seconds, got "${text}"`);
  return text;
}

function printResult(io: CliIo, r: CalibrateResult, out: string): void {
  const m = r.model;
  io.out(`${m.domain} energy model (${m.scope}, ${m.method}${m.alpha !== null ? `, α ${m.alpha.toPrecision(3)}` : ''}), ` +
    `${m.training.intervals} intervals of ${m.intervalSeconds} s, lag ${(m.lagSeconds * 1000).toFixed(1)} ms\n`);
  const ci = (c: [number, number] | null): string => (c ? `  [${c[0].toPrecision(4)}, ${c[1].toPrecision(4)}]` : '');
  io.out(`  static          ${m.staticWatts.value.toPrecision(4)} W${ci(m.staticWatts.ci95)}\n`);
  for (const t of m.terms) io.out(`  ${t.name.padEnd(15)} ${t.weight.toPrecision(4)} J${ci(t.ci95)}${t.vif !== null ? `  VIF ${t.vif.toFixed(1)}` : ''}\n`);
  const d = m.training.dropped;
  io.out(`dropped intervals: ${d.coverage} coverage, ${d.enabled} enabled, ${d.raplGlitch} RAPL glitch\n`);
  io.out(`in-sample      ${formatStats(m.fit.inSample)}\n`);
  if (m.fit.cv) io.out(`blocked ${m.fit.cv.folds}-fold ${formatStats(m.fit.cv)}\n`);
  for (const w of m.fit.workloads ?? []) io.out(`unseen ${w.workload.padEnd(8)} ${formatStats(w)}\n`);
  for (const t of r.test) io.out(`test ${t.trace.padEnd(10)} ${formatTrace(t)}\n`);
  for (const w of r.warnings) io.err(`warning: ${w}\n`);
  for (const n of r.notes) io.err(`note: ${n}\n`);
  io.out(`model written to ${out}\n`);
}

/** `vheat calibrate`: fit an energy model to counters and RAPL energy, with honest held-out error. */
export function makeCalibrateCommand(io: CliIo): Command {
  return new Command('calibrate')
    .description('fit E = P_static·Δt + Σ w_i·count_i to RAPL energy, with blocked and leave-one-workload-out validation')
    .requiredOption('--train <sel...>', 'training traces: ids, names, bundle/name or globs')
    .option('--test <sel...>', 'traces held out entirely and scored with the final model')
    .option('--domain <domain>', 'RAPL domain (package, core, dram, …)', 'package')
    .addOption(new Option('--method <method>', 'fit').choices(methods).default('nnls'))
    .option('--events <list>', '"auto" (chosen by held-out error) or events separated by commas', 'auto')
    .option('--max-events <n>', 'programmable counters --events auto may use', wholeNumber(1), 4)
    .option('--interval <s>', 'calibration interval in seconds', positiveNumber(), 1)
    .option('--lag <s>', 'RAPL-to-counter lag in seconds, or "auto" (cross-correlation)', lagOption, 'auto')
    .option('--min-enabled <fraction>', 'drop intervals where a counter ran less than this (multiplexing)', fraction, 0.5)
    .option('--folds <k>', 'blocked cross-validation folds', wholeNumber(2), 5)
    .option('--gap <n>', 'intervals left out on each side of a test block', wholeNumber(0), 2)
    .option('--alpha <x>', 'ridge λ or elastic-net α (default: chosen by cross-validation)', positiveNumber(true))
    .option('--l1-ratio <x>', 'elastic-net L1 share', fraction)
    .option('--tdp <W>', 'upper bound on static power (nnls, enet)', positiveNumber())
    .addOption(new Option('--per-frequency <mode>', 'weights per frequency band').choices(['auto', 'on', 'off']).default('auto'))
    .option('--no-extra-terms', 'do not try event × frequency terms')
    .option('--replicates <n>', 'block-bootstrap resamples for 95 % intervals (0: none)', wholeNumber(0), 200)
    .option('--seed <n>', 'bootstrap seed', wholeNumber(0), 1)
    .addOption(new Option('--scope <scope>', 'socket: one model per socket (CPUs placed by the recording\'s map or --cpu-socket); host: machine totals; '
      + 'auto: per socket when --cpu-socket is given')
      .choices(['auto', 'socket', 'host']).default('auto'))
    .option('--cpu-socket <list>', 'socket of each CPU (e.g. 0,0,1,1) for per-socket models; default the map the recording gives', numberList)
    .option('--cpu-model <name>', 'CPU model to record in the model file')
    .requiredOption('--out <file>', 'model file to write (JSON)')
    .action(async (flags: CalibrateFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const options: CalibrateOptions = {
        train: flags.train,
        ...(flags.test ? { test: flags.test } : {}),
        domain: flags.domain,
        method: flags.method,
        events: flags.events === 'auto' ? 'auto' : flags.events.split(',').map((e) => e.trim()).filter(Boolean),
        maxEvents: flags.maxEvents,
        interval: flags.interval,
        lag: flags.lag === 'auto' ? 'auto' : Number(flags.lag),
        minEnabled: flags.minEnabled,
        folds: flags.folds,
        gapIntervals: flags.gap,
        ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
        ...(flags.l1Ratio !== undefined ? { l1Ratio: flags.l1Ratio } : {}),
        ...(flags.tdp !== undefined ? { tdpWatts: flags.tdp } : {}),
        perFrequency: flags.perFrequency,
        extraTerms: flags.extraTerms,
        bootstrap: flags.replicates > 0 ? { replicates: flags.replicates, seed: flags.seed } : false,
        scope: flags.cpuSocket && flags.scope === 'auto' ? 'socket' : flags.scope,
        ...(flags.cpuSocket ? { cpuSocket: flags.cpuSocket } : {}),
        ...(flags.cpuModel ? { cpuModel: flags.cpuModel } : {}),
      };
      const result = await withStore(globals, (store) => calibrate(store, options));
      writeModel(flags.out, result.model);
      if (globals.json) {
        const cv = result.model.fit.cv;
        printJson(io, {
          model: result.model,
          cv: cv ? { mape: cv.mape, rmse: cv.rmse, r2: cv.r2 } : null,
          workloads: result.model.fit.workloads?.map((w) => ({ workload: w.workload, mape: w.mape, rmse: w.rmse, r2: w.r2 })) ?? null,
          test: result.test.map(testEntry),
          notes: result.notes,
        });
      } else if (!globals.quiet) printResult(io, result, flags.out);
    });
}
