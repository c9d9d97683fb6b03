import { TraceParseError } from '../../src/errors.js';
import type { FormatSpec } from '../../src/ingest/types.js';

/** The `TraceParseError` that `fn` throws; anything else (or nothing) fails the test. */
export function errorOf(fn: () => unknown): TraceParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TraceParseError) return e;
    throw e;
  }
  throw new Error('expected a TraceParseError');
}

/** `spec.sniff` on an in-memory head, built the way the driver builds it. */
export function sniffText(spec: FormatSpec, text: string): number {
  const lines = text.split('\n').filter((l) => l.trim() !== '').slice(0, 64);
  return spec.sniff({ fileName: 'x', head: new TextEncoder().encode(text), lines });
}
