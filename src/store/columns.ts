import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { messages } from '../messages.js';
import type { Store } from './store.js';

/** One chunk of a query result as columns: numbers as Float64Array (NULL → NaN), others as arrays. */
export interface ColumnChunk {
  rowCount: number;
  columns: Record<string, Float64Array | (string | null)[]>;
}

function isNumericType(typeName: string): boolean {
  return /^(DOUBLE|FLOAT|INTEGER|BIGINT|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|HUGEINT|DECIMAL)/.test(typeName);
}

/**
 * Streams a query's result chunk by chunk (≤ 2,048 rows each) as columns, so callers loop over
 * typed arrays instead of row objects and memory stays bounded by one chunk. With `ownConnection`
 * the query runs on a connection of its own (closed when the stream ends), so several streams can
 * be read in step; otherwise any later query on the store ends this stream.
 */
export function streamColumns(store: Store, sql: string, params: readonly DuckDBValue[] = [],
  options: { ownConnection?: boolean } = {}): AsyncGenerator<ColumnChunk> {
  return streamQueries(store, async function* () { yield { sql, params }; }, options);
}

/** One query and its bound values. */
export interface BoundQuery {
  sql: string;
  params: readonly DuckDBValue[];
}

/**
 * Streams several queries' results one after another as one stream of column chunks (as
 * `streamColumns`), on one connection. `queries` gets that connection and is read lazily, one
 * query at a time, so it may run small queries of its own on it between two (with `readAll`),
 * and each query's result is held by DuckDB only while it is being read. A chunk it yields
 * instead of a query (rows it computed) is passed on as it is.
 */
export async function* streamQueries(store: Store, queries: (on: QueryRunner) => AsyncIterable<BoundQuery | ColumnChunk>,
  options: { ownConnection?: boolean } = {}): AsyncGenerator<ColumnChunk> {
  const connection = options.ownConnection ? await store.connect() : store.connection;
  try {
    for await (const q of queries(new QueryRunner(connection))) {
      if ('rowCount' in q) yield q;
      else yield* streamOn(connection, q.sql, q.params);
    }
  } finally {
    if (options.ownConnection) connection.closeSync();
  }
}

/** Runs small queries on a stream's connection between its streamed queries. */
export class QueryRunner {
  constructor(readonly connection: DuckDBConnection) {}

  /** Every chunk of `sql`'s result, in order (for results small enough to hold, e.g. aggregates). */
  async readAll(sql: string, params: readonly DuckDBValue[] = []): Promise<ColumnChunk[]> {
    const chunks: ColumnChunk[] = [];
    for await (const chunk of streamOn(this.connection, sql, params)) chunks.push(chunk);
    return chunks;
  }
}

async function* streamOn(connection: DuckDBConnection, sql: string, params: readonly DuckDBValue[]): AsyncGenerator<ColumnChunk> {
  let result;
  try {
    result = await connection.stream(sql, params as DuckDBValue[]);
  } catch (e) {
    throw new StoreError('store.query', messages.storeQueryFailed((e as Error).message), { cause: e, context: { sql } });
  }
  const names = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const columns: ColumnChunk['columns'] = {};
    for (let c = 0; c < names.length; c++) {
      const values = chunk.getColumnValues(c);
      if (isNumericType(types[c]!)) {
        const out = new Float64Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          out[i] = v === null ? NaN : Number(v as number | bigint);
        }
        columns[names[c]!] = out;
      } else {
        columns[names[c]!] = values.map((v) => (v === null ? null : String(v)));
      }
    }
    yield { rowCount: chunk.rowCount, columns };
  }
}
