import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/store.js';
import { toyFormat } from '../helpers/toy-format.js';

const child = resolve(dirname(fileURLToPath(import.meta.url)), '../helpers/ingest-child.ts');

async function writeToy(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('toy\n');
  let chunk = '';
  for (let i = 1; i <= lines; i++) {
    chunk += `${i},${i % 7}\n`;
    if (i % 100_000 === 0) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

describe('kill -9 during ingest', () => {
  it('leaves a store that opens and holds no partial trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vheat-kill-'));
    const db = join(dir, 'store.duckdb');
    const small = join(dir, 'small.toy');
    const big = join(dir, 'big.toy');
    await writeToy(small, 10);
    await writeToy(big, 3_000_000);
    const store = await openStore(db);
    await ingest(store, [small], { formats: [toyFormat] });
    store.close();

    const proc = spawn(process.execPath, ['--import', 'tsx', child, db, big], { stdio: ['ignore', 'pipe', 'inherit'] });
    const killedAt = await new Promise<number>((resolvePromise, reject) => {
      let buffered = '';
      proc.stdout.on('data', (data: Buffer) => {
        buffered += data.toString();
        const match = /progress ([\d.]+)\n(?![\s\S]*progress)/.exec(buffered);
        if (buffered.includes('done')) reject(new Error('ingest finished before it could be killed'));
        if (match && Number(match[1]) > 0.3) {
          proc.kill('SIGKILL');
          resolvePromise(Number(match[1]));
        }
      });
    });
    await new Promise((r) => proc.once('exit', r));
    expect(proc.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeLessThan(1);

    const after = await openStore(db);
    expect(await after.query('SELECT name FROM traces ORDER BY trace_id')).toEqual([{ name: 'small.toy' }]);
    expect(await after.query('SELECT count(*) AS n FROM energy')).toEqual([{ n: 10 }]);
    expect(await after.query('SELECT count(*) AS n FROM samples')).toEqual([{ n: 10 }]);
    after.close();
  });
});
