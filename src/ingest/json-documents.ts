import { TraceParseError, excerpt } from '../errors.js';
import { messages } from '../messages.js';

/**
 * Splits a stream of lines into top-level JSON values (objects or arrays) by tracking bracket
 * depth outside strings. A file of concatenated documents (pretty-printed one after another,
 * JSON lines, or `}{` back to back as a socket dump) is thus parsed one document at a time, and
 * memory is bounded by the largest document, not the file.
 */
export class JsonDocumentSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private startLine = 0;

  /**
   * `onDocument` gets each complete value's text and the line it began on; `onOutside` gets
   * text between documents that does not start one (time stamps, log lines), from its first
   * non-blank character to the end of the line.
   */
  constructor(
    private readonly onDocument: (text: string, startLine: number) => void,
    private readonly onOutside: (text: string, lineNo: number) => void,
  ) {}

  /** Feeds one line (without its terminator); completed documents are handed on at once. */
  line(text: string, lineNo: number): void {
    const n = text.length;
    let segment = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.depth === 0) {
        // between documents: blanks (and a BOM) are skipped, `{`/`[` opens the next document
        if (c === 32 || c === 9 || c === 13 || c === 0xfeff) continue;
        if (c !== 123 && c !== 91) {
          this.onOutside(text.slice(i), lineNo);
          return;
        }
        segment = i;
        this.startLine = lineNo;
        this.depth = 1;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
      } else if (c === 34) {
        this.inString = true;
      } else if (c === 123 || c === 91) {
        this.depth++;
      } else if ((c === 125 || c === 93) && --this.depth === 0) {
        this.parts.push(text.slice(segment, i + 1));
        const doc = this.parts.join('\n');
        this.parts = [];
        this.onDocument(doc, this.startLine);
      }
    }
    if (this.depth > 0) this.parts.push(text.slice(segment));
  }

  /** Line where an unfinished document began, or undefined when none is open. */
  get openSince(): number | undefined {
    return this.depth > 0 ? this.startLine : undefined;
  }
}

/** A JSON value as `JSON.parse` returns it, for narrowing. */
export type JsonObject = { [key: string]: unknown };

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `JSON.parse` that reports bad JSON as a located `TraceParseError` (`<format>.badJson`). */
export function parseJsonDocument(text: string, format: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TraceParseError(`${format}.badJson`, messages.badJson((e as Error).message), {
      context: { file, line, expected: 'a JSON document', found: excerpt(text.slice(0, 200)) },
    });
  }
}
