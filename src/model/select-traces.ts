import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import type { TraceRecord } from '../store/calibration-data.js';
import { suggestSimilar } from '../util/suggest.js';

/**
 * Trace selection on the command line (`--train`, `--test`, `--trace`): each SEL is a trace id
 * (`3`), a name (`stream.perf`), `bundle/name`, a bundle name (all its traces), or a glob over
 * those (`*.perf`, `run-*`, `haswell/*`; `*` and `?` do not cross `/`, `**` does). A SEL that
 * matches nothing is an error naming the closest trace.
 */
export function selectTraces(traces: readonly TraceRecord[], sels: readonly string[]): TraceRecord[] {
  const picked = new Map<number, TraceRecord>();
  for (const sel of sels) {
    const hits = traces.filter((t) => matches(t, sel));
    if (!hits.length) {
      const names = traces.flatMap((t) => [t.name, ...(t.bundle ? [`${t.bundle}/${t.name}`] : [])]);
      throw new ModelError('model.noTraceMatch', messages.noTraceMatch(sel, traces.length), {
        hint: suggestSimilar(sel, names) ?? 'list the traces with `vheat info`',
      });
    }
    for (const t of hits) picked.set(t.id, t);
  }
  return [...picked.values()].sort((a, b) => a.id - b.id);
}

function matches(t: TraceRecord, sel: string): boolean {
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

/**
 * The workload a trace recorded, for leave-one-workload-out validation: `traces.meta.workload`
 * when the file or bundle.json gave one, else the bundle name (every file of a recording shares
 * it), else the file name without its extension (`hpl_mkl.perf` → `hpl_mkl`).
 */
export function workloadOf(t: TraceRecord): string {
  const w = t.meta.workload;
  if (typeof w === 'string' && w.trim()) return w.trim();
  if (t.bundle) return t.bundle;
  const dot = t.name.indexOf('.', 1);
  return dot > 0 ? t.name.slice(0, dot) : t.name;
}
