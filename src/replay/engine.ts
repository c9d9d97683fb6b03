import type { GuestPolicy, HostPolicy } from '../policies/types.js';
import { applyGuestActions, applyHostActions } from './actions.js';
import { groupBy, waterFill } from './allocate.js';
import type { EngineState } from './engine-state.js';
import { observeGuest, observeHost } from './observe.js';

/** One tick's input from the recording. */
export interface TickInput {
  tick: number;
  /** Start of the tick, s. */
  timeSeconds: number;
  /** Demand arriving in this tick per recorded vCPU stream, CPU-s. */
  arriveSeconds: Float64Array;
  /** pCPU each vCPU ran on in the recording during this tick, −1 when it did not run. */
  recordedPcpu: Int32Array;
}

/** The policy instances of one run (one guest instance per VM), with the names errors use. */
export interface BoundPolicies {
  hostName: string;
  host: HostPolicy;
  guestName: string;
  guests: readonly GuestPolicy[];
}

/**
 * Sets the rate of event e in rate slot `slot` (see `DemandFeed`): slot j < vcpus is task j
 * (events per running second), slot vcpus + p the host's own load on pCPU p (events per
 * second). Keeps the cached power figures in step. The runner calls this when the recording's
 * sample interval changes; slots beyond the host's pCPUs are ignored.
 */
export function setSlotRate(state: EngineState, slot: number, e: number, rate: number): void {
  const E = state.events;
  const w = state.config.energy.weights;
  const V = state.vcpus;
  const rates = slot < V ? state.taskRate : state.backgroundRate;
  const row = slot < V ? slot : slot - V;
  if (row >= rates.length / E) return;
  rates[row * E + e] = rate;
  state.rateVersion++;
  const wc = state.config.energy.core?.weights;
  let watts = 0;
  let coreWatts = 0;
  for (let k = 0; k < E; k++) {
    watts += w[k]! * rates[row * E + k]!;
    if (wc) coreWatts += wc[k]! * rates[row * E + k]!;
  }
  if (slot < V) {
    state.taskJoulesPerSecond[row] = watts;
    state.taskCoreJoulesPerSecond[row] = coreWatts;
  } else {
    state.backgroundWatts[row] = watts;
    state.backgroundCoreWatts[row] = coreWatts;
  }
}

/**
 * Advances the replay by one tick, in place, and returns the state. No I/O and no allocation
 * beyond what policies allocate for their actions.
 *
 *   arrivals ─▶ host decides ─▶ balloons ─▶ guests decide ─▶ execute (pCPU, then vCPU shares)
 *            ─▶ energy per pCPU, socket, VM ─▶ thermal step
 */
export function step(state: EngineState, tick: TickInput, policies: BoundPolicies): EngineState {
  const { layout } = state.config;
  const h = layout.tickSeconds;
  const V = state.vcpus;
  state.tickMigrations = 0;
  state.tickMigrationSeconds = 0;
  state.tickThrottledSeconds = 0;
  state.tickVmDemand.fill(0);
  // 1. Demand arrives; the host sees each vCPU's waiting work (balloons excluded: not work).
  state.vcpuBacklog.fill(0);
  for (let j = 0; j < V; j++) {
    const a = tick.arriveSeconds[j]!;
    state.taskBacklog[j]! += a;
    state.tickVmDemand[state.taskVm[j]!]! += a;
    const v = state.taskVcpu[j]!;
    state.vcpuBacklog[v]! += state.taskBacklog[j]!;
  }
  // 2. Host policy.
  observeHost(state, tick.tick, tick.timeSeconds, tick.recordedPcpu);
  applyHostActions(state, policies.host.decide(state.hostObs),
    { kind: 'host', name: policies.hostName, tick: tick.tick }, tick.recordedPcpu, false);
  // 3. Balloons want their share afresh each tick; what they do not get is not owed.
  for (let m = 0; m < state.vms; m++) state.taskBacklog[V + m] = state.vmBalloon[m]! * h;
  // 4. Guest policies.
  for (let m = 0; m < state.vms; m++) {
    observeGuest(state, m, tick.tick, tick.timeSeconds);
    applyGuestActions(state, m, policies.guests[m]!.decide(state.guestObs[m]!),
      { kind: 'guest', name: policies.guestName, tick: tick.tick });
  }
  // 5.–6.
  execute(state);
  account(state);
  return state;
}

