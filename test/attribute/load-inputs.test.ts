import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { vheat, vheatOrThrow } from '../helpers/cli.js';
import { twoRecordingStore, type TwoRecordingStore } from '../helpers/generated.js';
import { replayModelFile, writeReplayModel } from '../helpers/replay-model.js';

describe('attribute --trace on a store of two recordings (demo-kvm, demo-xen)', () => {
  let recordings: TwoRecordingStore | undefined;
  let db: string;
  let model: string;
  beforeAll(async () => {
    recordings = await twoRecordingStore();
    db = recordings.db;
    model = writeReplayModel(recordings.root, replayModelFile({ instructions: 1e-9 }, 10));
  });
  afterAll(() => recordings?.remove());

  it('attributes one recording named by its bundle, a glob or its ids', async () => {
    const kvmIds = recordings!.traces.filter((t) => t.bundle === 'demo-kvm').map((t) => t.id).join(',');
    const ids = async (...sels: string[]) => {
      const r = await vheatOrThrow('--db', db, '--json', 'attribute', '--model', model, '--trace', ...sels, '--no-write');
      // To the nanojoule: DuckDB sums in no fixed order, so figures near 0 J differ in their last bits from run to run.
      return JSON.parse(r.stdout, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 + 0 : v)) as { vms: unknown[] };
    };
    const byBundle = (await ids('demo-kvm')).vms;
    expect(byBundle.length).toBeGreaterThan(0);
    expect((await ids('demo-k*')).vms).toEqual(byBundle);
    expect((await ids(kvmIds)).vms).toEqual(byBundle);
  });

  it('refuses a selection spanning both bundles as attribute.ambiguousTrace, naming them', async () => {
    const xenId = recordings!.traces.find((t) => t.bundle === 'demo-xen')!.id;
    for (const sels of [['demo*'], ['demo-kvm', String(xenId)], ['*/turbostat.txt']]) {
      const error = await vheatOrThrow('--db', db, 'attribute', '--model', model, '--trace', ...sels).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({
        code: 'attribute.ambiguousTrace', message: messages.replayManyBundles(sels.join(' '), ['demo-kvm', 'demo-xen']),
      });
    }
    const printed = await vheat('--db', db, 'attribute', '--model', model, '--trace', '*');
    expect(printed.code).toBe(2);
    expect(printed.stderr).toContain('error[attribute.ambiguousTrace]');
    expect(printed.stderr).toContain('hint: name one recording');
  });
});
