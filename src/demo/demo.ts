import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IngestResult } from '../ingest/ingest.js';
import type { ModelFile } from '../model/model-file.js';
import type { ReportResult } from '../report/report.js';
import type { StoreInfo } from '../store/info.js';
import { openStore } from '../store/store.js';
import { demoStages, type DemoContext } from './stages.js';

export interface DemoOptions {
  /** Folder of recording bundles; defaults to the project's `traces/`. */
  tracesDir: string;
  /** Where results go; defaults to `out/`. */
  outDir: string;
  /** Store file; defaults to `<outDir>/vheat.duckdb`. */
  db?: string;
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
  report: ReportResult;
  /** Files written under `outDir`, in the order written. */
  outputs: DemoOutput[];
}

/**
 * The main job end to end on the bundled traces (what `npm start` runs), one stage after the
 * other over a shared context (see `demoStages`):
 *
 *   traces/ ─ingest─▶ store ─info─▶ out/info.json
 *           ─calibrate─▶ out/models/<bundle>.json ─report─▶ out/report.html ─charts─▶ out/charts/*.svg|png
 */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const db = options.db ?? join(outDir, 'vheat.duckdb');
  const store = await openStore(db);
  try {
    const ctx: DemoContext = {
      store, tracesDir: options.tracesDir, outDir, models: [], outputs: [],
      progress: () => {},
    };
    for (const stage of demoStages) {
      ctx.progress = (done, total) => options.onProgress?.(stage.name, done, total);
      ctx.progress(0, 1);
      await stage.run(ctx);
    }
    return { db, ingest: ctx.ingest!, info: ctx.info!, models: ctx.models, report: ctx.report!, outputs: ctx.outputs };
  } finally {
    store.close();
  }
}
