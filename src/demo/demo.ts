import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingest, type IngestResult } from '../ingest/ingest.js';
import { storeInfo, type StoreInfo } from '../store/info.js';
import { openStore } from '../store/store.js';

export interface DemoOptions {
  /** Folder of recording bundles; defaults to the project's `traces/`. */
  tracesDir: string;
  /** Where results go; defaults to `out/`. */
  outDir: string;
  /** Store file; defaults to `<outDir>/vheat.duckdb`. */
  db?: string;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface DemoResult {
  db: string;
  ingest: IngestResult;
  info: StoreInfo;
  /** Files written under `outDir`. */
  outputs: string[];
}

/**
 * The main job end to end on the bundled traces (what `npm start` runs):
 *
 *   traces/ ─(1) ingest─▶ store ─(2) info─▶ out/info.json
 *
 * Later stages (calibrate, attribute, replay, report) join this pipeline as they land.
 */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const db = options.db ?? join(outDir, 'vheat.duckdb');
  const store = await openStore(db);
  try {
    // 1. Ingest every bundle (re-running is a no-op for files already in the store).
    const ingested = await ingest(store, [options.tracesDir], {
      onProgress: (p) => options.onProgress?.('ingest', p.bytesDone, p.bytesTotal),
    });
    // 2. Summarise what the store holds.
    const info = await storeInfo(store);
    const infoPath = join(outDir, 'info.json');
    writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`);
    return { db, ingest: ingested, info, outputs: [infoPath] };
  } finally {
    store.close();
  }
}
