import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { EnergyDomain, SampleScope, TempScope, TraceFacts, TraceSink } from '../ingest/types.js';
import type { TraceTable } from './schema.js';
import { createStaging, moveStagedSamples, seriesTable, stagingTable } from './staging.js';
import type { Store } from './store.js';

/** DuckDB's vector size: one data chunk holds at most this many rows. */
const chunkRows = 2048;

/**
 * Samples are the bulk of every trace and repeat a few (scope, entity, cpu, event) series many
 * times, so they are staged as numbers only (t0, t1, series id, value, enabled) and joined with
 * the series dictionary in one INSERT at the end: appending strings row by row costs about three
 * times as much (bench/ingest).
 */
const stagingTypes: readonly DuckDBType[] = [DOUBLE, DOUBLE, INTEGER, DOUBLE, DOUBLE];

const columnTypes: Record<Exclude<TraceTable, 'samples'>, readonly DuckDBType[]> = {
  energy: [INTEGER, DOUBLE, DOUBLE, INTEGER, VARCHAR, DOUBLE],
  temps: [INTEGER, DOUBLE, VARCHAR, VARCHAR, DOUBLE],
  residency: [INTEGER, VARCHAR, INTEGER, INTEGER, DOUBLE, DOUBLE],
  io: [INTEGER, VARCHAR, DOUBLE, DOUBLE, VARCHAR, DOUBLE, DOUBLE],
};

/** Column buffers of one table, flushed to its appender one data chunk at a time. */
class TableBuffer {
  readonly columns: DuckDBValue[][];
  length = 0;
  total = 0;
  readonly #chunk: DuckDBDataChunk;

  constructor(readonly appender: DuckDBAppender, types: readonly DuckDBType[]) {
    this.columns = types.map(() => new Array<DuckDBValue>(chunkRows));
    this.#chunk = DuckDBDataChunk.create(types as DuckDBType[], chunkRows);
  }

  /** Call after writing row `length` into every column. */
  commitRow(): void {
    if (++this.length === chunkRows) this.flush();
  }

  flush(): void {
    if (this.length === 0) return;
    const n = this.length;
    this.#chunk.rowCount = n;
    this.#chunk.setColumns(n === chunkRows ? this.columns : this.columns.map((c) => c.slice(0, n)));
    this.appender.appendDataChunk(this.#chunk);
    this.total += n;
    this.length = 0;
  }
}

/** Finite numbers pass; NaN and ±Infinity are stored as NULL (DuckDB DOUBLE has no missing marker). */
function finiteOrNull(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : x;
}

/**
 * The columnar sink behind `ingest`: rows go into per-table column buffers and reach DuckDB
 * through appenders in 2,048-row data chunks, so memory stays flat whatever the file size.
 * Everything happens inside the caller's transaction.
 */
export class StoreSink implements TraceSink {
  readonly facts: Partial<TraceFacts> & { details: Record<string, unknown> } = { details: {} };
  skippedLines = 0;
  /** Distinct warning text → how often and the first line it was seen on. */
  readonly warnings = new Map<string, { count: number; line: number | undefined }>();
  readonly #store: Store;
  readonly #tables: Record<Exclude<TraceTable, 'samples'>, TableBuffer>;
  readonly #staging: TableBuffer;
  /** Series key → id; the ids index `#series`. */
  readonly #seriesIds = new Map<string, number>();
  readonly #series: [SampleScope, string, number | null, string][] = [];

  private constructor(store: Store, readonly traceId: number,
    tables: Record<Exclude<TraceTable, 'samples'>, TableBuffer>, staging: TableBuffer) {
    this.#store = store;
    this.#tables = tables;
    this.#staging = staging;
  }

  /** A sink for trace `traceId`; call inside the ingest transaction. */
  static async create(store: Store, traceId: number): Promise<StoreSink> {
    const tables = {} as Record<Exclude<TraceTable, 'samples'>, TableBuffer>;
    for (const name of Object.keys(columnTypes) as Exclude<TraceTable, 'samples'>[]) {
      tables[name] = new TableBuffer(await store.appender(name), columnTypes[name]);
    }
    await createStaging(store);
    return new StoreSink(store, traceId, tables, new TableBuffer(await store.appender(stagingTable), stagingTypes));
  }

