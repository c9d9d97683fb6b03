import { PolicyError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import type { PolicyParams } from './types.js';

/**
 * The `--param key=value` settings of one run, shared by the engine and both policies. Every
 * read marks its key; `assertAllUsed` then rejects keys nobody read (a typo would otherwise be
 * silently ignored), with a "did you mean" among the keys that were read.
 */
export class ParamSet implements PolicyParams {
  readonly #values: ReadonlyMap<string, string>;
  readonly #read = new Set<string>();

  constructor(values: Readonly<Record<string, string>> = {}) {
    this.#values = new Map(Object.entries(values));
  }

  /** Parses `key=value` strings (the CLI's repeated `--param`); a later key wins. */
  static parse(pairs: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError('replay.badParam', messages.replayParamSyntax(pair), { hint: messages.hintParamSyntax() });
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    return out;
  }

  number(key: string, fallback: number): number {
    this.#read.add(key);
    const text = this.#values.get(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      throw new PolicyError('policy.badParam', messages.policyParamNotNumber(key, text));
    }
    return value;
  }

  string(key: string, fallback: string): string {
    this.#read.add(key);
    return this.#values.get(key) ?? fallback;
  }

  /** Keys read so far, sorted. */
  readKeys(): string[] {
    return [...this.#read].sort();
  }

  /** Throws `UsageError` naming the first key no one read. */
  assertAllUsed(): void {
    assertKnownParams(Object.fromEntries(this.#values), this.readKeys());
  }
}

/** Throws `UsageError`, with a "did you mean", for the first key of `given` not in `known`. */
export function assertKnownParams(given: Readonly<Record<string, string>>, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    throw new UsageError('replay.unknownParam', messages.replayUnknownParam(key, known), { hint: suggestSimilar(key, known) });
  }
}
