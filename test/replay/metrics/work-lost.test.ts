import { describe, expect, it } from 'vitest';
import { workLost } from '../../../src/replay/metrics/work-lost.js';

describe('workLost', () => {
  it('compares demanded and delivered work per VM over the run (hand-worked)', () => {
    // Three ticks × four VMs (cycles, ×1e9).
    //   VM0 demands 1, 1, 0 and gets 0.5, 1, 0.5: backlog caught up, 2 − 2 = 0 lost, slowdown 1.
    //   VM1 demands 2, 0, 2 and gets 2, 0, 1: 1 lost, slowdown 4/3.
    //   VM2 demands nothing: slowdown 1.  VM3 demands 1 and gets nothing: slowdown ∞.
    const demanded = Float64Array.from([1, 2, 0, 1, 1, 0, 0, 0, 0, 2, 0, 0]).map((v) => v * 1e9);
    const delivered = Float64Array.from([0.5, 2, 0, 0, 1, 0, 0, 0, 0.5, 1, 0, 0]).map((v) => v * 1e9);
    const r = workLost({ demanded, delivered }, { vms: 4 });
    expect([...r.demanded]).toEqual([2e9, 4e9, 0, 1e9]);
    expect([...r.delivered]).toEqual([2e9, 3e9, 0, 0]);
    expect([...r.lost]).toEqual([0, 1e9, 0, 1e9]);
    expect([...r.slowdown]).toEqual([1, 4 / 3, 1, Infinity]);
  });
});
