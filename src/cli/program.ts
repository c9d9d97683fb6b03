import { Command, Option } from 'commander';
import { defaultStorePath } from '../store/store.js';
import { makeAttributeCommand } from './attribute.js';
import { makeCalibrateCommand } from './calibrate.js';
import { makeChartCommand } from './chart.js';
import { makeCompareCommand } from './compare.js';
import { makeDemoCommand } from './demo.js';
import { makeEvaluateCommand } from './evaluate.js';
import { makeExportCommand } from './export.js';
import { makeFitThermalCommand } from './fit-thermal.js';
import { makeGenerateCommand } from './generate.js';
import { makeInfoCommand } from './info.js';
import { makeIngestCommand } from './ingest.js';
import { makeRecordCommand } from './record.js';
import { makeReplayCommand } from './replay.js';
import { makeReportCommand } from './report.js';
import type { CliIo } from './io.js';

/** Exit codes, shown in `vheat --help`. */
const exitCodesHelp = `
Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error (unknown option, bad value)
  3  a trace file does not follow its format
  4  store error
  5  bundle or input paths unusable
  6  energy model error
  7  policy error`;

/** The `vheat` command tree; a factory so tests get a fresh, capturable program. */
export function makeProgram(io: CliIo): Command {
  const program = new Command('vheat')
    .description('trace-replay analysis for energy-aware processor management on Xen and KVM hosts')
    .version('0.1.0')
    .addOption(new Option('--db <path>', 'trace store (DuckDB file, or :memory:)').default(defaultStorePath).env('VHEAT_DB'))
    .addOption(new Option('--memory-limit <size>', "DuckDB's memory limit, also capping its cache of what a long replay reads (e.g. 256MB)").env('VHEAT_MEMORY_LIMIT'))
    .option('--json', 'machine-readable JSON on stdout', false)
    .option('--quiet', 'print nothing but errors', false)
    .option('--debug', 'show stack traces and SQL on errors', false)
    .addHelpText('after', exitCodesHelp)
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const make of [makeGenerateCommand, makeRecordCommand, makeIngestCommand, makeInfoCommand, makeExportCommand, makeCalibrateCommand,
    makeEvaluateCommand, makeAttributeCommand, makeFitThermalCommand, makeReplayCommand, makeCompareCommand,
    makeChartCommand, makeReportCommand, makeDemoCommand]) {
    program.addCommand(make(io).configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }));
  }
  return program;
}
