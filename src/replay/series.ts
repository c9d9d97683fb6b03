import type { EngineState } from './engine-state.js';

/** Receives one `replay_series` row: interval [t0, t1) s, entity, metric, value. */
export type SeriesRow = (t0: number, t1: number, entity: string, metric: string, value: number) => void;

/**
 * Folds the ticks into intervals of `intervalTicks` and emits per interval:
 * `S<p>` `energy_j` (package energy) and `imbalance_c` (mean max − min core °C); each core's
 * `temp_c` (at the interval's end) and `power_w` (mean dynamic power); each VM's `energy_j`,
 * `run_s` (CPU-s delivered) and `backlog_s` (CPU-s waiting at the end); `host` `migrations`.
 */
export class SeriesFolder {
  readonly #state: EngineState;
  readonly #emit: SeriesRow;
  readonly #intervalTicks: number;
  readonly #startSeconds: number;
  readonly #coreNames: readonly string[];
  readonly #socketJoules: Float64Array;
  readonly #spread: Float64Array;
  readonly #coreJoules: Float64Array;
  readonly #vmJoules: Float64Array;
  readonly #vmRun: Float64Array;
  #migrations = 0;
  #ticks = 0;
  #first = 0;

  constructor(state: EngineState, opts: { intervalTicks: number; startSeconds: number; coreNames: readonly string[] }, emit: SeriesRow) {
    this.#state = state;
    this.#emit = emit;
    this.#intervalTicks = opts.intervalTicks;
    this.#startSeconds = opts.startSeconds;
    this.#coreNames = opts.coreNames;
    this.#socketJoules = new Float64Array(state.config.layout.sockets);
    this.#spread = new Float64Array(state.config.layout.sockets);
    this.#coreJoules = new Float64Array(state.cores);
    this.#vmJoules = new Float64Array(state.vms);
    this.#vmRun = new Float64Array(state.vms);
  }

  /** Adds the tick just stepped. */
  record(tick: number): void {
    const s = this.#state;
    const { layout } = s.config;
    const h = layout.tickSeconds;
    if (this.#ticks === 0) this.#first = tick;
    this.#ticks++;
    const per = layout.coresPerSocket;
    for (let p = 0; p < layout.sockets; p++) {
      this.#socketJoules[p]! += s.tickSocketJoules[p]!;
      let lo = Infinity;
      let hi = -Infinity;
      for (let c = p * per; c < (p + 1) * per; c++) {
        const t = s.thermal.coreCelsius[c]!;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      this.#spread[p]! += hi - lo;
    }
    for (let c = 0; c < s.cores; c++) this.#coreJoules[c]! += s.coreWatts[c]! * h;
    for (let m = 0; m < s.vms; m++) {
      this.#vmJoules[m]! += s.tickVmJoules[m]!;
      this.#vmRun[m]! += s.tickVmRun[m]!;
    }
    this.#migrations += s.tickMigrations;
    if (this.#ticks === this.#intervalTicks) this.flush();
  }

  /** Emits the interval collected so far (when full, and once at the end for a partial one). */
  flush(): void {
    const n = this.#ticks;
    if (n === 0) return;
    const s = this.#state;
    const { layout } = s.config;
    const h = layout.tickSeconds;
    const t0 = this.#startSeconds + this.#first * h;
    const t1 = t0 + n * h;
    for (let p = 0; p < layout.sockets; p++) {
      this.#emit(t0, t1, `S${p}`, 'energy_j', this.#socketJoules[p]!);
      this.#emit(t0, t1, `S${p}`, 'imbalance_c', this.#spread[p]! / n);
    }
    for (let c = 0; c < s.cores; c++) {
      this.#emit(t0, t1, this.#coreNames[c]!, 'temp_c', s.thermal.coreCelsius[c]!);
      this.#emit(t0, t1, this.#coreNames[c]!, 'power_w', this.#coreJoules[c]! / (n * h));
    }
    layout.vms.forEach((vm, m) => {
      let backlog = 0;
      for (const v of vm.vcpus) backlog += s.taskBacklog[v]!;
      this.#emit(t0, t1, vm.name, 'energy_j', this.#vmJoules[m]!);
      this.#emit(t0, t1, vm.name, 'run_s', this.#vmRun[m]!);
      this.#emit(t0, t1, vm.name, 'backlog_s', backlog);
    });
    this.#emit(t0, t1, 'host', 'migrations', this.#migrations);
    this.#socketJoules.fill(0);
    this.#spread.fill(0);
    this.#coreJoules.fill(0);
    this.#vmJoules.fill(0);
    this.#vmRun.fill(0);
    this.#migrations = 0;
    this.#ticks = 0;
  }
}
