import { describe, expect, it } from 'vitest';
import { weightsSpec } from '../../src/charts/weights.js';
import { weightsSample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('weights chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(weightsSpec(weightsSample()))).toMatchFileSnapshot('golden/weights.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(weightsSpec, weightsSample());
  });

  it('scales J/event to a readable SI prefix and orders events by weight', () => {
    const spec = weightsSpec({ events: ['a', 'b'], weightsJ: [2e-6, 5e-6], ciLowJ: [1e-6, 4e-6], ciHighJ: [3e-6, 6.5e-6] }) as any;
    expect(spec.data.values).toEqual([
      { event: 'b', weight: 5, low: 4, high: 6.5 },
      { event: 'a', weight: 2, low: 1, high: 3 },
    ]);
    expect(spec.layer[1].encoding.x.title).toBe('Energy per event (µJ)');
    expect(spec.layer[1].encoding.y.sort).toEqual(['b', 'a']);
  });

  it('refuses a weight outside its interval and repeated events', () => {
    expect(() => weightsSpec({ events: ['a'], weightsJ: [5], ciLowJ: [6], ciHighJ: [7] })).toThrow(/within \[ciLowJ, ciHighJ\]/);
    expect(() => weightsSpec({ events: ['a', 'a'], weightsJ: [1, 1], ciLowJ: [1, 1], ciHighJ: [1, 1] })).toThrow(/unique/);
  });
});
