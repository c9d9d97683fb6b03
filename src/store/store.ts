import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBAppender, type DuckDBValue } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { messages } from '../messages.js';
import { migrations, schemaVersion } from './schema.js';

/** Default store location for the CLI. */
export const defaultStorePath = 'out/vheat.duckdb';

/** A plain JS row: BIGINT becomes number (ids and counts fit in 2^53), timestamps ISO strings. */
export type Row = Record<string, number | string | boolean | null>;

function toPlain(value: unknown): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** A size DuckDB's `memory_limit` accepts: a number and a unit (checked here, as DuckDB only says "Failed to set config"). */
const memoryLimitPattern = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * The DuckDB trace store. All SQL of vheat lives in `src/store/`; values are always bound as
 * parameters. Open with `openStore(path)` (`:memory:` for tests); the schema is migrated
 * forward on open.
 */
/** How to open a store (see `Store.open`). */
export interface StoreOptions {
  readOnly?: boolean;
  memoryLimit?: string;
  threads?: number;
}

export class Store {
  readonly path: string;
  /** DuckDB's `memory_limit` the store was opened with (e.g. '256MB'); undefined = DuckDB's default. */
  readonly memoryLimit: string | undefined;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  #inTransaction = false;

  private constructor(path: string, instance: DuckDBInstance, connection: DuckDBConnection, memoryLimit: string | undefined) {
    this.path = path;
    this.memoryLimit = memoryLimit;
    this.#instance = instance;
    this.#connection = connection;
  }

  /**
   * Opens (creating if needed) the store at `path` and applies pending migrations. With
   * `readOnly` the file must exist and is neither migrated nor locked against other readers
   * (replay's worker threads read the store this way while the main thread holds it).
   * `memoryLimit` (DuckDB's `memory_limit`, e.g. '64MB'; default 80 % of RAM) also caps DuckDB's
   * cache of the blocks it has read, which otherwise grows with the data a long replay streams.
   * `threads` caps DuckDB's worker threads (default: one per core); replay's sweep workers leave
   * each engine thread a core of its own this way.
   */
  static async open(path: string = defaultStorePath,
    options: StoreOptions = {}): Promise<Store> {
    if (options.memoryLimit !== undefined && !memoryLimitPattern.test(options.memoryLimit)) {
      throw new StoreError('store.badMemoryLimit', messages.storeBadMemoryLimit(options.memoryLimit), { hint: messages.hintMemoryLimit() });
    }
    let instance: DuckDBInstance;
    try {
      if (path !== ':memory:' && !options.readOnly) mkdirSync(dirname(path), { recursive: true });
      instance = await DuckDBInstance.create(path, {
        ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
        ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
        ...(options.threads ? { threads: String(options.threads) } : {}),
      });
    } catch (e) {
      throw new StoreError('store.open', messages.storeOpenFailed(path, (e as Error).message), {
        cause: e,
        hint: 'is another vheat process using this store? Use --db to choose another file',
      });
    }
    const store = new Store(path, instance, await instance.connect(), options.memoryLimit);
    if (!options.readOnly) await store.#migrate();
    return store;
  }

  /** Runs one statement with bound parameters and returns its rows as plain objects. */
  async query(sql: string, params: readonly DuckDBValue[] = []): Promise<Row[]> {
    try {
      const reader = await this.#connection.runAndReadAll(sql, params as DuckDBValue[]);
      return reader.getRowObjectsJS().map((r) => {
        const out: Row = {};
        for (const k in r) out[k] = toPlain(r[k]);
        return out;
      });
    } catch (e) {
      throw this.#queryError(e, sql);
    }
  }

  /**
   * What DuckDB holds in memory now, bytes: its buffer manager's blocks (the table data it has
   * read and caches, bounded by `memoryLimit`) and what it spilled to temporary files.
   */
  async memoryUsage(): Promise<{ bufferBytes: number; temporaryBytes: number }> {
    const [row] = await this.query(
      'SELECT sum(memory_usage_bytes) AS buffer, sum(temporary_storage_bytes) AS temporary FROM duckdb_memory()');
    return { bufferBytes: Number(row?.buffer ?? 0), temporaryBytes: Number(row?.temporary ?? 0) };
  }

  /** Runs one statement for its effect. */
  async run(sql: string, params: readonly DuckDBValue[] = []): Promise<void> {
    try {
      await this.#connection.run(sql, params as DuckDBValue[]);
    } catch (e) {
      throw this.#queryError(e, sql);
    }
  }

  /**
   * Runs `fn` inside one transaction: everything it wrote is committed together, or, when it
   * throws, rolled back so the store is exactly as it was.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#inTransaction) return fn();
    await this.run('BEGIN TRANSACTION');
    this.#inTransaction = true;
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.#inTransaction = false;
    }
  }

  /** An appender on `table`, for columnar bulk loads (see `StoreSink`). */
  async appender(table: string): Promise<DuckDBAppender> {
    try {
      return await this.#connection.createAppender(table);
    } catch (e) {
      throw this.#queryError(e, `APPENDER ${table}`);
    }
  }

  /** The underlying connection, for columnar reads (`stream` + `fetchChunk`) inside src/store. */
  get connection(): DuckDBConnection {
    return this.#connection;
  }

  /**
   * A further connection to the same database, for reads that must stream side by side (a
   * connection holds one open streaming result: starting a second silently ends the first).
   * The caller closes it.
   */
  async connect(): Promise<DuckDBConnection> {
    return this.#instance.connect();
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }

  async #migrate(): Promise<void> {
    await this.run(`CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)`);
    const rows = await this.query('SELECT coalesce(max(version), 0) AS v FROM schema_version');
    const current = Number(rows[0]?.v ?? 0);
    if (current > schemaVersion) {
      throw new StoreError('store.newer', messages.storeNewer(current, schemaVersion), {
        hint: 'upgrade vheat, or open another store with --db',
      });
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await this.transaction(async () => {
        for (const statement of m.statements) await this.run(statement);
        await this.run('INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)', [m.version, m.description]);
      });
    }
  }

  #queryError(e: unknown, sql: string): StoreError {
    return new StoreError('store.query', messages.storeQueryFailed((e as Error).message), {
      cause: e,
      context: { sql },
    });
  }
}

/** Opens a store; see `Store.open`. */
export function openStore(path?: string, options?: StoreOptions): Promise<Store> {
  return Store.open(path, options);
}
