import type { EngineState } from './engine-state.js';

/**
 * Refills the host policy's observation from the engine state (copies, so a policy that
 * writes into its observation cannot corrupt the replay). `recorded` is the recording's
 * pCPU of each vCPU during this tick.
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
  o.vmPcpuBudgetWatts.set(state.vmPcpuBudget);
  o.vmPcpuWatts.set(state.vmPcpuWatts);
  o.recordedPcpu.set(recorded);
}

/** Refills VM m's guest observation: only its own vCPUs and tasks, in local numbering. */
export function observeGuest(state: EngineState, m: number, tick: number, timeSeconds: number): void {
  const o = state.guestObs[m]!;
  const vm = state.config.layout.vms[m]!;
  const P = state.config.layout.pcpus;
  const E = state.events;
  o.tick = tick;
  o.timeSeconds = timeSeconds;
  for (let k = 0; k < vm.vcpus.length; k++) {
    const g = vm.vcpus[k]!;
    o.vcpuOnline[k] = state.vcpuOnline[g]!;
    o.vcpuBudgetWatts[k] = state.vmPcpuBudget[m * P + state.vcpuPcpu[g]!]!;
    o.vcpuWatts[k] = state.vcpuWatts[g]!;
  }
  const first = state.vmTaskStart[m]!;
  const count = state.vmTaskStart[m + 1]! - first;
  // Rates change only at the recording's sample intervals: copied when they did.
  const rates = state.guestRateVersion[m] !== state.rateVersion;
  state.guestRateVersion[m] = state.rateVersion;
  for (let k = 0; k < count; k++) {
    const i = state.vmTasks[first + k]!;
    const v = state.taskVcpu[i]!;
    o.taskVcpu[k] = v < 0 ? -1 : state.vcpuLocal[v]!;
    o.taskBacklogSeconds[k] = state.taskBacklog[i]!;
    o.taskRunSeconds[k] = state.taskRun[i]!;
    o.taskThrottle[k] = state.taskThrottle[i]!;
    if (rates) for (let e = 0; e < E; e++) o.taskEventRates[k * E + e] = state.taskRate[i * E + e]!;
  }
}
