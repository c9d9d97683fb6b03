import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { readCpuSockets } from '../../src/store/cpu-sockets.js';
import { openStore } from '../../src/store/store.js';
import { tempDb, vheatOrThrow } from '../helpers/cli.js';
import { generateTemp, type TempBundle } from '../helpers/generated.js';

/**
 * `actual` equals `expected` but for float summation order (DuckDB sums in no fixed order):
 * numbers within 1e-9 relative or 1e-12 absolute (J, W, J/event).
 */
function expectSame(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.max(Math.abs(actual), Math.abs(expected)));
  } else if (actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object') {
    expect(Object.keys(actual), path).toEqual(Object.keys(expected));
    for (const [k, v] of Object.entries(actual)) expectSame(v, (expected as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(actual, path).toEqual(expected);
}

/**
 * A generated 2-socket recording (demo-kvm: 8 CPUs, CPU c on socket ⌊c/4⌋, 20 s) calibrated per
 * socket and attributed without `--cpu-socket`: the map comes from the recording and the
 * results are those of giving it explicitly; an explicit map that says otherwise wins.
 */
describe('per-socket models with the CPU → socket map the recording gives', () => {
  const db = tempDb();
  let gen: TempBundle;
  let out: string;
  let bundle: string;
  let recorded: number[];
  const run = (...args: string[]) => vheatOrThrow('--db', db, ...args);
  const json = async (...args: string[]) => JSON.parse((await run('--json', ...args)).stdout);
  /** `vheat calibrate --scope socket` on the per-CPU perf file, with extra arguments; the model's creation time left out. */
  const calibrate = async (name: string, ...args: string[]) => {
    const r = await json('calibrate', '--train', `${bundle}/perf-stat-cpu.csv`, '--scope', 'socket', '--replicates', '0',
      '--out', join(out, name), ...args);
    delete r.model.createdAt;
    return r;
  };
  const explicit = () => ['--cpu-socket', recorded.join(',')];
  const note = () => messages.cpuSocketFrom(8, 2, [`bundle.json of ${bundle}`]);

  beforeAll(async () => {
    gen = await generateTemp('demo-kvm', { durationSeconds: 20 });
    bundle = basename(gen.dir);
    recorded = gen.bundle.topology!.cpu_socket!;
    out = mkdtempSync(join(tmpdir(), 'vheat-cpu-socket-'));
    await run('ingest', gen.dir);
  }, 120_000);
  afterAll(() => {
    gen?.remove();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('ingest keeps bundle.json\'s map on every trace of the bundle, and re-ingesting adds nothing', async () => {
    expect(recorded).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    const ids = (await json('info')).traces.map((t: { id: number }) => t.id) as number[];
    expect(ids.length).toBe(6); // perf ×3, powercap, sched_switch, turbostat
    const again = await json('ingest', gen.dir);
    expect(again.traces).toEqual([]);
    expect(again.duplicates.map((d: { traceId: number }) => d.traceId).sort()).toEqual(ids);
    const store = await openStore(db);
    try {
      for (const id of ids) expect((await readCpuSockets(store, [id]))?.cpuSocket, `trace ${id}`).toEqual(recorded);
    } finally {
      store.close();
    }
  });

  it('calibrate --scope socket fits the same model as with --cpu-socket, and says where the map came from', async () => {
    const mapped = await calibrate('recorded.json');
    const given = await calibrate('given.json', ...explicit());
    expect(mapped.model.scope).toBe('socket');
    expect(mapped.notes).toEqual([note()]);
    expect(given.notes).toEqual([]);
    expectSame({ ...mapped, notes: [] }, given);
    const text = await run('calibrate', '--train', `${bundle}/perf-stat-cpu.csv`, '--scope', 'socket', '--replicates', '0', '--out', join(out, 'text.json'));
    expect(text.stderr).toContain(`note: ${note()}\n`);
  }, 120_000);

  it('an explicit map that disagrees with the recording wins', async () => {
    const mapped = await calibrate('recorded.json');
    const other = await calibrate('other.json', '--cpu-socket', '0,1,0,1,0,1,0,1');
    expect(other.notes).toEqual([]);
    expect(other.model.terms).not.toEqual(mapped.model.terms);
  }, 120_000);

  it('evaluate and attribute read a per-socket model with the recorded map as with the explicit one', async () => {
    await calibrate('model.json');
    const model = join(out, 'model.json');
    const scored = await json('evaluate', '--model', model, '--trace', `${bundle}/perf-stat-cpu.csv`);
    expect(scored.notes).toEqual([note()]);
    expectSame({ ...scored, notes: [] }, await json('evaluate', '--model', model, '--trace', `${bundle}/perf-stat-cpu.csv`, ...explicit()));

    const books = await json('attribute', '--model', model, '--trace', bundle, '--no-write');
    const given = await json('attribute', '--model', model, '--trace', bundle, '--no-write', ...explicit());
    // the whole recording is selected: turbostat's core ids say the same as bundle.json
    const both = messages.cpuSocketFrom(8, 2, [`bundle.json of ${bundle}`, `the core ids of ${bundle}/turbostat.txt`]);
    expect(books.notes).toEqual([...given.notes, both]);
    expectSame({ ...books, notes: given.notes }, given);
    expect(books.notes).not.toContain(messages.attributeSocketClock());
    // a map that puts CPUs on other sockets prices static power and counts differently, and says nothing of the recording's
    const other = await json('attribute', '--model', model, '--trace', bundle, '--no-write', '--cpu-socket', '0,1,0,1,0,1,0,1');
    expect(other.notes).not.toContain(both);
    expect(other.attribution_id).not.toBe(books.attribution_id);
    expect(other.vms).not.toEqual(books.vms);
  }, 120_000);
});
