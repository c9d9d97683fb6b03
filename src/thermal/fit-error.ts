import type { FitSeries } from './fit-series.js';
import { predictSeries, type SeriesStart } from './predict-series.js';
import type { Neighbours, ThermalParams } from './rc-network.js';

/** One core's share of a `FitError`. */
export interface CoreFitError {
  /** Core entity, `S<p>-C<c>`. */
  core: string;
  /** Readings of this core compared. */
  readings: number;
  /** Root-mean-square of model minus recorded temperature, °C. */
  rmseCelsius: number;
  /** Mean of model minus recorded temperature, °C: a constant offset (sensor calibration, position on the die). */
  biasCelsius: number;
}

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
  /**
   * Standard deviation of the recorded temperatures, °C: the RMSE of predicting every reading by
   * their mean. A fit whose RMSE is near it explains little.
   */
  observedStdCelsius: number;
  /**
   * RMSE of predicting each reading by its core's mean, °C: the baseline for
   * `rmseAfterCoreBiasCelsius` (what varies in time, which only power can explain).
   */
  perCoreStdCelsius: number;
  /** Core temperature readings compared. */
  observations: number;
  /** Per core, in package then core order (cores without readings left out). */
  cores: CoreFitError[];
}

/** Compares `params`' predictions (from `start`, default `steady`) with every recorded reading of `series`. */
export function fitError(
  series: FitSeries, params: ThermalParams, neighbours: readonly (Neighbours | undefined)[] = [], start: SeriesStart = 'steady',
): FitError {
  let count = 0;
  let sse = 0;
  let max = 0;
  let biasFreeSse = 0;
  let sum = 0;
  let sumSq = 0;
  let withinCoreSs = 0;
  const cores: CoreFitError[] = [];
  series.packages.forEach((p, pi) => {
    const n = p.cores.length;
    const predicted = predictSeries(params, p, neighbours[pi], start);
    const coreSum = new Float64Array(n);
    const coreSq = new Float64Array(n);
    const coreCount = new Float64Array(n);
    const obsSum = new Float64Array(n);
    const obsSq = new Float64Array(n);
    for (let j = 0; j < predicted.length; j++) {
      const obs = p.celsius[j]!;
      if (Number.isNaN(obs)) continue;
      const e = predicted[j]! - obs;
      const i = j % n;
      coreSum[i]! += e;
      coreSq[i]! += e * e;
      coreCount[i]!++;
      obsSum[i]! += obs;
      obsSq[i]! += obs * obs;
      max = Math.max(max, Math.abs(e));
      sum += obs;
      sumSq += obs * obs;
    }
    for (let i = 0; i < n; i++) {
      const m = coreCount[i]!;
      if (m === 0) continue;
      count += m;
      sse += coreSq[i]!;
      // Σ(e − ē)² = Σe² − (Σe)²/m per core; the same identity for the readings themselves.
      biasFreeSse += coreSq[i]! - coreSum[i]! ** 2 / m;
      withinCoreSs += obsSq[i]! - obsSum[i]! ** 2 / m;
      cores.push({ core: p.cores[i]!, readings: m, rmseCelsius: Math.sqrt(coreSq[i]! / m), biasCelsius: coreSum[i]! / m });
    }
  });
  const mean = sum / count;
  return {
    rmseCelsius: Math.sqrt(sse / count),
    maxErrorCelsius: max,
    rmseAfterCoreBiasCelsius: Math.sqrt(Math.max(0, biasFreeSse) / count),
    observedStdCelsius: Math.sqrt(Math.max(0, sumSq / count - mean * mean)),
    perCoreStdCelsius: Math.sqrt(Math.max(0, withinCoreSs) / count),
    observations: count,
    cores,
  };
}
