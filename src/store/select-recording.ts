import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { matchTraces, type NamedTrace } from '../util/match-traces.js';
import { listTraces } from './calibration-data.js';
import { readTraceSelection, type TraceSelection } from './replay-data.js';
import type { Store } from './store.js';

/**
 * `--trace` of `replay`, `compare` and `fit-thermal`: one SEL or several, in the grammar of
 * `matchTraces` (ids, `1,2,3`, names, `bundle/name`, bundle names, globs).
 */
export type TraceSelector = string | readonly string[];

/**
 * The one recording `selector` names, as the selection a replay reads (clock shifts, hashes).
 * A SEL matching nothing is `replay.noTrace` with a "did you mean"; traces that cannot be one
 * recording (see `checkOneRecording`) are `replay.ambiguousTrace`. Both are `UsageError`s.
 */
export async function selectRecording(store: Store, selector: TraceSelector): Promise<TraceSelection> {
  const sels = typeof selector === 'string' ? [selector] : [...selector];
  if (sels.every((s) => !s.trim())) throw new UsageError('replay.noTrace', messages.replayNoSelection());
  const label = sels.map((s) => s.trim()).join(' ');
  const picked = matchTraces(await listTraces(store), sels, (sel, hint) =>
    new UsageError('replay.noTrace', messages.replayNoTrace(sel), { hint }));
  checkOneRecording(picked, label, 'replay');
  return readTraceSelection(store, picked.map((t) => t.id), label);
}

/**
 * Throws `<verb>.ambiguousTrace` (a `UsageError`; `replay.ambiguousTrace` for replay, compare and
 * fit-thermal, `attribute.ambiguousTrace` for attribute) unless `traces`, selected by the SELs
 * `label`, can be one host's recording: at most one bundle (files ingested on their own may join
 * it), and no two traces of the same name (a recording is one folder, so two `perf.csv` are two
 * recordings).
 */
export function checkOneRecording(traces: readonly NamedTrace[], label: string, verb: string): void {
  const bundles = [...new Set(traces.flatMap((t) => (t.bundle === null ? [] : [t.bundle])))];
  if (bundles.length > 1) {
    const first = traces.find((t) => t.bundle === bundles[0])!;
    throw new UsageError(`${verb}.ambiguousTrace`, messages.replayManyBundles(label, bundles), {
      hint: messages.hintReplayOneRecording(`${bundles[0]} or ${bundles[0]}/${first.name}`),
    });
  }
  const byName = new Map<string, number[]>();
  for (const t of traces) byName.set(t.name, [...(byName.get(t.name) ?? []), t.id]);
  for (const [name, ids] of byName) {
    if (ids.length > 1) {
      throw new UsageError(`${verb}.ambiguousTrace`, messages.replayAmbiguousTrace(name, ids), {
        hint: messages.hintReplayOneRecording(String(ids[0])),
      });
    }
  }
}
