import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { defaultThermalParams } from './defaults.js';
import type { FitSeries, PackageSeries } from './fit-series.js';
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { fitError, type FitError } from './fit-error.js';
import { predictSeries, type SeriesStart } from './predict-series.js';
import type { Neighbours, ThermalParams } from './rc-network.js';

export interface ThermalFitOptions {
  /**
   * Starting point of the search and centre of the prior. Defaults to `defaultThermalParams`
   * with the ambient guessed from the data. The search also starts once more with the core time
   * constant at the median interval (see `fitThermal`).
   */
  initial?: ThermalParams;
  /** Touching cores of a package, by index into its `cores`; defaults to a row. */
  neighbours?: (pkg: PackageSeries) => Neighbours;
  /** Levenberg–Marquardt iterations; defaults to 100. */
  maxIterations?: number;
  /**
   * Weight of a weak prior pulling each log-parameter toward `initial`: °C of residual per
   * e-fold of change, i.e. sensor noise (≈ 1 °C: CoreTmp is an integer) over a prior spread of
   * one e-fold; defaults to 1. Parameters a recording cannot identify (an idle host shows no
   * heatsink dynamics) then stay near their defaults instead of drifting to a bound, while
   * hundreds of informative readings outweigh it. 0 turns it off.
   */
  priorWeight?: number;
  /**
   * Where each package's prediction starts (see `SeriesStart`); defaults to `fitted`: the steady
   * state of the first interval's power plus an offset fitted to the readings.
   */
  start?: SeriesStart;
}

/** Fitted parameters and how well they reproduce the recorded temperatures. */
export interface ThermalFit extends FitError {
  params: ThermalParams;
  iterations: number;
  /** From `buildFitSeries`: how power was assigned to cores, and what was left out. */
  notes: string[];
}

// Search space: log conductances and capacitances (the first five), ambient in °C.
const logParams = 5;
const lower = Float64Array.from([Math.log(1e-4), Math.log(1e-6), Math.log(1e-2), Math.log(1e-3), Math.log(1e-5), -50]);
const upper = Float64Array.from([Math.log(1e4), Math.log(1e4), Math.log(1e6), Math.log(1e4), Math.log(1e4), 150]);

function toTheta(p: ThermalParams): Float64Array {
  return Float64Array.from([
    Math.log(p.coreToHeatsink), Math.log(p.coreToCore), Math.log(p.heatsinkCapacitance), Math.log(p.heatsinkToAmbient),
    Math.log(p.coreCapacitance), p.ambientCelsius,
  ]);
}

function toParams(theta: Float64Array): ThermalParams {
  return {
    coreCapacitance: Math.exp(theta[4]!),
    coreToHeatsink: Math.exp(theta[0]!),
    coreToCore: Math.exp(theta[1]!),
    heatsinkCapacitance: Math.exp(theta[2]!),
    heatsinkToAmbient: Math.exp(theta[3]!),
    ambientCelsius: theta[5]!,
  };
}

/**
 * Fits core→heatsink and core↔core conductances, core and heatsink capacitances, conductance to
 * ambient and the ambient temperature to recorded core temperatures by nonlinear least squares
 * (Levenberg–Marquardt) on the exactly discretised model driven by the recorded power. All
 * packages share one parameter set. The search runs from two starts and keeps the better: the
 * defaults, whose millisecond core time constant the readings cannot tell from any other far
 * below the interval (so the search would not move it), and the same with the core time
 * constant at the median interval, from which a core that really takes seconds to heat (a
 * heat spreader per core, a simulated host) is found; the prior keeps the defaults' when the
 * readings cannot tell.
 */
export function fitThermal(series: FitSeries, options: ThermalFitOptions = {}): ThermalFit {
  const valid = series.packages.map((p) => Uint8Array.from(p.celsius, (c) => (Number.isNaN(c) ? 0 : 1)));
  const count = valid.reduce((s, v) => s + v.reduce((a, b) => a + b, 0), 0);
  if (count === 0) {
    throw new ModelError('thermal.noReadings', messages.thermalNoReadings(), { hint: messages.hintThermalDefaults() });
  }
  const neighbours = series.packages.map((p) => options.neighbours?.(p));
  const start = options.initial ?? { ...defaultThermalParams, ambientCelsius: guessAmbient(series, count) };
  const theta0 = toTheta(start);
  const prior = options.priorWeight ?? 1;
  const from = options.start ?? 'fitted';
  // Residuals: model − recorded for every reading, then one prior term per log-parameter.
  const residuals = (theta: Float64Array, out: Float64Array): void => {
    const params = toParams(theta);
    let r = 0;
    series.packages.forEach((p, i) => {
      const predicted = predictSeries(params, p, neighbours[i], from);
      const v = valid[i]!;
      for (let j = 0; j < v.length; j++) if (v[j]) out[r++] = predicted[j]! - p.celsius[j]!;
    });
    for (let j = 0; j < logParams; j++) out[r++] = prior * (theta[j]! - theta0[j]!);
  };
  const search = (from: Float64Array) => levenbergMarquardt(residuals, from, count + logParams, { lower, upper }, options.maxIterations);
  const fast = search(theta0);
  const slow = search(toTheta({ ...start, coreCapacitance: start.coreToHeatsink * medianInterval(series) }));
  const fit = slow.cost < fast.cost ? slow : fast;
  const params = toParams(fit.theta);
  const error = fitError(series, params, neighbours, from);
  // Readings that never change (σ = 0) leave nothing to explain, and nothing to warn about.
  const r2 = error.observedStdCelsius > 0 ? 1 - (error.rmseCelsius / error.observedStdCelsius) ** 2 : 1;
  const notes = r2 < identifiableR2
    ? [...series.notes, messages.thermalNotIdentifiable(r2, error.rmseCelsius, error.observedStdCelsius)]
    : series.notes;
  return { params, ...error, iterations: fit.iterations, notes };
}

/**
 * Below this share of the readings' variance explained (R² = 1 − RMSE²/σ²), a fit is reported as
 * not identifying the parameters: on an idle host the readings' spread is per-core offsets and
 * whole-degree noise, which the shared RC parameters cannot follow whatever their values.
 */
const identifiableR2 = 0.5;

/** Median interval length over every package, s. */
function medianInterval(series: FitSeries): number {
  const lengths = series.packages.flatMap((p) => Array.from(p.t1, (t1, k) => t1 - p.t0[k]!)).sort((a, b) => a - b);
  return lengths[lengths.length >> 1] ?? 1;
}

/** Mean recorded temperature minus what the mean package power adds over the default heatsink, °C. */
function guessAmbient(series: FitSeries, count: number): number {
  let celsius = 0;
  let joules = 0;
  let seconds = 0;
  for (const p of series.packages) {
    for (const c of p.celsius) if (!Number.isNaN(c)) celsius += c;
    for (let k = 0; k < p.t1.length; k++) {
      const dt = p.t1[k]! - p.t0[k]!;
      joules += p.heatsinkWatts[k]! * dt;
      for (let i = 0; i < p.cores.length; i++) joules += p.coreWatts[k * p.cores.length + i]! * dt;
      seconds += dt;
    }
  }
  // joules / seconds, both summed over packages, is the mean power of one package.
  return celsius / count - joules / seconds / defaultThermalParams.heatsinkToAmbient;
}
