import { PolicyError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import type { PolicyParams } from './types.js';

/** A `--param` key split into its scope (a policy, `POLICY:key`; null when unscoped) and the key itself. */
export interface ParamKey {
  scope: string | null;
  key: string;
}

/**
 * Splits `POLICY:key` at its last colon (a policy path may hold colons, a key does not);
 * a key without a colon is unscoped.
 */
export function splitParamKey(text: string): ParamKey {
  const colon = text.lastIndexOf(':');
  return colon < 0 ? { scope: null, key: text } : { scope: text.slice(0, colon), key: text.slice(colon + 1) };
}

/** The lookups of one run's readers, shared by a set and its scoped views. */
interface Reads {
  /** Every key looked up, by any reader. */
  keys: Set<string>;
  /** `scope:key` for every key a scoped view looked up. */
  scoped: Set<string>;
}

/**
 * The `--param` settings of one run, shared by the engine and both policies. Keys are `key`
 * (every reader) or `POLICY:key` (only the reader with that scope: see `scoped`, which overrides
 * `key` with it). Every read marks its key; `assertAllUsed` then rejects keys nobody read (a
 * typo would otherwise be silently ignored), with a "did you mean" among the keys that were read.
 */
export class ParamSet implements PolicyParams {
  #values: ReadonlyMap<string, string>;
  #reads: Reads = { keys: new Set(), scoped: new Set() };
  #scope: string | null = null;

  constructor(values: Readonly<Record<string, string>> = {}) {
    this.#values = new Map(Object.entries(values));
  }

  /**
   * Parses `key=value` and `POLICY:key=value` strings (the CLI's repeated `--param`); a later
   * key wins. Scope and key are trimmed; an empty scope or key is a syntax error.
   */
  static parse(pairs: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const { scope, key } = splitParamKey(pair.slice(0, Math.max(0, eq)));
      if (eq <= 0 || key.trim() === '' || scope?.trim() === '') {
        throw new UsageError('replay.badParam', messages.replayParamSyntax(pair), { hint: messages.hintParamSyntax() });
      }
      out[scope === null ? key.trim() : `${scope.trim()}:${key.trim()}`] = pair.slice(eq + 1).trim();
    }
    return out;
  }

  /**
   * The parameters as the reader `scope` (a policy's name) sees them: `scope:key` overrides
   * `key`, other scopes are invisible. Its reads count for this set's `assertAllUsed`.
   */
  scoped(scope: string): ParamSet {
    const view = new ParamSet();
    view.#values = this.#values;
    view.#reads = this.#reads;
    view.#scope = scope;
    return view;
  }

  #get(key: string): string | undefined {
    this.#reads.keys.add(key);
    if (this.#scope !== null) {
      const own = `${this.#scope}:${key}`;
      this.#reads.scoped.add(own);
      const value = this.#values.get(own);
      if (value !== undefined) return value;
    }
    return this.#values.get(key);
  }

  number(key: string, fallback: number): number {
    const text = this.#get(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      throw new PolicyError('policy.badParam', messages.policyParamNotNumber(key, text));
    }
    return value;
  }

  string(key: string, fallback: string): string {
    return this.#get(key) ?? fallback;
  }

  /** Keys read so far, sorted: each key, and `scope:key` for the reads of a scoped view. */
  readKeys(): string[] {
    return [...this.#reads.keys, ...this.#reads.scoped].sort();
  }

  /** Throws `UsageError` naming the first key no one read. */
  assertAllUsed(): void {
    assertKnownParams(Object.fromEntries(this.#values), this.readKeys());
  }
}

/**
 * Throws `UsageError`, with a "did you mean", for the first key of `given` not in `read` (as
 * `readKeys` lists them). The keys it names as known are those of the key's scope: every key
 * read for an unscoped key, the keys that policy read for `POLICY:key`.
 */
export function assertKnownParams(given: Readonly<Record<string, string>>, read: readonly string[]): void {
  const readSet = new Set(read);
  for (const text of Object.keys(given)) {
    if (readSet.has(text)) continue;
    const { scope } = splitParamKey(text);
    const same = read.filter((k) => splitParamKey(k).scope === scope);
    throw new UsageError('replay.unknownParam', messages.replayUnknownParam(text, same.map((k) => splitParamKey(k).key)), {
      hint: suggestSimilar(text, same),
    });
  }
}
