import { join } from 'node:path';
import type { AttributeResult } from '../attribute/attribute.js';
import type { Comparison } from '../charts/comparison.js';
import { renderChart } from '../charts/render.js';
import { ingest, type IngestResult } from '../ingest/ingest.js';
import { calibrate } from '../model/calibrate.js';
import { writeModel, type ModelFile } from '../model/model-file.js';
import type { SharedInputs } from '../replay/inputs.js';
import { report, type ReportResult } from '../report/report.js';
import { storeInfo, type StoreInfo } from '../store/info.js';
import type { Store } from '../store/store.js';
import { attributeStage, compareStage, replayStage } from './analysis-stages.js';
import type { DemoOutput } from './demo.js';
import { writeJsonOutput, writeOutput } from './outputs.js';
import { calibratedBundles, type DemoReplaySettings } from './settings.js';

/** What the stages share: inputs, the open store, and each stage's results for the next ones. */
export interface DemoContext {
  store: Store;
  tracesDir: string;
  outDir: string;
  /** Progress of the running stage (bytes or steps). */
  progress: (done: number, total: number) => void;
  /** How the policies are replayed and compared. */
  replay: DemoReplaySettings;
  ingest?: IngestResult;
  info?: StoreInfo;
  /** One per calibrated bundle, in `calibratedBundles` order. */
  models: ModelFile[];
  attributions: { bundle: string; result: AttributeResult }[];
  /** `--param` settings of each host policy that needs some (the budget policies' budget, set by the replay stage). */
  policyParams: Record<string, Record<string, string>>;
  /** What the replay stage resolved once for all runs of the replayed bundle (the thermal fit). */
  shared?: SharedInputs;
  /** Run ids of the replay stage (seed 1 of each host policy). */
  replays: string[];
  comparison?: Comparison;
  report?: ReportResult;
  outputs: DemoOutput[];
}

/** One step of the demo; adding a stage to the pipeline is one entry in `demoStages`. */
export interface DemoStage {
  name: string;
  run: (ctx: DemoContext) => Promise<void>;
}

/** Ingest every bundle (re-running is a no-op for files already in the store). */
const ingestStage: DemoStage = {
  name: 'ingest',
  async run(ctx) {
    ctx.ingest = await ingest(ctx.store, [ctx.tracesDir], { onProgress: (p) => ctx.progress(p.bytesDone, p.bytesTotal) });
  },
};

/** Summarise what the store holds into out/info.json. */
const infoStage: DemoStage = {
  name: 'info',
  async run(ctx) {
    ctx.info = await storeInfo(ctx.store);
    writeJsonOutput(ctx, 'info.json', ctx.info, 'store summary');
  },
};

/** A package-domain model per calibrated bundle, fitted to its per-CPU perf counters, into out/models/. */
const calibrateStage: DemoStage = {
  name: 'calibrate',
  async run(ctx) {
    for (const [i, bundle] of calibratedBundles.entries()) {
      const { model } = await calibrate(ctx.store, { train: [`${bundle}/perf-stat-cpu.csv`], domain: 'package' });
      const path = join(ctx.outDir, 'models', `${bundle}.json`);
      writeModel(path, model);
      ctx.models.push(model);
      ctx.outputs.push({ path, what: `${bundle} package energy model` });
      ctx.progress(i + 1, calibratedBundles.length);
    }
  },
};

/** The HTML report over everything the store holds and the models fitted. */
const reportStage: DemoStage = {
  name: 'report',
  async run(ctx) {
    ctx.report = await report(ctx.store, { out: join(ctx.outDir, 'report.html'), models: ctx.models, onProgress: ctx.progress });
    ctx.outputs.push({ path: ctx.report.path, what: 'report' });
  },
};

/** The report's figures as files: the SVG it inlines, and a 300 dpi PNG. */
const chartsStage: DemoStage = {
  name: 'charts',
  async run(ctx) {
    const charts = ctx.report!.charts;
    for (const [i, c] of charts.entries()) {
      writeOutput(ctx, `charts/${c.name}.svg`, c.svg, `${c.kind} chart`);
      writeOutput(ctx, `charts/${c.name}.png`, await renderChart(c.spec, 'png'), `${c.kind} chart`);
      ctx.progress(i + 1, charts.length);
    }
  },
};

/** The pipeline, in order; each stage reads what the earlier ones left in the context. */
export const demoStages: readonly DemoStage[] = [
  ingestStage, infoStage, calibrateStage, attributeStage, replayStage, compareStage, reportStage, chartsStage,
];
