import { evaluate } from '../model/evaluate.js';
import type { ModelFile } from '../model/model-file.js';
import type { Store } from '../store/store.js';
import type { CalibrationFitInput } from './calibration-fit.js';
import type { WeightsInput } from './weights.js';

/**
 * Calibration-fit input of `model`: measured and predicted power (W) of each interval of its
 * training traces, as read from the store (the traces must still be in it).
 */
export async function modelFitInput(store: Store, model: ModelFile): Promise<CalibrationFitInput> {
  const { predictions } = await evaluate(store, model, model.training.traces.map((t) => String(t.id)), { predictions: true });
  const p = predictions!;
  const t: number[] = [];
  const measuredW: number[] = [];
  const predictedW: number[] = [];
  for (let i = 0; i < p.t0.length; i++) {
    const dt = p.t1[i]! - p.t0[i]!;
    t.push(p.t0[i]!);
    measuredW.push(p.measured[i]! / dt);
    predictedW.push(p.predicted[i]! / dt);
  }
  return { t, measuredW, predictedW };
}

/**
 * Weights input of `model`: each term's weight (J per event) with its 95 % interval (the weight
 * itself where the model has none); null for a model with static power only.
 */
export function modelWeightsInput(model: ModelFile): WeightsInput | null {
  if (!model.terms.length) return null;
  return {
    events: model.terms.map((t) => t.name),
    weightsJ: model.terms.map((t) => t.weight),
    ciLowJ: model.terms.map((t) => Math.min(t.ci95?.[0] ?? t.weight, t.weight)),
    ciHighJ: model.terms.map((t) => Math.max(t.ci95?.[1] ?? t.weight, t.weight)),
  };
}
