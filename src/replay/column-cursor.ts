import type { ColumnChunk } from '../store/columns.js';

/** Chunks a cursor asks for ahead of the one being read (≤ 2,048 rows each). */
const readAhead = 8;

/**
 * Reads a stream of column chunks row by row without building row objects: `ready()` awaits
 * the next chunk only when the current one is used up, and `num(c)` gives the current chunk's
 * numeric column `c` (index with `row`). It keeps `readAhead` chunks requested ahead, so DuckDB
 * computes them on its own threads while the replay works through this one, including the
 * sort of a windowed read's next window (memory stays bounded by those few chunks). A request
 * moves on only when the event loop turns, so a reader that computes synchronously should
 * yield to it now and then (`DemandFeed` does, once per block).
 */
export class ColumnCursor {
  row = 0;
  #chunk: ColumnChunk | null = null;
  readonly #ahead: Promise<IteratorResult<ColumnChunk>>[] = [];
  #done = false;

  constructor(private readonly chunks: AsyncIterator<ColumnChunk>) {}

  /** True when a row is available at `row`; false once the stream is exhausted. */
  async ready(): Promise<boolean> {
    while (!this.#done && (this.#chunk === null || this.row >= this.#chunk.rowCount)) {
      const next = await (this.#ahead.shift() ?? this.chunks.next());
      if (next.done) {
        this.#done = true;
        this.#chunk = null;
      } else {
        this.#chunk = next.value;
        this.row = 0;
        // An async generator answers requests in order; one past the end just answers done.
        while (this.#ahead.length < readAhead) {
          const request = this.chunks.next();
          // A failure is reported when its chunk is awaited, not as an unhandled rejection meanwhile.
          request.catch(() => {});
          this.#ahead.push(request);
        }
      }
    }
    return !this.#done;
  }

  /** True when the current chunk still has a row (no await needed). */
  get hasRow(): boolean {
    return this.#chunk !== null && this.row < this.#chunk.rowCount;
  }

  /** Rows of the current chunk (0 when there is none): loop `row` up to it over columns fetched once per chunk. */
  get rows(): number {
    return this.#chunk?.rowCount ?? 0;
  }

  /** Numeric column `name` of the current chunk (NULL read as NaN). */
  num(name: string): Float64Array {
    const c = this.#chunk?.columns[name];
    if (!(c instanceof Float64Array)) throw new Error(`column ${name} is not numeric or missing`);
    return c;
  }

  /** Text column `name` of the current chunk. */
  text(name: string): (string | null)[] {
    const c = this.#chunk?.columns[name];
    if (!Array.isArray(c)) throw new Error(`column ${name} is not text or missing`);
    return c;
  }

  /** Stops the underlying stream early (releases the query). */
  async close(): Promise<void> {
    this.#done = true;
    // An async generator runs one request at a time: let the reads ahead settle before ending it.
    await Promise.all(this.#ahead.splice(0).map((r) => r.catch(() => undefined)));
    await this.chunks.return?.(undefined);
  }
}
