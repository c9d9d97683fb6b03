import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { calibrate } from '../../src/model/calibrate.js';
import type { ModelFile } from '../../src/model/model-file.js';
import { calibrateCoreModel } from '../../src/replay/core-model.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';

const bundle = fixturePath('..', '..', 'traces', 'demo-xen');
const cpuFile = join(bundle, 'perf-stat-cpu.csv');

// The generated Xen demo's per-CPU counters with RAPL package and core energy (truth.json: core static 5 W).
describe.skipIf(!existsSync(cpuFile))('calibrateCoreModel', () => {
  let store: Store;
  let pkg: ModelFile;
  beforeAll(async () => {
    store = await openStore(':memory:');
    await ingest(store, [cpuFile]);
    pkg = (await calibrate(store, { train: ['perf-stat-cpu.csv'], bootstrap: false })).model;
  }, 60_000);
  afterAll(() => store.close());

  it('calibrates the core domain as the package model was: same traces, events, interval, lag; stamped as the package model', async () => {
    const notes: string[] = [];
    const core = (await calibrateCoreModel(store, pkg, notes))!;
    expect(core.domain).toBe('core');
    expect(core.training.traces.map((t) => t.contentHash)).toEqual(pkg.training.traces.map((t) => t.contentHash));
    expect(new Set(core.terms.map((t) => t.event))).toEqual(new Set(pkg.terms.map((t) => t.event)));
    expect(core.terms.every((t) => t.kind === 'count')).toBe(true);
    expect([core.intervalSeconds, core.lagSeconds, core.scope, core.createdAt]).toEqual([pkg.intervalSeconds, pkg.lagSeconds, pkg.scope, pkg.createdAt]);
    const truth = JSON.parse(readFileSync(join(bundle, 'truth.json'), 'utf8')).scenario.static_watts.core as number;
    expect(Math.abs(core.staticWatts.value - truth)).toBeLessThan(0.5);
    const stats = core.fit.cv ?? core.fit.inSample;
    expect(stats.rmse).toBeLessThan(0.1);
    expect(notes).toEqual([messages.replayCoreModelCalibrated(['perf-stat-cpu.csv'], stats.rmse)]);
    // Same inputs, same model: a replay's run id hashes it.
    expect(await calibrateCoreModel(store, pkg, [])).toEqual(core);
  }, 60_000);

  it('gives none, and says why, when the training traces are elsewhere or hold no core energy', async () => {
    const notes: string[] = [];
    const elsewhere = { ...pkg, training: { ...pkg.training, traces: pkg.training.traces.map((t) => ({ ...t, contentHash: 'f'.repeat(64) })) } };
    expect(await calibrateCoreModel(store, elsewhere, notes)).toBeNull();
    expect(await calibrateCoreModel(store, { ...pkg, domain: 'dram' }, notes)).toBeNull();
    expect(notes).toEqual([messages.replayNoCoreModel(messages.replayTrainingMissing())]);

    const bare = await openStore(':memory:');
    try {
      await ingest(bare, [cpuFile]);
      await bare.run("DELETE FROM energy WHERE domain = 'core'");
      const none: string[] = [];
      expect(await calibrateCoreModel(bare, pkg, none)).toBeNull();
      expect(none).toEqual([messages.replayNoCoreModel(messages.modelNoEnergy('core', ['perf-stat-cpu.csv']))]);
    } finally {
      bare.close();
    }
  }, 60_000);
});
