import type { FitSeries } from './fit-series.js';
import { predictSeries } from './predict-series.js';
import type { Neighbours, ThermalParams } from './rc-network.js';

/** How far a parameter set's temperatures are from a recording's, over every core reading. */
export interface FitError {
  /** Root-mean-square of model minus recorded core temperature, °C. */
  rmseCelsius: number;
  /** Largest |model − recorded|, °C. */
  maxErrorCelsius: number;
  /**
   * RMSE once each core's mean error is subtracted, °C: the error left when constant per-core
   * offsets (sensor calibration, position on the die) are set aside.
   */
  rmseAfterCoreBiasCelsius: number;
  /** Standard deviation of the recorded temperatures, °C: an RMSE near it explains little. */
  observedStdCelsius: number;
  /** Core temperature readings compared. */
  observations: number;
}

/** Compares `params`' predictions with every recorded reading of `series`. */
export function fitError(
  series: FitSeries, params: ThermalParams, neighbours: readonly (Neighbours | undefined)[] = [],
): FitError {
  let count = 0;
  let sse = 0;
  let max = 0;
  let biasFreeSse = 0;
  let sum = 0;
  let sumSq = 0;
  series.packages.forEach((p, pi) => {
    const n = p.cores.length;
    const predicted = predictSeries(params, p, neighbours[pi]);
    const coreSum = new Float64Array(n);
    const coreSq = new Float64Array(n);
    const coreCount = new Float64Array(n);
    for (let j = 0; j < predicted.length; j++) {
      const obs = p.celsius[j]!;
      if (Number.isNaN(obs)) continue;
      const e = predicted[j]! - obs;
      const i = j % n;
      coreSum[i]! += e;
      coreSq[i]! += e * e;
      coreCount[i]!++;
      max = Math.max(max, Math.abs(e));
      sum += obs;
      sumSq += obs * obs;
    }
    for (let i = 0; i < n; i++) {
      if (coreCount[i] === 0) continue;
      count += coreCount[i]!;
      sse += coreSq[i]!;
      // Σ(e − ē)² = Σe² − (Σe)²/m per core.
      biasFreeSse += coreSq[i]! - coreSum[i]! ** 2 / coreCount[i]!;
    }
  });
  const mean = sum / count;
  return {
    rmseCelsius: Math.sqrt(sse / count),
    maxErrorCelsius: max,
    rmseAfterCoreBiasCelsius: Math.sqrt(Math.max(0, biasFreeSse) / count),
    observedStdCelsius: Math.sqrt(Math.max(0, sumSq / count - mean * mean)),
    observations: count,
  };
}
