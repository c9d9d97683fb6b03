import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { thermalTraceIds, type TraceSelection } from '../store/replay-data.js';
import type { Store } from '../store/store.js';
import { readThermalData } from '../store/thermal-data.js';
import { defaultThermalParams } from '../thermal/defaults.js';
import { buildFitSeries, type FitSeries } from '../thermal/fit-series.js';
import { calibrateSeries, type ThermalCalibration } from '../thermal/fit-store.js';
import type { ThermalParams } from '../thermal/rc-network.js';
import { checkThermalParams, parseThermalFile, readThermalFile, type ThermalFile } from '../thermal/thermal-file.js';
import { recordedStart, type PackageStart } from './thermal-start.js';

/** Thermal parameters as a replay is given them: a parameter file's path, its parsed value, or bare parameters. */
export type ThermalSpec = string | ThermalFile | ThermalParams;

/**
 * The thermal parameters a replay uses and where they came from. In order of precedence: given
 * (`--thermal` file, or a value in code), fitted to the recording's core temperatures, or the
 * documented defaults (`defaultThermalParams`).
 */
export interface ThermalChoice {
  params: ThermalParams;
  source: 'file' | 'given' | 'fit' | 'defaults';
  /** The parameter file, for `source: 'file'`. */
  file: string | null;
  /**
   * RMSE of the fit the parameters came from, °C: this recording's fit, or the one a parameter
   * file records (on its own recording); null for the defaults and bare parameters.
   */
  fitRmseCelsius: number | null;
  /** Which parameters these are, in one line (replay and compare print it as a note). */
  description: string;
  /** The CPU → core map a parameter file was fitted with, if any (the recorded-power replay splits power by it). */
  cpuCores: ReadonlyMap<number, string> | null;
  /**
   * Where the recording's packages start under these parameters (the fit's start: see
   * `recordedStart`); empty when it has no power and temperatures to place them by, and then a
   * replay starts at the idle steady state. `chooseThermal` fills it in.
   */
  start: PackageStart[];
}

/** The given parameters (`--thermal`): read and checked, with the fit error the file records. */
export function thermalFromSpec(spec: ThermalSpec): ThermalChoice {
  if (typeof spec !== 'string' && !('format' in spec)) {
    const params = checkThermalParams(spec, 'options.thermal');
    const description = messages.thermalFromFile('options.thermal', null);
    return { params, source: 'given', file: null, fitRmseCelsius: null, description, cpuCores: null, start: [] };
  }
  const name = typeof spec === 'string' ? spec : 'options.thermal';
  const file = typeof spec === 'string' ? readThermalFile(spec) : parseThermalFile(spec, name);
  const fitRmseCelsius = file.fit?.rmseCelsius ?? null;
  const map = file.training?.cpuCores;
  return {
    params: file.params, source: typeof spec === 'string' ? 'file' : 'given', file: typeof spec === 'string' ? spec : null, fitRmseCelsius,
    description: messages.thermalFromFile(name, fitRmseCelsius),
    cpuCores: map ? new Map(Object.entries(map).map(([cpu, core]) => [Number(cpu), core])) : null, start: [],
  };
}

/** A fit to the recording (or, when it had no temperatures, the defaults `calibrateThermal` fell back to). */
export function thermalFromCalibration(c: ThermalCalibration): ThermalChoice {
  if (!c.fit) return thermalDefaults();
  return {
    params: c.params, source: 'fit', file: null, fitRmseCelsius: c.fit.rmseCelsius,
    description: messages.thermalFromFit(c.fit.rmseCelsius, c.fit.observations), cpuCores: null, start: [],
  };
}

/** The documented HotSpot-like defaults (see `defaultThermalParams`). */
export function thermalDefaults(): ThermalChoice {
  return {
    params: defaultThermalParams, source: 'defaults', file: null, fitRmseCelsius: null, cpuCores: null, start: [],
    description: messages.thermalFromDefaults(),
  };
}

/**
 * A replay's thermal parameters, in order: `given`, else a fit to the recording's core
 * temperatures (when `hasTemperatures`), else the defaults; with where the recording's packages
 * start under them. Appends to `notes` what the fit says about the recording, then which
 * parameters were chosen.
 */
export async function chooseThermal(store: Store, sel: TraceSelection, given: ThermalSpec | undefined, hasTemperatures: boolean,
  notes: string[]): Promise<ThermalChoice> {
  const spec = given ? thermalFromSpec(given) : null;
  let series: FitSeries | null = null;
  if (hasTemperatures) {
    try {
      series = buildFitSeries(await readThermalData(store, await thermalTraceIds(store, sel)), spec?.cpuCores ?? undefined);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      // A recording whose clocks cannot be aligned for the fit can still be replayed.
      if (!spec) notes.push(messages.replayThermalDefaults(e.message));
    }
  }
  let choice: ThermalChoice;
  if (spec) choice = spec;
  else if (series) {
    const calibration = calibrateSeries(series);
    notes.push(...calibration.notes);
    choice = thermalFromCalibration(calibration);
  } else {
    if (!hasTemperatures) notes.push(messages.thermalNoTemperatures());
    choice = thermalDefaults();
  }
  notes.push(choice.description);
  return series ? { ...choice, start: recordedStart(choice.params, series) } : choice;
}
