import { describe, expect, it } from 'vitest';
import { readCounterSeries } from '../../src/store/calibration-data.js';
import { openStore } from '../../src/store/store.js';
import { completeTrace, insertTrace } from '../../src/store/traces.js';

type SampleRow = [t0: number, t1: number, scope: string, entity: string, cpu: number | null, event: string, value: number, derivation: string | null];

describe('readCounterSeries', () => {
  it('sums the measured per-CPU rows, not the derived host remainder a residency split leaves', async () => {
    const store = await openStore(':memory:');
    const id = await insertTrace(store, { name: 'percpu.csv', bundle: 'b', host: null, hypervisor: null, source: 'percpu.csv', contentHash: 'h', format: 'perf-stat-csv' });
    await completeTrace(store, id, { host: null, hypervisor: null, startEpochSeconds: null, skippedLines: 0, meta: {} });
    // Two CPUs counted 100 + 300 cycles; the residency split put 320 on a vCPU and left 80 to the
    // host (scope `host`, the coarsest scope there is, but only a part of the machine).
    const rows: SampleRow[] = [
      [0, 1, 'cpu', 'CPU0', 0, 'cycles', 100, null], [0, 1, 'cpu', 'CPU1', 1, 'cycles', 300, null],
      [0, 1, 'vcpu', 'A/vcpu0', 1, 'cycles', 320, 'residency-split'], [0, 1, 'vm', 'A', null, 'cycles', 320, 'residency-split'],
      [0, 1, 'host', 'unattributed', 0, 'cycles', 80, 'residency-split'],
    ];
    for (const r of rows) await store.run('INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)', [id, ...r]);
    const [series, ...rest] = await readCounterSeries(store, id, { perSocket: false });
    expect(rest).toEqual([]);
    expect({ key: series!.key, unit: series!.unit, value: [...series!.value] }).toEqual({ key: 'cycles', unit: -1, value: [400] });
    store.close();
  });
});
