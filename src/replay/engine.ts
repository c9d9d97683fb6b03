import type { GuestPolicy, HostPolicy } from '../policies/types.js';
import { applyGuestActions, applyHostActions } from './actions.js';
import { regroupBy, waterFill } from './allocate.js';
import type { EngineState } from './engine-state.js';

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
 * second). Keeps the cached power figures in step. Slots beyond the host's pCPUs are ignored.
 */
export function setSlotRate(state: EngineState, slot: number, e: number, rate: number): void {
  if (writeRate(state, slot, e, rate)) refreshSlotPower(state, slot);
}

/**
 * Applies the rate changes from..to−1 of parallel arrays (`slots`, `events`, `rates`), as the
 * runner does when the recording's sample interval changes: each run of changes to one slot
 * (a sample interval sets all its events together) recomputes that slot's power once, not per event.
 */
export function applyRateChanges(state: EngineState, slots: Int32Array, events: Int32Array, rates: Float64Array,
  from: number, to: number): void {
  for (let c = from; c < to;) {
    const slot = slots[c]!;
    let changed = false;
    for (; c < to && slots[c] === slot; c++) changed = writeRate(state, slot, events[c]!, rates[c]!) || changed;
    if (changed) refreshSlotPower(state, slot);
  }
}

/** Stores one rate; false when the slot is beyond the host's pCPUs. */
function writeRate(state: EngineState, slot: number, e: number, rate: number): boolean {
  const E = state.events;
  const V = state.vcpus;
  const rates = slot < V ? state.taskRate : state.backgroundRate;
  const row = slot < V ? slot : slot - V;
  if (row >= rates.length / E) return false;
  rates[row * E + e] = rate;
  state.rateVersion++;
  return true;
}

