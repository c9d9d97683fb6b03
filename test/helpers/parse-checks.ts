import { TraceParseError } from '../../src/errors.js';
import type { FormatSpec } from '../../src/ingest/types.js';

/** The error of class `Class` that `fn` throws; another error (or none) fails the test. */
export function thrownBy<E extends Error>(Class: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof Class) return e;
    throw e;
  }
  throw new Error(`expected a ${Class.name}`);
}

/** The `TraceParseError` that `fn` throws; anything else (or nothing) fails the test. */
export function errorOf(fn: () => unknown): TraceParseError {
  return thrownBy(TraceParseError, fn);
}

/** `spec.sniff` on an in-memory head, built the way the driver builds it. */
export function sniffText(spec: FormatSpec, text: string): number {
  const lines = text.split('\n').filter((l) => l.trim() !== '').slice(0, 64);
  return spec.sniff({ fileName: 'x', head: new TextEncoder().encode(text), lines });
}
