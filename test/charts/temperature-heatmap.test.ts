import { describe, expect, it } from 'vitest';
import { heatmapBins, temperatureHeatmapSpec } from '../../src/charts/temperature-heatmap.js';
import { heatmapSample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('temperature-heatmap chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(temperatureHeatmapSpec(heatmapSample()))).toMatchFileSnapshot('golden/temperature-heatmap.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(temperatureHeatmapSpec, heatmapSample());
  });

  it('picks nice bins: at most maxBins, never narrower than the reading interval', () => {
    expect(heatmapBins([0, 1, 2, 3, 1000], 100)).toEqual({ width: 10, first: 0 }); // 1000 s / 100 → 10 s
    expect(heatmapBins([100, 105, 110, 115], 100)).toEqual({ width: 5, first: 20 }); // readings every 5 s
    expect(heatmapBins([7, 7], 10).width).toBeGreaterThan(0);
  });

  it('averages the readings of each cell and orders cores naturally', () => {
    const spec = temperatureHeatmapSpec({
      t: [0, 0.2, 1, 2, 3],
      core: ['C10', 'C10', 'C2', 'C2', 'C9'],
      celsius: [40, 42, 50, 54, 60],
    }) as any;
    // gaps between distinct times 0.2, 0.8, 1, 1: (upper) median 1 → bins of 1 s
    expect(spec.data.values).toEqual([
      { core: 'C2', t0: 1, t1: 2, celsius: 50 },
      { core: 'C2', t0: 2, t1: 3, celsius: 54 },
      { core: 'C9', t0: 3, t1: 4, celsius: 60 },
      { core: 'C10', t0: 0, t1: 1, celsius: 41 },
    ]);
    expect(spec.encoding.y.sort).toEqual(['C2', 'C9', 'C10']);
    expect(spec.encoding.color.title).toBe('Temperature (°C)');
    expect(spec.encoding.y.title).toBe('Core');
  });

  it('names the axis CPU for per-CPU readings', () => {
    const spec = temperatureHeatmapSpec({ t: [0], core: ['cpu0'], celsius: [40], scope: 'cpu' }) as any;
    expect(spec.encoding.y.title).toBe('CPU');
  });
});
