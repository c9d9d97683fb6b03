import type { GuestPolicy, HostPolicy } from '../../src/policies/types.js';
import { applyHostActions } from '../../src/replay/actions.js';
import type { EngineState } from '../../src/replay/engine-state.js';
import { setSlotRate, step } from '../../src/replay/engine.js';
import { thermalImbalance } from '../../src/replay/metrics/imbalance.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { ThermalStepper } from '../../src/thermal/step.js';
import { bind, hostContext, idleGuest, miniState, tickInput, type MiniEngine } from './replay-engine.js';

/** A mini engine whose vCPUs draw fixed watts while running and want a fixed share of every tick. */
export interface HostScenario extends Omit<MiniEngine, 'vms'> {
  /** vCPUs per VM (default: one VM per vCPU, so per-vCPU power is observable exactly). */
  vms?: number[];
  /** Power of each vCPU while running, W (one model event at 1 J, so W = events/s). */
  watts: number[];
  /** Demand of each vCPU per tick, fraction of the tick. */
  demand: number[];
  params?: Record<string, string>;
  seed?: number;
  /** Core temperature limit, °C (default 85). */
  limitC?: number;
  /** Thermal core of each pCPU, to model SMT siblings (default: one core per pCPU). */
  pcpuCore?: number[];
  /** Guest policy of every VM (default: idle, so task j stays on vCPU j). */
  guest?: () => GuestPolicy;
}

/** A host policy driving a `HostScenario` through the real engine, tick by tick. */
export interface HostRun {
  state: EngineState;
  /** Migrations of each tick so far. */
  migrations: number[];
  /** Core temperatures after each tick so far, ticks × cores. */
  celsius: number[];
  /** Steps `ticks` ticks with `demand` (default the scenario's), fractions of a tick per vCPU. */
  advance(ticks: number, demand?: readonly number[]): void;
  /** Sets vCPU v's power while running, W, from the next tick on. */
  setWatts(v: number, watts: number): void;
}

/** Initialises `policy` on the scenario (initial placement free) with its guests (default idle, so task j stays on vCPU j). */
export function hostRun(sc: HostScenario, policy: HostPolicy): HostRun {
  const s = miniState({ ...sc, vms: sc.vms ?? sc.watts.map(() => 1) });
  if (sc.pcpuCore) s.config.layout.pcpuCore.set(sc.pcpuCore);
  sc.watts.forEach((w, j) => setSlotRate(s, j, 0, w));
  const ctx = { ...hostContext(s, sc.params ?? {}, sc.seed ?? 1), limitC: sc.limitC ?? 85 };
  applyHostActions(s, policy.init(ctx) ?? [], { kind: 'host', name: 'test-host', tick: -1 }, new Int32Array(s.vcpus).fill(-1), true);
  const bound = bind(s, policy, sc.guest ?? (() => idleGuest));
  const h = s.config.layout.tickSeconds;
  const migrations: number[] = [];
  const celsius: number[] = [];
  let tick = 0;
  return {
    state: s,
    migrations,
    celsius,
    advance(ticks, demand = sc.demand) {
      const arrive = demand.map((d) => d * h);
      for (let k = 0; k < ticks; k++, tick++) {
        step(s, tickInput(s, tick, arrive), bound);
        migrations.push(s.tickMigrations);
        celsius.push(...s.thermal.coreCelsius);
      }
    },
    setWatts(v, watts) {
      setSlotRate(s, v, 0, watts);
    },
  };
}

/** Sum of `values`. */
export function total(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Outcome of `thermalRun`. */
export interface ThermalOutcome {
  /** Thermal imbalance over the run (mean of max − min core temperature), °C. */
  imbalance: number;
  /** Highest core temperature, °C. */
  peakC: number;
  migrations: number;
  /** Core temperatures after each tick, ticks × cores. */
  celsius: Float64Array;
}

/**
 * Runs `policy` for `ticks` 1 ms ticks (default 1000) on a one-package scenario with the RC
 * thermal model: HotSpot-like cores (about 0.41 K/W to the heatsink, 1.7 ms) under a heatsink
 * 140× lighter than the default (0.1 s time constant), so one second of replay heats it up.
 */
export function thermalRun(sc: Omit<HostScenario, 'thermal'>, policy: HostPolicy, ticks = 1000): ThermalOutcome {
  const thermal = new ThermalStepper({ ...defaultThermalParams, heatsinkCapacitance: 1 }, { packages: 1, coresPerPackage: sc.pcpus }, 0.001);
  const run = hostRun({ ...sc, thermal }, policy);
  run.advance(ticks);
  const celsius = Float64Array.from(run.celsius);
  const packageOf = new Array<number>(sc.pcpus).fill(0);
  return {
    imbalance: thermalImbalance({ celsius, dt: 0.001 }, { packageOf }).mean,
    peakC: Math.max(...celsius),
    migrations: total(run.migrations),
    celsius,
  };
}
