import { clearActions } from './action-list.js';
import type { HostAction, HostObservation, HostPolicy } from './types.js';

/**
 * `recorded`: replays the recording's placement. Each tick, a vCPU that ran in the recording
 * moves to the pCPU it ran on; idle vCPUs stay where they are. These migrations cost nothing
 * extra (the recorded demand and events already contain their cost), so with the `default`
 * guest policy the replay re-executes the recording: the fidelity check's reference.
 */
export function recordedPolicy(): HostPolicy {
  const actions: HostAction[] = [];
  return {
    init() {},
    decide(obs: HostObservation) {
      // One array reused every tick: the engine applies actions before the next decide.
      clearActions(actions);
      const recorded = obs.recordedPcpu;
      const placed = obs.vcpuPcpu;
      for (let v = 0; v < recorded.length; v++) {
        const p = recorded[v]!;
        if (p >= 0 && p !== placed[v]) actions.push({ type: 'migrate', vcpu: v, pcpu: p });
      }
      return actions;
    },
  };
}
