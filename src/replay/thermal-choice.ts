import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { thermalTraceIds, type TraceSelection } from '../store/replay-data.js';
import type { Store } from '../store/store.js';
import { defaultThermalParams } from '../thermal/defaults.js';
import { calibrateThermal, type ThermalCalibration } from '../thermal/fit-store.js';
import type { ThermalParams } from '../thermal/rc-network.js';
import { checkThermalParams, parseThermalFile, readThermalFile, type ThermalFile } from '../thermal/thermal-file.js';

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
}

/** The given parameters (`--thermal`): read and checked, with the fit error the file records. */
export function thermalFromSpec(spec: ThermalSpec): ThermalChoice {
  if (typeof spec !== 'string' && !('format' in spec)) {
    const params = checkThermalParams(spec, 'options.thermal');
    const description = messages.thermalFromFile('options.thermal', null);
    return { params, source: 'given', file: null, fitRmseCelsius: null, description, cpuCores: null };
  }
  const name = typeof spec === 'string' ? spec : 'options.thermal';
  const file = typeof spec === 'string' ? readThermalFile(spec) : parseThermalFile(spec, name);
  const fitRmseCelsius = file.fit?.rmseCelsius ?? null;
  const map = file.training?.cpuCores;
  return {
    params: file.params, source: typeof spec === 'string' ? 'file' : 'given', file: typeof spec === 'string' ? spec : null, fitRmseCelsius,
    description: messages.thermalFromFile(name, fitRmseCelsius),
    cpuCores: map ? new Map(Object.entries(map).map(([cpu, core]) => [Number(cpu), core])) : null,
  };
}

/** A fit to the recording (or, when it had no temperatures, the defaults `calibrateThermal` fell back to). */
export function thermalFromCalibration(c: ThermalCalibration): ThermalChoice {
  if (!c.fit) return thermalDefaults();
  return {
    params: c.params, source: 'fit', file: null, fitRmseCelsius: c.fit.rmseCelsius,
    description: messages.thermalFromFit(c.fit.rmseCelsius, c.fit.observations), cpuCores: null,
  };
}

/** The documented HotSpot-like defaults (see `defaultThermalParams`). */
export function thermalDefaults(): ThermalChoice {
  return {
    params: defaultThermalParams, source: 'defaults', file: null, fitRmseCelsius: null, cpuCores: null,
    description: messages.thermalFromDefaults(),
  };
}

/**
 * A replay's thermal parameters, in order: `given`, else a fit to the recording's core
 * temperatures (when `hasTemperatures`), else the defaults. Appends to `notes` what the fit says
 * about the recording, then which parameters were chosen.
 */
export async function chooseThermal(store: Store, sel: TraceSelection, given: ThermalSpec | undefined, hasTemperatures: boolean,
  notes: string[]): Promise<ThermalChoice> {
  let choice: ThermalChoice;
  if (given) choice = thermalFromSpec(given);
  else if (hasTemperatures) choice = await fitOrDefaults(store, sel, notes);
  else {
    notes.push(messages.thermalNoTemperatures());
    choice = thermalDefaults();
  }
  notes.push(choice.description);
  return choice;
}

async function fitOrDefaults(store: Store, sel: TraceSelection, notes: string[]): Promise<ThermalChoice> {
  try {
    const calibration = await calibrateThermal(store, await thermalTraceIds(store, sel));
    notes.push(...calibration.notes);
    return thermalFromCalibration(calibration);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    // A recording whose clocks cannot be aligned for the fit can still be replayed.
    notes.push(messages.replayThermalDefaults(e.message));
    return thermalDefaults();
  }
}
