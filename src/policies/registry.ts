import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PolicyError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';

/** Host or guest: the two policy levels, used in messages and in what a module must export. */
export type PolicyKind = 'host' | 'guest';

/** A policy ready to instantiate: where it came from, and a factory for a fresh instance per run. */
export interface ResolvedPolicy<P> {
  /** Registered name, or the file path it was imported from, or `(object)`. */
  name: string;
  /** Text that rebuilds it in another thread: the name or the absolute path; null for objects. */
  spec: string | null;
  create: () => P;
}

/** A policy as a caller may give it: an object implementing it, a factory, a registered name or a file path. */
export type PolicySpec<P> = P | (() => P) | string;

function isPolicy(value: unknown): boolean {
  return typeof value === 'object' && value !== null
    && typeof (value as { init?: unknown }).init === 'function'
    && typeof (value as { decide?: unknown }).decide === 'function';
}

/** A string names a file when it looks like a path (`./x.ts`, `/abs/x.js`, `x.mjs`). */
function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(m?[jt]s)$/.test(spec);
}

/**
 * Policies of one kind by name. Registering a taken name throws unless `{ override: true }`
 * (arquero's guard against silent overwrites).
 */
export class PolicyRegistry<P> {
  readonly #factories = new Map<string, () => P>();

  constructor(readonly kind: PolicyKind) {}

  register(name: string, factory: () => P, options: { override?: boolean } = {}): void {
    if (this.#factories.has(name) && !options.override) {
      throw new PolicyError('policy.duplicate', messages.policyDuplicate(this.kind, name), {
        hint: 'pass { override: true } to replace it',
      });
    }
    this.#factories.set(name, factory);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#factories.keys()].sort();
  }

  /**
   * Resolves `spec`: an object with `init` and `decide` is used as is (one instance: give a
   * factory when several runs need fresh state), a function is a factory, a registered name
   * looks up its factory, and a path is imported (its default export, or the export named
   * `hostPolicy`/`guestPolicy`, must be a policy or a factory).
   */
  async resolve(spec: PolicySpec<P>): Promise<ResolvedPolicy<P>> {
    if (typeof spec === 'function') return { name: spec.name || '(factory)', spec: null, create: spec as () => P };
    if (typeof spec !== 'string') {
      if (!isPolicy(spec)) throw this.#notPolicy('(object)');
      return { name: '(object)', spec: null, create: () => spec };
    }
    const factory = this.#factories.get(spec);
    if (factory) return { name: spec, spec, create: factory };
    if (looksLikePath(spec)) return this.#import(spec);
    throw new PolicyError('policy.unknown', messages.policyUnknown(this.kind, spec, this.names()), {
      hint: suggestSimilar(spec, this.names()) ?? messages.hintPolicyPath(),
    });
  }

  async #import(path: string): Promise<ResolvedPolicy<P>> {
    const file = isAbsolute(path) ? path : resolvePath(path);
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(file).href) as Record<string, unknown>;
    } catch (e) {
      throw new PolicyError('policy.import', messages.policyImportFailed(this.kind, file, (e as Error).message), {
        cause: e,
        context: { file },
      });
    }
    const exported = mod.default ?? mod[`${this.kind}Policy`];
    if (typeof exported === 'function') return { name: file, spec: file, create: exported as () => P };
    if (!isPolicy(exported)) throw this.#notPolicy(file);
    return { name: file, spec: file, create: () => exported as P };
  }

  #notPolicy(what: string): PolicyError {
    return new PolicyError('policy.notPolicy', messages.policyNotPolicy(this.kind, what), {
      hint: messages.hintPolicyShape(this.kind),
    });
  }
}
