import { join, resolve } from 'node:path';
import type { AttributeResult } from '../attribute/attribute.js';
import type { Comparison } from '../charts/comparison.js';
import type { IngestResult } from '../ingest/ingest.js';
import type { ModelFile } from '../model/model-file.js';
import type { ReportResult } from '../report/report.js';
import type { StoreInfo } from '../store/info.js';
import { openStore } from '../store/store.js';
import { makeOutputDir } from '../util/write-file.js';
import { demoReplayDefaults, type DemoReplaySettings } from './settings.js';
import { demoStages, type DemoContext } from './stages.js';

export interface DemoOptions {
  /** Folder of recording bundles; defaults to the project's `traces/`. */
  tracesDir: string;
  /** Where results go; defaults to `out/`. */
  outDir: string;
  /** Store file; defaults to `<outDir>/vheat.duckdb`. */
  db?: string;
  /** Replay settings to change (tests use a coarser tick and fewer seeds); see `demoReplayDefaults`. */
  replay?: Partial<DemoReplaySettings>;
  /** Progress within a stage: bytes while ingesting, steps otherwise. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** One file the demo wrote, and what it is. */
export interface DemoOutput {
  path: string;
  what: string;
}

export interface DemoResult {
  db: string;
  ingest: IngestResult;
  info: StoreInfo;
  /** Energy models fitted, one per calibrated bundle. */
  models: ModelFile[];
  /** Per-VM energy of each calibrated bundle. */
  attributions: { bundle: string; result: AttributeResult }[];
  /** Every registered host policy over the seeds, on `replay.bundle`. */
  comparison: Comparison;
  replay: DemoReplaySettings;
  report: ReportResult;
  /** Wall-clock time of each stage, s, in order. */
  stageSeconds: { stage: string; seconds: number }[];
  /** Files written under `outDir`, in the order written. */
  outputs: DemoOutput[];
}

/**
 * The main job end to end on the bundled traces (what `npm start` runs), one stage after the
 * other over a shared context (see `demoStages`):
 *
 *   traces/ ─ingest─▶ store ─info─▶ out/info.json
 *           ─calibrate─▶ out/models/<bundle>.json ─attribute─▶ out/attribution/<bundle>.json
 *           ─replay─▶ out/replay/<policy>.json (seed 1, with series) ─compare─▶ out/comparison.{json,csv} (all seeds)
 *           ─report─▶ out/report.html ─charts─▶ out/charts/*.svg|png
 *
 * Every result also lands in the store (attribution, replay_runs, replay_metrics, replay_series).
 */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  const outDir = resolve(options.outDir);
  makeOutputDir(outDir, 'demo.outDir');
  const db = options.db ?? join(outDir, 'vheat.duckdb');
  const store = await openStore(db);
  try {
    const ctx: DemoContext = {
      store, tracesDir: options.tracesDir, outDir, replay: { ...demoReplayDefaults, ...options.replay },
      models: [], attributions: [], policyParams: {}, replays: [], outputs: [], progress: () => {},
    };
    const stageSeconds: DemoResult['stageSeconds'] = [];
    for (const stage of demoStages) {
      const start = performance.now();
      ctx.progress = (done, total) => options.onProgress?.(stage.name, done, total);
      ctx.progress(0, 1);
      await stage.run(ctx);
      stageSeconds.push({ stage: stage.name, seconds: (performance.now() - start) / 1000 });
    }
    return {
      db, ingest: ctx.ingest!, info: ctx.info!, models: ctx.models, attributions: ctx.attributions, comparison: ctx.comparison!,
      replay: ctx.replay, report: ctx.report!, stageSeconds, outputs: ctx.outputs,
    };
  } finally {
    store.close();
  }
}
