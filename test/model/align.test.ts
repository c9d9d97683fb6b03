import { describe, expect, it } from 'vitest';
import { alignTrace, defaultAlignOptions, raplGlitches, spread } from '../../src/model/align.js';
import { series, steps } from '../helpers/model-series.js';

const opts = { ...defaultAlignOptions, dropFirst: false };

describe('spread', () => {
  it('apportions a delta by overlap: 30 J over [0.5, 2] s puts 10 J in [0.5, 1) and 20 J in [1, 2)', () => {
    const s = spread(series([[0.5, 2, 30]]), 0, 0, 1, 3, 0);
    expect(Array.from(s.sum)).toEqual([10, 20, 0]);
    expect(Array.from(s.covered)).toEqual([0.5, 1, 0]);
  });

  it('gives gauges a time-weighted mean (sum ÷ covered)', () => {
    const s = spread(series([[0, 0.25, 2000], [0.25, 1, 1000]]), 0, 0, 1, 1, 0, true);
    expect(s.sum[0]! / s.covered[0]!).toBeCloseTo(1250, 12);
  });

  it('shifts by −lag: energy of [1, 2] s with lag 0.5 s lands in [0.5, 1.5]', () => {
    const s = spread(series([[1, 2, 8]]), 0, 0, 1, 2, 0.5);
    expect(Array.from(s.sum)).toEqual([4, 4]);
  });
});

describe('alignTrace', () => {
  it('sums ten 0.1 s intervals into one 1 s interval, exactly', () => {
    const counts = steps(0.1, Array.from({ length: 20 }, (_, i) => i * 1e6));
    const energy = steps(0.1, Array.from({ length: 20 }, (_, i) => 1 + i * 0.01));
    const a = alignTrace([counts], [energy], null, opts);
    expect(a.n).toBe(2);
    expect(a.counts[0]![0]).toBeCloseTo(45e6, 3);
    expect(a.counts[0]![1]).toBeCloseTo(145e6, 3);
    expect(a.energy[0]).toBeCloseTo(10.45, 12);
    expect(Array.from(a.keep)).toEqual([1, 1]);
  });

  it('drops intervals with a gap, a NULL count, a low enabled fraction or a RAPL glitch, counting each reason', () => {
    const values = Array.from({ length: 50 }, () => 1e6);
    values[12] = NaN; // not counted → interval 1 not covered
    const enabled = Array.from({ length: 50 }, (_, i) => (i >= 20 && i < 30 ? 0.3 : 1)); // interval 2 multiplexed
    const joules = Array.from({ length: 50 }, () => 1);
    joules[33] = 0; // stale RAPL read: 0 J, then the next holds two intervals' energy
    joules[34] = 2;
    joules[45] = 5000; // 50 kW: a glitch
    const a = alignTrace([steps(0.1, values, enabled)], [steps(0.1, joules)], null, opts);
    expect(a.n).toBe(5);
    expect(Array.from(a.keep)).toEqual([1, 0, 0, 0, 0]);
    expect(a.dropped).toEqual({ coverage: 1, enabled: 1, raplGlitch: 2 });
  });

  it('drops the first source interval when asked (perf opens counters before the clock starts)', () => {
    const counts = steps(0.5, [1e9, 1, 1, 1, 1]);
    const energy = steps(0.5, [100, 1, 1, 1, 1]);
    const a = alignTrace([counts], [energy], null, { ...opts, dropFirst: true });
    expect(a.start).toBe(0.5);
    expect(a.n).toBe(2);
    expect(a.energy[0]).toBe(2);
  });

  it('adds several energy series (sockets) and requires each to cover the interval', () => {
    const counts = steps(1, [1, 1, 1]);
    const s0 = steps(1, [10, 10, 10]);
    const s1 = series([[0, 1, 5], [1, 2, 5]]);
    const a = alignTrace([counts], [s0, s1], null, opts);
    expect(a.n).toBe(2);
    expect(Array.from(a.energy)).toEqual([15, 15]);
  });
});

describe('raplGlitches', () => {
  it('flags negative, non-finite and implausible intervals, and stale-read pairs only', () => {
    const s = steps(1, [5, -1, 5, NaN, 5, 0, 10, 5, 0, 5, 5, 2000]);
    expect(Array.from(raplGlitches(s, 1000))).toEqual([0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1]);
  });
});
