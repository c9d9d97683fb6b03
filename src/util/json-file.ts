import { readFileSync } from 'node:fs';
import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { writeOutputFile } from './write-file.js';

/** What kind of JSON file this is, for its errors: codes `<codePrefix>.read|json|write` and the unreadable message. */
export interface JsonFileKind {
  codePrefix: string;
  unreadable: (file: string, detail: string) => string;
}

/** Reads and parses a JSON file written by vheat (model, thermal parameters); failures are `ModelError`s naming the file. */
export function readJsonFile(file: string, kind: JsonFileKind): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelError(`${kind.codePrefix}.read`, kind.unreadable(file, (e as Error).message), { context: { file }, cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelError(`${kind.codePrefix}.json`, messages.badJson((e as Error).message), { context: { file }, cause: e });
  }
}

/** Writes `value` as two-space JSON with a final newline, creating the folder; a failure is a `ModelError` `<codePrefix>.write`. */
export function writeJsonFile(file: string, value: unknown, kind: JsonFileKind): void {
  writeOutputFile(file, `${JSON.stringify(value, null, 2)}\n`, `${kind.codePrefix}.write`, ModelError);
}
