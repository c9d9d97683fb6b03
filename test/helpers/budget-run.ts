import type { HostAction, HostObservation, HostPolicy } from '../../src/policies/types.js';
import { applyHostActions } from '../../src/replay/actions.js';
import type { EngineState } from '../../src/replay/engine-state.js';
import { hostRun, type HostScenario } from './host-scenario.js';
import { hostContext } from './replay-engine.js';

/** Initialises `policy` on `state` with `params`, applies its initial actions (free) and returns them. */
export function start(state: EngineState, policy: HostPolicy, params: Record<string, string>): HostAction[] {
  const initial = [...(policy.init(hostContext(state, params)) ?? [])];
  applyHostActions(state, initial, { kind: 'host', name: 'test-host', tick: -1 }, new Int32Array(state.vcpus).fill(-1), true);
  return initial;
}

/**
 * The host observation of `state`, primed for hand-built ticks: placement and online vCPUs as
 * the state has them, no recorded placement (so the policies' `recorded` base stays put).
 */
export function handObservation(state: EngineState): HostObservation {
  const obs = state.hostObs;
  obs.vcpuPcpu.set(state.vcpuPcpu);
  obs.vcpuOnline.set(state.vcpuOnline);
  obs.recordedPcpu.fill(-1);
  return obs;
}

/** Calls `decide` for ticks from..to with the observation as it is; returns a copy of each tick's actions. */
export function decideTicks(policy: HostPolicy, obs: HostObservation, from: number, to: number): HostAction[][] {
  const out: HostAction[][] = [];
  for (let t = from; t <= to; t++) {
    obs.tick = t;
    out.push([...policy.decide(obs)]);
  }
  return out;
}

/** What a budget run through the engine measured. */
export interface BudgetRun {
  state: EngineState;
  /** Mean power of each VM over each window of `window` ticks (all its pCPUs), W: [window][vm]. */
  vmWatts: number[][];
  /** CPU-s each VM demanded and was delivered over the run. */
  demanded: Float64Array;
  delivered: Float64Array;
}

/** Runs `sc` under `policy` through the real engine for `ticks` ticks, averaging each VM's power over windows of `window` ticks. */
export function runBudgeted(sc: HostScenario, policy: HostPolicy, ticks: number, window: number): BudgetRun {
  const run = hostRun(sc, policy);
  const s = run.state;
  const P = s.config.layout.pcpus;
  const vmWatts: number[][] = [];
  const sum = new Float64Array(s.vms);
  const demanded = new Float64Array(s.vms);
  const delivered = new Float64Array(s.vms);
  for (let t = 0; t < ticks; t++) {
    run.advance(1);
    for (let c = 0; c < s.vmPcpuWatts.length; c++) sum[Math.floor(c / P)]! += s.vmPcpuWatts[c]!;
    for (let m = 0; m < s.vms; m++) {
      demanded[m]! += s.tickVmDemand[m]!;
      delivered[m]! += s.tickVmRun[m]!;
    }
    if ((t + 1) % window === 0) {
      vmWatts.push([...sum].map((w) => w / window));
      sum.fill(0);
    }
  }
  return { state: s, vmWatts, demanded, delivered };
}
