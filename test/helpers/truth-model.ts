import type { ModelFile } from '../../src/model/model-file.js';

/**
 * The energy model a generated bundle was made with, as a model file: truth.json's weights and
 * static power for `domain`, and, when the clock changed, one band per clock with the weights
 * scaled as the generator scales them (package and core; dram unchanged), read through
 * turbostat's Bzy_MHz. Attribution tests use it so that they test attribution, not calibration.
 * `scope` `socket` gives the per-socket model (truth.json's per-socket static power).
 */
// truth.json is a plain JSON document
export function truthModel(truth: any, domain: 'package' | 'core' | 'dram', scope: 'host' | 'socket' = 'host'): ModelFile {
  const weights = truth.weights[domain] as Record<string, number>;
  const events = Object.keys(weights);
  const staticWatts = truth.static_watts[scope === 'socket' ? 'per_socket' : 'total'][domain] as number;
  const base = truth.scenario.base_mhz as number;
  const changes = truth.frequency_changes as { mhz: number; weight_scale: number }[];
  const scaled = domain !== 'dram';
  const stat = { n: 0, r2: null, rmse: null, mape: null, maxError: null, totalError: null };
  return {
    format: 'vheat-energy-model', version: 1, createdAt: '2026-01-01T00:00:00Z', domain, scope, intervalSeconds: 0.1,
    lagSeconds: 0, alignment: { minEnabled: 0.5, dropFirst: false, maxWatts: 1000 }, method: 'ols', alpha: null, l1Ratio: null,
    tdpWatts: null, cpuModel: null, host: truth.scenario.host, staticWatts: { value: staticWatts, ci95: null },
    terms: events.map((e) => ({ name: e, event: e, kind: 'count' as const, weight: weights[e]!, ci95: null, vif: null, maxRate: 1e12 })),
    frequency: changes.length === 0 ? null : {
      event: 'turbostat:Bzy_MHz', referenceMhz: base, bandMhz: 100,
      bands: [{ mhz: base, scale: 1 }, ...changes.map((c) => ({ mhz: c.mhz, scale: c.weight_scale }))].map((b) => ({
        mhz: b.mhz, intervals: 1, staticWatts, weights: events.map((e) => weights[e]! * (scaled ? b.scale : 1)),
      })),
    },
    training: { traces: [{ id: 0, name: 'truth.json', bundle: null, workload: 'truth', contentHash: '0'.repeat(64) }], intervals: 0,
      dropped: { coverage: 0, enabled: 0, raplGlitch: 0 }, selection: [] },
    fit: { inSample: stat, cv: null, workloads: null },
    diagnostics: { conditionNumber: null, warnings: [] },
    bootstrap: null,
  };
}
