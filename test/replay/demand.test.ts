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
