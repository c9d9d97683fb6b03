import type { VheatError } from '../errors.js';
import { suggestSimilar } from './suggest.js';

/** A trace as a selector sees it: its id, file name, and bundle (null for a file ingested on its own). */
export interface NamedTrace {
  id: number;
  name: string;
  bundle: string | null;
}

/**
 * The trace selection grammar every verb shares (`--train`, `--test`, `--trace`): each SEL is a
 * trace id (`3`), ids `1,2,3`, a name (`stream.perf`), `bundle/name`, a bundle name (all its
 * traces), or a glob over those (`*.perf`, `run-*`, `haswell/*`; `*` and `?` do not cross `/`,
 * `**` does). Returns the union in id order. A SEL that matches nothing is thrown as
 * `noMatch(sel, hint)`, the hint a "did you mean" for the closest name (else where to list them),
 * so each verb keeps its own error code.
 */
export function matchTraces<T extends NamedTrace>(traces: readonly T[], sels: readonly string[],
  noMatch: (sel: string, hint: string) => VheatError): T[] {
  const picked = new Map<number, T>();
  // `1,2,3` is shorthand for three id SELs, so a missing id is named on its own.
  for (const sel of sels.flatMap((s) => (/^\s*\d+(\s*,\s*\d+)+\s*$/.test(s) ? s.split(',') : [s])).map((s) => s.trim())) {
    const hits = traces.filter((t) => matches(t, sel));
    if (!hits.length) throw noMatch(sel, suggestSimilar(sel, selectorNames(traces)) ?? 'list the traces with `vheat info`');
    for (const t of hits) picked.set(t.id, t);
  }
  return [...picked.values()].sort((a, b) => a.id - b.id);
}

/** Every name a SEL can spell without a glob: trace names, `bundle/name` and bundle names. */
function selectorNames(traces: readonly NamedTrace[]): string[] {
  const names = new Set<string>();
  for (const t of traces) {
    names.add(t.name);
    if (t.bundle) names.add(t.bundle).add(`${t.bundle}/${t.name}`);
  }
  return [...names];
}

function matches(t: NamedTrace, sel: string): boolean {
  if (/^\d+$/.test(sel)) return t.id === Number(sel);
  const full = t.bundle ? `${t.bundle}/${t.name}` : t.name;
  if (!/[*?[]/.test(sel)) return sel === t.name || sel === full || sel === t.bundle;
  const re = globToRegExp(sel);
  return re.test(t.name) || re.test(full) || (t.bundle !== null && re.test(t.bundle));
}

/** A glob as an anchored RegExp: `**` any text, `*` any text but `/`, `?` one such character, `[…]` a class. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
