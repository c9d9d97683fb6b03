import type { ColumnChunk } from '../store/columns.js';

/**
 * Reads a stream of column chunks row by row without building row objects: `ready()` awaits
 * the next chunk only when the current one is used up, and `num(c)` gives the current chunk's
 * numeric column `c` (index with `row`).
 */
export class ColumnCursor {
  row = 0;
  #chunk: ColumnChunk | null = null;
  #done = false;

  constructor(private readonly chunks: AsyncIterator<ColumnChunk>) {}

  /** True when a row is available at `row`; false once the stream is exhausted. */
  async ready(): Promise<boolean> {
    while (!this.#done && (this.#chunk === null || this.row >= this.#chunk.rowCount)) {
      const next = await this.chunks.next();
      if (next.done) {
        this.#done = true;
        this.#chunk = null;
      } else {
        this.#chunk = next.value;
        this.row = 0;
      }
    }
    return !this.#done;
  }

  /** True when the current chunk still has a row (no await needed). */
  get hasRow(): boolean {
    return this.#chunk !== null && this.row < this.#chunk.rowCount;
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
    await this.chunks.return?.(undefined);
  }
}
