import type { EngineState } from './engine-state.js';
import { energyTotals } from './metrics/energy.js';
import { ImbalanceAccumulator } from './metrics/imbalance.js';
import { migrationCount } from './metrics/migrations.js';
import { peakTemperature } from './metrics/peak-temperature.js';
import { throttledCoreSeconds } from './metrics/throttled.js';
import { timeAboveLimit } from './metrics/time-above-limit.js';
import { workLost } from './metrics/work-lost.js';

/** The headline metrics of one run (the keys of `vheat replay --json`). */
export interface ReplayMetrics {
  /** Thermal imbalance (max − min core °C per package and tick), time-weighted mean, °C. */
  imbalance_mean_c: number;
  /** Its 95th percentile, °C (±0.005 °C: streamed through a histogram). */
  imbalance_p95_c: number;
  /** Hottest core temperature of the run, °C. */
  peak_c: number;
  /** Core-seconds above the temperature limit (`--param limit_c`). */
  above_limit_core_s: number;
  /** Energy of all packages, J. */
  energy_j: number;
  /** vCPU migrations. */
  migrations: number;
  /** CPU-seconds of demand held back by throttles (task, vCPU and pCPU). */
  throttled_core_s: number;
  /** Per VM: demanded / delivered CPU time (1 = no slowdown; null when it got nothing). */
  slowdown: Record<string, number | null>;
}

/** Further figures of a run, kept in `replay_metrics` beside the headline ones. */
export interface ReplayDetails {
  power_imbalance_mean_w: number;
  power_imbalance_p95_w: number;
  migrations_per_s: number;
  /** Time charged to migrations (warm-up actually paid), s. */
  migration_s: number;
  /** Time of the peak, s, and the core it was on. */
  peak_time_s: number;
  peak_core: string;
  /** Per VM: energy charged, J; CPU-s demanded and delivered. */
  vm_energy_j: Record<string, number>;
  vm_demanded_s: Record<string, number>;
  vm_delivered_s: Record<string, number>;
}

/**
 * Collects the engine's per-tick results into columns of one block of ticks and reduces each
 * block with the metric functions of `./metrics` (all additive over blocks), so memory is
 * bounded by the block whatever the run length.
 */
export class RunMetrics {
  readonly #state: EngineState;
  readonly #blockTicks: number;
  readonly #limitC: number;
  readonly #coreNames: readonly string[];
  readonly #startSeconds: number;
  readonly #celsius: Float64Array;
  readonly #throttled: Float64Array;
  readonly #migrations: Float64Array;
  readonly #hostJoules: Float64Array;
  readonly #vmJoules: Float64Array;
  readonly #vmIoJoules: Float64Array;
  readonly #thermal: ImbalanceAccumulator;
  readonly #power: ImbalanceAccumulator;
  #filled = 0;
  #firstTick = 0;
  #ticks = 0;
  #peak = { celsius: NaN, tick: -1, core: -1 };
  #aboveLimit = 0;
  #energy = 0;
  #migrationCount = 0;
  #migrationSeconds = 0;
  #throttledSeconds = 0;
  readonly #vmEnergy: Float64Array;
  readonly #demanded: Float64Array;
  readonly #delivered: Float64Array;

  constructor(state: EngineState, opts: { blockTicks: number; limitC: number; coreNames: readonly string[]; startSeconds: number }) {
    const { layout } = state.config;
    this.#state = state;
    this.#blockTicks = opts.blockTicks;
    this.#limitC = opts.limitC;
    this.#coreNames = opts.coreNames;
    this.#startSeconds = opts.startSeconds;
    const B = opts.blockTicks;
    this.#celsius = new Float64Array(B * state.cores);
    this.#throttled = new Float64Array(B);
    this.#migrations = new Float64Array(B);
    this.#hostJoules = new Float64Array(B * layout.sockets);
    this.#vmJoules = new Float64Array(B * state.vms);
    this.#vmIoJoules = new Float64Array(B * state.vms);
    const packageOf = Int32Array.from({ length: state.cores }, (_, c) => Math.floor(c / layout.coresPerSocket));
    this.#thermal = new ImbalanceAccumulator({ packageOf });
    this.#power = new ImbalanceAccumulator({ packageOf });
    this.#vmEnergy = new Float64Array(state.vms);
    this.#demanded = new Float64Array(state.vms);
    this.#delivered = new Float64Array(state.vms);
  }

