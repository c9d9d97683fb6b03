import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError, UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { makeOutputDir, writeOutputFile } from '../../src/util/write-file.js';
import { thrownBy } from '../helpers/parse-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'vheat-write-file-'));
/** A plain file, so any path below it cannot be created. */
const blocker = join(dir, 'blocker');
writeFileSync(blocker, 'a file, not a folder');

describe('writeOutputFile / makeOutputDir', () => {
  it('writes text and bytes into folders it creates', () => {
    const text = join(dir, 'a', 'b', 'c.txt');
    writeOutputFile(text, 'x\n', 'test.write');
    expect(readFileSync(text, 'utf8')).toBe('x\n');
    const bytes = join(dir, 'd', 'e.bin');
    writeOutputFile(bytes, Uint8Array.of(1, 2, 255), 'test.write');
    expect([...readFileSync(bytes)]).toEqual([1, 2, 255]);
    makeOutputDir(join(dir, 'f', 'g'), 'test.outDir');
    expect(existsSync(join(dir, 'f', 'g'))).toBe(true);
  });

  it('a file where a folder must go is a typed error naming the path, with the hint, of the class asked for', () => {
    const file = join(blocker, 'x.svg');
    const usage = thrownBy(UsageError, () => writeOutputFile(file, 'x', 'test.write'));
    expect(usage.code).toBe('test.write');
    expect(usage.context.file).toBe(file);
    expect(usage.message.startsWith(messages.cannotWrite(file, ''))).toBe(true);
    expect(usage.hint).toBe(messages.hintOutputPath());
    expect(thrownBy(ModelError, () => writeOutputFile(file, 'x', 'model.write', ModelError)).code).toBe('model.write');
    // writing onto a folder fails too (EISDIR)
    expect(thrownBy(UsageError, () => writeOutputFile(dir, 'x', 'test.write')).context.file).toBe(dir);
    const folder = join(blocker, 'out');
    const mkdir = thrownBy(UsageError, () => makeOutputDir(folder, 'test.outDir'));
    expect(mkdir).toMatchObject({ code: 'test.outDir', context: { file: folder }, hint: messages.hintOutputPath() });
    expect(mkdir.message.startsWith(messages.outDirUnusable(folder, ''))).toBe(true);
    expect(existsSync(folder)).toBe(false);
  });
});
