import { describe, expect, it } from 'vitest';
import { timeAboveLimit } from '../../../src/replay/metrics/time-above-limit.js';

describe('timeAboveLimit', () => {
  it('counts core-seconds strictly above the limit (hand-worked)', () => {
    // Limit 45 °C. Tick 0 (1 s): 44, 46, 45 → one core above (45 is not above) → 1 core-s.
    // Tick 1 (2 s): 46, 47, 30 → two cores → 4 core-s. Total 5.
    const celsius = Float64Array.from([44, 46, 45, 46, 47, 30]);
    expect(timeAboveLimit({ celsius, dt: Float64Array.from([1, 2]) }, { cores: 3, limitCelsius: 45 })).toBe(5);
    // With 0.5 s ticks: three core-ticks above → 1.5 core-s.
    expect(timeAboveLimit({ celsius, dt: 0.5 }, { cores: 3, limitCelsius: 45 })).toBe(1.5);
  });
});
