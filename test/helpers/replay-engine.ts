import { Rng } from '../../src/generate/rng.js';
import { defaultGuestPolicy } from '../../src/policies/default.js';
import { ParamSet } from '../../src/policies/params.js';
import { noActions, type GuestPolicy, type HostAction, type HostContext, type HostPolicy, type VmInfo } from '../../src/policies/types.js';
import { applyHostActions } from '../../src/replay/actions.js';
import type { BoundPolicies, TickInput } from '../../src/replay/engine.js';
import { EngineState, type ThermalLike } from '../../src/replay/engine-state.js';

/** A thermal model that keeps every core at `celsius` (engine tests need no physics). */
export function flatThermal(cores: number, celsius = 40): ThermalLike {
  return { coreCelsius: new Float64Array(cores).fill(celsius), step() {}, settle() {} };
}

export interface MiniEngine {
  /** pCPUs (one core each, one socket unless `sockets`). */
  pcpus: number;
  sockets?: number;
  /** vCPUs per VM. */
  vms: number[];
  /** Tick, s (default 0.001). */
  tick?: number;
  /** J per event of each model event (default one event at 1 J). */
  weights?: number[];
  staticWatts?: number;
  migrationSeconds?: number;
  warmup?: number[];
  /** Initial pCPU per vCPU (default v mod pcpus). */
  initial?: number[];
  /** Core-domain weights and static power per socket (default: no core model). */
  core?: { weights: number[]; staticWatts: number };
  /** Thermal model (default: every core at 40 °C). */
  thermal?: ThermalLike;
}

/** An engine state without a store: VMs `vm0`, `vm1`, …, vCPUs numbered in VM order. */
export function miniState(o: MiniEngine): EngineState {
  const sockets = o.sockets ?? 1;
  const weights = o.weights ?? [1];
  const vms: VmInfo[] = [];
  const vcpuVm: number[] = [];
  o.vms.forEach((n, m) => {
    vms.push({ name: `vm${m}`, vcpus: Array.from({ length: n }, (_, k) => vcpuVm.length + k) });
    for (let k = 0; k < n; k++) vcpuVm.push(m);
  });
  const perSocket = Math.ceil(o.pcpus / sockets);
  const layout = {
    tickSeconds: o.tick ?? 0.001, pcpus: o.pcpus, sockets, coresPerSocket: perSocket,
    pcpuSocket: Int32Array.from({ length: o.pcpus }, (_, p) => Math.floor(p / perSocket)),
    pcpuCore: Int32Array.from({ length: o.pcpus }, (_, p) => p), vms, vcpuVm: Int32Array.from(vcpuVm),
    initialPcpu: Int32Array.from(o.initial ?? vcpuVm.map((_, v) => v % o.pcpus)),
  };
  return new EngineState({
    layout,
    energy: {
      events: weights.map((_, e) => `e${e}`), weights: Float64Array.from(weights), staticWatts: o.staticWatts ?? 0,
      ...(o.core ? { core: { weights: Float64Array.from(o.core.weights), staticWatts: o.core.staticWatts } } : {}),
    },
    migration: { seconds: o.migrationSeconds ?? 0, warmupEvents: Float64Array.from(o.warmup ?? weights.map(() => 0)) },
  }, o.thermal ?? flatThermal(sockets * perSocket));
}

/** A tick's input: `arrive` CPU-s per vCPU, `recorded` pCPU per vCPU (default −1). */
export function tickInput(state: EngineState, tick: number, arrive: readonly number[], recorded?: readonly number[]): TickInput {
  return {
    tick, timeSeconds: tick * state.config.layout.tickSeconds, arriveSeconds: Float64Array.from(arrive),
    recordedPcpu: Int32Array.from(recorded ?? arrive.map(() => -1)),
  };
}

/** A host policy that does nothing. */
export const idleHost: HostPolicy = { init() {}, decide: () => noActions };
/** A guest policy that does nothing. */
export const idleGuest: GuestPolicy = { init() {}, decide: () => noActions };

/**
 * A host policy that follows a script: `script(tick)` each tick (default nothing). `start` is
 * applied to `state` at once, free, as an initial placement would be (unplugs, budgets).
 */
export function scriptedHost(state: EngineState, start: readonly HostAction[], script: (tick: number) => readonly HostAction[] = () => noActions): HostPolicy {
  applyHostActions(state, start, { kind: 'host', name: 'scripted', tick: -1 }, new Int32Array(state.vcpus).fill(-1), true);
  return { init() {}, decide: (obs) => script(obs.tick) };
}

/**
 * Binds `host` (and one fresh `guest` per VM, default Linux-like `default` initialised) to `state`.
 * Guests get `guestOptions.params` and random streams seeded with `guestOptions.seed`; without a
 * seed every stream returns 0.5 (and `int` 0).
 */
export function bind(state: EngineState, host: HostPolicy, guest?: () => GuestPolicy, names = { host: 'test-host', guest: 'test-guest' },
  guestOptions: { params?: Record<string, string>; seed?: number } = {}): BoundPolicies {
  const make = guest ?? defaultGuestPolicy;
  const { seed } = guestOptions;
  const guests = state.config.layout.vms.map((vm) => {
    const g = make();
    g.init({
      name: names.guest, vm: vm.name, tickSeconds: state.config.layout.tickSeconds, vcpus: vm.vcpus.length,
      tasks: vm.vcpus.length + 1, balloonTask: vm.vcpus.length, events: state.config.energy.events,
      params: new ParamSet(guestOptions.params ?? {}),
      rng: (purpose) => (seed === undefined ? { uniform: () => 0.5, int: () => 0 } : new Rng(seed, `guest/${vm.name}/${purpose}`)),
    });
    return g;
  });
  return { hostName: names.host, host, guestName: names.guest, guests };
}

/** A host context for `state` (parameters from `params`, random streams seeded with `seed`). */
export function hostContext(state: EngineState, params: Record<string, string> = {}, seed = 1): HostContext {
  const { layout } = state.config;
  return {
    name: 'test-host', tickSeconds: layout.tickSeconds, pcpus: layout.pcpus, cores: state.cores, sockets: layout.sockets,
    pcpuSocket: layout.pcpuSocket, pcpuCore: layout.pcpuCore, vms: layout.vms, vcpus: state.vcpus, vcpuVm: layout.vcpuVm,
    initialPcpu: layout.initialPcpu, limitC: 85, params: new ParamSet(params),
    rng: (purpose) => new Rng(seed, `host/test/${purpose}`),
  };
}
