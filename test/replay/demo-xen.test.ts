import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { replay } from '../../src/replay/replay.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { ThermalParams } from '../../src/thermal/rc-network.js';
import { fixturePath } from '../helpers/fixtures.js';
import { replayModelFile } from '../helpers/replay-model.js';

const bundle = fixturePath('..', '..', 'traces', 'demo-xen');

/**
 * The generated Xen demo (traces/demo-xen) replayed with the generator's own energy models and
 * thermal network (truth.json): what is left between replay and recording is replay's own
 * error (tick edges, per-vCPU rates, RAPL's update jitter and counter noise in the recording).
 */
describe.skipIf(!existsSync(join(bundle, 'truth.json')))('recorded replay of the generated Xen demo', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(':memory:');
    await ingest(store, [bundle]);
  }, 60_000);
  afterAll(() => store.close());

  it('reproduces recorded package energy per interval and core temperatures', async () => {
    const truth = JSON.parse(readFileSync(join(bundle, 'truth.json'), 'utf8'));
    const s = truth.scenario;
    const thermal: ThermalParams = {
      coreCapacitance: s.thermal.core_capacitance_j_per_k, coreToHeatsink: s.thermal.core_to_heatsink_w_per_k,
      coreToCore: s.thermal.core_to_core_w_per_k, heatsinkCapacitance: s.thermal.heatsink_capacitance_j_per_k,
      heatsinkToAmbient: s.thermal.heatsink_to_ambient_w_per_k, ambientCelsius: s.thermal.ambient_celsius,
    };
    const r = await replay(store, {
      trace: 'demo-xen', model: replayModelFile(s.weights.package, s.static_watts.package),
      coreModel: { ...replayModelFile(s.weights.core, s.static_watts.core), domain: 'core' }, thermal, validate: true, save: false,
    });
    const { energy, temps } = r.summary.fidelity!;
    expect(energy!.intervals).toBeGreaterThan(200);
    expect(Math.abs(energy!.totalErrorPercent)).toBeLessThan(0.1);
    expect(energy!.rmseWatts).toBeLessThan(1.5);
    expect(temps!.readings).toBeGreaterThan(400);
    expect(temps!.rmseCelsius).toBeLessThan(1);
    // Every VM's demand is delivered under its own recorded placement.
    for (const slowdown of Object.values(r.summary.metrics.slowdown)) expect(slowdown).toBeCloseTo(1, 9);
  }, 60_000);
});
