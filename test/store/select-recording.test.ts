import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { readTraceSelection } from '../../src/store/replay-data.js';
import { selectRecording, type TraceSelector } from '../../src/store/select-recording.js';
import { openStore, type Store } from '../../src/store/store.js';
import { completeTrace, insertTrace } from '../../src/store/traces.js';

describe('selectRecording', () => {
  // Bundle `a` (ids 1, 2: starts 1000 s and 1000.5 s), bundle `b` (id 3), and two files ingested
  // on their own, both named `extra.csv` (id 4 starts 999 s, id 5 has no absolute start).
  let store: Store;
  beforeAll(async () => {
    store = await openStore(':memory:');
    const traces: [string, string | null, number | null][] = [
      ['counts.csv', 'a', 1000], ['sched.txt', 'a', 1000.5], ['counts.csv', 'b', 1000], ['extra.csv', null, 999], ['extra.csv', null, null],
    ];
    for (const [name, bundle, start] of traces) {
      const id = await insertTrace(store, {
        name, bundle, host: null, hypervisor: null, source: `${bundle}/${name}`, contentHash: `${bundle}-${name}-${start}`, format: 'test',
      });
      await completeTrace(store, id, { host: null, hypervisor: null, startEpochSeconds: start, skippedLines: 0, meta: {} });
    }
  });
  afterAll(() => store?.close());

  const ids = async (selector: TraceSelector) => (await selectRecording(store, selector)).traceIds;
  const failure = async (selector: TraceSelector): Promise<UsageError> => {
    const e = await selectRecording(store, selector).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  };

  it('takes a bundle name, globs, bundle/name, ids and comma-separated ids, and labels the selection by its SELs', async () => {
    expect(await ids('a')).toEqual([1, 2]);
    expect(await ids('[a]')).toEqual([1, 2]);
    expect(await ids('a/s*')).toEqual([2]);
    expect(await ids(['a/counts.csv', 'a/sched.txt'])).toEqual([1, 2]);
    expect(await ids('2,1')).toEqual([1, 2]);
    expect(await ids(['3'])).toEqual([3]);
    // A file ingested on its own may join a bundle: shifts from the earliest start (id 4's 999 s).
    const sel = await selectRecording(store, ['a ', '4']);
    expect(sel).toEqual({ label: 'a 4', traceIds: [1, 2, 4], shifts: [1, 1.5, 0], contentHashes: ['a-counts.csv-1000', 'a-sched.txt-1000.5', 'null-extra.csv-999'] });
  });

  it('refuses traces of two bundles, naming both, as replay.ambiguousTrace', async () => {
    for (const selector of ['counts.csv', '*', ['a', '3'], '1,3']) {
      const e = await failure(selector);
      expect(e.code).toBe('replay.ambiguousTrace');
      expect(e.message).toBe(messages.replayManyBundles(typeof selector === 'string' ? selector : selector.join(' '), ['a', 'b']));
      expect(e.hint).toBe(messages.hintReplayOneRecording('a or a/counts.csv'));
    }
  });

  it('refuses two traces of the same name outside a bundle, and takes either by id', async () => {
    const e = await failure('extra.csv');
    expect(e.code).toBe('replay.ambiguousTrace');
    expect(e.message).toBe(messages.replayAmbiguousTrace('extra.csv', [4, 5]));
    expect((await failure('4,5')).code).toBe('replay.ambiguousTrace');
    expect(await ids('5')).toEqual([5]);
    expect((await selectRecording(store, '5')).shifts).toEqual([0]);
  });

  it('names a SEL that matches nothing (with the closest name), or no SEL at all, as replay.noTrace', async () => {
    const none = await failure(['a', 'sched.tx']);
    expect(none.code).toBe('replay.noTrace');
    expect(none.message).toBe(messages.replayNoTrace('sched.tx'));
    expect(none.hint).toBe('did you mean "sched.txt"?');
    expect((await failure('1,9')).message).toBe(messages.replayNoTrace('9'));
    expect((await failure([])).message).toBe(messages.replayNoSelection());
    expect((await failure(' ')).message).toBe(messages.replayNoSelection());
  });

  it('reads a selection by trace ids, a missing id as replay.noTrace', async () => {
    expect(await readTraceSelection(store, [2, 1, 2], 'x')).toMatchObject({ label: 'x', traceIds: [1, 2], shifts: [0, 0.5] });
    await expect(readTraceSelection(store, [1, 7], 'x')).rejects.toMatchObject({ code: 'replay.noTrace', message: messages.replayNoTrace('7') });
  });
});
