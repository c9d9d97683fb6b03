import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImbalanceAccumulator, imbalance, powerImbalance, thermalImbalance } from '../../../src/replay/metrics/imbalance.js';

// Two packages of two cores; three ticks lasting 1, 2 and 1 s.
//   tick 0: [50, 53 | 40, 41] → spreads 3, 1
//   tick 1: [55, 54 | 42, 46] → spreads 1, 4
//   tick 2: [60, 60 | 45, 50] → spreads 0, 5
// Samples (spread, seconds): (3,1) (1,1) (1,2) (4,2) (0,1) (5,1); total 8 package-seconds.
// Mean = (3 + 1 + 2 + 8 + 0 + 5) / 8 = 19/8 = 2.375 °C.
// Sorted with running weight: 0→1, 1→2, 1→4, 3→5, 4→7, 5→8; 0.95·8 = 7.6 is first reached at 5.
const celsius = Float64Array.from([50, 53, 40, 41, 55, 54, 42, 46, 60, 60, 45, 50]);
const dt = Float64Array.from([1, 2, 1]);
const packageOf = [0, 0, 1, 1];

describe('thermalImbalance', () => {
  it('is the time-weighted mean and p95 of per-package spreads (hand-worked)', () => {
    expect(thermalImbalance({ celsius, dt }, { packageOf })).toEqual({ mean: 2.375, p95: 5 });
  });

  it('takes one tick length for all ticks', () => {
    // Equal weights: mean (3+1+1+4+0+5)/6 = 14/6; 0.95·6 = 5.7 is reached only at the last (5).
    const r = thermalImbalance({ celsius, dt: 0.5 }, { packageOf });
    expect(r.mean).toBeCloseTo(14 / 6, 12);
    expect(r.p95).toBe(5);
  });

  it('skips NaN readings and packages without cores', () => {
    const withGap = Float64Array.from(celsius);
    withGap[1] = NaN; // tick 0, package 0 now holds only 50: spread 0 instead of 3.
    expect(thermalImbalance({ celsius: withGap, dt }, { packageOf }).mean).toBeCloseTo(16 / 8, 12);
    // Package 1 unused (cores on 0 and 2): the same eight package-seconds.
    expect(thermalImbalance({ celsius, dt }, { packageOf: [0, 0, 2, 2] })).toEqual({ mean: 2.375, p95: 5 });
  });

  it('is NaN for an empty run', () => {
    const r = imbalance({ values: new Float64Array(0), dt: 1 }, { packageOf });
    expect(Number.isNaN(r.mean) && Number.isNaN(r.p95)).toBe(true);
  });
});

describe('powerImbalance', () => {
  it('is the same measure over watts', () => {
    // One package of three cores: spreads 10 − 2 = 8 W (1 s) and 6 − 6 = 0 W (3 s) ⇒ mean 8/4 = 2 W;
    // 0.95·4 = 3.8 is reached at 8 (running weight 3 at 0, then 4).
    const watts = Float64Array.from([2, 10, 5, 6, 6, 6]);
    expect(powerImbalance({ watts, dt: Float64Array.from([1, 3]) }, { packageOf: [0, 0, 0] })).toEqual({ mean: 2, p95: 8 });
  });
});

describe('ImbalanceAccumulator', () => {
  it('streams the same mean, and p95 within resolution/2', () => {
    const acc = new ImbalanceAccumulator({ packageOf });
    for (let k = 0; k < 3; k++) acc.add(celsius.subarray(k * 4, k * 4 + 4), dt[k]!);
    const r = acc.result();
    expect(r.mean).toBeCloseTo(2.375, 12);
    expect(Math.abs(r.p95 - 5)).toBeLessThanOrEqual(0.005);
  });

  it('agrees with the exact p95 to within resolution/2 on arbitrary runs', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 90, noNaN: true }), fc.double({ min: 0, max: 90, noNaN: true }),
        fc.double({ min: 1e-3, max: 5, noNaN: true })), { minLength: 1, maxLength: 60 }),
      fc.constantFrom(0.01, 0.25),
      (ticks, resolution) => {
        const values = Float64Array.from(ticks.flatMap(([a, b]) => [a, b]));
        const lengths = Float64Array.from(ticks.map(([, , w]) => w));
        const exact = imbalance({ values, dt: lengths }, { packageOf: [0, 0] });
        const acc = new ImbalanceAccumulator({ packageOf: [0, 0], resolution });
        ticks.forEach(([a, b, w]) => acc.add([a, b], w));
        const streamed = acc.result();
        expect(Math.abs(streamed.p95 - exact.p95)).toBeLessThanOrEqual(resolution / 2 + 1e-9);
        expect(Math.abs(streamed.mean - exact.mean)).toBeLessThanOrEqual(1e-9 * Math.max(1, exact.mean));
      }), { numRuns: 200 });
  });

  it('scans contiguous packages in place and interleaved or gapped ones through the general path, alike', () => {
    // Per tick: the spread of each package over its cores, NaN readings skipped; package 1 has no core in `gapped`.
    const layouts = { contiguous: [0, 0, 1, 1, 1], interleaved: [0, 1, 0, 1, 1], gapped: [0, 0, 2, 2, 2] };
    const rows = [[40, 43, 50, 51, 57], [41, NaN, 52, 50, 50], [NaN, NaN, 49, 49, 49]];
    const expected = {
      contiguous: [3, 7, 0, 2, NaN, 0],
      interleaved: [10, 14, 11, 0, 0, 0],
      gapped: [3, 7, 0, 2, NaN, 0],
    };
    for (const [name, packageOf] of Object.entries(layouts)) {
      const acc = new ImbalanceAccumulator({ packageOf, resolution: 0.5 });
      for (const row of rows) acc.add(row, 1);
      const samples = expected[name as keyof typeof expected].filter((v) => !Number.isNaN(v));
      expect(acc.result().mean).toBeCloseTo(samples.reduce((a, b) => a + b, 0) / samples.length, 12);
    }
  });
});
