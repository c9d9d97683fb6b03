import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { readJsonFile, writeJsonFile, type JsonFileKind } from '../../src/util/json-file.js';
import { thrownBy } from '../helpers/parse-checks.js';

const kind: JsonFileKind = { codePrefix: 'thing', unreadable: (file, detail) => `no thing at ${file} (${detail})` };
const dir = mkdtempSync(join(tmpdir(), 'vheat-json-file-'));

const caught = (fn: () => unknown): ModelError => thrownBy(ModelError, fn);

describe('readJsonFile / writeJsonFile', () => {
  it('writes two-space JSON with a final newline into a new folder, and reads it back', () => {
    const file = join(dir, 'a', 'b.json');
    writeJsonFile(file, { x: [1, 2] }, kind);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "x": [\n    1,\n    2\n  ]\n}\n');
    expect(readJsonFile(file, kind)).toEqual({ x: [1, 2] });
  });

  it('turns each failure into a coded ModelError naming the file', () => {
    const missing = join(dir, 'missing.json');
    const read = caught(() => readJsonFile(missing, kind));
    expect(read.code).toBe('thing.read');
    expect(read.message).toMatch(/^no thing at .*missing\.json \(ENOENT/);
    expect(read.context.file).toBe(missing);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    const json = caught(() => readJsonFile(broken, kind));
    expect(json.code).toBe('thing.json');
    expect(json.message.startsWith(messages.badJson(''))).toBe(true);
    // A file where a folder must go cannot be written.
    const write = caught(() => writeJsonFile(join(broken, 'x.json'), {}, kind));
    expect(write.code).toBe('thing.write');
    expect(write.context.file).toBe(join(broken, 'x.json'));
  });
});
