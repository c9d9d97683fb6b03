import type { EngineState } from './engine-state.js';

/**
 * Refills the host policy's observation from the engine state (copies, so a policy that
 * writes into its observation cannot corrupt the replay). `recorded` is the recording's
 * pCPU of each vCPU during this tick. The VM × pCPU budgets and powers are refreshed where
 * the engine changed them (as guests' event rates are), not copied whole every tick.
 */
export function observeHost(state: EngineState, tick: number, timeSeconds: number, recorded: Int32Array): void {
  const o = state.hostObs;
  o.tick = tick;
  o.timeSeconds = timeSeconds;
  o.pcpuWatts.set(state.pcpuWatts);
  o.coreCelsius.set(state.thermal.coreCelsius);
  o.vcpuPcpu.set(state.vcpuPcpu);
  o.vcpuOnline.set(state.vcpuOnline);
  o.vcpuBacklogSeconds.set(state.vcpuBacklog);
  o.vcpuRunSeconds.set(state.vcpuRun);
  o.vcpuThrottle.set(state.vcpuThrottle);
  o.pcpuThrottle.set(state.pcpuThrottle);
  o.recordedPcpu.set(recorded);
  // The two VM × pCPU tables are the large ones: budgets are copied when they changed, and of the
  // powers only the entries set in this tick or the last (the rest stay 0).
  if (state.hostBudgetVersion !== state.budgetVersion) {
    o.vmPcpuBudgetWatts.set(state.vmPcpuBudget);
    state.hostBudgetVersion = state.budgetVersion;
  }
  const seen = state.hostObsTouched;
  for (let k = 0; k < state.hostObsTouchedCount; k++) o.vmPcpuWatts[seen[k]!] = 0;
  for (let k = 0; k < state.vmPcpuTouchedCount; k++) {
    const at = state.vmPcpuTouched[k]!;
    o.vmPcpuWatts[at] = state.vmPcpuWatts[at]!;
    seen[k] = at;
  }
  state.hostObsTouchedCount = state.vmPcpuTouchedCount;
}

/** Refills VM m's guest observation: only its own vCPUs and tasks, in local numbering. */
export function observeGuest(state: EngineState, m: number, tick: number, timeSeconds: number): void {
  const o = state.guestObs[m]!;
  const vcpus = state.config.layout.vms[m]!.vcpus;
  const budgetRow = m * state.config.layout.pcpus;
  const E = state.events;
  const { vcpuOnline, vcpuPcpu, vcpuWatts, vmPcpuBudget, taskVcpu, vcpuLocal, taskBacklog, taskRun, taskThrottle } = state;
  o.tick = tick;
  o.timeSeconds = timeSeconds;
  for (let k = 0; k < vcpus.length; k++) {
    const g = vcpus[k]!;
    o.vcpuOnline[k] = vcpuOnline[g]!;
    o.vcpuBudgetWatts[k] = vmPcpuBudget[budgetRow + vcpuPcpu[g]!]!;
    o.vcpuWatts[k] = vcpuWatts[g]!;
  }
  const first = state.vmTaskStart[m]!;
  const count = state.vmTaskStart[m + 1]! - first;
  // Rates change only at the recording's sample intervals: copied when they did.
  const rates = state.guestRateVersion[m] !== state.rateVersion;
  state.guestRateVersion[m] = state.rateVersion;
  for (let k = 0; k < count; k++) {
    const i = state.vmTasks[first + k]!;
    const v = taskVcpu[i]!;
    o.taskVcpu[k] = v < 0 ? -1 : vcpuLocal[v]!;
    o.taskBacklogSeconds[k] = taskBacklog[i]!;
    o.taskRunSeconds[k] = taskRun[i]!;
    o.taskThrottle[k] = taskThrottle[i]!;
    if (rates) for (let e = 0; e < E; e++) o.taskEventRates[k * E + e] = state.taskRate[i * E + e]!;
  }
}
