import { createHash } from 'node:crypto';
import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { parseModel, readModel, type ModelFile } from '../model/model-file.js';
import type { EngineEnergy } from './engine-state.js';

/** An energy model as replay applies it, with what the fidelity check compares against. */
export interface ReplayModel {
  /** RAPL domain the model predicts (`package`, `core`, …); validation reads the same domain. */
  domain: string;
  /** `socket`: static power and fit error are per socket; `host`: for the whole machine. */
  scope: 'socket' | 'host';
  energy: EngineEnergy;
  /** Held-out (else in-sample) RMSE of the model's interval power, W; null when unknown. */
  fitRmseWatts: number | null;
  /** Held-out (else in-sample) MAPE of the model's interval energy, %; null when unknown. */
  fitMapePercent: number | null;
  /** sha256 of the traces the model was fitted on: validation prefers their energy intervals. */
  trainingHashes: string[];
  /** sha256 of the model's canonical JSON: part of a run's identity. */
  hash: string;
  notes: string[];
}

/** One model's events and weights (terms of the same event added up), static power per socket, notes. */
function weightsOf(model: ModelFile, sockets: number, notes: string[]): { weights: Map<string, number>; staticWatts: number } {
  const weights = new Map<string, number>();
  for (const term of model.terms) {
    weights.set(term.event, (weights.get(term.event) ?? 0) + term.weight);
    if (term.kind === 'count*freq') notes.push(messages.replayFreqTerm(term.name));
  }
  if (model.frequency?.bands) notes.push(messages.replayBandsIgnored());
  const staticWatts = model.scope === 'host' ? model.staticWatts.value / Math.max(1, sockets) : model.staticWatts.value;
  return { weights, staticWatts };
}

/**
 * Turns a model file into the engine's per-socket form: one weight per event (terms of the same
 * event added up; `count*freq` terms taken at the reference frequency, since replay has no
 * frequency trace, and per-frequency bands set aside, both with a note), static power per
 * socket (a host-scope model's static power split evenly over `sockets`). An optional
 * core-domain model (`core`) decides how much of the power heats each core; its events join the
 * package model's (with package weight 0).
 */
export function toReplayModel(model: ModelFile, sockets: number, core?: ModelFile): ReplayModel {
  const notes: string[] = [];
  if (core && core.domain !== 'core') {
    throw new ModelError('replay.coreModel', messages.replayCoreModelDomain(core.domain), { hint: messages.hintReplayCoreModel() });
  }
  const pkg = weightsOf(model, sockets, notes);
  const cores = core ? weightsOf(core, sockets, notes) : null;
  const events = [...new Set([...pkg.weights.keys(), ...(cores ? cores.weights.keys() : [])])];
  const stats = model.fit.cv ?? model.fit.inSample;
  const hash = createHash('sha256').update(JSON.stringify(model));
  if (core) hash.update(JSON.stringify(core));
  return {
    domain: model.domain,
    scope: model.scope,
    energy: {
      events,
      weights: Float64Array.from(events, (e) => pkg.weights.get(e) ?? 0),
      staticWatts: pkg.staticWatts,
      ...(cores ? { core: { weights: Float64Array.from(events, (e) => cores.weights.get(e) ?? 0), staticWatts: cores.staticWatts } } : {}),
    },
    fitRmseWatts: stats.rmse,
    fitMapePercent: stats.mape,
    trainingHashes: model.training.traces.map((t) => t.contentHash),
    hash: hash.digest('hex'),
    notes,
  };
}

/** Reads a model file (`vheat calibrate --out`), or validates a model value given directly. */
export function readModelSpec(model: string | ModelFile): ModelFile {
  return typeof model === 'string' ? readModel(model) : parseModel(model, '(model value)');
}
