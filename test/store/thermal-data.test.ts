import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';
import { busyEvent, readThermalData } from '../../src/store/thermal-data.js';

let store: Store;

async function trace(id: number, startMicros: number | null): Promise<void> {
  await store.run(`INSERT INTO traces (trace_id, name, source, content_hash, format, start_time, ingested_at, skipped_lines)
    VALUES (?, ?, ?, ?, 'test', CASE WHEN ?::BIGINT IS NULL THEN NULL ELSE make_timestamp(?::BIGINT) END, now()::TIMESTAMP, 0)`,
  [id, `t${id}`, `/t${id}`, `h${id}`, startMicros, startMicros]);
}

beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('readThermalData', () => {
  it('reads package/core energy, Busy%, core temperatures and the CPU→core map as columns', async () => {
    await trace(1, null);
    await store.run(`INSERT INTO energy VALUES (1, 0, 5, 0, 'package', 50), (1, 0, 5, 0, 'core', 20),
      (1, 0, 5, 0, 'dram', 9), (1, 0, 5, NULL, 'package', 70)`);
    await store.run(`INSERT INTO samples (trace_id, t0, t1, scope, entity, cpu, event, value, enabled)
      VALUES (1, 0, 5, 'cpu', 'CPU1', 1, ?, 12.5, NULL),
      (1, 0, 5, 'cpu', 'CPU0', 0, 'turbostat:Avg_MHz', 800, NULL), (1, 0, 5, 'core', 'S0-C3', 1, 'turbostat:CPU%c6', 40, NULL),
      (1, 0, 5, 'core', 'S0-C3', NULL, 'turbostat:CoreThr', 0, NULL)`, [busyEvent]);
    await store.run(`INSERT INTO temps VALUES (1, 5, 'core', 'S0-C3', 48), (1, 5, 'socket', 'S0', 50)`);
    const r = await readThermalData(store, [1]);
    // dram and the socket-less host total are not the package's heat.
    expect({ ...r.energy, t0: [...r.energy.t0], socket: [...r.energy.socket], joules: [...r.energy.joules] })
      .toEqual({ t0: [0, 0], t1: Float64Array.from([5, 5]), socket: [0, 0], domain: ['core', 'package'], joules: [20, 50] });
    expect([...r.busy.cpu]).toEqual([1]);
    expect([...r.busy.percent]).toEqual([12.5]);
    expect(r.temps.entity).toEqual(['S0-C3']);
    expect([...r.temps.celsius]).toEqual([48]);
    expect(r.cpuCores).toEqual(new Map([[1, 'S0-C3']]));
    expect(r.energyTrace).toBe(1);
  });

  it('aligns several traces on their absolute start times', async () => {
    await trace(1, 1_700_000_010_000_000);
    await trace(2, 1_700_000_000_000_000);
    await store.run("INSERT INTO energy VALUES (1, 0, 5, 0, 'package', 50)");
    await store.run("INSERT INTO temps VALUES (2, 12.5, 'core', 'S0-C0', 40)");
    const r = await readThermalData(store, [1, 2]);
    // Trace 2 started 10 s earlier: it is the origin, trace 1 shifts by +10 s.
    expect([...r.energy.t0, ...r.energy.t1]).toEqual([10, 15]);
    expect([...r.temps.t]).toEqual([12.5]);
    expect(r.energyTrace).toBe(1);
  });

  it('names an unknown trace, and a trace without a time anchor among several', async () => {
    await trace(1, null);
    await trace(2, 1_700_000_000_000_000);
    await expect(readThermalData(store, [9])).rejects.toThrow(messages.thermalUnknownTrace(9));
    await expect(readThermalData(store, [2, 1])).rejects.toThrow(messages.thermalNoTimeAnchor(1));
    await expect(readThermalData(store, [])).rejects.toBeInstanceOf(ModelError);
  });
});
