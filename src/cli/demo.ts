import { Command } from 'commander';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demo, type DemoResult } from '../demo/demo.js';
import type { MeanCi } from '../replay/mean-ci.js';
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

/** The comparison, one line per policy: mean imbalance, energy and overhead (mean ± 95 % half-width over seeds). */
function printComparison(io: CliIo, result: DemoResult): void {
  const c = result.comparison;
  const stat = (s: MeanCi | undefined, digits: number): string =>
    (s?.mean == null ? '–' : `${s.mean.toFixed(digits)}${s.ci95 ? ` ± ${s.ci95.toFixed(digits)}` : ''}`);
  io.out(`compared ${c.policies.length} host policies on ${c.traces} (${c.runs} runs, tick ${c.tickSeconds * 1000} ms): `
    + 'mean imbalance °C, energy J, work lost core-s\n');
  const width = Math.max(...c.policies.map((p) => p.policy.length));
  for (const p of c.policies) {
    io.out(`  ${p.policy.padEnd(width)}  ${stat(p.metrics.imbalance_mean_c, 3).padStart(15)}  ${stat(p.metrics.energy_j, 0).padStart(13)}  `
      + `${stat(p.metrics.work_lost_s, 3).padStart(15)}\n`);
  }
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
        printJson(io, {
          db: result.db, outputs: result.outputs, traces: result.info.traces.length, rows: result.info.rows,
          policies: result.comparison.policies.map((p) => ({ policy: p.policy, runs: p.runIds.length, metrics: p.metrics })),
          stage_seconds: Object.fromEntries(result.stageSeconds.map((s) => [s.stage, s.seconds])),
        });
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
      for (const { bundle, result: a } of result.attributions) {
        const vms = a.vms.reduce((sum, v) => sum + v.joules, 0);
        io.out(`attribution ${bundle}: ${a.vms.length} VMs ${vms.toFixed(0)} J (I/O emulation ${a.vms.reduce((sum, v) => sum + v.io_joules, 0).toFixed(0)} J) `
          + `+ host ${a.host_joules.toFixed(0)} J + idle ${a.idle_joules.toFixed(0)} J + residual ${a.residual_joules?.toFixed(1) ?? '—'} J = measured ${a.measured_joules?.toFixed(0) ?? '—'} J\n`);
      }
      printComparison(io, result);
      io.out(`stages: ${result.stageSeconds.map((s) => `${s.stage} ${s.seconds.toFixed(1)} s`).join(', ')}\n`);
      const outDir = resolve(options.out);
      io.out(`wrote ${result.outputs.length} files under ${outDir}:\n`);
      for (const o of result.outputs) io.out(`  ${relative(outDir, o.path).padEnd(52)} ${o.what}\n`);
      io.out(`open ${result.report.path} in a browser\n`);
    });
}
