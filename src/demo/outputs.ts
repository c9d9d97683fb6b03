import { join } from 'node:path';
import { writeOutputFile } from '../util/write-file.js';
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
  writeOutputFile(path, content, 'demo.write');
  sink.outputs.push({ path, what });
  return path;
}

/** `writeOutput` of `value` as indented JSON. */
export function writeJsonOutput(sink: OutputSink, relPath: string, value: unknown, what: string): string {
  return writeOutput(sink, relPath, `${JSON.stringify(value, null, 2)}\n`, what);
}
