import { describe, expect, it } from 'vitest';
import { usesProgrammableCounter } from '../../src/model/counter-slots.js';
import { selectForward } from '../../src/model/select-events.js';

describe('selectForward', () => {
  // Held-out error of a column set: column 1 halves it, 2 takes another 30 %, 3 adds almost nothing.
  const score = (cols: readonly number[]): number => {
    let s = 10;
    if (cols.includes(1)) s *= 0.5;
    if (cols.includes(2)) s *= 0.7;
    if (cols.includes(3)) s *= 0.999;
    return s;
  };

  it('adds terms in order of benefit and stops below the minimum gain', () => {
    const r = selectForward({ start: [0], candidates: [1, 2, 3], allowed: () => true, score });
    expect(r.cols).toEqual([0, 1, 2]);
    expect(r.steps.map((s) => s.added)).toEqual([1, 2]);
    expect(r.score).toBeCloseTo(3.5, 12);
  });

  it('respects the slot limit', () => {
    const r = selectForward({ start: [0], candidates: [1, 2, 3], allowed: (c) => c.length <= 2, score });
    expect(r.cols).toEqual([0, 1]);
  });
});

describe('usesProgrammableCounter', () => {
  it('knows fixed, uncore, RAPL, software and tracepoint events are free', () => {
    for (const e of ['cycles', 'instructions:u', 'ref-cycles', 'uncore_imc/data_reads/', 'power/energy-pkg/', 'task-clock',
      'kvm:kvm_exit', 'turbostat:Bzy_MHz', 'msr/aperf/']) expect(usesProgrammableCounter(e), e).toBe(false);
    for (const e of ['cache-misses', 'branch-misses', 'LLC-load-misses', 'cpu/event=0x3c/', 'r01c2']) {
      expect(usesProgrammableCounter(e), e).toBe(true);
    }
  });
});
