import { describe, expect, it } from 'vitest';
import { throttledCoreSeconds } from '../../../src/replay/metrics/throttled.js';

describe('throttledCoreSeconds', () => {
  it('adds the throttled seconds of every core and tick', () => {
    // Two ticks × two cores: 0.1 + 0 + 0.25 + 0.5 = 0.85 core-s.
    expect(throttledCoreSeconds({ throttledSeconds: Float64Array.from([0.1, 0, 0.25, 0.5]) })).toBeCloseTo(0.85, 15);
  });
});
