import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import type { ColumnChunk } from '../../src/store/columns.js';
import { countUnplacedEvents, streamEventRates } from '../../src/store/event-rates.js';
import {
  readRecordedLayout, streamResidency, type RecordedLayout, type TraceSelection,
} from '../../src/store/replay-data.js';
import { selectRecording } from '../../src/store/select-recording.js';
import { timeWindows, type WindowOptions } from '../../src/store/replay-sql.js';
import { openStore, type Store } from '../../src/store/store.js';
import { completeTrace, insertTrace } from '../../src/store/traces.js';
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
    sel = await selectRecording(store, bundle.dir.split('/').pop()!);
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

describe('replay reads of a hand-built recording', () => {
  // VM A (vCPUs 0, 1), 1 s counter intervals [0, 3). The sched trace starts 0.5 s after the
  // counts trace, so its spans are stored 0.5 s earlier. On the common axis:
  //   A/vcpu0 runs [0.2, 0.7) on p0, [1.5, 1.6) on p1, [3, 3.5) on p0 (starts as interval 2 ends);
  //   A/vcpu1 runs [0.9, 1) on p1 (ends as interval 1 starts), [2.2, 2.4) on p0.
  // So vcpu0 ran 0.5, 0.1, 0 s and vcpu1 0.1, 0, 0.2 s in intervals 0, 1, 2.
  // A second counts trace holds fewer vcpu0 cycles rows (with absurd values): the rates must not read it.
  let store: Store;
  let sel: TraceSelection;
  let layout: RecordedLayout;
  const events = ['cycles', 'instructions'];
  beforeAll(async () => {
    store = await openStore(':memory:');
    const trace = async (name: string, start: number, format: string) => {
      const id = await insertTrace(store, { name, bundle: 'b', host: null, hypervisor: null, source: name, contentHash: name, format });
      await completeTrace(store, id, { host: null, hypervisor: null, startEpochSeconds: start, skippedLines: 0, meta: {} });
      return id;
    };
    const counts = await trace('counts.csv', 1_700_000_000, 'perf-stat-csv');
    const sched = await trace('sched.txt', 1_700_000_000.5, 'perf-script');
    const other = await trace('other.csv', 1_700_000_000, 'perf-stat-csv');
    const rows: [number, number, number, string, string, number | null, string, number][] = [
      [counts, 0, 1, 'vcpu', 'A/vcpu0', null, 'cycles', 100], [counts, 1, 2, 'vcpu', 'A/vcpu0', null, 'cycles', 50],
      [counts, 2, 3, 'vcpu', 'A/vcpu0', null, 'cycles', 30], [counts, 0, 1, 'vcpu', 'A/vcpu1', null, 'cycles', 7],
      [counts, 1, 2, 'vcpu', 'A/vcpu1', null, 'cycles', 0], [counts, 2, 3, 'vcpu', 'A/vcpu1', null, 'cycles', 60],
      [counts, 0, 1, 'vcpu', 'A/vcpu0', null, 'instructions', 1000], [counts, 1, 2, 'vcpu', 'A/vcpu0', null, 'instructions', 2000],
      [counts, 0, 2, 'host', 'unattributed', 0, 'cycles', 10],
      [other, 0, 1, 'vcpu', 'A/vcpu0', null, 'cycles', 1e12], [other, 1, 2, 'vcpu', 'A/vcpu0', null, 'cycles', 1e12],
    ];
    for (const r of rows) await store.run('INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)', r);
    const spans: [string, number, number, number, number][] = [
      ['A', 0, 0, 0.2, 0.7], ['A', 0, 1, 1.5, 1.6], ['A', 0, 0, 3, 3.5], ['A', 1, 1, 0.9, 1], ['A', 1, 0, 2.2, 2.4],
    ];
    for (const [vm, vcpu, pcpu, t0, t1] of spans) {
      await store.run('INSERT INTO residency VALUES (?, ?, ?, ?, ?, ?)', [sched, vm, vcpu, pcpu, t0 - 0.5, t1 - 0.5]);
    }
    sel = await selectRecording(store, 'b');
    layout = await readRecordedLayout(store, sel);
  });
  afterAll(() => store?.close());

  it('reads the layout: VMs, first pCPUs, span and per-vCPU events', () => {
    expect(layout.vms).toEqual([{ name: 'A', vcpus: 2 }]);
    expect([...layout.firstPcpu]).toEqual([0, 1]);
    expect([layout.t0, layout.t1]).toEqual([0.2, 3.5]);
    expect(layout.pcpus).toBe(2);
    expect(layout.vcpuEvents).toEqual(events);
  });

  it('streams each rate as count over running time (host load over wall time), first rates first, in any windows', async () => {
    for (const maxRows of [Infinity, 1]) {
      const { column } = await read((o) => streamEventRates(store, sel, layout.vms, events, o), maxRows);
      const rows = column('t0').map((t0, i) => [t0, column('slot')[i], column('e')[i], +column('rate')[i]!.toFixed(6)]);
      expect(rows).toEqual([
        // Slot 2 is the host's own load on pCPU 0; e indexes `events`.
        [-Infinity, 0, 0, 200], [-Infinity, 0, 1, 2000], [-Infinity, 1, 0, 70], [-Infinity, 2, 0, 5],
        [0, 0, 0, 200], [0, 0, 1, 2000], [0, 1, 0, 70], [0, 2, 0, 5],
        [1, 0, 0, 500], [1, 0, 1, 20000],
        [2, 1, 0, 300],
      ]);
    }
  });

  it('counts the events of intervals their vCPU never ran in (touching spans do not count as running), in any windows', async () => {
    for (const maxRows of [Infinity, 1]) {
      // vcpu0 interval 2 (30 cycles) and vcpu1 interval 1 (0 cycles: nothing lost).
      expect(await countUnplacedEvents(store, sel, layout.vms, events, { maxRows })).toEqual(new Map([['cycles', 30]]));
    }
  });
});
