import { describe, expect, it } from 'vitest';
import { peakTemperature } from '../../../src/replay/metrics/peak-temperature.js';

describe('peakTemperature', () => {
  it('finds the largest reading and its first (tick, core)', () => {
    // Two ticks of three cores; 45.5 appears at (1, 0) and (1, 2): the first one counts.
    const celsius = Float64Array.from([40, 45, 44, 45.5, 39, 45.5]);
    expect(peakTemperature({ celsius }, { cores: 3 })).toEqual({ celsius: 45.5, tick: 1, core: 0 });
  });

  it('skips NaN readings; an empty run has no peak', () => {
    expect(peakTemperature({ celsius: Float64Array.from([NaN, 41, NaN, 40]) }, { cores: 2 })).toEqual({ celsius: 41, tick: 0, core: 1 });
    expect(peakTemperature({ celsius: new Float64Array(0) }, { cores: 2 })).toEqual({ celsius: NaN, tick: -1, core: -1 });
  });
});
