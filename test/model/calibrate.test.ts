import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { generate } from '../../src/generate/generate.js';
import type { ScenarioInput } from '../../src/generate/scenario.js';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { calibrate } from '../../src/model/calibrate.js';
import { modelFileSchema } from '../../src/model/model-file.js';
import { openStore, type Store } from '../../src/store/store.js';
import { syntheticTruth, syntheticWorkloads, tempDir, writePerfRecording } from '../helpers/model-traces.js';

describe('calibrate on synthetic perf stat recordings', () => {
  let store: Store;
  beforeAll(async () => {
    const dir = tempDir();
    const paths = syntheticWorkloads.map((w, i) => writePerfRecording(dir, w, syntheticTruth, i + 1));
    store = await openStore(':memory:');
    await ingest(store, paths);
  });
  afterAll(() => store.close());

  it('recovers the weights, brackets them with its intervals, and validates blocked and per workload', async () => {
    const r = await calibrate(store, { train: ['*.perf'], events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'] });
    expect(modelFileSchema.safeParse(r.model).success).toBe(true);
    expect(r.model.staticWatts.value / syntheticTruth.staticWatts - 1).toBeLessThan(0.01);
    for (const t of r.model.terms) {
      const truth = syntheticTruth.weights[t.event]!;
      expect(Math.abs(t.weight / truth - 1), t.name).toBeLessThan(0.01);
      expect(t.ci95![0], t.name).toBeLessThanOrEqual(truth);
      expect(t.ci95![1], t.name).toBeGreaterThanOrEqual(truth);
    }
    expect(r.model.training.intervals).toBe(3 * 59); // 60 s each, minus the first (dropped) 0.1 s
    expect(r.model.fit.cv!.folds).toBe(5);
    expect(r.model.fit.cv!.mape).toBeLessThan(1);
    expect(r.model.fit.workloads!.map((w) => w.workload)).toEqual(['compute', 'memory', 'mixed']);
    for (const w of r.model.fit.workloads!) expect(w.mape, w.workload).toBeLessThan(2);
    expect(r.model.training.traces.map((t) => t.contentHash.length)).toEqual([64, 64, 64]);
    expect(r.lag!.seconds).toBe(0);
  });

  it('selects events by held-out error under the slot limit', async () => {
    const r = await calibrate(store, { train: ['*.perf'], maxEvents: 1, bootstrap: false });
    const programmable = r.model.terms.filter((t) => t.event === 'cache-misses' || t.event === 'branch-misses');
    expect(programmable.length).toBeLessThanOrEqual(1);
    expect(r.model.terms.map((t) => t.event)).toContain('cycles');
    expect(r.model.training.selection.length).toBe(r.model.terms.length);
    expect(r.model.fit.cv!.mape).toBeLessThan(5);
  });

  it('scores --test traces with the final model and refuses overlap', async () => {
    const r = await calibrate(store, { train: ['compute.perf', 'memory.perf'], test: ['mixed.perf'], method: 'enet', bootstrap: false });
    expect(r.test.map((t) => t.trace)).toEqual(['mixed.perf']);
    expect(r.test[0]!.n).toBe(59);
    expect(r.model.alpha).toBeGreaterThan(0);
    await expect(calibrate(store, { train: ['*.perf'], test: ['mixed.perf'] })).rejects.toMatchObject({
      code: 'model.testInTraining', message: messages.modelTestInTraining('mixed.perf'),
    });
  });

  it('fails with ModelErrors that name the problem', async () => {
    await expect(calibrate(store, { train: ['*.perf'], events: ['cycles', 'cache-mises'] })).rejects.toSatisfy(
      (e: unknown) => e instanceof ModelError && e.code === 'model.unknownEvent' && (e.hint ?? '').includes('cache-misses'));
    await expect(calibrate(store, { train: ['*.perf'], domain: 'dram' })).rejects.toMatchObject({ code: 'model.noEnergy' });
    await expect(calibrate(store, { train: ['nothing*'] })).rejects.toMatchObject({ code: 'model.noTraceMatch' });
  });

  it('corrects a RAPL lag it finds by cross-correlation', async () => {
    const dir = tempDir();
    const lagged = tempDir();
    const paths = syntheticWorkloads.map((w, i) => writePerfRecording(dir, w, syntheticTruth, i + 11, 0));
    // Re-time the energy rows of each file 0.15 s later: the counters stay, RAPL reports late.
    const shifted = paths.map((p) => {
      const lines = readFileSync(p, 'utf8').trim().split('\n');
      const energy = lines.filter((l) => l.includes('Joules'));
      const out = lines.filter((l) => !l.includes('Joules'));
      return { p, out, energy };
    });
    const s2 = await openStore(':memory:');
    const files: string[] = [];
    for (const { p, out, energy } of shifted) {
      // energy of interval k now reports what happened 0.15 s earlier: the value 1.5 rows back
      const vals = energy.map((l) => Number(l.split(',')[1]));
      const moved = energy.map((l, k) => {
        const v = k >= 2 ? 0.5 * vals[k - 1]! + 0.5 * vals[k - 2]! : vals[k]!;
        const f = l.split(',');
        f[1] = v.toFixed(6);
        return f.join(',');
      });
      const merged = out.concat(moved).sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
      const file = join(lagged, p.split('/').pop()!);
      (await import('node:fs')).writeFileSync(file, `${merged.join('\n')}\n`);
      files.push(file);
    }
    await ingest(s2, files);
    const r = await calibrate(s2, { train: ['*.perf'], events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'], bootstrap: false });
    expect(r.lag!.seconds).toBeGreaterThan(0.13);
    expect(r.lag!.seconds).toBeLessThan(0.17);
    const fixedLag = await calibrate(s2, { train: ['*.perf'], events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'], bootstrap: false, lag: 0 });
    expect(r.model.fit.cv!.rmse!).toBeLessThan(fixedLag.model.fit.cv!.rmse! / 2);
    s2.close();
  });
});

/**
 * A KVM host whose tasks switch between four event profiles with different mixes, so the four
 * events are far from collinear (VIF ≈ 2) and five minutes at 1 s pin every weight to < 1 %.
 */
const groundTruthScenario: ScenarioInput = {
  name: 'calibration-ground-truth', hypervisor: 'kvm', duration_seconds: 300, seed: 3,
  topology: { sockets: 1, cores_per_socket: 4, threads_per_core: 1 },
  events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'],
  pmu: { gp_counters: 4 },
  profiles: {
    alu: { instructions: 2.8, 'cache-misses': 0.0002, 'branch-misses': 0.001 },
    mem: { instructions: 0.3, 'cache-misses': 0.03, 'branch-misses': 0.0005 },
    branchy: { instructions: 1.0, 'cache-misses': 0.002, 'branch-misses': 0.03 },
    stall: { instructions: 0.1, 'cache-misses': 0.0005, 'branch-misses': 0.0002 },
  },
  vms: [
    { name: 'a', vcpus: 2, tasks: [
      { name: 'x', phases: [{ kind: 'cpu', seconds: 7, profile: 'alu' }, { kind: 'idle', seconds: 3 }, { kind: 'cpu', seconds: 5, profile: 'mem' }] },
      { name: 'y', phases: [{ kind: 'cpu', seconds: 4, profile: 'branchy', util: 0.6 }, { kind: 'cpu', seconds: 6, profile: 'stall' },
        { kind: 'cpu', seconds: 3, util: 0.5, profile: 'mem' }] }] },
    { name: 'b', vcpus: 2, tasks: [
      { name: 'z', phases: [{ kind: 'idle', seconds: 5 }, { kind: 'cpu', seconds: 2, profile: 'branchy' }, { kind: 'cpu', seconds: 4, profile: 'stall', util: 0.4 }] },
      { name: 'w', phases: [{ kind: 'cpu', seconds: 11, util: 0.3, profile: 'alu' }, { kind: 'cpu', seconds: 2, util: 0.7, profile: 'mem' }] }] },
  ],
  recorders: { perf_interval_ms: 100, perf_thread: false, perf_cgroup: false, sched_switch: [], turbostat_interval_ms: 1000, powercap: false },
};

describe('calibrate on generator output (truth.json)', () => {
  let store: Store;
  let truth: { weights: Record<string, Record<string, number>>; static_watts: { total: Record<string, number> } };
  beforeAll(async () => {
    const dir = join(tempDir(), 'bundle');
    await generate({ outDir: dir, scenario: groundTruthScenario });
    truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    store = await openStore(':memory:');
    await ingest(store, [dir]);
  }, 60_000);
  afterAll(() => store.close());

  // DRAM energy is static power plus cache misses only (truth.json gives the other events 0 J);
  // fitting the zero-weight events too leaves them ~4e-12 J/cycle that an independent NumPy fit
  // of the same file finds as well, which pulls static power 0.5 % low, just outside its interval.
  it.each([
    { domain: 'package', events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'] },
    { domain: 'dram', events: ['cache-misses'] },
  ])('recovers the $domain weights within 1 % of truth.json and within their 95 % intervals', async ({ domain, events }) => {
    const r = await calibrate(store, { train: ['perf-stat-cpu.csv'], domain, events });
    const staticTruth = truth.static_watts.total[domain]!;
    expect(Math.abs(r.model.staticWatts.value / staticTruth - 1)).toBeLessThan(0.01);
    expect(r.model.staticWatts.ci95![0]).toBeLessThanOrEqual(staticTruth);
    expect(r.model.staticWatts.ci95![1]).toBeGreaterThanOrEqual(staticTruth);
    expect(r.model.terms.map((t) => t.event)).toEqual(events);
    for (const t of r.model.terms) {
      const w = truth.weights[domain]![t.event]!;
      expect(Math.abs(t.weight / w - 1), t.name).toBeLessThan(0.01);
      expect(t.ci95![0], t.name).toBeLessThanOrEqual(w);
      expect(t.ci95![1], t.name).toBeGreaterThanOrEqual(w);
      expect(t.vif!).toBeLessThan(5);
    }
  });
});

describe('calibrate with clock changes (per-frequency weights)', () => {
  let store: Store;
  let truth: { weights: Record<string, Record<string, number>> };
  beforeAll(async () => {
    const dir = join(tempDir(), 'bundle');
    await generate({ outDir: dir, scenario: {
      ...groundTruthScenario, name: 'calibration-frequency',
      frequency: { changes: [{ at_seconds: 100, mhz: 1800 }, { at_seconds: 200, mhz: 3000 }] },
    } });
    truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    store = await openStore(':memory:');
    await ingest(store, [dir]);
  }, 60_000);
  afterAll(() => store.close());

  it('reads the clock from turbostat beside perf and fits each band: energy per event ∝ f² within 1 %', async () => {
    const r = await calibrate(store, { train: ['perf-stat-cpu.csv'], events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'],
      bootstrap: false });
    expect(r.model.frequency!.event).toBe('turbostat:Bzy_MHz');
    const bands = r.model.frequency!.bands!.filter((b) => b.intervals > 50);
    expect(bands.map((b) => b.mhz)).toEqual([1800, 2400, 3000]);
    for (const b of bands) {
      expect(Math.abs(b.staticWatts / 18 - 1)).toBeLessThan(0.01);
      const scale = (b.mhz / 2400) ** 2; // scenario voltage_exponent 2, weights given at base_mhz 2400
      for (const event of ['cycles', 'instructions']) {
        const j = r.model.terms.findIndex((t) => t.event === event);
        expect(Math.abs(b.weights[j]! / (truth.weights.package![event]! * scale) - 1), `${event} @ ${b.mhz}`).toBeLessThan(0.01);
      }
    }
    const plain = await calibrate(store, { train: ['perf-stat-cpu.csv'], events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'],
      bootstrap: false, perFrequency: 'off', extraTerms: false });
    expect(r.model.fit.inSample.mape!).toBeLessThan(plain.model.fit.inSample.mape! / 10);
  });
});
