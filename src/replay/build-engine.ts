import { Rng } from '../generate/rng.js';
import { messages } from '../messages.js';
import { ParamSet } from '../policies/params.js';
import type { GuestContext, HostContext } from '../policies/types.js';
import { streamEventRates, streamRecordedEnergy, streamRecordedTemps, streamResidency } from '../store/replay-data.js';
import type { Store } from '../store/store.js';
import { ThermalStepper } from '../thermal/step.js';
import { applyHostActions } from './actions.js';
import { DemandFeed } from './demand.js';
import type { BoundPolicies } from './engine.js';
import { EngineState, type MigrationCost } from './engine-state.js';
import { EnergyCheck, TempCheck } from './fidelity.js';
import type { ReplayInputs } from './inputs.js';
import { RunMetrics } from './run-metrics.js';
import { applyStart } from './thermal-start.js';
import { SeriesFolder, type SeriesRow } from './series.js';

/** Engine parameters (`--param`) and their defaults. */
export const engineDefaults = {
  /** Warm-up time of a migrated vCPU, µs (cache and TLB refill; tens of µs on current servers). */
  migration_cost_us: 50,
  /** Extra events per migration, `event:count,…`: 1 MiB of L2 refilled in 64-byte lines. */
  warmup_events: 'cache-misses:16384',
  /** Core temperature limit for time above limit, °C. */
  limit_c: 85,
} as const;

/** A run ready to tick: state, bound policies, the demand feed and the accumulators. */
export interface Engine {
  inputs: ReplayInputs;
  state: EngineState;
  policies: BoundPolicies;
  feed: DemandFeed;
  blockTicks: number;
  metrics: RunMetrics;
  series: SeriesFolder | null;
  energyCheck: EnergyCheck | null;
  tempCheck: TempCheck | null;
  /** Engine parameters as used (defaults filled in). */
  settings: { migrationCostUs: number; warmupEvents: string; limitC: number };
  /** Parameter keys the engine and the policies read (known keys, for checking `--param`; `name:key` too for a policy's reads). */
  paramsRead: string[];
}

/** Parses `event:count,…` into counts in the model's event order (events the model lacks are noted and dropped). */
function warmupCounts(text: string, events: readonly string[], notes: string[]): Float64Array {
  const out = new Float64Array(events.length);
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const colon = part.lastIndexOf(':');
    const count = Number(part.slice(colon + 1));
    const e = events.indexOf(part.slice(0, colon));
    if (colon <= 0 || !Number.isFinite(count) || count < 0) notes.push(messages.replayBadWarmup(part));
    else if (e >= 0) out[e] = count;
  }
  return out;
}

/**
 * Phase 2 of `replay`: sizes the engine state, starts the thermal model where the recording
 * started (the thermal fit's start, `ThermalChoice.start`; packages without one at the idle
 * steady state, static power only), instantiates and initialises the policies (the host's
 * initial placement is free), and opens the recording's streams.
 * `seriesRow` receives the per-interval series; null skips it.
 */
export function buildEngine(store: Store, inputs: ReplayInputs, seriesRow: SeriesRow | null): Engine {
  const { layout, model, clock, seed } = inputs;
  const params = new ParamSet(inputs.params);
  const settings = {
    migrationCostUs: params.number('migration_cost_us', engineDefaults.migration_cost_us),
    warmupEvents: params.string('warmup_events', engineDefaults.warmup_events),
    limitC: params.number('limit_c', engineDefaults.limit_c),
  };
  const migration: MigrationCost = {
    seconds: Math.max(0, settings.migrationCostUs) * 1e-6,
    warmupEvents: warmupCounts(settings.warmupEvents, model.energy.events, inputs.notes),
  };
  const thermal = new ThermalStepper(inputs.thermal.params, { packages: layout.sockets, coresPerPackage: layout.coresPerSocket },
    clock.tickSeconds);
  const state = new EngineState({ layout, energy: model.energy, migration }, thermal);
  const core = model.energy.core;
  state.coreWatts.fill(core ? core.staticWatts / layout.coresPerSocket : 0);
  thermal.settle(state.coreWatts, state.heatsinkWatts.fill(Math.max(0, model.energy.staticWatts - (core?.staticWatts ?? 0))));
  applyStart(thermal, layout.coreNames, layout.coresPerSocket, inputs.thermal.start);

  const host = inputs.host.create();
  const hostContext: HostContext = {
    name: inputs.host.name, tickSeconds: clock.tickSeconds, pcpus: layout.pcpus, cores: state.cores,
    sockets: layout.sockets, pcpuSocket: layout.pcpuSocket, pcpuCore: layout.pcpuCore, vms: layout.vms,
    vcpus: state.vcpus, vcpuVm: layout.vcpuVm, initialPcpu: layout.initialPcpu, limitC: settings.limitC,
    params: params.scoped(inputs.host.name),
    rng: (purpose) => new Rng(seed, `host/${inputs.host.name}/${purpose}`),
  };
  const initial = host.init(hostContext) ?? [];
  applyHostActions(state, initial, { kind: 'host', name: inputs.host.name, tick: -1 }, new Int32Array(state.vcpus).fill(-1), true);
  // Each policy sees its own `name:key` values over the shared ones (`--param POLICY:key=value`).
  const guestParams = params.scoped(inputs.guest.name);
  const guests = layout.vms.map((vm) => {
    const guest = inputs.guest.create();
    const context: GuestContext = {
      name: inputs.guest.name, vm: vm.name, tickSeconds: clock.tickSeconds, vcpus: vm.vcpus.length,
      tasks: vm.vcpus.length + 1, balloonTask: vm.vcpus.length, events: model.energy.events, params: guestParams,
      rng: (purpose) => new Rng(seed, `guest/${vm.name}/${inputs.guest.name}/${purpose}`),
    };
    guest.init(context);
    return guest;
  });
  if (inputs.unknownParams === 'error') params.assertAllUsed();

  const blockTicks = Math.max(1, Math.min(4096, Math.round(1 / clock.tickSeconds), inputs.ticks));
  const recordedVms = inputs.recorded.vms;
  const feed = new DemandFeed(streamResidency(store, inputs.selection, recordedVms),
    streamEventRates(store, inputs.selection, recordedVms, model.energy.events), state.vcpus, clock, blockTicks);
  const metrics = new RunMetrics(state, { blockTicks, limitC: settings.limitC, coreNames: layout.coreNames, startSeconds: clock.startSeconds });
  const series = seriesRow && new SeriesFolder(state, {
    intervalTicks: Math.max(1, Math.round(inputs.seriesSeconds / clock.tickSeconds)), startSeconds: clock.startSeconds,
    coreNames: layout.coreNames,
  }, seriesRow);
  const energyCheck = inputs.validate
    ? new EnergyCheck(streamRecordedEnergy(store, inputs.selection, model.domain, model.trainingHashes), clock, inputs.ticks, layout.sockets,
      { rmseWatts: model.fitRmseWatts, mapePercent: model.fitMapePercent })
    : null;
  const tempCheck = inputs.validate
    ? new TempCheck(streamRecordedTemps(store, inputs.selection), clock, layout.coreNames, inputs.thermal.fitRmseCelsius)
    : null;
  return {
    inputs, state, feed, blockTicks, metrics, series, energyCheck, tempCheck, settings, paramsRead: params.readKeys(),
    policies: { hostName: inputs.host.name, host, guestName: inputs.guest.name, guests },
  };
}
