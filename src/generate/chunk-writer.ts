import { open, type FileHandle } from 'node:fs/promises';

/** Default chunk size: text is written to disk in pieces of about this many bytes. */
export const defaultChunkBytes = 1 << 20;

/**
 * A buffered file writer with backpressure for the generator's hot loops: `push` only appends
 * to memory; the loop calls `settle()` once per step and awaits it when it returns a promise
 * (a full chunk is being written), so memory stays bounded by one chunk per file whatever the
 * recording length.
 */
export class ChunkWriter {
  private parts: (string | Uint8Array)[] = [];
  private pending = 0;
  /** Bytes handed to the file so far (after `close`, the file size). */
  written = 0;
  /** Called with each pushed byte chunk once it is on disk, so its memory can be reused. */
  onWritten: ((chunk: Uint8Array) => void) | undefined;

  private constructor(private readonly handle: FileHandle, readonly path: string, private readonly chunkBytes: number) {}

  /** Creates (truncates) `path`. */
  static async create(path: string, chunkBytes = defaultChunkBytes): Promise<ChunkWriter> {
    return new ChunkWriter(await open(path, 'w'), path, chunkBytes);
  }

  /** Appends ASCII/UTF-8 text. */
  push(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
  }

  /** Appends raw bytes; the writer owns them from now on (they must not be changed). */
  pushBytes(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.pending += bytes.length;
  }

  /** Writes the buffer if a chunk has filled up; undefined when there is nothing to wait for. */
  settle(): Promise<void> | undefined {
    return this.pending >= this.chunkBytes ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.pending = 0;
    const only = parts.length === 1 ? parts[0]! : undefined;
    const buffer = only instanceof Uint8Array ? only
      : parts.every((p) => typeof p === 'string') ? Buffer.from((parts as string[]).join(''), 'utf8')
        : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    let off = 0;
    while (off < buffer.length) off += (await this.handle.write(buffer, off)).bytesWritten;
    this.written += buffer.length;
    if (this.onWritten) for (const p of parts) if (typeof p !== 'string') this.onWritten(p);
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}
