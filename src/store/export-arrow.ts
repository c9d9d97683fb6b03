import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type RecordBatch, RecordBatchFileWriter, Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { streamColumns } from './columns.js';
import type { ExportResult } from './export.js';
import { traceTableNames, type TraceTable } from './schema.js';
import type { Store } from './store.js';

async function* batches(store: Store, sql: string): AsyncGenerator<RecordBatch> {
  for await (const chunk of streamColumns(store, sql)) {
    // Plain Utf8 (not dictionary) strings: an IPC file cannot carry a new dictionary per batch.
    const vectors = Object.fromEntries(Object.entries(chunk.columns).map(([name, values]) => [name,
      values instanceof Float64Array ? makeVector(values) : vectorFromArray(values, new Utf8())]));
    yield* new Table(vectors).batches;
  }
}

/**
 * Writes every trace table as an Arrow IPC file (`<table>.arrow`), streamed chunk by chunk.
 * DuckDB's own Arrow export needs an extension download, so this goes through apache-arrow.
 * Numbers are Float64 (NULL → NaN); strings are Utf8.
 */
export async function exportArrow(store: Store, dir: string): Promise<ExportResult> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const tables: ExportResult['tables'] = [];
  for (const table of ['traces', ...traceTableNames] as (TraceTable | 'traces')[]) {
    const path = join(out, `${table}.arrow`);
    const sql = table === 'traces'
      ? `SELECT trace_id, name, bundle, host, hypervisor, source, content_hash, format,
           CAST(start_time AS VARCHAR) AS start_time, CAST(ingested_at AS VARCHAR) AS ingested_at,
           skipped_lines, CAST(meta AS VARCHAR) AS meta FROM traces ORDER BY trace_id`
      : `SELECT * FROM ${table} ORDER BY trace_id`;
    const writer = new RecordBatchFileWriter();
    const done = pipeline(writer.toNodeStream(), createWriteStream(path));
    let rows = 0;
    for await (const batch of batches(store, sql)) {
      writer.write(batch);
      rows += batch.numRows;
    }
    writer.close();
    await done;
    tables.push({ table, path, rows });
  }
  return { format: 'arrow', dir: out, tables };
}
