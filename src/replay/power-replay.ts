import { ModelError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { streamRecordedEnergy, streamRecordedTemps, thermalTraceIds, type TraceSelection } from '../store/replay-data.js';
import { selectRecording, type TraceSelector } from '../store/select-recording.js';
import type { Store } from '../store/store.js';
import { readThermalData } from '../store/thermal-data.js';
import { buildFitSeries, type PackageSeries } from '../thermal/fit-series.js';
import { calibrateSeries } from '../thermal/fit-store.js';
import { ThermalStepper } from '../thermal/step.js';
import { EnergyCheck, TempCheck, type FidelityReport, type SteppedTick } from './fidelity.js';
import { defaultTickSeconds } from './inputs.js';
import { thermalFromCalibration, thermalFromSpec, type ThermalChoice, type ThermalSpec } from './thermal-choice.js';
import { recordedStart } from './thermal-start.js';

/** What `replayRecordedPower` checks: the recording, the thermal parameters and the tick. */
export interface PowerReplayOptions {
  /** The recording, as `replay`'s `trace`: SELs of one bundle. */
  trace: TraceSelector;
  /** Thermal parameters (file, value or bare parameters); default: fitted to the recording, else the defaults. */
  thermal?: ThermalSpec;
  /** Tick length, s; defaults to 0.001 (as `replay`). */
  tickSeconds?: number;
  /**
   * Logical CPU → core entity (`S<p>-C<c>`) to split core power by Busy%; defaults to the map a
   * thermal parameter file was fitted with, else the recording's own (else an even split).
   */
  cpuCores?: ReadonlyMap<number, string>;
  /** Fraction of ticks done, after each block of ticks. */
  onProgress?: (fraction: number) => void;
}

/** The fidelity figures of a recorded-power replay, the thermal parameters used, the span and notes. */
export interface PowerReplayResult {
  fidelity: FidelityReport;
  thermal: ThermalChoice;
  run: {
    /** `--trace` as given, and the trace ids it selected. */
    traces: string;
    traceIds: number[];
    tickSeconds: number;
    ticks: number;
    /** Replayed span on the recording's time axis, s. */
    t0: number;
    t1: number;
    /** Core entities replayed (`S<p>-C<c>`). */
    cores: string[];
  };
  notes: string[];
}

/** One package's stepper and where it reads the recorded power. */
interface PackageRun {
  pkg: PackageSeries;
  stepper: ThermalStepper;
  /** Offset of its cores in the combined core array. */
  base: number;
  /** Current interval: the first whose end is after the time being stepped. */
  k: number;
  coreWatts: Float64Array;
  heatsinkWatts: Float64Array;
}

/**
 * The fidelity check (`vheat replay --validate`) for a recording without an energy model or vCPU
 * residency (e.g. turbostat alone): each package's recorded power, split as the thermal fit splits
 * it (cores by Busy% share of the RAPL core domain, the rest into the heatsink), drives the replay's
 * tick-by-tick thermal model (`ThermalStepper`), and the same checks as a replay compare the energy
 * it accounts per recorded interval and the temperatures it reaches with the recording.
 *
 *   options ─(1) selection, recorded power series, thermal choice ─(2) steppers at the fit's start (the
 *           first interval's steady state, offset to the readings) ─(3) ticks: power → stepper →
 *           EnergyCheck, TempCheck ─(4) fidelity report
 *
 * With the recorded policy, the energy check tests the replay's accounting (a tick straddling two
 * intervals takes their time-weighted power), and the temperature check the thermal model: with
 * parameters fitted to this recording it reproduces the fit's own error. Reads the store; writes nothing.
 */
export async function replayRecordedPower(store: Store, options: PowerReplayOptions): Promise<PowerReplayResult> {
  // 1. Inputs
  const { h, selection, series, thermal, notes, shift, energySelection } = await powerInputs(store, options);

  // 2. Steppers
  let base = 0;
  // Start where the fit starts: the first interval's steady state, offset to the readings.
  const starts = recordedStart(thermal.params, series);
  const runs: PackageRun[] = series.packages.map((pkg, p) => {
    const n = pkg.cores.length;
    const stepper = new ThermalStepper(thermal.params, { packages: 1, coresPerPackage: n }, h);
    stepper.coreCelsius.set(starts[p]!.coreCelsius);
    stepper.heatsinkCelsius[0] = starts[p]!.heatsinkCelsius;
    const run = { pkg, stepper, base, k: 0, coreWatts: new Float64Array(n), heatsinkWatts: new Float64Array(1) };
    base += n;
    return run;
  });
  const cores = series.packages.flatMap((p) => p.cores);
  const sockets = Math.max(...series.packages.map((p) => p.socket)) + 1;
  const first = Math.min(...series.packages.map((p) => p.t0[0]!)) + shift;
  const last = Math.max(...series.packages.map((p) => p.t1[p.t1.length - 1]!)) + shift;
  const clock = { startSeconds: Math.floor(first / h) * h, tickSeconds: h };
  // Through the tick ending at `last`: readings at the very end are scored too.
  const ticks = Math.max(1, Math.ceil((last - clock.startSeconds) / h - 1e-6));
  const tick: SteppedTick = { tickSocketJoules: new Float64Array(sockets), thermal: { coreCelsius: new Float64Array(cores.length) } };
  for (const r of runs) tick.thermal.coreCelsius.set(r.stepper.coreCelsius, r.base);

  // 3. Ticks
  const energy = new EnergyCheck(streamRecordedEnergy(store, energySelection, 'package'), clock, ticks, sockets,
    { rmseWatts: null, mapePercent: null });
  const temps = new TempCheck(streamRecordedTemps(store, selection), clock, cores, thermal.fitRmseCelsius);
  const blockTicks = Math.max(1, Math.min(4096, Math.round(1 / h)));
  try {
    for (let b = 0; b < ticks; b += blockTicks) {
      const n = Math.min(blockTicks, ticks - b);
      const until = clock.startSeconds + (b + n) * h;
      await energy.prefetch(until);
      await temps.prefetch(until);
      for (let t = b; t < b + n; t++) {
        const tau = clock.startSeconds + t * h - shift;
        tick.tickSocketJoules.fill(0);
        for (const r of runs) {
          stepPackage(r, tau, h, tick.tickSocketJoules);
          tick.thermal.coreCelsius.set(r.stepper.coreCelsius, r.base);
        }
        energy.record(tick, t);
        temps.record(tick, t);
      }
      options.onProgress?.((b + n) / ticks);
    }
  } finally {
    await energy.close();
    await temps.close();
  }

  // 4. Report
  return {
    fidelity: { energy: energy.result(), temps: temps.result() },
    thermal: { ...thermal, start: starts },
    run: {
      traces: selection.label, traceIds: selection.traceIds, tickSeconds: h, ticks,
      t0: clock.startSeconds, t1: clock.startSeconds + ticks * h, cores,
    },
    notes,
  };
}

/** Phase 1: the tick, the recording's power series on its clock, the thermal parameters and notes. */
async function powerInputs(store: Store, options: PowerReplayOptions) {
  const h = options.tickSeconds ?? defaultTickSeconds;
  if (!(h > 0) || !Number.isFinite(h)) throw new UsageError('replay.badOption', messages.replayBadNumber('tick', h));
  const selection = await selectRecording(store, options.trace);
  const ids = await thermalTraceIds(store, selection);
  const given = options.thermal ? thermalFromSpec(options.thermal) : null;
  const rec = ids.length ? await readThermalData(store, ids) : null;
  const series = rec ? buildFitSeries(rec, options.cpuCores ?? given?.cpuCores ?? undefined) : { packages: [], notes: [] };
  if (!rec || rec.energyTrace === null || series.packages.length === 0) {
    throw new ModelError('replay.noRecordedPower', messages.powerReplayNothing(selection.label), { hint: messages.hintPowerReplay() });
  }
  const notes = [messages.powerReplayNote()];
  let thermal: ThermalChoice;
  if (given) {
    notes.push(...series.notes);
    thermal = given;
  } else {
    const calibration = calibrateSeries(series);
    notes.push(...calibration.notes);
    thermal = thermalFromCalibration(calibration);
  }
  notes.push(thermal.description);
  // The series is on the thermal traces' clock (0 = the earliest of them); the checks read the selection's.
  const at = (id: number): number => selection.traceIds.indexOf(id);
  const shift = Math.min(...ids.map((id) => selection.shifts[at(id)]!));
  // Recorded energy is compared with the source the power came from: another RAPL reader's
  // intervals would mix its own sampling jitter into the replay's error.
  const source = at(rec.energyTrace);
  const energySelection: TraceSelection = {
    ...selection, traceIds: [rec.energyTrace], shifts: [selection.shifts[source]!], contentHashes: [selection.contentHashes[source]!],
  };
  return { h, selection, series, thermal, notes, shift, energySelection };
}

/**
 * Advances one package over the tick [tau, tau + h) (series clock, s) with the recorded power
 * averaged over it, and adds the tick's package energy (J) to `socketJoules`. A time between
 * intervals takes the next interval's power, and one after the last the last's, as the fit does.
 */
function stepPackage(r: PackageRun, tau: number, h: number, socketJoules: Float64Array): void {
  const { pkg, coreWatts, heatsinkWatts } = r;
  const n = coreWatts.length;
  const last = pkg.t1.length - 1;
  coreWatts.fill(0);
  heatsinkWatts[0] = 0;
  const end = tau + h;
  for (let at = tau; at < end;) {
    while (r.k < last && pkg.t1[r.k]! <= at) r.k++;
    const to = r.k === last && pkg.t1[last]! <= at ? end : Math.min(end, pkg.t1[r.k]!);
    const w = (to - at) / h;
    for (let i = 0; i < n; i++) coreWatts[i]! += w * pkg.coreWatts[r.k * n + i]!;
    heatsinkWatts[0]! += w * pkg.heatsinkWatts[r.k]!;
    at = to;
  }
  let watts = heatsinkWatts[0]!;
  for (let i = 0; i < n; i++) watts += coreWatts[i]!;
  socketJoules[pkg.socket]! += watts * h;
  r.stepper.step(coreWatts, heatsinkWatts);
}
