import { MemorySink } from './memory-sink.js';
import { splitLines } from './lines.js';
import type { FormatSpec, ParseOptions } from './types.js';

/**
 * Parses a whole in-memory file with one format into a `MemorySink`. The streaming driver does
 * the same line by line; this is the convenient form for tests and notebooks.
 */
export function parseString(spec: FormatSpec, content: string | Uint8Array,
  options: ParseOptions = {}, file = `<${spec.name}>`): MemorySink {
  const sink = new MemorySink();
  const parser = spec.create({ file, sink, options });
  if ('line' in parser) {
    const text = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
    let lineNo = 0;
    for (const line of splitLines(text)) parser.line(line, ++lineNo);
  } else {
    parser.bytes(typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }
  parser.end();
  return sink;
}