  /** Records the tick just stepped. */
  record(tick: number): void {
    const s = this.#state;
    const h = s.config.layout.tickSeconds;
    if (this.#filled === 0) this.#firstTick = tick;
    const k = this.#filled++;
    this.#celsius.set(s.thermal.coreCelsius, k * s.cores);
    this.#throttled[k] = s.tickThrottledSeconds;
    this.#migrations[k] = s.tickMigrations;
    this.#hostJoules.set(s.tickSocketJoules, k * s.tickSocketJoules.length);
    this.#vmJoules.set(s.tickVmJoules, k * s.vms);
    this.#migrationSeconds += s.tickMigrationSeconds;
    this.#thermal.add(s.thermal.coreCelsius, h);
    this.#power.add(s.coreWatts, h);
    for (let m = 0; m < s.vms; m++) {
      this.#demanded[m]! += s.tickVmDemand[m]!;
      this.#delivered[m]! += s.tickVmRun[m]!;
    }
    if (this.#filled === this.#blockTicks) this.flush();
  }

  /** Reduces the ticks collected so far (called when the block is full, and once at the end). */
  flush(): void {
    const n = this.#filled;
    if (n === 0) return;
    const s = this.#state;
    const h = s.config.layout.tickSeconds;
    const celsius = this.#celsius.subarray(0, n * s.cores);
    const peak = peakTemperature({ celsius }, { cores: s.cores });
    if (!(peak.celsius <= this.#peak.celsius)) this.#peak = { ...peak, tick: peak.tick + this.#firstTick };
    this.#aboveLimit += timeAboveLimit({ celsius, dt: h }, { cores: s.cores, limitCelsius: this.#limitC });
    const energy = energyTotals({
      hostJoules: this.#hostJoules.subarray(0, n * s.tickSocketJoules.length),
      vmJoules: this.#vmJoules.subarray(0, n * s.vms),
      vmIoJoules: this.#vmIoJoules.subarray(0, n * s.vms),
    }, { vms: s.vms });
    this.#energy += energy.totalJoules;
    for (let m = 0; m < s.vms; m++) this.#vmEnergy[m]! += energy.vmJoules[m]!;
    this.#migrationCount += migrationCount({ migrations: this.#migrations.subarray(0, n), dt: h }).count;
    this.#throttledSeconds += throttledCoreSeconds({ throttledSeconds: this.#throttled.subarray(0, n) });
    this.#ticks += n;
    this.#filled = 0;
  }

  /** The run's metrics; call after the last `record` (flushes what is left). */
  result(): { metrics: ReplayMetrics; details: ReplayDetails } {
    this.flush();
    const s = this.#state;
    const { layout } = s.config;
    const names = layout.vms.map((vm) => vm.name);
    // Delivered work exceeds demanded only by rounding (sums of tick shares); clamp it so slowdown stays ≥ 1.
    const delivered = this.#delivered.map((d, m) => Math.min(d, this.#demanded[m]!));
    const lost = workLost({ demanded: this.#demanded, delivered }, { vms: s.vms });
    const thermal = this.#thermal.result();
    const power = this.#power.result();
    const byVm = (values: ArrayLike<number>): Record<string, number> =>
      Object.fromEntries(names.map((name, m) => [name, values[m]!]));
    return {
      metrics: {
        imbalance_mean_c: thermal.mean,
        imbalance_p95_c: thermal.p95,
        peak_c: this.#peak.celsius,
        above_limit_core_s: this.#aboveLimit,
        energy_j: this.#energy,
        migrations: this.#migrationCount,
        throttled_core_s: this.#throttledSeconds,
        slowdown: Object.fromEntries(names.map((name, m) => [name, Number.isFinite(lost.slowdown[m]!) ? lost.slowdown[m]! : null])),
      },
      details: {
        power_imbalance_mean_w: power.mean,
        power_imbalance_p95_w: power.p95,
        migrations_per_s: this.#migrationCount / (this.#ticks * layout.tickSeconds),
        migration_s: this.#migrationSeconds,
        peak_time_s: this.#peak.tick < 0 ? NaN : this.#startSeconds + this.#peak.tick * layout.tickSeconds,
        peak_core: this.#peak.core < 0 ? '' : this.#coreNames[this.#peak.core] ?? '',
        vm_energy_j: byVm(this.#vmEnergy),
        vm_demanded_s: byVm(lost.demanded),
        vm_delivered_s: byVm(lost.delivered),
      },
    };
  }
}
