import { describe, expect, it } from 'vitest';
import { chart, chartSpec, listChartKinds, registerChartKind } from '../../src/charts/chart.js';
import { weightsSpec } from '../../src/charts/weights.js';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { decodePng } from '../helpers/png.js';
import { samples } from './sample-data.js';

describe('chart registry and verb', () => {
  it('lists the seven kinds the issue asks for', () => {
    expect(listChartKinds().map((k) => k.name)).toEqual([
      'calibration-fit', 'weights', 'vm-energy', 'temperature-heatmap', 'imbalance-cdf', 'policy-comparison', 'overhead-tradeoff',
    ]);
    expect(Object.keys(samples).sort()).toEqual(listChartKinds().map((k) => k.name).sort());
  });

  it('suggests the nearest kind for a typo', () => {
    try {
      chartSpec('wieghts', {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).code).toBe('chart.unknownKind');
      expect((e as UsageError).message).toBe(messages.unknownChartKind('wieghts', listChartKinds().map((k) => k.name)));
      expect((e as UsageError).hint).toBe('did you mean "weights"?');
    }
  });

  it('refuses to replace a kind silently', () => {
    const kind = { name: 'weights', description: 'again', build: weightsSpec };
    expect(() => registerChartKind(kind)).toThrow(expect.objectContaining({ code: 'chart.duplicateKind' }));
  });

  it('suggests the nearest theme for a typo', () => {
    expect(() => chartSpec('weights', samples.weights!(), { theme: 'paper-1clo' as never }))
      .toThrow(expect.objectContaining({ code: 'chart.unknownTheme', hint: 'did you mean "paper-1col"?' }));
  });

  it('renders through the verb in each format (svg by default)', async () => {
    const data = samples.weights!();
    expect(await chart('weights', data)).toMatch(/^<svg/);
    expect(JSON.parse((await chart('weights', data, { format: 'json', title: 'Weights' })) as string).title).toBe('Weights');
    expect(decodePng((await chart('weights', data, { format: 'png', theme: 'paper-2col' })) as Uint8Array).width).toBe(2100);
  });

  it('reports invalid data as a usage error naming the field', () => {
    expect(() => chartSpec('vm-energy', { rows: [{ vm: 'a', component: 'dynamic' }] }))
      .toThrow(expect.objectContaining({ code: 'chart.badData', message: expect.stringMatching(/rows\.0\.joules/) }));
  });
});
