import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelFile } from '../../src/model/model-file.js';

/** A valid energy model file value with the given weights (J/event) and static power (W per socket). */
export function replayModelFile(weights: Record<string, number>, staticWatts: number,
  fit: { rmse?: number; mape?: number } = {}): ModelFile {
  const stats = { n: 10, r2: 0.99, rmse: fit.rmse ?? 1, mape: fit.mape ?? 1, maxError: 2, totalError: 0.1 };
  return {
    format: 'vheat-energy-model', version: 1, createdAt: '2026-11-25T00:00:00Z', domain: 'package', scope: 'socket',
    intervalSeconds: 1, lagSeconds: 0, alignment: { minEnabled: 0.5, dropFirst: false, maxWatts: 1000 },
    method: 'ols', alpha: null, l1Ratio: null, tdpWatts: null, cpuModel: null, host: null,
    staticWatts: { value: staticWatts, ci95: null },
    terms: Object.entries(weights).map(([event, weight]) => ({ name: event, event, kind: 'count' as const, weight, ci95: null, vif: null, maxRate: 1e12 })),
    frequency: null,
    training: {
      traces: [{ id: 1, name: 'test', bundle: null, workload: 'test', contentHash: '0'.repeat(64) }],
      intervals: 10, dropped: { coverage: 0, enabled: 0, raplGlitch: 0 }, selection: [],
    },
    fit: { inSample: stats, cv: null, workloads: null },
    diagnostics: { conditionNumber: null, warnings: [] },
    bootstrap: null,
  };
}

/** Writes `model` as `<dir>/model.json` and returns the path. */
export function writeReplayModel(dir: string, model: ModelFile): string {
  const path = join(dir, 'model.json');
  writeFileSync(path, `${JSON.stringify(model, null, 2)}\n`);
  return path;
}
