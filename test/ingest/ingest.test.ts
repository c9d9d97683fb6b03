import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleError, TraceParseError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/store.js';
import { toyFormat } from '../helpers/toy-format.js';

const formats = [toyFormat];

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vheat-ingest-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('ingest driver', () => {
  it('loads a file, records facts, and counts rows per table', async () => {
    const dir = scratch({ 'a.toy': 'toy\n1,10\n2,20.5\nnot,a,row\n3,5\n' });
    const store = await openStore(':memory:');
    const result = await ingest(store, [join(dir, 'a.toy')], { formats });
    expect(result.traces).toHaveLength(1);
    expect(result.traces[0]).toMatchObject({ id: 1, name: 'a.toy', format: 'toy', skippedLines: 1 });
    expect(result.traces[0]!.rows).toEqual({ samples: 3, energy: 3, temps: 0, residency: 0, io: 0 });
    expect(await store.query('SELECT sum(joules) AS j, max(t1) AS t FROM energy')).toEqual([{ j: 35.5, t: 3 }]);
    const [trace] = await store.query(
      "SELECT skipped_lines, strftime(start_time, '%Y-%m-%d %H:%M:%S.%f') AS start, meta->>'toy' AS toy FROM traces");
    expect(trace).toEqual({ skipped_lines: 1, start: '2023-11-14 22:13:20.500000', toy: 'true' });
    store.close();
  });

  it('treats re-ingesting the same content as a no-op', async () => {
    const dir = scratch({ 'a.toy': 'toy\n1,10\n', 'copy/b.toy': 'toy\n1,10\n' });
    const store = await openStore(':memory:');
    await ingest(store, [join(dir, 'a.toy')], { formats });
    const again = await ingest(store, [join(dir, 'a.toy'), join(dir, 'copy/b.toy')], { formats });
    expect(again.traces).toEqual([]);
    expect(again.duplicates.map((d) => d.traceId)).toEqual([1, 1]);
    expect(await store.query('SELECT count(*) AS n FROM energy')).toEqual([{ n: 1 }]);
    store.close();
  });

  it('leaves the store exactly as it was when any file fails', async () => {
    const dir = scratch({ 'good.toy': 'toy\n1,10\n', 'bad.toy': 'toy\n1,1\n2,2\nboom\n' });
    const store = await openStore(':memory:');
    await ingest(store, [join(dir, 'good.toy')], { formats });
    const before = await store.query('SELECT (SELECT count(*) FROM traces) AS t, (SELECT count(*) FROM energy) AS e');
    const error = await ingest(store, [dir], { formats }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceParseError);
    expect((error as TraceParseError).context).toMatchObject({ file: join(dir, 'bad.toy'), line: 4 });
    expect(await store.query('SELECT (SELECT count(*) FROM traces) AS t, (SELECT count(*) FROM energy) AS e')).toEqual(before);
    store.close();
  });

  it('walks bundle folders, applies bundle.json, and reports files it cannot read', async () => {
    const dir = scratch({
      'host1/bundle.json': JSON.stringify({ host: 'h1', hypervisor: 'kvm' }),
      'host1/e.toy': 'toy\n1,1\n',
      'host1/notes.txt': 'just notes\n',
      'host1/README.md': '# ignored silently\n',
    });
    const store = await openStore(':memory:');
    const result = await ingest(store, [dir], { formats });
    expect(result.traces.map((t) => [t.name, t.bundle, t.host])).toEqual([['e.toy', 'host1', 'h1']]);
    expect(result.ignored.map((i) => i.source)).toEqual([join(dir, 'host1/notes.txt')]);
    expect(await store.query('SELECT host, hypervisor FROM traces')).toEqual([{ host: 'h1', hypervisor: 'kvm' }]);
    store.close();
  });

  it('names an explicitly given file it cannot recognise, and a bad bundle.json', async () => {
    const dir = scratch({ 'notes.txt': 'hello\n', 'b/bundle.json': '{"hypervisor":"vmware"}', 'b/x.toy': 'toy\n' });
    const store = await openStore(':memory:');
    await expect(ingest(store, [join(dir, 'notes.txt')], { formats })).rejects.toMatchObject({
      code: 'ingest.unknownFormat', context: { file: join(dir, 'notes.txt'), line: 1, found: 'hello' },
    });
    await expect(ingest(store, [join(dir, 'b')], { formats })).rejects.toBeInstanceOf(BundleError);
    await expect(ingest(store, [join(dir, 'missing')], { formats })).rejects.toMatchObject({ code: 'ingest.notFound' });
    await expect(ingest(store, [join(dir, 'missing')], { formats, format: 'tyo' })).rejects.toMatchObject({
      code: 'format.unknown', hint: 'did you mean "toy"?',
    });
    store.close();
  });

  it('expands glob patterns and reports byte progress', async () => {
    const dir = scratch({ 'x1.toy': 'toy\n1,1\n', 'x2.toy': 'toy\n1,2\n', 'y.toy': 'toy\n1,3\n' });
    const store = await openStore(':memory:');
    const seen: number[] = [];
    const result = await ingest(store, [join(dir, 'x*.toy')], { formats, onProgress: (p) => seen.push(p.bytesDone) });
    expect(result.traces.map((t) => t.name)).toEqual(['x1.toy', 'x2.toy']);
    expect(seen.at(-1)).toBe(16);
    store.close();
  });
});
