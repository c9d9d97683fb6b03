import { Command } from 'commander';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demo } from '../demo/demo.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress, type Progress } from './progress.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Progress of the demo: one line per stage on stderr as it starts (so a log shows where time
 * went), and a bar within a stage on a terminal.
 */
function stageProgress(io: CliIo, globals: GlobalOptions) {
  let current = '';
  let bar: Progress | null = null;
  return {
    update(stage: string, done: number, total: number) {
      if (stage !== current) {
        bar?.stop();
        current = stage;
        if (!globals.quiet && !globals.json) io.err(`${stage}…\n`);
        bar = createProgress(io, globals, stage === 'ingest' ? 'bytes' : 'steps');
      }
      bar!.update(done, total, stage);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** `vheat demo`: the whole pipeline on the bundled traces, results under `out/`. */
export function makeDemoCommand(io: CliIo): Command {
  return new Command('demo')
    .description('run the main job end to end on the bundled traces, writing results under out/')
    .option('--traces <dir>', 'folder of recording bundles', join(projectRoot, 'traces'))
    .option('--out <dir>', 'output folder', 'out')
    .action(async (options: { traces: string; out: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const progress = stageProgress(io, globals);
      const explicitDb = command.parent?.getOptionValueSource('db') !== 'default';
      const result = await demo({
        tracesDir: options.traces,
        outDir: options.out,
        ...(explicitDb ? { db: globals.db } : {}),
        onProgress: (stage, done, total) => progress.update(stage, done, total),
      }).finally(() => progress.stop());
      if (globals.json) {
        printJson(io, { db: result.db, outputs: result.outputs, traces: result.info.traces.length, rows: result.info.rows });
        return;
      }
      if (globals.quiet) return;
      const loaded = result.ingest.traces.length;
      io.out(`ingested ${loaded} new trace${loaded === 1 ? '' : 's'} (${result.ingest.duplicates.length} unchanged) into ${result.db}\n`);
      io.out(`store holds ${result.info.traces.length} traces: ${Object.entries(result.info.rows).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
      for (const m of result.models) {
        const cv = m.fit.cv;
        io.out(`model ${m.training.traces.map((t) => `${t.bundle}/${t.name}`).join(', ')}: static ${m.staticWatts.value.toPrecision(4)} W, ` +
          `${m.terms.map((t) => t.name).join(', ')}; held-out R² ${cv?.r2?.toFixed(3) ?? 'n/a'}, MAPE ${cv?.mape?.toFixed(1) ?? 'n/a'} %\n`);
      }
      const outDir = resolve(options.out);
      io.out(`wrote ${result.outputs.length} files under ${outDir}:\n`);
      for (const o of result.outputs) io.out(`  ${relative(outDir, o.path).padEnd(52)} ${o.what}\n`);
      io.out(`open ${result.report.path} in a browser\n`);
    });
}
