import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDb } from './cli.js';
import { fixturePath } from './fixtures.js';
import { replayModelFile, writeReplayModel } from './replay-model.js';

/** The hand-built recording of test/fixtures/replay/mini (see its README), as bundle `mini`. */
export const miniBundle = fixturePath('replay', 'mini');

/** The model that explains `mini`'s energy exactly: 1 nJ per instruction, 10 W static. */
export const miniModel = replayModelFile({ instructions: 1e-9 }, 10, { rmse: 0.5, mape: 2 });

/** A store file with the `mini` bundle ingested, its path, and the model written beside it. */
export async function miniStore(): Promise<{ store: Store; db: string; modelPath: string; dir: string }> {
  const db = tempDb();
  const store = await openStore(db);
  await ingest(store, [miniBundle]);
  const dir = mkdtempSync(join(tmpdir(), 'vheat-replay-'));
  return { store, db, modelPath: writeReplayModel(dir, miniModel), dir };
}