/** Recomputes a slot's cached power (package and core domain) from its rates. */
function refreshSlotPower(state: EngineState, slot: number): void {
  const E = state.events;
  const V = state.vcpus;
  const w = state.config.energy.weights;
  const wc = state.config.energy.core?.weights;
  const rates = slot < V ? state.taskRate : state.backgroundRate;
  const row = slot < V ? slot : slot - V;
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

// Who the actions being applied come from, refilled each tick rather than allocated (errors copy what they name).
const hostSource = { kind: 'host' as const, name: '', tick: 0 };
const guestSource = { kind: 'guest' as const, name: '', tick: 0 };

/**
 * Advances the replay by one tick, in place, and returns the state. No I/O and no allocation
 * beyond what policies allocate for their actions.
 *
 *   arrivals ─▶ host decides ─▶ balloons ─▶ guests decide ─▶ execute (pCPU, then vCPU shares)
 *            ─▶ energy per pCPU, socket, VM ─▶ thermal step
 */
export function step(state: EngineState, tick: TickInput, policies: BoundPolicies): EngineState {
  const h = state.config.layout.tickSeconds;
  const V = state.vcpus;
  const { taskBacklog, taskVm, tickVmDemand } = state;
  const arrive = tick.arriveSeconds;
  state.tickMigrations = 0;
  state.tickMigrationSeconds = 0;
  state.tickThrottledSeconds = 0;
  tickVmDemand.fill(0);
  // 1. Demand arrives.
  for (let j = 0; j < V; j++) {
    const a = arrive[j]!;
    taskBacklog[j]! += a;
    tickVmDemand[taskVm[j]!]! += a;
  }
  // 2. Host policy.
  state.hostObs.refresh(tick.tick, tick.timeSeconds, tick.recordedPcpu);
  hostSource.name = policies.hostName;
  hostSource.tick = tick.tick;
  const hostActions = policies.host.decide(state.hostObs);
  // Most ticks most policies change nothing: skip validation then (a non-array still goes through it and fails).
  if (!Array.isArray(hostActions) || hostActions.length > 0) applyHostActions(state, hostActions, hostSource, tick.recordedPcpu, false);
  // 3. Balloons want their share afresh each tick; what they do not get is not owed.
  for (let m = 0; m < state.vms; m++) taskBacklog[V + m] = state.vmBalloon[m]! * h;
  // 4. Guest policies.
  guestSource.name = policies.guestName;
  guestSource.tick = tick.tick;
  for (let m = 0; m < state.vms; m++) {
    state.guestObs[m]!.refresh(tick.tick, tick.timeSeconds);
    const guestActions = policies.guests[m]!.decide(state.guestObs[m]!);
    if (!Array.isArray(guestActions) || guestActions.length > 0) applyGuestActions(state, m, guestActions, guestSource);
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
  const { taskVcpu, taskBacklog, taskThrottle, taskWant, taskRun, vcpuOnline, vcpuWant, vcpuRun, vcpuPendingCost } = state;
  let throttled = 0;
  vcpuWant.fill(0);
  for (let i = 0; i < T; i++) {
    const v = taskVcpu[i]!;
    if (v < 0 || !vcpuOnline[v]) {
      taskWant[i] = 0;
      continue;
    }
    const backlog = taskBacklog[i]!;
    const want = Math.min(backlog, (1 - taskThrottle[i]!) * h);
    taskWant[i] = want;
    throttled += Math.min(backlog, h) - want;
    vcpuWant[v]! += want;
  }
  for (let v = 0; v < V; v++) {
    const want = vcpuWant[v]!;
    if (want <= 0) continue;
    // A migrated vCPU first pays its warm-up time, but only once it has work to run.
    const uncapped = Math.min(h, want + vcpuPendingCost[v]!);
    const capped = Math.min(uncapped, (1 - state.vcpuThrottle[v]!) * h);
    vcpuWant[v] = capped;
    throttled += uncapped - capped;
  }
  const byPcpu = state.pcpuMembers;
  const pcpuStart = state.pcpuStart;
  regroupBy(state.vcpuPcpu, state.groupedVcpuPcpu, P, byPcpu, pcpuStart);
  for (let p = 0; p < P; p++) {
    const from = pcpuStart[p]!;
    const to = pcpuStart[p + 1]!;
    if (from === to) continue;
    const capacity = (1 - state.pcpuThrottle[p]!) * h;
    if (to - from === 1) {
      // One vCPU on the pCPU (the common case): water-filling reduces to a min.
      const v = byPcpu[from]!;
      const want = vcpuWant[v]!;
      throttled += Math.max(0, Math.min(want, h) - capacity);
      vcpuRun[v] = Math.min(want, Math.max(0, capacity));
      continue;
    }
    let wanted = 0;
    for (let k = from; k < to; k++) wanted += vcpuWant[byPcpu[k]!]!;
    throttled += Math.max(0, Math.min(wanted, h) - capacity);
    waterFill(vcpuWant, byPcpu, from, to, capacity, vcpuRun);
  }
  state.tickThrottledSeconds = throttled;
  taskRun.fill(0);
  const byVcpu = state.vcpuMembers;
  const vcpuStart = state.vcpuStart;
  regroupBy(taskVcpu, state.groupedTaskVcpu, V, byVcpu, vcpuStart);
  let migrationSeconds = state.tickMigrationSeconds;
  for (let v = 0; v < V; v++) {
    const run = vcpuRun[v]!;
    // An idle vCPU gives its tasks nothing: taskRun is already 0 (water-filling 0 s gives 0 too).
    if (run <= 0) continue;
    const paid = Math.min(run, vcpuPendingCost[v]!);
    vcpuPendingCost[v]! -= paid;
    migrationSeconds += paid;
    const from = vcpuStart[v]!;
    if (vcpuStart[v + 1]! - from === 1) {
      const i = byVcpu[from]!;
      taskRun[i] = Math.min(taskWant[i]!, run - paid);
    } else waterFill(taskWant, byVcpu, from, vcpuStart[v + 1]!, run - paid, taskRun);
  }
  state.tickMigrationSeconds = migrationSeconds;
}

/** Energy of the tick per pCPU, VM and socket, then the thermal step. */
function account(state: EngineState): void {
  const { layout, energy, migration } = state.config;
  const h = layout.tickSeconds;
  const V = state.vcpus;
  const P = layout.pcpus;
  const E = state.events;
  const { taskRun, taskBacklog, taskVcpu, taskVm, vcpuPcpu, vcpuRun, vcpuWatts, pcpuJoules, pcpuCoreJoules } = state;
  const { vmPcpuWatts, vmPcpuTouched, tickVmJoules, tickVmRun, coreWatts, tickSocketJoules } = state;
  // The host's own load runs wherever it ran in the recording, charged to no VM.
  for (let p = 0; p < P; p++) {
    pcpuJoules[p] = state.backgroundWatts[p]! * h;
    pcpuCoreJoules[p] = state.backgroundCoreWatts[p]! * h;
  }
  for (let k = 0; k < state.vmPcpuTouchedCount; k++) vmPcpuWatts[vmPcpuTouched[k]!] = 0;
  let touched = 0;
  vcpuWatts.fill(0);
  tickVmJoules.fill(0);
  tickVmRun.fill(0);
  for (let i = 0; i < V; i++) {
    const run = taskRun[i]!;
    if (run <= 0) continue;
    taskBacklog[i]! -= run;
    const v = taskVcpu[i]!;
    const joules = run * state.taskJoulesPerSecond[i]!;
    pcpuJoules[vcpuPcpu[v]!]! += joules;
    pcpuCoreJoules[vcpuPcpu[v]!]! += run * state.taskCoreJoulesPerSecond[i]!;
    vcpuWatts[v]! += joules / h;
    tickVmRun[taskVm[i]!]! += run;
  }
  let warmup = -1;
  let warmupCore = 0;
  for (let v = 0; v < V; v++) {
    const run = vcpuRun[v]!;
    if (run <= 0) continue;
    const p = vcpuPcpu[v]!;
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
      pcpuJoules[p]! += warmup;
      pcpuCoreJoules[p]! += warmupCore;
      vcpuWatts[v]! += warmup / h;
    }
    // Per VM and pCPU; the vCPU's tasks all ran here, so its watts are the VM's share on p.
    const at = m * P + p;
    if (vmPcpuWatts[at] === 0) vmPcpuTouched[touched++] = at;
    vmPcpuWatts[at]! += vcpuWatts[v]!;
    // A VM is charged its dynamic energy and the static power of the pCPU share it occupied
    // (balloons and warm-up included).
    tickVmJoules[m]! += vcpuWatts[v]! * h + run * state.staticWattsPerPcpu[p]!;
  }
  state.vmPcpuTouchedCount = touched;
  // Heat: with a core model each core takes its core-domain power (static shared evenly) and the
  // heatsink the rest of the package; without one, cores take the dynamic power, the heatsink the static.
  const core = energy.core;
  const coreStatic = core ? core.staticWatts / layout.coresPerSocket : 0;
  coreWatts.fill(coreStatic);
  for (let s = 0; s < layout.sockets; s++) tickSocketJoules[s] = energy.staticWatts * h;
  for (let p = 0; p < P; p++) {
    const joules = pcpuJoules[p]!;
    state.pcpuWatts[p] = joules / h;
    coreWatts[layout.pcpuCore[p]!]! += (core ? pcpuCoreJoules[p]! : joules) / h;
    tickSocketJoules[layout.pcpuSocket[p]!]! += joules;
  }
  const perSocket = layout.coresPerSocket;
  for (let s = 0; s < layout.sockets; s++) {
    let cores = 0;
    for (let c = s * perSocket; c < (s + 1) * perSocket; c++) cores += coreWatts[c]!;
    state.heatsinkWatts[s] = core ? Math.max(0, tickSocketJoules[s]! / h - cores) : energy.staticWatts;
  }
  state.thermal.step(coreWatts, state.heatsinkWatts);
}
