import { clearActions } from './action-list.js';
import { defaultGuestPolicy } from './default.js';
import { numberInRange } from './param-range.js';
import { TaskPower } from './task-power.js';
import type { GuestAction, GuestContext, GuestObservation, GuestPolicy } from './types.js';

/**
 * `budget-follow` guest policy: keeps each vCPU within the energy budget the host gave it
 * (`vcpuBudgetWatts`, the paper's para-virtual budget driver) by throttling its own tasks, and
 * places tasks exactly as `default` does (it runs a `default` instance and adds throttles).
 * Each tick, per online vCPU with a budget B and last-tick power W (`vcpuWatts`):
 * - W > B: the excess (W − B) × tick joules is cut from the hottest tasks first (a joule from a
 *   hot task costs the least run time), each task's run time cut by its share of the excess, its
 *   power taken from `TaskPower` (the guest's own fitted energy model) scaled so the tasks'
 *   energies add up to the measured W;
 * - W < B × (1 − `guest_release_pct`/100) (default 10): the headroom below that mark is given
 *   back to throttled tasks, coolest first (they regain the most run time per joule);
 * - in between it holds, so throttles do not flap at the budget (hysteresis).
 * Tasks on a vCPU without a budget (NaN) are released. The balloon task is never throttled (it
 * executes no events, so throttling it saves nothing). Deterministic: ties go to the lowest task.
 * A limit it cannot see: two vCPUs of the VM on one pCPU each see the VM's whole budget there.
 */
export function budgetFollowGuestPolicy(): GuestPolicy {
  const placement = defaultGuestPolicy();
  const actions: GuestAction[] = [];
  let power: TaskPower;
  let tickSeconds = 1;
  let keep = 1;
  let balloon = -1;
  let throttle = new Float64Array(0);
  /** Power of each task while running, W: its estimate, scaled so a vCPU's tasks add up to its measured `vcpuWatts`. */
  let share = new Float64Array(0);
  const order: number[] = [];

  /** Tasks of vCPU v that may be throttled, by power descending (`hot`) or ascending, ties by index. */
  function tasksOn(obs: GuestObservation, v: number, hot: boolean): number[] {
    order.length = 0;
    for (let k = 0; k < throttle.length; k++) if (obs.taskVcpu[k] === v && k !== balloon) order.push(k);
    return order.sort((a, b) => (hot ? share[b]! - share[a]! : share[a]! - share[b]!) || a - b);
  }

  function measure(obs: GuestObservation, v: number): void {
    let estimate = 0;
    let ran = 0;
    for (let k = 0; k < throttle.length; k++) {
      if (obs.taskVcpu[k] !== v) continue;
      estimate += obs.taskRunSeconds[k]! * power.watts[k]!;
      ran += obs.taskRunSeconds[k]!;
    }
    const joules = obs.vcpuWatts[v]! * tickSeconds;
    const scale = estimate > 0 ? joules / estimate : 1;
    // Without an estimate yet, the measured energy is shared by run time.
    const even = estimate > 0 || ran <= 0 ? 0 : joules / ran;
    for (let k = 0; k < throttle.length; k++) if (obs.taskVcpu[k] === v) share[k] = power.watts[k]! * scale || even;
  }

  function cut(obs: GuestObservation, v: number, excessJoules: number): void {
    let left = excessJoules;
    for (const k of tasksOn(obs, v, true)) {
      if (left <= 0) return;
      const run = obs.taskRunSeconds[k]!;
      const joules = run * share[k]!;
      if (joules <= 0) continue;
      const c = Math.min(left, joules);
      throttle[k] = Math.max(throttle[k]!, 1 - (run - c / share[k]!) / tickSeconds);
      left -= c;
    }
  }

  function release(obs: GuestObservation, v: number, headroomJoules: number): void {
    let throttled = false;
    for (let k = 0; k < throttle.length && !throttled; k++) throttled = obs.taskVcpu[k] === v && throttle[k]! > 0;
    if (!throttled) return;
    let left = headroomJoules;
    for (const k of tasksOn(obs, v, false)) {
      if (throttle[k]! <= 0) continue;
      const full = throttle[k]! * tickSeconds * share[k]!;
      if (full <= left) {
        throttle[k] = 0;
        left -= full;
      } else {
        throttle[k] = throttle[k]! - left / (tickSeconds * share[k]!);
        return;
      }
    }
  }

  return {
    init(ctx: GuestContext) {
      placement.init(ctx);
      power = new TaskPower(ctx);
      tickSeconds = ctx.tickSeconds;
      keep = 1 - numberInRange(ctx.params, 'guest_release_pct', 10, { atLeast: 0, atMost: 100 }) / 100;
      balloon = ctx.balloonTask;
      throttle = new Float64Array(ctx.tasks);
      share = new Float64Array(ctx.tasks);
    },
    decide(obs: GuestObservation) {
      clearActions(actions);
      power.observe(obs);
      // Placement as `default` decides it; the throttles below work on last tick's placement,
      // the one the measured power belongs to.
      for (const a of placement.decide(obs)) actions.push(a);
      throttle.set(obs.taskThrottle);
      for (let v = 0; v < obs.vcpuOnline.length; v++) {
        if (!obs.vcpuOnline[v]) continue;
        const budget = obs.vcpuBudgetWatts[v]!;
        if (Number.isNaN(budget)) {
          for (let k = 0; k < throttle.length; k++) if (obs.taskVcpu[k] === v) throttle[k] = 0;
          continue;
        }
        measure(obs, v);
        const watts = obs.vcpuWatts[v]!;
        if (watts > budget) cut(obs, v, (watts - budget) * tickSeconds);
        else if (watts < budget * keep) release(obs, v, (budget * keep - watts) * tickSeconds);
      }
      for (let k = 0; k < throttle.length; k++) {
        const fraction = Math.min(1, Math.max(0, throttle[k]!));
        if (fraction !== obs.taskThrottle[k]) actions.push({ type: 'throttle-task', task: k, fraction });
      }
      return actions;
    },
  };
}
