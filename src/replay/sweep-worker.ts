/**
 * A sweep worker thread: opens the store read-only and replays the jobs the main thread sends,
 * one at a time, posting each result (or error) back. Started by `runSweep`; not an API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/store.js';
import { resolveInputs } from './inputs.js';
import { replayResolved } from './replay.js';
import { serialiseError, type SweepJob, type SweepReply } from './sweep.js';

const port = parentPort!;
const { path, memoryLimit, threads } = workerData as { path: string; memoryLimit: string | undefined; threads: number };
const store = await openStore(path, { readOnly: true, threads, ...(memoryLimit ? { memoryLimit } : {}) });
port.on('message', (job: SweepJob | null) => {
  if (job === null) {
    store.close();
    port.close();
    return;
  }
  const reply = async (): Promise<SweepReply> => {
    try {
      const inputs = await resolveInputs(store, job.options, job.shared);
      return { index: job.index, result: await replayResolved(store, inputs, { save: false }) };
    } catch (e) {
      return { index: job.index, error: serialiseError(e) };
    }
  };
  void reply().then((r) => port.postMessage(r));
});
port.postMessage('ready');
