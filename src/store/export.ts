import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { traceTableNames, type TraceTable } from './schema.js';
import type { Store } from './store.js';

export type ExportFormat = 'parquet' | 'arrow' | 'csv';

export interface ExportResult {
  format: ExportFormat;
  dir: string;
  /** `path` is null for a table with no rows (nothing is written for it). */
  tables: { table: TraceTable | 'traces'; path: string | null; rows: number }[];
}

/**
 * DuckDB's COPY takes its target as a literal, not a parameter, so the path is quoted here
 * (single quotes doubled) — the one place vheat writes a value into SQL text.
 */
function sqlPath(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}

/**
 * Writes every table under `dir`. Parquet is partitioned Hive-style by host and trace
 * (`samples/host=…/trace_id=…/data_0.parquet`), readable by DuckDB, Polars and Spark without
 * vheat; CSV writes one file per table. Arrow IPC is written by `exportArrow` (see there).
 */
export async function exportTables(store: Store, format: Exclude<ExportFormat, 'arrow'>, dir: string): Promise<ExportResult> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const tables: ExportResult['tables'] = [];
  const traces = join(out, format === 'parquet' ? 'traces.parquet' : 'traces.csv');
  const options = format === 'parquet' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
  await store.run(`COPY traces TO ${sqlPath(traces)} (${options})`);
  tables.push({ table: 'traces', path: traces, rows: Number((await store.query('SELECT count(*) AS n FROM traces'))[0]!.n) });
  for (const table of traceTableNames) {
    const n = Number((await store.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
    // host NULL would become the partition "host=NULL"; name it instead so paths stay readable
    const select = `SELECT d.*, coalesce(t.host, 'unknown') AS host FROM ${table} d JOIN traces t USING (trace_id)`;
    if (n === 0) {
      // COPY writes no partition for an empty table; an empty folder would only confuse readers
      tables.push({ table, path: null, rows: 0 });
    } else if (format === 'parquet') {
      const path = join(out, table);
      await store.run(`COPY (${select}) TO ${sqlPath(path)} (FORMAT parquet, PARTITION_BY (host, trace_id), OVERWRITE_OR_IGNORE true)`);
      tables.push({ table, path, rows: n });
    } else {
      const path = join(out, `${table}.csv`);
      await store.run(`COPY (${select} ORDER BY trace_id) TO ${sqlPath(path)} (FORMAT csv, HEADER true)`);
      tables.push({ table, path, rows: n });
    }
  }
  return { format, dir: out, tables };
}
