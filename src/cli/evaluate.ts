import { Command } from 'commander';
import { ModelError } from '../errors.js';
import { evaluate, type EvaluateResult } from '../model/evaluate.js';
import { readModel } from '../model/model-file.js';
import { writeOutputFile } from '../util/write-file.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { numberList, positiveNumber } from './parse-options.js';
import { formatTrace, testEntry } from './print-fit.js';
import { withStore } from './with-store.js';

interface EvaluateFlags {
  model: string;
  trace: string[];
  predictions?: string;
  interval?: number;
  cpuSocket?: number[];
}

/** Per-interval predictions as CSV: trace id, socket (−1 machine), interval (s), energies (J) and powers (W). */
function predictionsCsv(p: NonNullable<EvaluateResult['predictions']>): string {
  const lines = ['trace_id,unit,t0,t1,measured_joules,predicted_joules,measured_watts,predicted_watts'];
  for (let i = 0; i < p.t0.length; i++) {
    const dt = p.t1[i]! - p.t0[i]!;
    lines.push(`${p.traceId[i]},${p.unit[i]},${p.t0[i]},${p.t1[i]},${p.measured[i]},${p.predicted[i]},${p.measured[i]! / dt},${p.predicted[i]! / dt}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `vheat evaluate`: score an energy model on traces it was not fitted to. */
export function makeEvaluateCommand(io: CliIo): Command {
  return new Command('evaluate')
    .description('score an energy model on traces: MAPE, RMSE (W), R², max error per trace')
    .requiredOption('--model <file>', 'model file written by vheat calibrate')
    .requiredOption('--trace <sel...>', 'traces: ids, names, bundle/name or globs')
    .option('--predictions <file>', 'write every interval\'s measured and predicted energy (CSV)')
    .option('--interval <s>', 'score at this interval instead of the model\'s (weights are per event, so they carry over)', positiveNumber())
    .option('--cpu-socket <list>', 'socket of each CPU (e.g. 0,0,1,1) for per-socket models; default the map the recording gives', numberList)
    .action(async (flags: EvaluateFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const model = readModel(flags.model);
      const result = await withStore(globals, (store) => evaluate(store, model, flags.trace, {
        predictions: flags.predictions !== undefined,
        ...(flags.interval !== undefined ? { interval: flags.interval } : {}),
        ...(flags.cpuSocket ? { cpuSocket: flags.cpuSocket } : {}),
      }));
      if (flags.predictions && result.predictions) {
        writeOutputFile(flags.predictions, predictionsCsv(result.predictions), 'model.write', ModelError);
      }
      if (globals.json) printJson(io, { test: result.traces.map(testEntry), notes: result.notes });
      else if (!globals.quiet) {
        for (const t of result.traces) io.out(`${t.trace.padEnd(12)} ${formatTrace(t)}\n`);
        for (const n of result.notes) io.err(`note: ${n}\n`);
      }
    });
}
