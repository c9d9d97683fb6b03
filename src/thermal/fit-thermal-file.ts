import { thermalTraceIds } from '../store/replay-data.js';
import { selectRecording, type TraceSelector } from '../store/select-recording.js';
import type { Store } from '../store/store.js';
import { calibrateThermal, type ThermalCalibration, type ThermalCalibrationOptions } from './fit-store.js';
import { thermalFileVersion, type ThermalFile } from './thermal-file.js';

/** What `fitThermalFile` fits: the recording as `vheat replay --trace` names it, plus the fit's options. */
export interface FitThermalFileOptions extends ThermalCalibrationOptions {
  /** The recording, as `replay`'s `trace`: SELs of one bundle. */
  trace: TraceSelector;
}

/** The file to write and the calibration it came from. */
export interface FitThermalFileResult {
  file: ThermalFile;
  calibration: ThermalCalibration;
}

/**
 * `vheat fit-thermal`: fits the thermal parameters to a recording's RAPL energy and core
 * temperatures, reading the same traces a replay of `trace` would fit to, and returns them as a
 * thermal parameter file with the fit's error (overall, per core, and the naive baselines). A
 * recording without core temperatures gives the documented defaults (`source: 'defaults'`).
 */
export async function fitThermalFile(store: Store, options: FitThermalFileOptions): Promise<FitThermalFileResult> {
  const selection = await selectRecording(store, options.trace);
  const calibration = await calibrateThermal(store, await thermalTraceIds(store, selection), options);
  const fit = calibration.fit;
  const file: ThermalFile = {
    format: 'vheat-thermal-params',
    version: thermalFileVersion,
    createdAt: new Date().toISOString(),
    source: fit ? 'fit' : 'defaults',
    params: { ...calibration.params },
    fit: fit && {
      rmseCelsius: fit.rmseCelsius, maxErrorCelsius: fit.maxErrorCelsius, rmseAfterCoreBiasCelsius: fit.rmseAfterCoreBiasCelsius,
      observedStdCelsius: fit.observedStdCelsius, perCoreStdCelsius: fit.perCoreStdCelsius, observations: fit.observations,
      iterations: fit.iterations, cores: fit.cores,
    },
    training: {
      trace: selection.label, traceIds: selection.traceIds, contentHashes: selection.contentHashes,
      cpuCores: options.cpuCores ? Object.fromEntries([...options.cpuCores].map(([cpu, core]) => [String(cpu), core])) : null,
    },
    notes: calibration.notes,
  };
  return { file, calibration };
}
