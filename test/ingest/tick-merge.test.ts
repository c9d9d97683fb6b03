import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TickMerge, type Ticked } from '../../src/ingest/tick-merge.js';

const run = (events: Ticked[], limits = {}, rounds?: number[]) => {
  const out: Ticked[] = [];
  const merge = new TickMerge<Ticked>((e) => out.push(e), limits);
  events.forEach((e, i) => {
    if (rounds?.includes(i)) merge.endFirstRound();
    merge.push(e);
  });
  const beforeFinish = out.length;
  merge.finish();
  return { out, merge, beforeFinish };
};

describe('TickMerge', () => {
  it('releases windows of interleaved pCPUs in global tick order', () => {
    const windows = [[0, [10, 20, 30]], [1, [5, 15, 25]], [0, [40, 50]], [1, [35, 60]]] as const;
    const events = windows.flatMap(([pcpu, ticks]) => ticks.map((tick) => ({ tick, pcpu })));
    const { out, merge, beforeFinish } = run(events);
    expect(out.map((e) => e.tick)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 50, 60]);
    expect(merge.late).toBe(0);
    // Released before the end: everything up to pCPU 1's latest tick once pCPU 0 resumed.
    expect(beforeFinish).toBeGreaterThan(0);
  });

  it('holds the first round, then counts events of a pCPU first seen too late', () => {
    const events = [{ tick: 10, pcpu: 0 }, { tick: 20, pcpu: 1 }, { tick: 30, pcpu: 0 }, { tick: 40, pcpu: 1 },
      { tick: 5, pcpu: 2 }];
    const { out, merge } = run(events);
    expect(out.map((e) => e.tick)).toEqual([10, 20, 30, 5, 40]);
    expect(merge.late).toBe(1);
  });

  it('releases a single pCPU after an explicit end of the first round or the first-round cap', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({ tick: i, pcpu: 0 }));
    // One stream: its own latest tick is the watermark, so everything flows once released.
    expect(run(events, {}, [3]).beforeFinish).toBe(10);
    expect(run(events.slice(0, 4), { firstRoundCap: 4 }).beforeFinish).toBe(0);
    expect(run(events, { firstRoundCap: 4 }).beforeFinish).toBe(10);
    expect(run(events).beforeFinish).toBe(0);
  });

  it('never holds more than `cap` events (a stalled pCPU) and says so', () => {
    const events = [{ tick: 0, pcpu: 1 }, ...Array.from({ length: 20 }, (_, i) => ({ tick: i + 1, pcpu: 0 }))];
    const { merge, beforeFinish } = run(events, { cap: 8, firstRoundCap: 0 });
    expect(beforeFinish).toBe(21 - 8);
    expect(merge.overflowed).toBe(true);
  });

  it('keeps per-pCPU order and loses nothing for any interleaving of sorted streams', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(3), fc.nat(1000)), { maxLength: 60 }), (pairs) => {
      const streams = new Map<number, number[]>();
      for (const [p, t] of pairs) streams.set(p, [...(streams.get(p) ?? []), t]);
      for (const s of streams.values()) s.sort((a, b) => a - b);
      // Interleave in windows of 2 per pCPU, round robin.
      const events: Ticked[] = [];
      for (let i = 0; [...streams.values()].some((s) => s.length > i); i += 2) {
        for (const [pcpu, s] of streams) for (const tick of s.slice(i, i + 2)) events.push({ tick, pcpu });
      }
      const { out } = run(events);
      expect(out).toHaveLength(events.length);
      for (const [pcpu, s] of streams) expect(out.filter((e) => e.pcpu === pcpu).map((e) => e.tick)).toEqual(s);
    }), { numRuns: 200 });
  });
});
