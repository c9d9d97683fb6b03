import { describe, expect, it } from 'vitest';
import { policyComparisonSpec } from '../../src/charts/policy-comparison.js';
import { policyComparisonSample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('policy-comparison chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(policyComparisonSpec(policyComparisonSample()))).toMatchFileSnapshot('golden/policy-comparison.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(policyComparisonSpec, policyComparisonSample());
  });

  it('draws one panel per metric, titled with its unit, policy names in the first column only', () => {
    const spec = policyComparisonSpec(policyComparisonSample()) as any;
    expect(spec.columns).toBe(2);
    expect(spec.concat.map((p: any) => p.layer[1].encoding.x.title)).toEqual(['Mean imbalance (°C)', 'Energy (kJ)', 'Migrations (1/s)']);
    expect(spec.concat.map((p: any) => p.layer[1].encoding.y.axis.labels)).toEqual([undefined, false, undefined]);
    expect(policyComparisonSpec(policyComparisonSample(), { theme: 'paper-2col' })).toMatchObject({ columns: 3 });
  });

  it('refuses a metric given in two units', () => {
    const rows = [
      { policy: 'a', metric: 'Energy', unit: 'kJ', mean: 1, ciLow: 1, ciHigh: 1 },
      { policy: 'b', metric: 'Energy', unit: 'J', mean: 1, ciLow: 1, ciHigh: 1 },
    ];
    expect(() => policyComparisonSpec({ rows })).toThrow(/same unit/);
  });
});
