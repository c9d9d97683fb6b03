import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/errors.js';
import { migrations, schemaVersion, traceTables } from '../../src/store/schema.js';
import { openStore } from '../../src/store/store.js';

describe('store', () => {
  it('creates every documented table with the documented columns', async () => {
    const store = await openStore(':memory:');
    const expected: Record<string, string[]> = {
      traces: ['trace_id', 'name', 'bundle', 'host', 'hypervisor', 'source', 'content_hash', 'format',
        'start_time', 'ingested_at', 'skipped_lines', 'meta'],
      ...Object.fromEntries(Object.entries(traceTables).map(([k, v]) => [k, [...v]])),
    };
    for (const [table, columns] of Object.entries(expected)) {
      const rows = await store.query(
        'SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position', [table]);
      expect(rows.map((r) => r.column_name)).toEqual(columns);
    }
    store.close();
  });

  it('records the schema version and does not re-run migrations on reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vheat-store-')), 's.duckdb');
    const a = await openStore(path);
    await a.run("INSERT INTO energy VALUES (1, 0, 1, 0, 'package', 2.5)");
    a.close();
    const b = await openStore(path);
    expect(await b.query('SELECT version FROM schema_version')).toEqual(migrations.map((m) => ({ version: m.version })));
    expect(await b.query('SELECT joules FROM energy')).toEqual([{ joules: 2.5 }]);
    b.close();
  });

  it('refuses a store written by a newer vheat', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vheat-store-')), 's.duckdb');
    const a = await openStore(path);
    await a.run('INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)', [schemaVersion + 1, 'future']);
    a.close();
    await expect(openStore(path)).rejects.toMatchObject({ code: 'store.newer' });
  });

  it('rolls a failed transaction back completely', async () => {
    const store = await openStore(':memory:');
    await expect(store.transaction(async () => {
      await store.run("INSERT INTO energy VALUES (1, 0, 1, 0, 'package', 2.5)");
      throw new Error('fail midway');
    })).rejects.toThrow('fail midway');
    expect(await store.query('SELECT count(*) AS n FROM energy')).toEqual([{ n: 0 }]);
    store.close();
  });

  it('wraps query failures in a StoreError carrying the SQL', async () => {
    const store = await openStore(':memory:');
    const error = await store.query('SELECT nope FROM traces').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).context.sql).toBe('SELECT nope FROM traces');
    store.close();
  });
});

describe('store memory limit', () => {
  it('opens DuckDB with the given memory_limit and remembers it for worker threads', async () => {
    const store = await openStore(':memory:', { memoryLimit: '64MB' });
    try {
      expect(store.memoryLimit).toBe('64MB');
      const [row] = await store.query("SELECT current_setting('memory_limit') AS limit");
      // DuckDB reports the limit in its own units (64 MB = 61.0 MiB)
      expect(String(row!.limit)).toMatch(/^(61\.0 MiB|64\.0 MB)$/);
    } finally {
      store.close();
    }
  });

  it('caps DuckDB at the given number of threads (sweep workers leave their engine thread a core)', async () => {
    const store = await openStore(':memory:', { threads: 1 });
    try {
      const [row] = await store.query("SELECT current_setting('threads') AS threads");
      expect(Number(row!.threads)).toBe(1);
    } finally {
      store.close();
    }
  });

  it('reports the bytes DuckDB buffers: table data it has read stays cached, within the limit', async () => {
    const store = await openStore(':memory:', { memoryLimit: '64MB' });
    try {
      const before = await store.memoryUsage();
      // 2 M doubles = 16 MB of column data, held in the buffer manager.
      await store.run('CREATE TABLE big AS SELECT range::DOUBLE AS x FROM range(2000000)');
      const after = await store.memoryUsage();
      expect(after.bufferBytes - before.bufferBytes).toBeGreaterThan(15e6);
      expect(after.bufferBytes).toBeLessThan(64e6);
      expect(after.temporaryBytes).toBe(0);
    } finally {
      store.close();
    }
  });

  it('rejects a limit that is not a size, through the CLI, with a hint', async () => {
    const { vheat, tempDb } = await import('../helpers/cli.js');
    const r = await vheat('--db', tempDb(), '--memory-limit', 'lots', 'info');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('memory limit "lots" is not a size');
    expect(r.stderr).toContain('256MB');
  });
});
