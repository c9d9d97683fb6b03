import { phaseDefaults } from './defaults.js';
import type { ScenarioVm } from './scenario.js';

/** One phase of a guest task, resolved: busy fraction, mean burst µs, events per cycle, length µs. */
interface Phase {
  util: number;
  burstUs: number;
  rates: Float64Array;
  io: boolean;
  lenUs: number;
}

/** A guest task looping through its phases; `left` is µs left in the current one. */
export interface GuestTask {
  phases: Phase[];
  idx: number;
  left: number;
}

/** What the tasks on one vCPU demand together right now. */
export interface TaskMix {
  util: number;
  burstUs: number;
  rates: Float64Array;
  /** Fraction of the run time spent in `io` phases. */
  ioShare: number;
}

/**
 * The tasks `vm` runs on vCPU `vcpu` (a task without `vcpu` goes to task index mod vCPUs), each
 * positioned at its `offset_seconds` in its phase loop; `profile` gives a profile's events per cycle.
 */
export function buildTasks(vm: ScenarioVm, vcpu: number, profile: (name: string) => Float64Array): GuestTask[] {
  const tasks: GuestTask[] = [];
  vm.tasks.forEach((t, k) => {
    if ((t.vcpu ?? k % vm.vcpus) !== vcpu) return;
    const phases = t.phases.map((p) => {
      const d = phaseDefaults[p.kind];
      return { util: p.util ?? d.util, burstUs: (p.burst_ms ?? d.burstMs) * 1000, rates: profile(p.profile ?? p.kind),
        io: p.kind === 'io', lenUs: Math.round(p.seconds * 1e6) };
    });
    const total = phases.reduce((s, p) => s + p.lenUs, 0);
    let at = Math.round(t.offset_seconds * 1e6) % total;
    let idx = 0;
    while (at >= phases[idx]!.lenUs) at -= phases[idx++]!.lenUs;
    tasks.push({ phases, idx, left: phases[idx]!.lenUs - at });
  });
  return tasks;
}

/**
 * The combined demand of the current phases: busy fractions add (capped at 1), bursts and event
 * rates are util-weighted means. Undefined for a vCPU without tasks (it idles).
 */
export function mixTasks(tasks: readonly GuestTask[], events: number): TaskMix | undefined {
  if (tasks.length === 0) return undefined;
  let u = 0;
  let burst = 0;
  let io = 0;
  const rates = new Float64Array(events);
  for (const t of tasks) {
    const p = t.phases[t.idx]!;
    u += p.util;
    burst += p.util * p.burstUs;
    if (p.io) io += p.util;
    for (let k = 0; k < events; k++) rates[k] = rates[k]! + p.util * p.rates[k]!;
  }
  const first = tasks[0]!.phases[tasks[0]!.idx]!;
  if (u === 0) return { util: 0, burstUs: first.burstUs, rates: first.rates, ioShare: 0 };
  for (let k = 0; k < events; k++) rates[k] = rates[k]! / u;
  return { util: Math.min(1, u), burstUs: burst / u, rates, ioShare: io / u };
}

/** Moves the tasks' phase clocks on by `len` µs; true when any task entered a new phase. */
export function advanceTasks(tasks: readonly GuestTask[], len: number): boolean {
  let changed = false;
  for (const t of tasks) {
    t.left -= len;
    while (t.left <= 0) {
      t.idx = (t.idx + 1) % t.phases.length;
      t.left += t.phases[t.idx]!.lenUs;
      changed = true;
    }
  }
  return changed;
}
