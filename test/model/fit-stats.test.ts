import { describe, expect, it } from 'vitest';
import { ErrorTally, fitStats } from '../../src/model/fit-stats.js';
import { reference } from '../helpers/model-reference.js';

describe('fitStats', () => {
  it('computes R², RMSE, MAPE and max error by hand on four intervals of 2 s', () => {
    // measured 10, 20, 30, 40 J; predicted 12, 18, 30, 44 J → errors 2, −2, 0, 4 J
    const s = fitStats([10, 20, 30, 40], [12, 18, 30, 44], 2);
    expect(s.n).toBe(4);
    expect(s.rmse).toBeCloseTo(Math.sqrt((4 + 4 + 0 + 16) / 4) / 2, 12); // J per interval / 2 s → W
    expect(s.mape).toBeCloseTo((100 * (0.2 + 0.1 + 0 + 0.1)) / 4, 12);
    expect(s.maxError).toBe(2); // 4 J over 2 s
    expect(s.r2).toBeCloseTo(1 - 24 / 500, 12); // SST = 15² + 5² + 5² + 15²
    expect(s.totalError).toBeCloseTo((100 * 4) / 100, 12);
  });

  it("equals scikit-learn's r2_score, mean_squared_error, mean_absolute_percentage_error and max_error", () => {
    const r = reference.stats;
    const s = fitStats(r.y, r.yhat, r.seconds);
    expect(s.r2).toBeCloseTo(r.r2, 12);
    expect(s.rmse).toBeCloseTo(r.rmse_watts, 12);
    expect(s.mape).toBeCloseTo(r.mape_percent, 10);
    expect(s.maxError).toBeCloseTo(r.max_error_watts, 12);
  });

  it('leaves intervals with no measured energy out of MAPE only, and merges tallies', () => {
    const a = new ErrorTally(1);
    a.add(0, 1);
    const b = new ErrorTally(1);
    b.add(10, 11);
    a.merge(b);
    const s = a.stats();
    expect(s.n).toBe(2);
    expect(s.mape).toBeCloseTo(10, 12);
    expect(s.rmse).toBe(1);
  });

  it('reports NaN, not 0, when there is nothing to compare', () => {
    const s = new ErrorTally(1).stats();
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.rmse) && Number.isNaN(s.mape) && Number.isNaN(s.r2)).toBe(true);
  });
});
