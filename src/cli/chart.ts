import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { chartKind, listChartKinds } from '../charts/chart.js';
import { overheadMeasures, type OverheadMeasure } from '../charts/comparison.js';
import { chartFormats, renderChart, type ChartFormat } from '../charts/render.js';
import type { ChartOptions } from '../charts/spec.js';
import { chartInputFromStore } from '../charts/store-input.js';
import { themeNames, type ThemeName } from '../charts/themes.js';
import { BundleError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { readModel } from '../model/model-file.js';
import { writeOutputFile } from '../util/write-file.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { withStore } from './with-store.js';

interface ChartCliOptions {
  out: string;
  theme: ThemeName;
  font?: 'serif' | 'sans';
  data?: string;
  run?: string;
  trace?: string;
  model?: string;
  overhead: OverheadMeasure;
  title?: string;
}

/** The output format named by the file extension of `--out`. */
function formatOf(out: string): ChartFormat {
  const ext = extname(out).slice(1).toLowerCase();
  if ((chartFormats as readonly string[]).includes(ext)) return ext as ChartFormat;
  throw new UsageError('chart.badOut', messages.chartBadOut(out));
}

/** The kind's input from `--data FILE.json`. */
function readData(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BundleError('chart.dataUnreadable', messages.chartDataUnreadable(path, (e as Error).message), { cause: e, context: { file: path } });
  }
}

const storeHelp = `
Without --data, each kind reads the store:
  calibration-fit, weights      --model FILE (calibration-fit replays it over its training traces)
  vm-energy                     the attribution --run ID (default: the one written last)
  temperature-heatmap           recorded temperatures of --trace, or of replay run --run ID
  imbalance-cdf, policy-comparison, overhead-tradeoff
                                the runs comparable with --run ID (same traces, model, tick, span),
                                one row per policy over its seeds (default: the latest run's);
                                imbalance-cdf needs runs that kept series (vheat replay)`;

/** `vheat chart <kind>`: a paper-ready figure (svg, png at 300 dpi, vector pdf) or its vega-lite spec (json). */
export function makeChartCommand(io: CliIo): Command {
  const kinds = listChartKinds();
  return new Command('chart')
    .description('write a paper-ready figure (svg, png at 300 dpi, vector pdf) or its vega-lite spec (json)')
    .argument('<kind>', `chart kind: ${kinds.map((k) => k.name).join(', ')}`)
    .requiredOption('--out <file>', 'output file; the extension picks the format (.svg, .png, .pdf, .json)')
    .addOption(new Option('--theme <theme>', 'figure size and type sizes').choices(themeNames).default('paper-1col'))
    .addOption(new Option('--font <family>', 'type family (default: serif on paper, sans on slides)').choices(['serif', 'sans']))
    .option('--run <id>', 'replay run id or its start (comparison kinds: the runs comparable with it; temperature-heatmap: '
      + 'that run\'s core temperatures) or, for vm-energy, attribution id; default: the latest')
    .option('--trace <sel>', 'temperature-heatmap without --run: a SEL (id, name, bundle/name, bundle name or glob) '
      + 'picking one trace with core temperatures (default: the only trace that has them)')
    .option('--model <file>', 'calibration-fit, weights: the energy model file (from vheat calibrate)')
    .addOption(new Option('--overhead <measure>', 'overhead-tradeoff: the overhead axis').choices(Object.keys(overheadMeasures)).default('work-lost'))
    .option('--data <file>', "the kind's input as JSON instead of the store")
    .option('--title <text>', 'a title above the chart (papers usually caption instead)')
    .addHelpText('after', `\nKinds:\n${kinds.map((k) => `  ${k.name.padEnd(20)} ${k.description}`).join('\n')}\n${storeHelp}`)
    .action(async (kind: string, options: ChartCliOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const build = chartKind(kind).build;
      const format = formatOf(options.out);
      const data = options.data !== undefined ? readData(options.data) : await withStore(globals, (store) => chartInputFromStore(store, kind, {
        ...(options.run !== undefined ? { run: options.run } : {}),
        ...(options.trace !== undefined ? { trace: options.trace } : {}),
        ...(options.model !== undefined ? { model: readModel(options.model) } : {}),
        overhead: options.overhead,
      }));
      const chartOptions: ChartOptions = { theme: options.theme };
      if (options.font) chartOptions.font = options.font;
      if (options.title) chartOptions.title = options.title;
      const spec = build(data as never, chartOptions);
      const warnings: string[] = [];
      const output = await renderChart(spec, format, { warn: (w) => warnings.push(w) });
      const out = resolve(options.out);
      writeOutputFile(out, output, 'chart.write');
      const bytes = typeof output === 'string' ? Buffer.byteLength(output) : output.byteLength;
      if (globals.json) printJson(io, { kind, format, theme: options.theme, out, bytes, warnings });
      else if (!globals.quiet) {
        for (const w of warnings) io.err(`  warning: ${w}\n`);
        io.out(`${kind} → ${out}  [${format}, ${options.theme}, ${bytes} bytes]\n`);
      }
    });
}
