import { describe, expect, it } from 'vitest';
import { chartInputFromStore, vmEnergyInput } from '../../src/charts/store-input.js';
import { ExitCode } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { openStore } from '../../src/store/store.js';
import { replayModelFile } from '../helpers/replay-model.js';

describe('chart input from the store', () => {
  it('says what each kind needs when the store or the options lack it', async () => {
    const store = await openStore(':memory:');
    await expect(chartInputFromStore(store, 'weights')).rejects.toMatchObject({ code: 'chart.needsModel', message: messages.chartNeedsModel('weights') });
    await expect(chartInputFromStore(store, 'calibration-fit')).rejects.toMatchObject({ code: 'chart.needsModel' });
    // a static-only model has no weight to draw
    const staticOnly = replayModelFile({}, 10);
    await expect(chartInputFromStore(store, 'weights', { model: staticOnly })).rejects.toMatchObject({
      code: 'chart.noTerms', message: messages.chartNoTerms('weights'), hint: messages.hintChartNoTerms(), exitCode: ExitCode.usage,
    });
    expect(await chartInputFromStore(store, 'weights', { model: replayModelFile({ instructions: 1e-9 }, 10) }))
      .toEqual({ events: ['instructions'], weightsJ: [1e-9], ciLowJ: [1e-9], ciHighJ: [1e-9] });
    await expect(chartInputFromStore(store, 'vm-energy')).rejects.toMatchObject({ code: 'chart.noAttribution' });
    for (const kind of ['imbalance-cdf', 'policy-comparison', 'overhead-tradeoff']) {
      await expect(chartInputFromStore(store, kind)).rejects.toMatchObject({ code: 'chart.noRuns', message: messages.chartNoRuns() });
    }
    await expect(chartInputFromStore(store, 'temperature-heatmap', { run: 'ab' })).rejects.toMatchObject({ code: 'chart.noRuns' });
    await expect(chartInputFromStore(store, 'temperature-heatmap')).rejects.toMatchObject({ code: 'chart.noTemps' });
    await expect(chartInputFromStore(store, 'my-kind')).rejects.toMatchObject({ code: 'chart.needsData' });
    store.close();
  });

  it('reads per-VM energy of the chosen attribution, float noise below zero clamped', async () => {
    const store = await openStore(':memory:');
    await store.run(`INSERT INTO attribution VALUES ('a1', 1, 0, 1, 'vm', 'web', NULL, 'package', 10, 0, 4, 'counter-model'),
      ('b2', 1, 0, 1, 'vm', 'db', NULL, 'package', 5, 1, 2, 'counter-model')`);
    expect(await chartInputFromStore(store, 'vm-energy', { run: 'a' })).toEqual({ rows: [
      { vm: 'web', component: 'static', joules: 4 }, { vm: 'web', component: 'dynamic', joules: 6 }, { vm: 'web', component: 'io-emulation', joules: 0 },
    ] });
    expect(await chartInputFromStore(store, 'vm-energy')).toMatchObject({ rows: [{ vm: 'db', component: 'static', joules: 2 }, {}, {}] });
    expect(vmEnergyInput([{ vm: 'x', component: 'io-emulation', joules: -1e-14 }]).rows[0]!.joules).toBe(0);
    store.close();
  });
});
