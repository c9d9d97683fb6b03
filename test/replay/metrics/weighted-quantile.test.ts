import { describe, expect, it } from 'vitest';
import { weightedQuantile } from '../../../src/replay/metrics/weighted-quantile.js';

describe('weightedQuantile', () => {
  it('is the smallest value whose running weight reaches q of the total (hand-worked)', () => {
    // Sorted: 1 (w 1), 2 (w 1), 7 (w 2); total 4. q = 0.5 → 2 reaches 2; q = 0.51 → 7;
    // q = 0 → the smallest weighted value; a zero weight never wins.
    const v = [7, 1, 2, 100];
    const w = [2, 1, 1, 0];
    expect(weightedQuantile(v, w, 0.5)).toBe(2);
    expect(weightedQuantile(v, w, 0.51)).toBe(7);
    expect(weightedQuantile(v, w, 1)).toBe(7);
    expect(weightedQuantile(v, w, 0)).toBe(1);
    expect(weightedQuantile([], [], 0.95)).toBeNaN();
  });
});
