import { stat } from 'node:fs/promises';
import { VheatError } from '../errors.js';
import { StoreSink } from '../store/store-sink.js';
import type { TraceTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { completeTrace, findTraceByHash, insertTrace } from '../store/traces.js';
import { bundleCpuSocket, parseOptionsFor } from './bundle.js';
import { contentHash } from './content-hash.js';
import { detectFormat, formatByName, formats as builtinFormats, sniffFormat } from './formats.js';
import { readBytes, readLines } from './lines.js';
import { deriveRecordings, identifyRecordings, type Recording, type RecordingVms } from './recordings.js';
import { resolveInputs, type InputFile } from './resolve-inputs.js';
import { readSniffInput } from './sniff.js';
import type { FormatSpec } from './types.js';

export interface IngestOptions {
  /** Format name for every file, instead of sniffing (`--format`). */
  format?: string;
  /** Formats to choose from; defaults to every built-in format. Add your own `FormatSpec` here. */
  formats?: readonly FormatSpec[];
  /** Progress over all files, in bytes. */
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  file: string;
  bytesDone: number;
  bytesTotal: number;
}

/** One file that became a trace. */
export interface IngestedTrace {
  id: number;
  name: string;
  bundle: string | null;
  format: string;
  host: string | null;
  source: string;
  rows: Record<TraceTable, number>;
  skippedLines: number;
  warnings: { message: string; count: number; line: number | undefined }[];
}

export interface IngestResult {
  traces: IngestedTrace[];
  /** Files whose content is already in the store (re-ingest is a no-op). */
  duplicates: { source: string; traceId: number | null }[];
  /** Files in folders that no format recognised. */
  ignored: { source: string; reason: string }[];
  /** Per recording with traces loaded: its VMs (inferred ones for the user to confirm) and derived samples. */
  recordings: RecordingVms[];
}

interface PlannedFile {
  input: InputFile;
  spec: FormatSpec;
  hash: string;
  size: number;
}

/**
 * Loads recordings into the store.
 *
 *   paths ─(1) resolveInputs─▶ files + bundle.json
 *         ─(2) plan: hash, skip duplicates, pick formats (sniff or --format)
 *         ─(3) identify: each recording's VMs, from bundle.json or its unparsed side files
 *         ─(4) load: one transaction; each file streamed through its parser into a StoreSink
 *         ─(5) derive, same transaction: VMs completed from the rows, per-VM/per-vCPU samples
 *         ─▶ IngestResult
 *
 * Either every file is loaded or, when any fails, none is: the store is left as it was.
 */
export async function ingest(store: Store, paths: readonly string[], options: IngestOptions = {}): Promise<IngestResult> {
  const list = options.formats ?? builtinFormats;
  const forced = options.format ? formatByName(options.format, list) : undefined;
  // 1. Inputs
  const inputs = await resolveInputs(paths);
  // 2. Plan
  const { planned, duplicates, ignored } = await plan(store, inputs, forced, list);
  // 3. Identify
  const recordings = await identifyRecordings(inputs, new Set(ignored.map((i) => i.source)));
  const { traces, vms } = await store.transaction(async () => {
    // 4. Load
    const loaded: IngestedTrace[] = [];
    const byRecording = new Map<string, number[]>();
    const bytesTotal = planned.reduce((s, p) => s + p.size, 0);
    let bytesBefore = 0;
    for (const file of planned) {
      const report = (bytes: number): void =>
        options.onProgress?.({ file: file.input.path, bytesDone: bytesBefore + bytes, bytesTotal });
      const trace = await loadFile(store, file, recordings.get(file.input.dir)!, report);
      loaded.push(trace);
      byRecording.set(file.input.dir, [...(byRecording.get(file.input.dir) ?? []), trace.id]);
      bytesBefore += file.size;
    }
    // 5. Derive
    return { traces: loaded, vms: await deriveRecordings(store, recordings, byRecording) };
  });
  return { traces, duplicates, ignored, recordings: vms };
}

async function plan(store: Store, inputs: readonly InputFile[], forced: FormatSpec | undefined,
  list: readonly FormatSpec[]) {
  const planned: PlannedFile[] = [];
  const duplicates: IngestResult['duplicates'] = [];
  const ignored: IngestResult['ignored'] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const hash = await contentHash(input.path);
    if (seen.has(hash)) {
      duplicates.push({ source: input.path, traceId: null });
      continue;
    }
    const existing = await findTraceByHash(store, hash);
    if (existing !== undefined) {
      duplicates.push({ source: input.path, traceId: existing });
      continue;
    }
    const named = input.bundle?.files?.[input.name]?.format;
    if (named === 'ignore') {
      ignored.push({ source: input.path, reason: 'bundle.json marks it "ignore"' });
      continue;
    }
    const sniffInput = await readSniffInput(input.path);
    const spec = forced ?? (named ? formatByName(named, list)
      : input.explicit ? detectFormat(sniffInput, list, input.path) : sniffFormat(sniffInput, list));
    if (!spec) {
      ignored.push({ source: input.path, reason: 'format not recognised' });
      continue;
    }
    seen.add(hash);
    planned.push({ input, spec, hash, size: (await stat(input.path)).size });
  }
  return { planned, duplicates, ignored };
}

