// Child process for the kill -9 test: ingests argv[3] into store argv[2] and reports progress
// on stdout so the parent can kill it in the middle of the transaction.
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/store.js';
import { toyFormat } from './toy-format.js';

const [, , db, file] = process.argv;
const store = await openStore(db!);
await ingest(store, [file!], {
  formats: [toyFormat],
  onProgress: (p) => process.stdout.write(`progress ${p.bytesDone / p.bytesTotal}\n`),
});
store.close();
process.stdout.write('done\n');
