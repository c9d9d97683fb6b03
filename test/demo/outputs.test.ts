import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput, type OutputSink } from '../../src/demo/outputs.js';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';

describe('writeOutput', () => {
  it('writes under the output folder and records the file', () => {
    const sink: OutputSink = { outDir: mkdtempSync(join(tmpdir(), 'vheat-outputs-')), outputs: [] };
    const path = writeOutput(sink, 'a/b.txt', 'x\n', 'a thing');
    expect(readFileSync(path, 'utf8')).toBe('x\n');
    expect(sink.outputs).toEqual([{ path, what: 'a thing' }]);
  });

  it('a file in the way of its folder is a UsageError naming the path, and nothing is recorded', () => {
    const sink: OutputSink = { outDir: mkdtempSync(join(tmpdir(), 'vheat-outputs-')), outputs: [] };
    writeFileSync(join(sink.outDir, 'a'), 'not a folder');
    let error: unknown;
    try {
      writeOutput(sink, 'a/b.txt', 'x\n', 'a thing');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('demo.write');
    expect((error as UsageError).message).toContain(join(sink.outDir, 'a', 'b.txt'));
    expect((error as UsageError).hint).toBe(messages.hintOutputPath());
    expect(sink.outputs).toEqual([]);
  });
});
