import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ExitCode, ModelError, PolicyError, StoreError, UsageError, VheatError } from '../errors.js';
import type { Store } from '../store/store.js';
import { resolveInputs, type ReplayOptions, type SharedInputs } from './inputs.js';
import { replayResolved, type ReplayResult } from './replay.js';

/** One replay of a sweep: its place in the plan and its options (policies as names or paths). */
export interface SweepJob {
  index: number;
  options: ReplayOptions;
  /** Resolved once for the whole sweep (thermal fit, notes about the recording). */
  shared: SharedInputs;
}

/** A worker's answer to one job. */
export type SweepReply = { index: number; result: ReplayResult } | { index: number; error: SerialisedError };

/** A `VheatError` as it crosses a thread boundary. */
export interface SerialisedError {
  name: string;
  code: string;
  message: string;
  exitCode: number;
  context: VheatError['context'];
  hint: string | undefined;
}

/** Any error as plain data for `postMessage` (a non-vheat error becomes code `internal`). */
export function serialiseError(e: unknown): SerialisedError {
  if (e instanceof VheatError) {
    return { name: e.name, code: e.code, message: e.message, exitCode: e.exitCode, context: e.context, hint: e.hint };
  }
  return { name: 'Error', code: 'internal', message: (e as Error)?.message ?? String(e), exitCode: ExitCode.internal, context: {}, hint: undefined };
}

const errorClasses: Record<string, new (code: string, message: string, options: ConstructorParameters<typeof VheatError>[2]) => VheatError> = {
  PolicyError, UsageError, StoreError, ModelError,
};

/** The error a worker reported, rebuilt as the same class where it is one of vheat's. */
function restoreError(s: SerialisedError): Error {
  const Class = errorClasses[s.name];
  const options = { context: s.context, ...(s.hint === undefined ? {} : { hint: s.hint }) };
  if (Class) return new Class(s.code, s.message, options);
  if (s.code === 'internal') return new Error(s.message);
  return new VheatError(s.code, s.message, options, s.exitCode);
}

/** Whether the jobs can go to worker threads: a store file they can open, and policies named by text. */
function canUseWorkers(store: Store, jobs: readonly SweepJob[]): boolean {
  return store.path !== ':memory:' && jobs.every((j) =>
    (j.options.hostPolicy === undefined || typeof j.options.hostPolicy === 'string')
    && (j.options.guestPolicy === undefined || typeof j.options.guestPolicy === 'string'));
}

/**
 * Starts a worker thread on `sweep-worker.ts`. The worker registers the TypeScript loader
 * itself (an `eval` bootstrap), so it runs the same sources as the main thread.
 */
function startWorker(path: string, memoryLimit: string | undefined, threads: number): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sweep-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: { path, memoryLimit, threads } });
}

/** Worker threads to use by default: every core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs the replays of a sweep and returns their results in job order (so the outcome never
 * depends on which thread finished first). Jobs go to `workers` threads, each with its own
 * read-only handle on the store file; with one worker, an in-memory store or policies given as
 * objects they run here, one after another. `onDone` is called after each job.
 */
export async function runSweep(store: Store, jobs: readonly SweepJob[],
  options: { workers?: number; onDone?: (done: number, total: number) => void } = {}): Promise<ReplayResult[]> {
  const results = new Array<ReplayResult>(jobs.length);
  const workers = Math.min(jobs.length, Math.max(1, options.workers ?? defaultWorkers()));
  let done = 0;
  if (workers <= 1 || !canUseWorkers(store, jobs)) {
    for (const job of jobs) {
      const inputs = await resolveInputs(store, job.options, job.shared);
      results[job.index] = await replayResolved(store, inputs, { save: false });
      options.onDone?.(++done, jobs.length);
    }
    return results;
  }
  // Readers in other threads see only what is in the database file.
  await store.run('CHECKPOINT');
  let next = 0;
  // Each worker's DuckDB gets the cores its engine thread leaves (at least one): DuckDB's default of
  // one thread per core in every worker makes the workers' reads and ticks fight over the same cores.
  const threads = Math.max(1, Math.floor(availableParallelism() / workers) - 1);
  const pool = Array.from({ length: workers }, () => startWorker(store.path, store.memoryLimit, threads));
  const exited = pool.map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())));
  let finished = false;
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next < jobs.length) worker.postMessage(jobs[next++]);
        else {
          worker.postMessage(null);
          resolve();
        }
      };
      worker.on('error', reject);
      worker.on('message', (m: 'ready' | SweepReply) => {
        if (m !== 'ready') {
          if ('error' in m) {
            reject(restoreError(m.error));
            return;
          }
          results[m.index] = m.result;
          options.onDone?.(++done, jobs.length);
        }
        send();
      });
    })));
    finished = true;
    // After its last job a worker closes its store and exits; ending it while DuckDB closes aborts the process.
    await Promise.all(exited);
  } finally {
    if (!finished) await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
