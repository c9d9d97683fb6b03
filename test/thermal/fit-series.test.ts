import { describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import type { RecordedThermal } from '../../src/store/thermal-data.js';
import { buildFitSeries } from '../../src/thermal/fit-series.js';

const f = (...v: number[]): Float64Array => Float64Array.from(v);

/** Socket 0 with cores C0 and C1 (CPUs 0 and 2 on C0, CPU 1 on C1), two 2 s intervals. */
function recording(over: Partial<RecordedThermal> = {}): RecordedThermal {
  return {
    // Package 20 J, 30 J (10 W, 15 W); core domain 8 J, 10 J (4 W, 5 W).
    energy: { t0: f(0, 0, 2, 2), t1: f(2, 2, 4, 4), socket: f(0, 0, 0, 0), domain: ['core', 'package', 'core', 'package'], joules: f(8, 20, 10, 30) },
    // First interval: C0 busy (0.5 + 0.25)·2 = 1.5 s, C1 0.25·2 = 0.5 s; second: nobody busy.
    busy: { t0: f(0, 0, 0, 2, 2, 2), t1: f(2, 2, 2, 4, 4, 4), cpu: f(0, 1, 2, 0, 1, 2), percent: f(50, 25, 25, 0, 0, 0) },
    temps: { t: f(0, 1, 2, 2, 4), entity: ['S0-C0', 'S0-C0', 'S0-C0', 'S0-C1', 'S0-C0'], celsius: f(39, 40, 41, 38, 42) },
    cpuCores: new Map([[0, 'S0-C0'], [1, 'S0-C1'], [2, 'S0-C0']]),
    energyTrace: 1,
    ...over,
  };
}

describe('buildFitSeries', () => {
  it('splits the core domain by busy share and gives the rest to the heatsink', () => {
    const { packages, notes } = buildFitSeries(recording());
    expect(notes).toEqual([]);
    const p = packages[0]!;
    expect(p.cores).toEqual(['S0-C0', 'S0-C1']);
    // Interval 1: 4 W · (0.75, 0.25); interval 2: nobody busy ⇒ even, 2.5 W each.
    expect([...p.coreWatts]).toEqual([3, 1, 2.5, 2.5]);
    expect([...p.heatsinkWatts]).toEqual([6, 10]);
  });

  it('takes the last reading in (t0, t1] as the observation at t1', () => {
    const p = buildFitSeries(recording()).packages[0]!;
    // t = 0 is before the first interval (open at t0); 41 at t = 2 beats 40 at t = 1.
    expect([...p.celsius]).toEqual([41, 38, 42, NaN]);
  });

  it('weights a busy sample by its overlap with each interval', () => {
    // CPU 1 fully busy over [1, 3]: 1 s in each interval; CPU 0 fully busy over [0, 4]: 2 s each.
    const rec = recording({ busy: { t0: f(1, 0), t1: f(3, 4), cpu: f(1, 0), percent: f(100, 100) } });
    const p = buildFitSeries(rec).packages[0]!;
    // Shares 2:1 in both intervals ⇒ (4·2/3, 4/3) and (5·2/3, 5/3).
    const want = [8 / 3, 4 / 3, 10 / 3, 5 / 3];
    p.coreWatts.forEach((w, i) => expect(w).toBeCloseTo(want[i]!, 12));
  });

  it('spreads power evenly, and says so, when no CPU→core map is known', () => {
    const { packages, notes } = buildFitSeries(recording({ cpuCores: new Map() }));
    expect(notes).toEqual([messages.thermalEvenSplit(0)]);
    expect([...packages[0]!.coreWatts]).toEqual([2, 2, 2.5, 2.5]);
  });

  it('an explicit map wins over the recording\'s', () => {
    const p = buildFitSeries(recording(), new Map([[0, 'S0-C1'], [1, 'S0-C0'], [2, 'S0-C1']])).packages[0]!;
    expect([...p.coreWatts.subarray(0, 2)]).toEqual([1, 3]);
  });

  it('distributes the whole package by Busy% without a core domain, and says so', () => {
    const e = recording().energy;
    const { packages, notes } = buildFitSeries(recording({
      energy: { t0: f(0, 2), t1: f(2, 4), socket: f(0, 0), domain: ['package', 'package'], joules: f(e.joules[1]!, e.joules[3]!) },
    }));
    expect(notes).toEqual([messages.thermalPackageByBusy(0)]);
    expect([...packages[0]!.coreWatts]).toEqual([7.5, 2.5, 7.5, 7.5]);
    expect([...packages[0]!.heatsinkWatts]).toEqual([0, 0]);
  });

  it('leaves out a socket with temperatures but no package energy', () => {
    const r = recording();
    const { packages, notes } = buildFitSeries(recording({
      temps: { t: f(...r.temps.t, 2), entity: [...r.temps.entity, 'S1-C0'], celsius: f(...r.temps.celsius, 50) },
    }));
    expect(packages.map((p) => p.socket)).toEqual([0]);
    expect(notes).toEqual([messages.thermalNoPower(1)]);
  });
});
