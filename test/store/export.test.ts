import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { ingest } from '../../src/ingest/ingest.js';
import { exportArrow } from '../../src/store/export-arrow.js';
import { exportTables } from '../../src/store/export.js';
import { openStore } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';

const bundle = fixturePath('..', '..', 'traces', 'kvm-nested-burn5');

describe('export', () => {
  it('writes Hive-partitioned Parquet that plain DuckDB reads back row for row', async () => {
    const store = await openStore(':memory:');
    await ingest(store, [bundle]);
    const out = mkdtempSync(join(tmpdir(), 'vheat-export-'));
    const result = await exportTables(store, 'parquet', out);
    expect(readdirSync(join(out, 'samples'))).toEqual(['host=kvm-spike']);
    const reader = await openStore(':memory:');
    for (const t of result.tables.filter((t) => t.table !== 'traces' && t.rows > 0)) {
      const [back] = await reader.query(
        "SELECT count(*) AS n, count(DISTINCT host) AS hosts FROM read_parquet(? || '/**/*.parquet', hive_partitioning = true)", [t.path]);
      expect(back).toEqual({ n: t.rows, hosts: t.rows ? 1 : 0 });
    }
    const [sums] = await reader.query(
      "SELECT sum(value) AS v FROM read_parquet(? || '/**/*.parquet', hive_partitioning = true) WHERE event = 'task-clock'",
      [join(out, 'samples')]);
    const [original] = await store.query("SELECT sum(value) AS v FROM samples WHERE event = 'task-clock'");
    expect(sums!.v).toBeCloseTo(Number(original!.v), 6);
    store.close();
    reader.close();
  });

  it('writes CSV and Arrow IPC files with every row', async () => {
    const store = await openStore(':memory:');
    await ingest(store, [bundle]);
    const csvDir = mkdtempSync(join(tmpdir(), 'vheat-export-'));
    const csv = await exportTables(store, 'csv', csvDir);
    const residency = csv.tables.find((t) => t.table === 'residency')!;
    expect(readFileSync(residency.path!, 'utf8').trim().split('\n')).toHaveLength(residency.rows + 1);
    const arrowDir = mkdtempSync(join(tmpdir(), 'vheat-export-'));
    const arrow = await exportArrow(store, arrowDir);
    for (const t of arrow.tables.filter((x) => x.rows > 0)) {
      const table = tableFromIPC(readFileSync(t.path!));
      expect(table.numRows).toBe(t.rows);
    }
    const samples = tableFromIPC(readFileSync(join(arrowDir, 'samples.arrow')));
    expect(samples.schema.fields.map((f) => f.name)).toEqual(
      ['trace_id', 't0', 't1', 'scope', 'entity', 'cpu', 'event', 'value', 'enabled', 'derivation']);
    store.close();
  });
});
