import type { FitSeries } from '../thermal/fit-series.js';
import { predictSeriesFrom } from '../thermal/predict-series.js';
import type { ThermalParams } from '../thermal/rc-network.js';
import type { ThermalStepper } from '../thermal/step.js';

/** Where one package's thermal nodes stand when its recording starts, °C. */
export interface PackageStart {
  socket: number;
  /** Core entities (`S<p>-C<c>`), in `coreCelsius` order. */
  cores: string[];
  coreCelsius: Float64Array;
  heatsinkCelsius: number;
}

/**
 * The state every package of `series` starts from under `params`, as the thermal fit places it
 * (`SeriesStart` `fitted`): the steady state of the first interval's power plus one offset on
 * every node, least squares against the package's readings. A recording seldom starts at the
 * idle steady state, and the heatsink takes minutes to forget where it did start.
 */
export function recordedStart(params: ThermalParams, series: FitSeries): PackageStart[] {
  return series.packages.map((pkg) => {
    const n = pkg.cores.length;
    const start = predictSeriesFrom(params, pkg, undefined, 'fitted').start;
    return { socket: pkg.socket, cores: pkg.cores, coreCelsius: start.slice(0, n), heatsinkCelsius: start[n]! };
  });
}

/**
 * Sets the packages of `stepper` that `starts` names to those temperatures; its cores are
 * `coreNames` (socket-major, `coresPerSocket` each). A core the start does not name takes its
 * package's mean core start; packages without a start keep their temperatures. The start is
 * the state at the start of the recording's first RAPL interval, which a replay takes for its
 * own start (the residency's; 10 ms apart on the generated demos, against a heatsink time
 * constant of tens of seconds).
 */
export function applyStart(stepper: ThermalStepper, coreNames: readonly string[], coresPerSocket: number,
  starts: readonly PackageStart[]): void {
  const index = new Map(coreNames.map((name, i) => [name, i]));
  for (const s of starts) {
    if (s.socket >= stepper.heatsinkCelsius.length || s.cores.length === 0) continue;
    stepper.heatsinkCelsius[s.socket] = s.heatsinkCelsius;
    const mean = s.coreCelsius.reduce((a, b) => a + b, 0) / s.cores.length;
    stepper.coreCelsius.fill(mean, s.socket * coresPerSocket, (s.socket + 1) * coresPerSocket);
    s.cores.forEach((name, i) => {
      const core = index.get(name);
      if (core !== undefined) stepper.coreCelsius[core] = s.coreCelsius[i]!;
    });
  }
}
