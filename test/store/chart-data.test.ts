import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { heatmapTemperatures, resolveChartTrace } from '../../src/store/chart-data.js';
import { openStore } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';

async function storeWithTemps() {
  const store = await openStore(':memory:');
  const result = await ingest(store, [fixturePath('turbostat', 'old-spaces.txt'), fixturePath('sensors-json', 'two-socket.json')]);
  const id = (name: string) => result.traces.find((t) => t.name === name)!.id;
  return { store, turbostat: id('old-spaces.txt'), sensors: id('two-socket.json') };
}

describe('chart data from the store', () => {
  it('finds a trace by id or name, and names the candidates otherwise', async () => {
    const { store, turbostat } = await storeWithTemps();
    expect(await resolveChartTrace(store, String(turbostat))).toBe(turbostat);
    expect(await resolveChartTrace(store, 'old-spaces.txt')).toBe(turbostat);
    await expect(resolveChartTrace(store, 'old-space.txt'))
      .rejects.toMatchObject({ code: 'chart.traceNotFound', hint: 'did you mean "old-spaces.txt"?' });
    await expect(resolveChartTrace(store, '999')).rejects.toMatchObject({ code: 'chart.traceNotFound' });
    // two traces hold core temperatures: the user must choose
    await expect(resolveChartTrace(store)).rejects.toMatchObject({ code: 'chart.pickTrace' });
    store.close();
  });

  it('reads per-core temperatures in (core, time) order', async () => {
    const { store, turbostat } = await storeWithTemps();
    // old-spaces.txt: CTMP of core 0 is 40 then 41 °C, of core 1 38 °C (its second block has no core-1 row with CTMP)
    expect(await heatmapTemperatures(store, turbostat)).toEqual({
      t: [5, 10, 5], core: ['S0-C0', 'S0-C0', 'S0-C1'], celsius: [40, 41, 38], scope: 'core',
    });
    store.close();
  });

  it('falls back to per-CPU readings and picks the only trace that has any', async () => {
    const store = await openStore(':memory:');
    await store.run("INSERT INTO temps VALUES (7, 1, 'cpu', 'cpu1', 51), (7, 0, 'cpu', 'cpu0', 50), (8, 0, 'socket', 'S0', 49)");
    expect(await resolveChartTrace(store)).toBe(7);
    expect(await heatmapTemperatures(store, 7)).toEqual({ t: [0, 1], core: ['cpu0', 'cpu1'], celsius: [50, 51], scope: 'cpu' });
    await expect(heatmapTemperatures(store, 8)).rejects.toMatchObject({ code: 'chart.noTemps' });
    store.close();
  });

  it('says so when no trace has temperatures', async () => {
    const store = await openStore(':memory:');
    await expect(resolveChartTrace(store)).rejects.toMatchObject({ code: 'chart.noTemps' });
    store.close();
  });
});
