import { describe, expect, it } from 'vitest';
import type { ColumnChunk } from '../../src/store/columns.js';
import { DemandFeed } from '../../src/replay/demand.js';

/** Rows as a stream of column chunks of `size` rows. */
async function* chunks(columns: Record<string, number[]>, size: number): AsyncGenerator<ColumnChunk> {
  const n = Object.values(columns)[0]!.length;
  for (let at = 0; at < n; at += size) {
    const part = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v.slice(at, at + size))]));
    yield { rowCount: Math.min(size, n - at), columns: part };
  }
}

const ms = 0.001;

describe('DemandFeed', () => {
  // vCPU 0: [0.5, 2.5) ms on pCPU 1, then 0.1 ms on pCPU 0 and 0.4 ms on pCPU 1 inside tick 3.
  // vCPU 1: [1, 10) ms on pCPU 0, crossing every block boundary.
  const residency = () => chunks({
    j: [0, 1, 0, 0], pcpu: [1, 0, 0, 1], t0: [0.5 * ms, 1 * ms, 3 * ms, 3.1 * ms], t1: [2.5 * ms, 10 * ms, 3.1 * ms, 3.5 * ms],
  }, 2);
  const rates = () => chunks({
    slot: [0, 1, 0, 2], e: [0, 0, 0, 1], t0: [-Infinity, -Infinity, 2.4 * ms, 4.6 * ms], rate: [5, 7, 9, 11],
  }, 3);

  it('cuts residency into per-tick demand and recorded pCPUs, block by block', async () => {
    const feed = new DemandFeed(residency(), rates(), 2, { startSeconds: 0, tickSeconds: ms }, 2);
    const arrive: number[][] = [];
    const pcpu: number[][] = [];
    const changes: number[][] = [];
    for (let first = 0; first < 6; first += 2) {
      await feed.fill(first, 2);
      for (let k = 0; k < 2; k++) {
        arrive.push([...feed.arriveViews[k]!].map((x) => +(x / ms).toFixed(9)));
        pcpu.push([...feed.recordedViews[k]!]);
      }
      for (let c = 0; c < feed.changes; c++) {
        changes.push([feed.changeTick[c]!, feed.changeSlot[c]!, feed.changeEvent[c]!, feed.changeRate[c]!]);
      }
    }
    await feed.close();
    expect(arrive).toEqual([[0.5, 0], [1, 1], [0.5, 1], [0.5, 1], [0, 1], [0, 1]]);
    expect(pcpu).toEqual([[1, -1], [1, 0], [1, 0], [1, 0], [-1, 0], [-1, 0]]);
    // Rates take effect at the tick nearest their interval start; −∞ lands on tick 0.
    expect(changes).toEqual([[0, 0, 0, 5], [0, 1, 0, 7], [2, 0, 0, 9], [5, 2, 1, 11]]);
  });

  it('gives a tick a span covers whole exactly its width between tick edges (start + k · tick), and partial ticks their overlap', async () => {
    // Start 0.1 s: tick edges 0.1 + k · 0.001 are not multiples of 0.001 in binary, so widths differ from 0.001 in the last bits.
    const clock = { startSeconds: 0.1, tickSeconds: ms };
    const edge = (k: number) => clock.startSeconds + k * clock.tickSeconds;
    const span = chunks({ j: [0], pcpu: [3], t0: [edge(1) + 0.0004], t1: [edge(7) + 0.0002] }, 1);
    const feed = new DemandFeed(span, chunks({ slot: [], e: [], t0: [], rate: [] }, 1), 1, clock, 4);
    const arrive: number[] = [];
    const pcpu: number[] = [];
    for (let first = 0; first < 8; first += 4) {
      await feed.fill(first, 4);
      arrive.push(...feed.arrive);
      pcpu.push(...feed.recordedPcpu);
    }
    await feed.close();
    expect(arrive).toEqual([0, edge(2) - (edge(1) + 0.0004), edge(3) - edge(2), edge(4) - edge(3), edge(5) - edge(4),
      edge(6) - edge(5), edge(7) - edge(6), edge(7) + 0.0002 - edge(7)]);
    expect(arrive[2]).not.toBe(ms);
    expect(pcpu).toEqual([-1, 3, 3, 3, 3, 3, 3, 3]);
  });

  it('places a vCPU by its longest span in each tick of each block, whatever an earlier block held', async () => {
    // Tick 0: 1 ms on pCPU 1; tick 2 (next block): 0.2 ms on pCPU 2, then 0.3 ms on pCPU 0.
    const spans = chunks({ j: [0, 0, 0], pcpu: [1, 2, 0], t0: [0, 2 * ms, 2.5 * ms], t1: [1 * ms, 2.2 * ms, 2.8 * ms] }, 3);
    const feed = new DemandFeed(spans, chunks({ slot: [], e: [], t0: [], rate: [] }, 1), 1, { startSeconds: 0, tickSeconds: ms }, 2);
    await feed.fill(0, 2);
    expect([...feed.recordedPcpu]).toEqual([1, -1]);
    await feed.fill(2, 2);
    expect([...feed.recordedPcpu]).toEqual([0, -1]);
    expect(+(feed.arrive[0]! / ms).toFixed(9)).toBe(0.5);
    await feed.close();
  });

  it('handles a last partial block and an exhausted stream', async () => {
    const feed = new DemandFeed(residency(), rates(), 2, { startSeconds: 0, tickSeconds: ms }, 4);
    await feed.fill(8, 3);
    expect([...feed.arriveViews[0]!].map((x) => +(x / ms).toFixed(9))).toEqual([0, 1]);
    expect([...feed.arriveViews[1]!].map((x) => +(x / ms).toFixed(9))).toEqual([0, 1]);
    expect([...feed.arriveViews[2]!]).toEqual([0, 0]);
    await feed.fill(11, 4);
    expect([...feed.arrive]).toEqual(new Array(8).fill(0));
    expect(feed.changes).toBe(0);
  });
});