  sample(t0: number, t1: number, scope: SampleScope, entity: string, cpu: number | null,
    event: string, value: number | null, enabled: number | null): void {
    const key = `${scope}\u0001${entity}\u0001${cpu}\u0001${event}`;
    let series = this.#seriesIds.get(key);
    if (series === undefined) {
      series = this.#series.length;
      this.#series.push([scope, entity, cpu, event]);
      this.#seriesIds.set(key, series);
    }
    const b = this.#staging;
    const c = b.columns;
    const i = b.length;
    c[0]![i] = t0; c[1]![i] = t1; c[2]![i] = series; c[3]![i] = finiteOrNull(value); c[4]![i] = finiteOrNull(enabled);
    b.commitRow();
  }

  energy(t0: number, t1: number, socket: number | null, domain: EnergyDomain, joules: number): void {
    const b = this.#tables.energy;
    const c = b.columns;
    const i = b.length;
    c[0]![i] = this.traceId; c[1]![i] = t0; c[2]![i] = t1; c[3]![i] = socket; c[4]![i] = domain; c[5]![i] = joules;
    b.commitRow();
  }

  temp(t: number, scope: TempScope, entity: string, celsius: number): void {
    const b = this.#tables.temps;
    const c = b.columns;
    const i = b.length;
    c[0]![i] = this.traceId; c[1]![i] = t; c[2]![i] = scope; c[3]![i] = entity; c[4]![i] = celsius;
    b.commitRow();
  }

  residency(vm: string, vcpu: number, pcpu: number, t0: number, t1: number): void {
    const b = this.#tables.residency;
    const c = b.columns;
    const i = b.length;
    c[0]![i] = this.traceId; c[1]![i] = vm; c[2]![i] = vcpu; c[3]![i] = pcpu; c[4]![i] = t0; c[5]![i] = t1;
    b.commitRow();
  }

  io(vm: string, t0: number, t1: number, kind: string, ops: number | null, bytes: number | null): void {
    const b = this.#tables.io;
    const c = b.columns;
    const i = b.length;
    c[0]![i] = this.traceId; c[1]![i] = vm; c[2]![i] = t0; c[3]![i] = t1; c[4]![i] = kind;
    c[5]![i] = finiteOrNull(ops); c[6]![i] = finiteOrNull(bytes);
    b.commitRow();
  }

  meta(facts: Partial<TraceFacts>): void {
    const { details, ...rest } = facts;
    Object.assign(this.facts, rest);
    if (details) Object.assign(this.facts.details, details);
  }

  warn(message: string, line?: number): void {
    const seen = this.warnings.get(message);
    if (seen) seen.count++;
    else this.warnings.set(message, { count: 1, line });
  }

  skip(): void {
    this.skippedLines++;
  }

  /** Flushes every buffer, closes the appenders, moves staged samples in; returns rows per table. */
  async finish(): Promise<Record<TraceTable, number>> {
    const rows = { samples: 0 } as Record<TraceTable, number>;
    for (const [name, b] of Object.entries(this.#tables) as [TraceTable, TableBuffer][]) {
      b.flush();
      b.appender.flushSync();
      b.appender.closeSync();
      rows[name] = b.total;
    }
    const staging = this.#staging;
    staging.flush();
    staging.appender.flushSync();
    staging.appender.closeSync();
    const series = await this.#store.appender(seriesTable);
    this.#series.forEach(([scope, entity, cpu, event], id) => {
      series.appendInteger(id);
      series.appendVarchar(scope);
      series.appendVarchar(entity);
      if (cpu === null) series.appendNull();
      else series.appendInteger(cpu);
      series.appendVarchar(event);
      series.endRow();
    });
    series.closeSync();
    await moveStagedSamples(this.#store, this.traceId);
    rows.samples = staging.total;
    return rows;
  }

  /** Closes the appenders without flushing (the transaction is about to roll back). */
  abandon(): void {
    for (const b of [...Object.values(this.#tables), this.#staging]) {
      try {
        b.appender.closeSync();
      } catch {
        // closing flushes what the appender holds; on a failed ingest that may fail too, harmlessly
      }
    }
  }
}
