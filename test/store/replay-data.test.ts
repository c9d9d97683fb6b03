import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import type { ColumnChunk } from '../../src/store/columns.js';
import { countUnplacedEvents, streamEventRates } from '../../src/store/event-rates.js';
import {
  readRecordedLayout, selectTraces, streamResidency, type RecordedLayout, type TraceSelection,
} from '../../src/store/replay-data.js';
import { timeWindows, type WindowOptions } from '../../src/store/replay-sql.js';
import { openStore, type Store } from '../../src/store/store.js';
import { generateTemp, type TempBundle } from '../helpers/generated.js';

describe('timeWindows', () => {
  it('takes whole seconds while they fit, at least one, from −∞ to +∞', () => {
    // 3 + 4 fit in 7; 2 + 5 fit; 1 is left.
    expect(timeWindows([0, 1, 2, 3, 4], [3, 4, 2, 5, 1], 7)).toEqual([
      { from: -Infinity, to: 2, sourceRows: 7 }, { from: 2, to: 4, sourceRows: 7 }, { from: 4, to: Infinity, sourceRows: 1 },
    ]);
    // A second over the limit is a window of its own.
    expect(timeWindows([5, 6, 7], [1, 10, 1], 5)).toEqual([
      { from: -Infinity, to: 6, sourceRows: 1 }, { from: 6, to: 7, sourceRows: 10 }, { from: 7, to: Infinity, sourceRows: 1 },
    ]);
    expect(timeWindows([], [], 5)).toEqual([{ from: -Infinity, to: Infinity, sourceRows: 0 }]);
  });
});

/** Every chunk of a stream, with what each window held. */
async function read(stream: (o: WindowOptions) => AsyncGenerator<ColumnChunk>, maxRows: number) {
  const windows: number[] = [];
  const chunks: ColumnChunk[] = [];
  for await (const c of stream({ maxRows, onWindow: (w) => windows.push(w.sourceRows) })) chunks.push(c);
  const column = (name: string) => chunks.flatMap((c) => [...(c.columns[name] as Float64Array)]);
  return { windows, chunks, column };
}

describe('windowed replay reads of a generated recording', () => {
  let bundle: TempBundle;
  let store: Store;
  let sel: TraceSelection;
  let layout: RecordedLayout;
  beforeAll(async () => {
    bundle = await generateTemp('test-kvm', { durationSeconds: 10 });
    store = await openStore(':memory:');
    await ingest(store, [bundle.dir]);
    sel = await selectTraces(store, bundle.dir.split('/').pop()!);
    layout = await readRecordedLayout(store, sel);
  });
  afterAll(() => {
    store?.close();
    bundle?.remove();
  });

  it('streams the residency in windows of at most maxRows spans, the same rows in the same order as one window', async () => {
    const whole = await read((o) => streamResidency(store, sel, layout.vms, o), Infinity);
    const cut = await read((o) => streamResidency(store, sel, layout.vms, o), 50);
    expect(whole.windows).toHaveLength(1);
    expect(cut.windows.length).toBeGreaterThan(3);
    expect(Math.max(...cut.windows)).toBeLessThanOrEqual(50);
    // Every span is read once: the windows' rows add up to the whole.
    expect(cut.windows.reduce((a, b) => a + b, 0)).toBe(whole.windows[0]);
    for (const c of ['j', 'pcpu', 't0', 't1']) expect(cut.column(c)).toEqual(whole.column(c));
    expect(cut.column('t0').length).toBe(whole.windows[0]);
  });

  it('streams the event rates in windows of at most maxRows samples, as one window does (running time to 1e-9)', async () => {
    const events = layout.vcpuEvents;
    const whole = await read((o) => streamEventRates(store, sel, layout.vms, events, o), Infinity);
    const cut = await read((o) => streamEventRates(store, sel, layout.vms, events, o), 300);
    expect(cut.windows.length).toBeGreaterThan(3);
    expect(Math.max(...cut.windows)).toBeLessThanOrEqual(300);
    expect(cut.windows.reduce((a, b) => a + b, 0)).toBe(whole.windows[0]);
    // DuckDB hands each window over in chunks of at most 2,048 rows; the first chunk is the first rates (t0 −∞).
    for (const c of cut.chunks) expect(c.rowCount).toBeLessThanOrEqual(2048);
    const t0 = cut.column('t0');
    const firsts = t0.filter((t) => t === -Infinity).length;
    expect(firsts).toBe(cut.chunks[0]!.rowCount);
    expect(firsts).toBeGreaterThan(0);
    for (const c of ['slot', 'e', 't0']) expect(cut.column(c)).toEqual(whole.column(c));
    const a = whole.column('rate');
    const b = cut.column('rate');
    expect(b.length).toBe(a.length);
    expect(b.every((r, i) => Math.abs(r - a[i]!) <= 1e-9 * Math.abs(a[i]!))).toBe(true);
    // The first rates are each pair's earliest interval's rate.
    for (let i = 0; i < firsts; i++) {
      const k = t0.findIndex((t, at) => t > -Infinity && cut.column('slot')[at] === cut.column('slot')[i] && cut.column('e')[at] === cut.column('e')[i]);
      expect(b[k]).toBe(b[i]);
    }
  });

  it('counts unplaced events window by window as in one window', async () => {
    const events = layout.vcpuEvents;
    const whole = await countUnplacedEvents(store, sel, layout.vms, events, { maxRows: Infinity });
    const cut = await countUnplacedEvents(store, sel, layout.vms, events, { maxRows: 300 });
    expect([...cut.keys()]).toEqual([...whole.keys()]);
    for (const [e, n] of whole) expect(cut.get(e)).toBeCloseTo(n, 6);
  });
});
