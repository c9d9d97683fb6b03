import { describe, expect, it } from 'vitest';
import { calibrationFitSpec, fitStats } from '../../src/charts/calibration-fit.js';
import { UsageError } from '../../src/errors.js';
import { calibrationSample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('calibration-fit chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(calibrationFitSpec(calibrationSample()))).toMatchFileSnapshot('golden/calibration-fit.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(calibrationFitSpec, calibrationSample());
  });

  it('computes R² and RMSE by hand-checked formulas', () => {
    // measured mean 2: SS_tot = 2, SS_res = 1 → R² = 0.5; RMSE = √(1/3)
    const s = fitStats([1, 2, 3], [1, 2, 4]);
    expect(s.r2).toBeCloseTo(0.5, 12);
    expect(s.rmseW).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(fitStats([5, 5], [5, 6]).r2).toBeNaN();
  });

  it('orders rows by time, shares one power domain and prints the fit statistics', () => {
    const spec = calibrationFitSpec({ t: [2, 0, 1], measuredW: [30, 10, 20], predictedW: [31, 9, 20] }) as any;
    expect(spec.data.values).toEqual([
      { t: 0, measured: 10, predicted: 9, residual: 1 },
      { t: 1, measured: 20, predicted: 20, residual: 0 },
      { t: 2, measured: 30, predicted: 31, residual: -1 },
    ]);
    const scatter = spec.vconcat[0].layer;
    // layers: points, identity line (drawn over the points), statistics
    expect(scatter[0].encoding.x.scale.domain).toEqual(scatter[0].encoding.y.scale.domain);
    expect(scatter[1].data.values.map((v: { w: number }) => v.w)).toEqual(scatter[0].encoding.x.scale.domain);
    expect(scatter[2].data.values[0].label).toBe(`R² = 0.990, RMSE = ${+Math.sqrt(2 / 3).toPrecision(3)} W`);
  });

  it('draws smaller, lighter points when there are thousands of intervals', () => {
    const few = (calibrationFitSpec(calibrationSample(24)) as any).vconcat[0].layer[0].mark;
    const many = (calibrationFitSpec(calibrationSample(3600)) as any).vconcat[0].layer[0].mark;
    expect(few).toMatchObject({ size: 12, opacity: 0.7 });
    expect(many.size).toBeLessThan(few.size);
    expect(many.opacity).toBeLessThan(few.opacity);
  });

  it('puts the panels side by side on wide themes', () => {
    expect(calibrationFitSpec(calibrationSample(), { theme: 'paper-2col' })).toHaveProperty('hconcat');
    expect(calibrationFitSpec(calibrationSample(), { theme: 'paper-1col' })).toHaveProperty('vconcat');
  });

  it('refuses arrays of different lengths and empty input', () => {
    expect(() => calibrationFitSpec({ t: [0, 1], measuredW: [1], predictedW: [1, 2] })).toThrow(UsageError);
    expect(() => calibrationFitSpec({ t: [], measuredW: [], predictedW: [] })).toThrow(expect.objectContaining({ code: 'chart.noData' }));
    expect(() => calibrationFitSpec({ t: [0], measuredW: [NaN], predictedW: [1] } as never)).toThrow(expect.objectContaining({ code: 'chart.badData' }));
  });
});
