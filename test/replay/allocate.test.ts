import { describe, expect, it } from 'vitest';
import { groupBy, regroupBy, waterFill } from '../../src/replay/allocate.js';

describe('groupBy', () => {
  it('lists each owner\'s items in ascending order and leaves out owner −1', () => {
    const owner = Int32Array.from([2, 0, -1, 2, 0, 1]);
    const order = new Int32Array(6);
    const start = new Int32Array(4);
    groupBy(owner, 3, order, start);
    expect([...start]).toEqual([0, 2, 3, 5]);
    expect([...order.subarray(0, 5)]).toEqual([1, 4, 5, 0, 3]);
  });
});

describe('regroupBy', () => {
  it('groups on the first call and when an owner changed, and leaves the grouping alone otherwise', () => {
    const owner = Int32Array.from([1, 0, 1]);
    const grouped = new Int32Array(3).fill(-2);
    const order = new Int32Array(3);
    const start = new Int32Array(3);
    regroupBy(owner, grouped, 2, order, start);
    expect([...start]).toEqual([0, 1, 3]);
    expect([...order]).toEqual([1, 0, 2]);
    expect([...grouped]).toEqual([1, 0, 1]);
    // Unchanged owners: a scribbled grouping stays as it is (nothing was recomputed).
    order.fill(9);
    regroupBy(owner, grouped, 2, order, start);
    expect([...order]).toEqual([9, 9, 9]);
    owner[2] = 0;
    regroupBy(owner, grouped, 2, order, start);
    expect([...start]).toEqual([0, 2, 3]);
    expect([...order]).toEqual([1, 2, 0]);
    expect([...grouped]).toEqual([1, 0, 0]);
  });
});

describe('waterFill', () => {
  const fill = (wants: number[], capacity: number) => {
    const want = Float64Array.from(wants);
    const order = Int32Array.from(wants.keys());
    const got = new Float64Array(wants.length);
    const total = waterFill(want, order, 0, wants.length, capacity, got);
    return { got: [...got], total };
  };

  it('gives everyone what they want when it fits', () => {
    expect(fill([0.2, 0.3], 1)).toEqual({ got: [0.2, 0.3], total: 0.5 });
  });

  it('shares an over-committed capacity max-min fairly', () => {
    // 1.0 over wants 0.2, 0.6, 0.6: the small want is met, the rest split 0.4 / 0.4.
    const { got, total } = fill([0.2, 0.6, 0.6], 1);
    expect(got[0]).toBeCloseTo(0.2, 15);
    expect(got[1]).toBeCloseTo(0.4, 15);
    expect(got[2]).toBeCloseTo(0.4, 15);
    expect(total).toBeCloseTo(1, 15);
  });

  it('settles in rounds: 0.1 and 0.25 met, 0.65 left for the two large wants', () => {
    const { got } = fill([0.1, 0.9, 0.25, 0.8], 1);
    expect(got.map((x) => +x.toFixed(12))).toEqual([0.1, 0.325, 0.25, 0.325]);
  });

  it('hands out nothing without capacity and nothing to zero wants', () => {
    expect(fill([0, 0.5], 0).got).toEqual([0, 0]);
    expect(fill([0, 0.5], -1).total).toBe(0);
  });
});
