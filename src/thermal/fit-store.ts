import { messages } from '../messages.js';
import { readThermalData } from '../store/thermal-data.js';
import type { Store } from '../store/store.js';
import { defaultThermalParams } from './defaults.js';
import { buildFitSeries, type FitSeries } from './fit-series.js';
import { fitThermal, type ThermalFit, type ThermalFitOptions } from './fit.js';
import type { ThermalParams } from './rc-network.js';

export interface ThermalCalibrationOptions extends ThermalFitOptions {
  /** Logical CPU → core entity (`S<p>-C<c>`), when the traces do not say; see `buildFitSeries`. */
  cpuCores?: ReadonlyMap<number, string>;
}

/** The thermal parameters a replay should use for a recording, and where they came from. */
export interface ThermalCalibration {
  params: ThermalParams;
  /** The fit and its error, or null when the recording has no core temperatures. */
  fit: ThermalFit | null;
  notes: string[];
}

/**
 * Fits the thermal model to the traces `traceIds` of one recording (RAPL energy, turbostat
 * Busy%, CoreTmp or `sensors -j` core temperatures), or falls back to `defaultThermalParams`
 * (HotSpot-like) when they hold no core temperature next to package energy.
 */
export async function calibrateThermal(
  store: Store, traceIds: readonly number[], options: ThermalCalibrationOptions = {},
): Promise<ThermalCalibration> {
  return calibrateSeries(buildFitSeries(await readThermalData(store, traceIds), options.cpuCores), options);
}

/** `calibrateThermal` on a series already built (the recorded-power replay reads it once for both). */
export function calibrateSeries(series: FitSeries, options: ThermalFitOptions = {}): ThermalCalibration {
  if (!series.packages.some((p) => p.celsius.some((c) => !Number.isNaN(c)))) {
    return { params: defaultThermalParams, fit: null, notes: [...series.notes, messages.thermalNoTemperatures()] };
  }
  const fit = fitThermal(series, options);
  return { params: fit.params, fit, notes: fit.notes };
}
