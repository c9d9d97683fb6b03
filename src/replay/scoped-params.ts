import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { splitParamKey } from '../policies/params.js';
import type { PolicyKind, PolicySpec, ResolvedPolicy } from '../policies/registry.js';
import { suggestSimilar } from '../util/suggest.js';
import { engineDefaults } from './build-engine.js';

/** A policy of a run or comparison, as the scope of `--param POLICY:key=value` may name it. */
export interface ScopeTarget {
  kind: PolicyKind;
  /** Its resolved name (registered name or absolute file path): the scope of its keys in a run's parameters. */
  name: string;
  /** The names a scope may use: the text given (`--policies`, `--host-policy`, `--guest-policy`), the resolved name and spec. */
  aliases: readonly string[];
}

/** The scope target of a policy given as `given` and resolved to `resolved`. */
export function scopeTarget(kind: PolicyKind, given: PolicySpec<unknown>, resolved: ResolvedPolicy<unknown>): ScopeTarget {
  const names = [typeof given === 'string' ? given : null, resolved.name, resolved.spec];
  return { kind, name: resolved.name, aliases: [...new Set(names.filter((n): n is string => n !== null))] };
}

const engineKeys: readonly string[] = Object.keys(engineDefaults);

/**
 * Checks the scopes of `keys` (of `--param` or `--sweep`): each scope must name one of
 * `targets`, else `UsageError` `code` naming the scope and the policies of the `where` (run or
 * comparison) with a "did you mean". An engine parameter (`engineDefaults`) is one setting of
 * the whole run, the same for every policy compared, so it is never scoped (`replay.scopedEngineParam`).
 */
export function assertParamScopes(keys: Iterable<string>, targets: readonly ScopeTarget[], code: string, where: 'run' | 'comparison'): void {
  const names = [...new Set(targets.flatMap((t) => t.aliases))];
  for (const text of keys) {
    const { scope, key } = splitParamKey(text);
    if (scope === null) continue;
    if (engineKeys.includes(key)) {
      throw new UsageError('replay.scopedEngineParam', messages.paramScopedEngine(text, key), { hint: messages.hintParamScopedEngine(key) });
    }
    if (names.includes(scope)) continue;
    throw new UsageError(code, messages.paramScopeUnknown(scope, where, targets.map((t) => `${t.kind} ${t.aliases[0]}`)), {
      hint: suggestSimilar(scope, names) ?? messages.hintParamScope(),
    });
  }
}

/** The entries of `params` (or of a sweep) that reach runs of `targets`: the unscoped ones and those scoped to one of them. */
export function paramsFor<V>(params: Readonly<Record<string, V>>, targets: readonly ScopeTarget[]): Record<string, V> {
  return Object.fromEntries(Object.entries(params).filter(([text]) => {
    const { scope } = splitParamKey(text);
    return scope === null || targets.some((t) => t.aliases.includes(scope));
  }));
}

/**
 * A run's effective parameters from the `--param` settings: the unscoped keys as given, then
 * for each scoped key of its host or guest policy `name:key` under the policy's resolved name
 * (the `ParamSet.scoped` view of that policy reads it over `key`), unless it repeats the
 * unscoped value. This is what the run's id hashes and `replay_runs.params` shows. A scope
 * naming neither policy is `replay.paramScope`.
 */
export function scopedParams(params: Readonly<Record<string, string>>, host: ScopeTarget, guest: ScopeTarget): Record<string, string> {
  assertParamScopes(Object.keys(params), [host, guest], 'replay.paramScope', 'run');
  const out: Record<string, string> = {};
  const scoped: [scope: string, key: string, value: string][] = [];
  for (const [text, value] of Object.entries(params)) {
    const { scope, key } = splitParamKey(text);
    if (scope === null) out[key] = value;
    else scoped.push([scope, key, value]);
  }
  for (const [scope, key, value] of scoped) {
    for (const target of [host, guest]) {
      if (target.aliases.includes(scope) && out[key] !== value) out[`${target.name}:${key}`] = value;
    }
  }
  return out;
}
