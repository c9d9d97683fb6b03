import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { writeAttribution } from '../../src/store/attribution-data.js';
import {
  heatmapTemperatures, resolveAttribution, resolveChartTrace, resolveReplayRun, runTemperatures,
} from '../../src/store/chart-data.js';
import { openStore } from '../../src/store/store.js';
import { insertTrace } from '../../src/store/traces.js';
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

  it('takes any SEL: a bundle name or glob picks the one match with temperatures; several are named', async () => {
    // bundle `a`: 1 perf.csv (no temperatures), 2 turbostat.txt (core); bundle `b`: 3 turbostat.txt (cpu), 4 perf.csv
    const store = await openStore(':memory:');
    for (const [name, bundle] of [['perf.csv', 'a'], ['turbostat.txt', 'a'], ['turbostat.txt', 'b'], ['perf.csv', 'b']] as const) {
      await insertTrace(store, { name, bundle, host: null, hypervisor: null, source: `${bundle}/${name}`, contentHash: `${bundle}/${name}`, format: 'test' });
    }
    await store.run("INSERT INTO temps VALUES (2, 0, 'core', 'S0-C0', 50), (3, 0, 'cpu', 'cpu0', 60), (4, 0, 'socket', 'S0', 40)");
    expect(await resolveChartTrace(store, 'a')).toBe(2);
    expect(await resolveChartTrace(store, 'b/*')).toBe(3);
    expect(await resolveChartTrace(store, '3,4')).toBe(3);
    // one match is that trace, temperatures or not (heatmapTemperatures says it has none)
    expect(await resolveChartTrace(store, 'a/perf.csv')).toBe(1);
    const failure = (sel: string) => resolveChartTrace(store, sel).then(() => null, (e: unknown) => e);
    for (const sel of ['turbostat.txt', '*', '2,3']) {
      const e = await failure(sel);
      expect(e).toBeInstanceOf(UsageError);
      expect(e).toMatchObject({
        code: 'chart.traceAmbiguous', message: messages.chartTraceAmbiguous(sel, ['2 a/turbostat.txt', '3 b/turbostat.txt']),
        hint: messages.hintChartOneTrace('2'),
      });
    }
    expect(await failure('perf.csv')).toMatchObject({ code: 'chart.noTemps', message: messages.chartSelectionNoTemps('perf.csv', 2) });
    expect(await failure('c*')).toMatchObject({ code: 'chart.traceNotFound', message: messages.chartTraceNotFound('c*') });
    expect(await failure('2,9')).toMatchObject({ code: 'chart.traceNotFound', message: messages.chartTraceNotFound('9') });
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

describe('replay runs and attributions by id', () => {
  async function storeWithRuns() {
    const store = await openStore(':memory:');
    // two runs saved together (one compare: the same time), one later, one earlier
    for (const [id, created] of [['aa11', '2026-01-02 10:00:00'], ['aa22', '2026-01-02 10:00:00'], ['bb33', '2026-01-03 09:00:00'], ['cc44', '2026-01-01 00:00:00']] as const) {
      await store.run(`INSERT INTO replay_runs VALUES (?, 'demo', '[1]', 'm', 'recorded', 'default', '{}', 1, 0.001, 0, 10, ?::TIMESTAMP, '{}')`, [id, created]);
    }
    return store;
  }

  it('takes an id or its start, defaults to the latest run, and names ambiguous and unknown ones', async () => {
    const store = await storeWithRuns();
    expect(await resolveReplayRun(store)).toBe('bb33');
    expect(await resolveReplayRun(store, 'cc')).toBe('cc44');
    expect(await resolveReplayRun(store, 'aa22')).toBe('aa22');
    await expect(resolveReplayRun(store, 'aa')).rejects.toMatchObject({
      code: 'chart.runAmbiguous', message: messages.chartIdAmbiguous('replay run', 'aa', ['aa11', 'aa22']),
    });
    await expect(resolveReplayRun(store, 'zz')).rejects.toMatchObject({ code: 'chart.runNotFound' });
    store.close();
  });

  it('says what to run first when the store has no runs or attributions', async () => {
    const store = await openStore(':memory:');
    await expect(resolveReplayRun(store)).rejects.toMatchObject({ code: 'chart.noRuns', message: messages.chartNoRuns() });
    await expect(resolveReplayRun(store, 'aa')).rejects.toMatchObject({ code: 'chart.noRuns' });
    await expect(resolveAttribution(store)).rejects.toMatchObject({ code: 'chart.noAttribution', message: messages.chartNoAttribution() });
    store.close();
  });

  it('defaults to the attribution written last, also after an earlier one is rewritten', async () => {
    const store = await openStore(':memory:');
    const write = (id: string) => writeAttribution(store, id, 1, [{ t0: 0, t1: 1, role: 'vm', vm: 'a', vcpu: null, domain: 'package', joules: 1, ioJoules: 0, idleJoules: 0, method: 'counter-model' }], []);
    await write('x1');
    await write('y2');
    expect(await resolveAttribution(store)).toBe('y2');
    await write('x1');
    expect(await resolveAttribution(store)).toBe('x1');
    expect(await resolveAttribution(store, 'y')).toBe('y2');
    await expect(resolveAttribution(store, 'q')).rejects.toMatchObject({ code: 'chart.attributionNotFound' });
    store.close();
  });

  it('reads a run\'s core temperatures from its series at the interval ends, and says when it kept none', async () => {
    const store = await storeWithRuns();
    await store.run(`INSERT INTO replay_series VALUES ('aa11', 1, 2, 'S0-C1', 'temp_c', 51), ('aa11', 0, 1, 'S0-C1', 'temp_c', 50),
      ('aa11', 0, 1, 'S0-C0', 'temp_c', 40), ('aa11', 0, 1, 'S0', 'imbalance_c', 10)`);
    expect(await runTemperatures(store, 'aa11')).toEqual({ t: [1, 1, 2], core: ['S0-C0', 'S0-C1', 'S0-C1'], celsius: [40, 50, 51], scope: 'core' });
    await expect(runTemperatures(store, 'aa22')).rejects.toMatchObject({ code: 'chart.noSeries' });
    store.close();
  });
});
