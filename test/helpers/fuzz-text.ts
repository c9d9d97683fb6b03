import fc from 'fast-check';
import { expect } from 'vitest';
import { VheatError } from '../../src/errors.js';
import { parseString } from '../../src/ingest/parse-string.js';
import type { FormatSpec, ParseOptions } from '../../src/ingest/types.js';

/** Parses `text`; the only acceptable outcomes are a sink or a `VheatError`. */
function parsesOrFailsCleanly(spec: FormatSpec, text: string, options: ParseOptions): void {
  try {
    parseString(spec, text, options);
  } catch (e) {
    expect(e).toBeInstanceOf(VheatError);
  }
}

/**
 * fast-check properties over a text fixture: truncation at any byte, byte flips, and
 * shuffled/duplicated lines. Each mutated input must parse or throw a `VheatError`, nothing else.
 */
export function fuzzTextFixture(spec: FormatSpec, text: string, options: ParseOptions = {}, numRuns = 200): void {
  const bytes = new TextEncoder().encode(text);
  const decode = (b: Uint8Array): string => new TextDecoder('utf-8').decode(b);
  fc.assert(fc.property(fc.nat(bytes.length), (cut) => {
    parsesOrFailsCleanly(spec, decode(bytes.subarray(0, cut)), options);
  }), { numRuns });
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(Math.max(0, bytes.length - 1)), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    (flips) => {
      const copy = bytes.slice();
      for (const [at, value] of flips) copy[at] = value;
      parsesOrFailsCleanly(spec, decode(copy), options);
    }), { numRuns });
  const lines = text.split('\n');
  fc.assert(fc.property(fc.array(fc.nat(Math.max(0, lines.length - 1)), { maxLength: lines.length * 2 }), (picks) => {
    parsesOrFailsCleanly(spec, picks.map((i) => lines[i]).join('\n'), options);
  }), { numRuns });
}
