import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { readCpuSockets } from '../../src/store/cpu-sockets.js';
import { openStore, type Store } from '../../src/store/store.js';

let store: Store;

async function trace(id: number, bundle: string | null, meta: object | null): Promise<void> {
  await store.run(`INSERT INTO traces (trace_id, name, bundle, source, content_hash, format, ingested_at, skipped_lines, meta)
    VALUES (?, ?, ?, ?, ?, 'test', now()::TIMESTAMP, 0, ?::JSON)`, [id, `t${id}`, bundle, `/t${id}`, `h${id}`, meta && JSON.stringify(meta)]);
}

beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('readCpuSockets', () => {
  it('reads bundle.json\'s map kept in meta and the sockets of the core ids, naming who says it', async () => {
    // two files of bundle b, a turbostat-like map in another trace, core samples that name their CPU in a fourth
    await trace(1, 'b', { cpuSocket: [0, 1, 0, 1], layout: 'csv' });
    await trace(2, 'b', { cpuSocket: [0, 1, 0, 1] });
    await trace(3, 'b', { cpuCores: { 0: 'S0-C0', 1: 'S1-C0', 2: 'S0-C1', 3: 'S1-C1' } });
    await trace(4, null, null);
    await store.run(`INSERT INTO samples (trace_id, t0, t1, scope, entity, cpu, event, value, enabled)
      VALUES (4, 0, 1, 'core', 'S1-C2', 5, 'turbostat:CPU%c6', 40, NULL), (4, 0, 1, 'core', 'S0-C2', 4, 'turbostat:CPU%c6', 40, NULL)`);
    expect(await readCpuSockets(store, [1, 2])).toEqual({ cpuSocket: [0, 1, 0, 1], sources: ['bundle.json of b'] });
    expect(await readCpuSockets(store, [3])).toEqual({ cpuSocket: [0, 1, 0, 1], sources: ['the core ids of b/t3'] });
    expect(await readCpuSockets(store, [1, 3])).toEqual({ cpuSocket: [0, 1, 0, 1], sources: ['bundle.json of b', 'the core ids of b/t3'] });
    // CPUs 4 and 5 extend the map; a trace outside a bundle is named by itself
    expect(await readCpuSockets(store, [1, 4])).toEqual({ cpuSocket: [0, 1, 0, 1, 0, 1], sources: ['bundle.json of b', 'the core ids of t4'] });
  });

  it('is null when no trace of the selection says', async () => {
    await trace(1, 'b', { cpuSocket: [0, 0] });
    await trace(2, 'b', { layout: 'csv' });
    await trace(3, 'b', null);
    expect(await readCpuSockets(store, [2, 3])).toBeNull();
    expect(await readCpuSockets(store, [])).toBeNull();
  });

  it('refuses traces that place a CPU on two sockets, naming both sides', async () => {
    await trace(1, 'a', { cpuSocket: [0, 0, 1, 1] });
    await trace(2, 'b', { cpuCores: { 0: 'S0-C0', 1: 'S1-C0' } });
    const error = await readCpuSockets(store, [1, 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect(error).toMatchObject({ code: 'bundle.cpuSocketConflict', hint: messages.hintCpuSocket(),
      message: messages.cpuSocketConflict(1, [[0, ['bundle.json of a']], [1, ['the core ids of b/t2']]]) });
  });

  it('refuses a map with a hole below its highest CPU', async () => {
    await trace(1, 'a', { cpuCores: { 0: 'S0-C0', 1: 'S0-C1', 3: 'S1-C1' } });
    await expect(readCpuSockets(store, [1])).rejects.toMatchObject({
      code: 'bundle.cpuSocketGap', message: messages.cpuSocketGap(2, 3, ['the core ids of a/t1']),
    });
  });
});
