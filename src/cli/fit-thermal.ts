import { Command, InvalidArgumentError } from 'commander';
import { fitThermalFile } from '../thermal/fit-thermal-file.js';
import { writeThermalFile, type ThermalFile } from '../thermal/thermal-file.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { positiveNumber, wholeNumber } from './parse-options.js';
import { recordingSelHelp } from './replay.js';
import { withStore } from './with-store.js';

interface FitThermalFlags {
  trace: string[];
  cpuCores?: Map<number, string>;
  out: string;
  priorWeight: number;
  maxIterations: number;
}

/** `--cpu-cores`: the core of CPU 0, 1, 2, … as `S<p>-C<c>` or a bare core number (socket 0). */
function cpuCoreList(text: string): Map<number, string> {
  const parts = text.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^(\d+|S\d+-C\d+)$/.test(p))) {
    throw new InvalidArgumentError(`expected the core of each CPU, such as 0,1,2,3,0,1,2,3 or S0-C0,S0-C1, got "${text}"`);
  }
  return new Map(parts.map((p, cpu) => [cpu, /^\d+$/.test(p) ? `S0-C${p}` : p]));
}

const f = (x: number, digits = 3): string => x.toFixed(digits);

function printFile(io: CliIo, file: ThermalFile, out: string): void {
  const p = file.params;
  const fit = file.fit;
  io.out(fit
    ? `thermal parameters fitted to "${file.training?.trace}" (${fit.observations} readings, ${fit.iterations} iterations)\n`
    : `no core temperatures next to RAPL energy in "${file.training?.trace}": the documented defaults\n`);
  io.out(`  core → heatsink   ${f(p.coreToHeatsink)} W/K\n`);
  io.out(`  core ↔ core       ${f(p.coreToCore, 4)} W/K\n`);
  io.out(`  heatsink          ${f(p.heatsinkCapacitance, 1)} J/K, ${f(p.heatsinkToAmbient)} W/K to ambient ` +
    `(time constant ${f(p.heatsinkCapacitance / p.heatsinkToAmbient, 2)} s)\n`);
  io.out(`  core capacitance  ${f(p.coreCapacitance * 1000)} mJ/K (time constant ${f(p.coreCapacitance / p.coreToHeatsink, 4)} s)\n`);
  io.out(`  ambient           ${f(p.ambientCelsius, 2)} °C\n`);
  if (fit) {
    const r2 = fit.observedStdCelsius > 0 ? 1 - (fit.rmseCelsius / fit.observedStdCelsius) ** 2 : null;
    io.out(`fit error: RMSE ${f(fit.rmseCelsius)} °C (max ${f(fit.maxErrorCelsius, 2)}), after per-core bias ` +
      `${f(fit.rmseAfterCoreBiasCelsius)} °C, R² ${r2 === null ? '-' : f(r2, 2)}\n`);
    io.out(`naive baselines: every reading by the mean ${f(fit.observedStdCelsius)} °C, by its core's mean ${f(fit.perCoreStdCelsius)} °C\n`);
    io.out('RMSE per core (bias = mean of model − recorded):\n');
    const width = Math.max(...fit.cores.map((c) => c.core.length));
    for (const c of fit.cores) {
      const bias = `${c.biasCelsius >= 0 ? '+' : ''}${f(c.biasCelsius, 2)}`;
      io.out(`  ${c.core.padEnd(width)}  ${f(c.rmseCelsius)} °C  bias ${bias}  (${c.readings} readings)\n`);
    }
  }
  for (const note of file.notes) io.out(`note: ${note}\n`);
  io.out(`thermal parameters written to ${out}\n`);
}

/**
 * `vheat fit-thermal`: fits the RC thermal model to a recording's RAPL energy and core
 * temperatures and writes the parameter file that `replay`/`compare --thermal` read; prints the
 * parameters and the fit error (RMSE overall and per core, °C, against the naive baselines).
 * `--json` prints the file's content.
 */
export function makeFitThermalCommand(io: CliIo): Command {
  return new Command('fit-thermal')
    .description('fit the thermal model (core/heatsink conductances, heatsink capacitance, ambient) to recorded power and temperatures')
    .requiredOption('--trace <sel...>', `${recordingSelHelp} (as replay --trace)`)
    .requiredOption('--out <file>', 'thermal parameter file to write (JSON)')
    .option('--cpu-cores <list>', 'core of each CPU in CPU order (e.g. 0,1,2,3,0,1,2,3), when the recording does not say: '
      + 'core power is then split by each core\'s Busy% rather than evenly', cpuCoreList)
    .option('--prior-weight <x>', '°C of residual per e-fold away from the defaults (0: no prior)', positiveNumber(true), 1)
    .option('--max-iterations <n>', 'Levenberg–Marquardt iterations', wholeNumber(1), 100)
    .action(async (flags: FitThermalFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { file } = await withStore(globals, (store) => fitThermalFile(store, {
        trace: flags.trace, priorWeight: flags.priorWeight, maxIterations: flags.maxIterations,
        ...(flags.cpuCores ? { cpuCores: flags.cpuCores } : {}),
      }));
      writeThermalFile(flags.out, file);
      if (globals.json) printJson(io, file);
      else if (!globals.quiet) printFile(io, file, flags.out);
    });
}
