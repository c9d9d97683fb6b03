import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, type VheatError, type VheatErrorOptions } from '../errors.js';
import { messages } from '../messages.js';

/** A `VheatError` subclass, picked by the caller for its exit code (an output path is usage, a model file a model error). */
export type VheatErrorClass = new (code: string, message: string, options?: VheatErrorOptions) => VheatError;

/**
 * Writes `content` to `file`, creating its folder. A failure (a file where a folder must go, no permission, …)
 * is an `ErrorClass` coded `code` naming the file, with a hint, instead of a raw fs exception.
 */
export function writeOutputFile(file: string, content: string | Uint8Array, code: string, ErrorClass: VheatErrorClass = UsageError): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  } catch (e) {
    throw new ErrorClass(code, messages.cannotWrite(file, (e as Error).message), { context: { file }, hint: messages.hintOutputPath(), cause: e });
  }
}

/** Creates the folder `dir` and its parents; a failure is a `UsageError` coded `code` naming the folder, with a hint. */
export function makeOutputDir(dir: string, code: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(code, messages.outDirUnusable(dir, (e as Error).message), { context: { file: dir }, hint: messages.hintOutputPath(), cause: e });
  }
}
