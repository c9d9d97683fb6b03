import { createReadStream } from 'node:fs';

/** Splits text into lines, accepting `\n` and `\r\n` and a missing final newline. */
export function* splitLines(text: string): Generator<string> {
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    yield text.slice(start, stop);
    start = end + 1;
  }
}

/** Called with each line (no terminator) and its 1-based number. */
export type LineHandler = (line: string, lineNo: number) => void;

/**
 * Streams a file and calls `onLine` for every line, decoding UTF-8 with replacement (comm names
 * may hold any byte). `onProgress` gets the bytes read so far. Memory is bounded by the longest
 * line plus one read buffer.
 */
export async function readLines(path: string, onLine: LineHandler,
  onProgress?: (bytesRead: number) => void): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let lineNo = 0;
  let bytesRead = 0;
  const emit = (text: string, final: boolean): void => {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      onLine(text.slice(start, stop), ++lineNo);
      start = end + 1;
    }
    carry = text.slice(start);
    if (final && carry.length > 0) {
      onLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry, ++lineNo);
      carry = '';
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    emit(carry + decoder.decode(chunk, { stream: true }), false);
    onProgress?.(bytesRead);
  }
  emit(carry + decoder.decode(), true);
  return lineNo;
}

/** Streams a file's bytes to `onChunk`. */
export async function readBytes(path: string, onChunk: (chunk: Uint8Array) => void,
  onProgress?: (bytesRead: number) => void): Promise<void> {
  let bytesRead = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    onChunk(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    onProgress?.(bytesRead);
  }
}
