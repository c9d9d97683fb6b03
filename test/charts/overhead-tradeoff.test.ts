import { describe, expect, it } from 'vitest';
import { overheadTradeoffSpec } from '../../src/charts/overhead-tradeoff.js';
import { overheadTradeoffSample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('overhead-tradeoff chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(overheadTradeoffSpec(overheadTradeoffSample()))).toMatchFileSnapshot('golden/overhead-tradeoff.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(overheadTradeoffSpec, overheadTradeoffSample());
  });

  it('titles both axes with units and defaults the overhead label', () => {
    const point = { policy: 'p', overhead: 1, overheadLow: 1, overheadHigh: 1, imbalanceC: 2, imbalanceLowC: 2, imbalanceHighC: 2 };
    const spec = overheadTradeoffSpec({ overheadUnit: 'core-s', points: [point] }) as any;
    expect(spec.layer[2].encoding.x.title).toBe('Overhead (core-s)');
    expect(spec.layer[2].encoding.y.title).toBe('Mean thermal imbalance (°C)');
  });

  it('wraps the legend to the figure width', () => {
    const spec = overheadTradeoffSpec(overheadTradeoffSample()) as any;
    expect(spec.layer[2].encoding.color.legend.columns).toBeLessThan(4);
    expect((overheadTradeoffSpec(overheadTradeoffSample(), { theme: 'paper-2col' }) as any).layer[2].encoding.color.legend.columns).toBe(4);
  });

  it('refuses a point outside its interval', () => {
    const point = { policy: 'p', overhead: 5, overheadLow: 1, overheadHigh: 2, imbalanceC: 2, imbalanceLowC: 2, imbalanceHighC: 2 };
    expect(() => overheadTradeoffSpec({ overheadUnit: '1/s', points: [point] })).toThrow(/interval/);
  });
});
