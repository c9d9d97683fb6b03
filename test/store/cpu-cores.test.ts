import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { readCpuCores } from '../../src/store/cpu-cores.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';

let store: Store;

async function trace(id: number, meta: object | null): Promise<void> {
  await store.run(`INSERT INTO traces (trace_id, name, source, content_hash, format, ingested_at, skipped_lines, meta)
    VALUES (?, ?, ?, ?, 'test', now()::TIMESTAMP, 0, ?::JSON)`, [id, `t${id}`, `/t${id}`, `h${id}`, meta && JSON.stringify(meta)]);
}

beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('readCpuCores', () => {
  it('joins the maps kept in meta with core-scope samples that name their CPU, over the traces asked for', async () => {
    await trace(1, { cpuCores: { 0: 'S0-C0', 2: 'S0-C0', 1: 'S0-C1' }, layout: 'tab' });
    await trace(2, null);
    await trace(3, { cpuCores: { 7: 'S1-C3' } });
    await store.run(`INSERT INTO samples (trace_id, t0, t1, scope, entity, cpu, event, value, enabled)
      VALUES (2, 0, 1, 'core', 'S0-C1', 3, 'turbostat:CPU%c6', 40, NULL), (2, 0, 1, 'core', 'S0-C1', NULL, 'turbostat:CoreThr', 0, NULL),
      (2, 0, 1, 'cpu', 'CPU5', 5, 'turbostat:Busy%', 10, NULL)`);
    expect(await readCpuCores(store, [1, 2])).toEqual(new Map([[0, 'S0-C0'], [1, 'S0-C1'], [2, 'S0-C0'], [3, 'S0-C1']]));
    expect(await readCpuCores(store, [2])).toEqual(new Map([[3, 'S0-C1']]));
    expect(await readCpuCores(store, [])).toEqual(new Map());
  });

  it('keeps the first core by name when two traces disagree about a CPU', async () => {
    await trace(1, { cpuCores: { 0: 'S0-C1' } });
    await trace(2, { cpuCores: { 0: 'S0-C0' } });
    expect(await readCpuCores(store, [1, 2])).toEqual(new Map([[0, 'S0-C0']]));
  });

  it('reads the map turbostat ingest keeps (generated Xen demo: 4 cores × 2 threads, CPU c on core c mod 4)', async () => {
    const { traces } = await ingest(store, [fixturePath('..', '..', 'traces', 'demo-xen', 'turbostat.txt')]);
    expect(await readCpuCores(store, traces.map((t) => t.id))).toEqual(new Map(Array.from({ length: 8 }, (_, c) => [c, `S0-C${c % 4}`])));
  });
});