async function loadFile(store: Store, file: PlannedFile, recording: Recording,
  onBytes: (bytes: number) => void): Promise<IngestedTrace> {
  const { input, spec } = file;
  const bundle = input.bundle;
  const traceId = await insertTrace(store, {
    name: input.name,
    bundle: input.bundleName,
    host: bundle?.host ?? null,
    hypervisor: bundle?.hypervisor ?? null,
    source: input.path,
    contentHash: file.hash,
    format: spec.name,
  });
  const sink = await StoreSink.create(store, traceId);
  let rows: Record<TraceTable, number>;
  try {
    const parser = spec.create({ file: input.path, sink, options: parseOptionsFor(bundle, input.name, recording.options) });
    if ('line' in parser) await readLines(input.path, (line, n) => parser.line(line, n), onBytes);
    else await readBytes(input.path, (chunk) => parser.bytes(chunk), onBytes);
    parser.end();
    rows = await sink.finish();
  } catch (e) {
    sink.abandon();
    throw asVheatError(e, input.path);
  }
  const warnings = [...sink.warnings].map(([message, w]) => ({ message, count: w.count, line: w.line }));
  // the host topology the recording gives, for per-socket models (store/cpu-sockets.ts reads it)
  const cpuSocket = bundleCpuSocket(bundle);
  await completeTrace(store, traceId, {
    host: sink.facts.host ?? null,
    hypervisor: sink.facts.hypervisor ?? null,
    // bundle.json's anchor for files that carry none (sched_switch clocks are not wall time)
    startEpochSeconds: sink.facts.startEpochSeconds ?? bundle?.files?.[input.name]?.start_epoch_seconds ?? null,
    skippedLines: sink.skippedLines,
    meta: { ...sink.facts.details, ...(cpuSocket ? { cpuSocket } : {}), ...(warnings.length ? { warnings } : {}) },
  });
  return {
    id: traceId,
    name: input.name,
    bundle: input.bundleName,
    format: spec.name,
    host: sink.facts.host ?? bundle?.host ?? null,
    source: input.path,
    rows,
    skippedLines: sink.skippedLines,
    warnings,
  };
}

/** A parser bug must still name the file; it surfaces as an internal error with the cause. */
function asVheatError(e: unknown, file: string): VheatError {
  if (e instanceof VheatError) return e;
  return new VheatError('ingest.internal', `internal error while parsing: ${(e as Error).message ?? e}`, {
    context: { file },
    cause: e,
    hint: 'this is a vheat bug; please report it with the file',
  });
}
