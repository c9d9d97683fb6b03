import { describe, expect, it } from 'vitest';
import { runSeconds, tickLength } from '../../../src/replay/metrics/tick-seconds.js';

describe('tick seconds', () => {
  it('reads a fixed tick or one per tick', () => {
    expect(tickLength(0.25, 7)).toBe(0.25);
    expect(tickLength(Float64Array.from([1, 3]), 1)).toBe(3);
    expect(runSeconds(0.25, 8)).toBe(2);
    expect(runSeconds(Float64Array.from([1, 3, 5]), 2)).toBe(4);
  });
});
