import { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demo } from '../demo/demo.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `vheat demo`: the whole pipeline on the bundled traces, results under `out/`. */
export function makeDemoCommand(io: CliIo): Command {
  return new Command('demo')
    .description('run the main job end to end on the bundled traces, writing results under out/')
    .option('--traces <dir>', 'folder of recording bundles', join(projectRoot, 'traces'))
    .option('--out <dir>', 'output folder', 'out')
    .action(async (options: { traces: string; out: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const progress = createProgress(io, globals);
      const explicitDb = command.parent?.getOptionValueSource('db') !== 'default';
      const result = await demo({
        tracesDir: options.traces,
        outDir: options.out,
        ...(explicitDb ? { db: globals.db } : {}),
        onProgress: (stage, done, total) => progress.update(done, total, stage),
      }).finally(() => progress.stop());
      if (globals.json) {
        printJson(io, { db: result.db, outputs: result.outputs, traces: result.info.traces.length, rows: result.info.rows });
        return;
      }
      if (globals.quiet) return;
      const loaded = result.ingest.traces.length;
      io.out(`ingested ${loaded} new trace${loaded === 1 ? '' : 's'} (${result.ingest.duplicates.length} unchanged) into ${result.db}\n`);
      io.out(`store holds ${result.info.traces.length} traces: ${Object.entries(result.info.rows).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
      for (const t of result.info.traces) {
        const energy = Object.entries(t.energyJoules).map(([d, j]) => `${d} ${j.toFixed(1)} J`).join(', ');
        io.out(`  ${String(t.id).padStart(3)} ${(t.bundle ? `${t.bundle}/` : '') + t.name}  [${t.format}]${energy ? `  ${energy}` : ''}\n`);
      }
      io.out(`wrote ${result.outputs.join(', ')}\n`);
    });
}
