import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from '../errors.js';
import type { Bundle } from '../ingest/bundle.js';
import { messages } from '../messages.js';
import type { CommandStep, RecordingPlan, RecordingStep } from './plan-types.js';
import { recordPowercap } from './powercap-reader.js';
import { nodeSpawn, type RecorderProcess, type SpawnRecorder } from './spawn.js';

/** What the runner reports while it works. */
export type RecordProgress =
  | { kind: 'start' | 'post'; recorder: string; output: string }
  | { kind: 'exit'; recorder: string; output: string; ok: boolean }
  | { kind: 'tick'; elapsedSeconds: number; durationSeconds: number };

/** How one step went. `ran` is false for a post step whose input was never written. */
export interface StepResult {
  recorder: string;
  output: string;
  phase: RecordingStep['phase'];
  ran: boolean;
  ok: boolean;
  code: number | null;
  signal: string | null;
  /** The end of what it printed on stderr (or the reader's error). */
  stderr: string;
}

export interface RunOptions {
  /** Process starter; tests pass a fake. Defaults to real processes. */
  spawn?: SpawnRecorder;
  onProgress?: (event: RecordProgress) => void;
  /** Aborting stops every recorder early (SIGINT); post steps and bundle.json still follow. */
  signal?: AbortSignal;
  /** How long past the duration a recorder may run before SIGINT, and past that before SIGKILL; ms, default 10 000. */
  graceMs?: number;
}

export interface RunResult {
  outDir: string;
  bundle: Bundle;
  steps: StepResult[];
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/**
 * Executes a plan:
 *
 *   empty out folder → start every record step at once (each stops itself after the duration;
 *   SIGINT past duration + grace, SIGKILL after another grace, SIGINT at once on abort) →
 *   post steps in order (perf script, trace-cmd report) → bundle.json
 *
 * A failing recorder does not stop the others; the results say which failed.
 */
export async function runPlan(plan: RecordingPlan, options: RunOptions = {}): Promise<RunResult> {
  const { outDir, durationSeconds } = plan;
  const spawn = options.spawn ?? nodeSpawn;
  const grace = options.graceMs ?? 10_000;
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) {
    throw new BundleError('record.outNotEmpty', messages.recordOutNotEmpty(outDir), { context: { file: outDir }, hint: messages.hintRecordOut() });
  }
  const bundle = structuredClone(plan.bundle);
  const running = new Set<RecorderProcess>();
  const interrupted = new Set<RecorderProcess>();
  const stopReader = new AbortController();
  const interrupt = (): void => {
    stopReader.abort();
    for (const p of running) {
      interrupted.add(p);
      p.kill('SIGINT');
    }
  };

  const command = async (step: CommandStep): Promise<StepResult> => {
    const proc = spawn(step.argv, step.stdout ? join(outDir, step.output) : undefined);
    if (step.stampStart) bundle.files![step.output] = { ...bundle.files![step.output], start_epoch_seconds: Date.now() / 1000 };
    running.add(proc);
    const exit = await proc.exited;
    running.delete(proc);
    const ok = exit.code === 0 || interrupted.has(proc);
    return { recorder: step.recorder, output: step.output, phase: step.phase, ran: true, ok, ...exit };
  };
  const start = async (step: RecordingStep): Promise<StepResult> => {
    options.onProgress?.({ kind: 'start', recorder: step.recorder, output: step.output });
    let result: StepResult;
    if (step.kind === 'command') result = await command(step);
    else {
      const base = { recorder: step.recorder, output: step.output, phase: step.phase, ran: true, code: null, signal: null };
      result = await recordPowercap({ ...step, out: join(outDir, step.output), signal: stopReader.signal })
        .then(() => ({ ...base, ok: true, stderr: '' }), (e: Error) => ({ ...base, ok: false, stderr: e.message }));
    }
    options.onProgress?.({ kind: 'exit', recorder: step.recorder, output: step.output, ok: result.ok });
    return result;
  };

  // 1. Record: everything at once, bounded by the duration.
  const began = performance.now();
  const ticker = setInterval(() => options.onProgress?.({
    kind: 'tick', elapsedSeconds: Math.min(durationSeconds, Math.round((performance.now() - began) / 1000)), durationSeconds,
  }), 1000);
  const deadlines = [
    setTimeout(interrupt, durationSeconds * 1000 + grace),
    setTimeout(() => { for (const p of running) p.kill('SIGKILL'); }, durationSeconds * 1000 + 2 * grace),
  ];
  options.signal?.addEventListener('abort', interrupt);
  let results: StepResult[];
  try {
    const recording = Promise.all(plan.steps.filter((s) => s.phase === 'record').map(start));
    if (options.signal?.aborted) interrupt();
    results = await recording;
  } finally {
    clearInterval(ticker);
    for (const t of deadlines) clearTimeout(t);
    options.signal?.removeEventListener('abort', interrupt);
  }

  // 2. Post-process, in order; a step whose input is missing (its recorder failed) is not run.
  for (const step of plan.steps) {
    if (step.phase !== 'post' || step.kind !== 'command') continue;
    if (step.input !== undefined && !(await exists(join(outDir, step.input)))) {
      results.push({ recorder: step.recorder, output: step.output, phase: 'post', ran: false, ok: false, code: null, signal: null, stderr: '' });
      continue;
    }
    options.onProgress?.({ kind: 'post', recorder: step.recorder, output: step.output });
    results.push(await command(step));
  }

  // 3. Describe the bundle.
  await writeFile(join(outDir, 'bundle.json'), `${JSON.stringify(bundle, null, 2)}\n`);
  return { outDir, bundle, steps: results };
}
