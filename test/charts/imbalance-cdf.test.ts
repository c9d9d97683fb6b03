import { describe, expect, it } from 'vitest';
import { ecdfPoints, imbalanceCdfSpec } from '../../src/charts/imbalance-cdf.js';
import { imbalanceCdfSample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('imbalance-cdf chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(imbalanceCdfSpec(imbalanceCdfSample()))).toMatchFileSnapshot('golden/imbalance-cdf.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(imbalanceCdfSpec, imbalanceCdfSample());
  });

  it('builds the step points of the empirical CDF, ties counted together', () => {
    expect(ecdfPoints([3, 1, 2, 2])).toEqual([
      { x: 1, percent: 0 }, { x: 1, percent: 25 }, { x: 2, percent: 75 }, { x: 3, percent: 100 },
    ]);
  });

  it('keeps exact quantiles when it thins long series', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 999 - i); // 0..999 shuffled by reversal
    const points = ecdfPoints(values, 4);
    expect(points).toEqual([
      { x: 0, percent: 0 }, { x: 249, percent: 25 }, { x: 499, percent: 50 }, { x: 749, percent: 75 }, { x: 999, percent: 100 },
    ]);
  });

  it('gives each policy its colour and dash, policies sorted', () => {
    const spec = imbalanceCdfSpec({ policies: [{ policy: 'zeta', imbalanceC: [1] }, { policy: 'alpha', imbalanceC: [2] }] }) as any;
    expect(spec.encoding.color.scale).toEqual({ domain: ['alpha', 'zeta'], range: ['#0072B2', '#D55E00'] });
    expect(spec.encoding.strokeDash.scale.domain).toEqual(['alpha', 'zeta']);
    expect(spec.data.values[0]).toEqual({ policy: 'alpha', imbalance: 2, percent: 0 });
    expect(spec.encoding.x.title).toBe('Thermal imbalance (°C)');
    expect(spec.encoding.y.title).toBe('Time at or below (%)');
  });

  it('refuses duplicate policies and policies without ticks', () => {
    expect(() => imbalanceCdfSpec({ policies: [{ policy: 'a', imbalanceC: [1] }, { policy: 'a', imbalanceC: [1] }] })).toThrow(/unique/);
    expect(() => imbalanceCdfSpec({ policies: [{ policy: 'a', imbalanceC: [] }] })).toThrow(/imbalanceC/);
  });
});
