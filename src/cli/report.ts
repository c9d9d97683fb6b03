import { Command, Option } from 'commander';
import { themeNames, type ThemeName } from '../charts/themes.js';
import { readModel } from '../model/model-file.js';
import { report } from '../report/report.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';
import { withStore } from './with-store.js';

interface ReportFlags {
  out: string;
  model: string[];
  title?: string;
  theme: ThemeName;
}

/** `vheat report`: one self-contained HTML file (charts inline, no script, no network) over the store. */
export function makeReportCommand(io: CliIo): Command {
  return new Command('report')
    .description('write a self-contained HTML report: traces, model fit, per-VM energy, policy comparison, temperatures')
    .option('--out <file>', 'HTML file to write', 'out/report.html')
    .option('--model <files...>', 'energy model files (from vheat calibrate) to show', [])
    .option('--title <text>', 'document title')
    .addOption(new Option('--theme <theme>', 'chart sizes and type (scaled to the page)').choices(themeNames).default('paper-2col'))
    .action(async (flags: ReportFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const models = flags.model.map((file) => readModel(file));
      const progress = createProgress(io, globals, 'steps');
      const result = await withStore(globals, (store) => report(store, {
        out: flags.out, models, theme: flags.theme, ...(flags.title !== undefined ? { title: flags.title } : {}),
        onProgress: (done, total) => progress.update(done, total, 'report'),
      })).finally(() => progress.stop());
      if (globals.json) {
        printJson(io, { out: result.path, bytes: result.bytes, sections: result.sections, charts: result.charts.map((c) => c.name), warnings: result.warnings });
        return;
      }
      if (globals.quiet) return;
      for (const w of result.warnings) io.err(`  warning: ${w}\n`);
      const empty = result.sections.filter((s) => s.empty).map((s) => s.title.toLowerCase());
      io.out(`report → ${result.path}  [${result.bytes} bytes, ${result.charts.length} charts${empty.length ? `; nothing yet for ${empty.join(', ')}` : ''}]\n`);
    });
}
