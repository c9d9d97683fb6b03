import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import type { DemoOutput } from './demo.js';

/** Where the demo writes, and the list of what it wrote (in order). */
export interface OutputSink {
  outDir: string;
  outputs: DemoOutput[];
}

/**
 * Writes `content` to `<outDir>/<relPath>` (folders created) and records it with `what` it is; returns the path.
 * A file that cannot be written is a `UsageError` naming it (the output folder is the user's choice).
 */
export function writeOutput(sink: OutputSink, relPath: string, content: string | Uint8Array, what: string): string {
  const path = join(sink.outDir, relPath);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  } catch (e) {
    throw new UsageError('demo.write', messages.cannotWrite(path, (e as Error).message), { context: { file: path }, cause: e });
  }
  sink.outputs.push({ path, what });
  return path;
}

/** `writeOutput` of `value` as indented JSON. */
export function writeJsonOutput(sink: OutputSink, relPath: string, value: unknown, what: string): string {
  return writeOutput(sink, relPath, `${JSON.stringify(value, null, 2)}\n`, what);
}