/** Shares pCPU time among vCPUs and vCPU time among tasks; fills taskRun and vcpuRun. */
function execute(state: EngineState): void {
  const { layout } = state.config;
  const h = layout.tickSeconds;
  const V = state.vcpus;
  const T = state.tasks;
  const P = layout.pcpus;
  let throttled = 0;
  state.vcpuWant.fill(0);
  for (let i = 0; i < T; i++) {
    const v = state.taskVcpu[i]!;
    if (v < 0 || !state.vcpuOnline[v]) {
      state.taskWant[i] = 0;
      continue;
    }
    const backlog = state.taskBacklog[i]!;
    const want = Math.min(backlog, (1 - state.taskThrottle[i]!) * h);
    state.taskWant[i] = want;
    throttled += Math.min(backlog, h) - want;
    state.vcpuWant[v]! += want;
  }
  for (let v = 0; v < V; v++) {
    const want = state.vcpuWant[v]!;
    if (want <= 0) continue;
    // A migrated vCPU first pays its warm-up time, but only once it has work to run.
    const uncapped = Math.min(h, want + state.vcpuPendingCost[v]!);
    const capped = Math.min(uncapped, (1 - state.vcpuThrottle[v]!) * h);
    state.vcpuWant[v] = capped;
    throttled += uncapped - capped;
  }
  groupBy(state.vcpuPcpu, P, state.byOwner, state.ownerStart);
  for (let p = 0; p < P; p++) {
    const from = state.ownerStart[p]!;
    const to = state.ownerStart[p + 1]!;
    const capacity = (1 - state.pcpuThrottle[p]!) * h;
    let wanted = 0;
    for (let k = from; k < to; k++) wanted += state.vcpuWant[state.byOwner[k]!]!;
    throttled += Math.max(0, Math.min(wanted, h) - capacity);
    waterFill(state.vcpuWant, state.byOwner, from, to, capacity, state.vcpuRun);
  }
  state.tickThrottledSeconds = throttled;
  state.taskRun.fill(0);
  groupBy(state.taskVcpu, V, state.byOwner, state.ownerStart);
  for (let v = 0; v < V; v++) {
    const run = state.vcpuRun[v]!;
    const paid = Math.min(run, state.vcpuPendingCost[v]!);
    state.vcpuPendingCost[v]! -= paid;
    state.tickMigrationSeconds += paid;
    waterFill(state.taskWant, state.byOwner, state.ownerStart[v]!, state.ownerStart[v + 1]!, run - paid, state.taskRun);
  }
}

/** Energy of the tick per pCPU, VM and socket, then the thermal step. */
function account(state: EngineState): void {
  const { layout, energy, migration } = state.config;
  const h = layout.tickSeconds;
  const V = state.vcpus;
  const P = layout.pcpus;
  const E = state.events;
  // The host's own load runs wherever it ran in the recording, charged to no VM.
  for (let p = 0; p < P; p++) {
    state.pcpuJoules[p] = state.backgroundWatts[p]! * h;
    state.pcpuCoreJoules[p] = state.backgroundCoreWatts[p]! * h;
  }
  for (let k = 0; k < state.vmPcpuTouchedCount; k++) state.vmPcpuWatts[state.vmPcpuTouched[k]!] = 0;
  state.vmPcpuTouchedCount = 0;
  state.vcpuWatts.fill(0);
  state.tickVmJoules.fill(0);
  state.tickVmRun.fill(0);
  for (let i = 0; i < V; i++) {
    const run = state.taskRun[i]!;
    if (run <= 0) continue;
    state.taskBacklog[i]! -= run;
    const v = state.taskVcpu[i]!;
    const joules = run * state.taskJoulesPerSecond[i]!;
    state.pcpuJoules[state.vcpuPcpu[v]!]! += joules;
    state.pcpuCoreJoules[state.vcpuPcpu[v]!]! += run * state.taskCoreJoulesPerSecond[i]!;
    state.vcpuWatts[v]! += joules / h;
    state.tickVmRun[state.taskVm[i]!]! += run;
  }
  let warmup = -1;
  let warmupCore = 0;
  for (let v = 0; v < V; v++) {
    const run = state.vcpuRun[v]!;
    if (run <= 0) continue;
    const p = state.vcpuPcpu[v]!;
    const m = layout.vcpuVm[v]!;
    if (state.vcpuPendingWarmup[v]) {
      // Cache refills after a migration: executed once, on the destination, when the vCPU first runs.
      if (warmup < 0) {
        warmup = 0;
        for (let e = 0; e < E; e++) {
          warmup += energy.weights[e]! * migration.warmupEvents[e]!;
          warmupCore += (energy.core?.weights[e] ?? 0) * migration.warmupEvents[e]!;
        }
      }
      state.vcpuPendingWarmup[v] = 0;
      state.pcpuJoules[p]! += warmup;
      state.pcpuCoreJoules[p]! += warmupCore;
      state.vcpuWatts[v]! += warmup / h;
    }
    // Per VM and pCPU; the vCPU's tasks all ran here, so its watts are the VM's share on p.
    const at = m * P + p;
    if (state.vmPcpuWatts[at] === 0) state.vmPcpuTouched[state.vmPcpuTouchedCount++] = at;
    state.vmPcpuWatts[at]! += state.vcpuWatts[v]!;
    // A VM is charged its dynamic energy and the static power of the pCPU share it occupied
    // (balloons and warm-up included).
    state.tickVmJoules[m]! += state.vcpuWatts[v]! * h + run * state.staticWattsPerPcpu[p]!;
  }
  // Heat: with a core model each core takes its core-domain power (static shared evenly) and the
  // heatsink the rest of the package; without one, cores take the dynamic power, the heatsink the static.
  const core = energy.core;
  const coreStatic = core ? core.staticWatts / layout.coresPerSocket : 0;
  state.coreWatts.fill(coreStatic);
  for (let s = 0; s < layout.sockets; s++) state.tickSocketJoules[s] = energy.staticWatts * h;
  for (let p = 0; p < P; p++) {
    const joules = state.pcpuJoules[p]!;
    state.pcpuWatts[p] = joules / h;
    state.coreWatts[layout.pcpuCore[p]!]! += (core ? state.pcpuCoreJoules[p]! : joules) / h;
    state.tickSocketJoules[layout.pcpuSocket[p]!]! += joules;
  }
  const perSocket = layout.coresPerSocket;
  for (let s = 0; s < layout.sockets; s++) {
    let cores = 0;
    for (let c = s * perSocket; c < (s + 1) * perSocket; c++) cores += state.coreWatts[c]!;
    state.heatsinkWatts[s] = core ? Math.max(0, state.tickSocketJoules[s]! / h - cores) : energy.staticWatts;
  }
  state.thermal.step(state.coreWatts, state.heatsinkWatts);
}
