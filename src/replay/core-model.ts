import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { calibrate } from '../model/calibrate.js';
import type { ModelFile } from '../model/model-file.js';
import { listTraces } from '../store/calibration-data.js';
import type { Store } from '../store/store.js';

/**
 * The core-domain model a replay heats its cores by when it was given none (`--core-model`):
 * calibrated as the package model was (its training traces, found in the store by content hash;
 * its events, method, interval, lag, scope and alignment) on the RAPL core domain, without
 * frequency terms or bootstrap. Each core then takes its core-domain power and the heatsink the
 * rest of the package, which is how the thermal fit splits the recorded power; without it the
 * cores would take all dynamic package power (uncore included), a different split than the
 * thermal parameters were fitted under. Null, with the reason in `notes`, when the package
 * model's training traces are not in the store or hold no core-domain energy.
 */
export async function calibrateCoreModel(store: Store, model: ModelFile, notes: string[]): Promise<ModelFile | null> {
  if (model.domain !== 'package') return null;
  const hashes = new Set(model.training.traces.map((t) => t.contentHash));
  const train = (await listTraces(store)).filter((t) => hashes.has(t.contentHash));
  if (train.length === 0) {
    notes.push(messages.replayNoCoreModel(messages.replayTrainingMissing()));
    return null;
  }
  try {
    const { model: core } = await calibrate(store, {
      train: train.map((t) => String(t.id)), domain: 'core', method: model.method,
      events: [...new Set(model.terms.map((t) => t.event))], interval: model.intervalSeconds, lag: model.lagSeconds,
      scope: model.scope, minEnabled: model.alignment.minEnabled, dropFirst: model.alignment.dropFirst,
      maxWatts: model.alignment.maxWatts, extraTerms: false, perFrequency: 'off', bootstrap: false,
    });
    const stats = core.fit.cv ?? core.fit.inSample;
    notes.push(messages.replayCoreModelCalibrated(train.map((t) => t.name), stats.rmse));
    // The package model's time stamp, not now: a run's id hashes its models, and must not change between runs.
    return { ...core, createdAt: model.createdAt };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    notes.push(messages.replayNoCoreModel(e.message));
    return null;
  }
}
