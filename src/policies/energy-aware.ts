import { clearActions } from './action-list.js';
import { numberInRange } from './param-range.js';
import { TaskLoad } from './task-load.js';
import { TaskPower } from './task-power.js';
import type { GuestAction, GuestContext, GuestObservation, GuestPolicy, RandomStream } from './types.js';

/**
 * `energy-aware` guest policy: Merkel & Bellosa's power balancing inside the VM, fed by the
 * virtualised counters the guest sees. It balances load like `default` (same `TaskLoad`, same
 * parameters, tasks on unplugged vCPUs rescued at once), and then, on the same balance ticks,
 * balances power: each task's power profile comes from `TaskPower` (its own energy model fitted
 * to `taskEventRates`, `taskRunSeconds` and `vcpuWatts`), a task's power contribution is its load
 * × its power while running, and a vCPU's is the sum over its tasks. While the hottest and
 * coolest online vCPU differ, it moves a hot task from the hottest to the coolest vCPU, or swaps
 * it for a cooler task there, choosing the exchange that narrows the power gap most, so hot and
 * cool tasks mix across vCPUs. Resistance against ping-pong: an exchange must narrow the gap by
 * more than `guest_resist_w` (default 0.25 W), must not unbalance load (afterwards the pair is
 * within `imbalance_pct`, or its load gap did not grow), and a task it moved stays put for
 * `guest_cooldown_ms` (default 100). Equally good exchanges are drawn from the random stream
 * `tie` (`ctx.rng`), so runs repeat per seed. With one task per vCPU (a VM's recorded streams
 * before any unplug) there is nothing to mix, since swapping two lone tasks only renames the
 * vCPUs: it acts when tasks share vCPUs, as after the host unplugs some (`hotplug`).
 */
export function energyAwareGuestPolicy(): GuestPolicy {
  const actions: GuestAction[] = [];
  let load: TaskLoad;
  let power: TaskPower;
  let rng: RandomStream;
  let resistWatts = 0;
  let cooldownTicks = 0;
  /** Tick each task was last moved by power balancing. */
  let movedAt = new Float64Array(0);
  /** Power contribution of each task (load × watts while running) and of each vCPU, W. */
  let taskHeat = new Float64Array(0);
  let vcpuHeat = new Float64Array(0);

  function hottest(online: Uint8Array, sign: 1 | -1): number {
    let best = -1;
    for (let v = 0; v < vcpuHeat.length; v++) {
      if (online[v] && (best < 0 || sign * (vcpuHeat[v]! - vcpuHeat[best]!) > 0)) best = v;
    }
    return best;
  }

  /** Whether shifting `du` load from vCPU a to b keeps the load balancer content (it would not move it back). */
  function loadOk(a: number, b: number, du: number): boolean {
    const la = load.vcpuLoad[a]! - du;
    const lb = load.vcpuLoad[b]! + du;
    return Math.max(la, lb) <= load.ratio * Math.min(la, lb)
      || Math.abs(la - lb) <= Math.abs(load.vcpuLoad[a]! - load.vcpuLoad[b]!) + 1e-12;
  }

  function movable(k: number, tick: number): boolean {
    return tick - movedAt[k]! >= cooldownTicks;
  }

  /** One exchange between the hottest and coolest vCPU; false when none is worth it. */
  function exchange(obs: GuestObservation): boolean {
    const hot = hottest(obs.vcpuOnline, 1);
    const cool = hottest(obs.vcpuOnline, -1);
    if (hot < 0 || hot === cool) return false;
    const gap = vcpuHeat[hot]! - vcpuHeat[cool]!;
    const where = load.where;
    let bestGain = 0;
    let pickA = -1;
    let pickB = -1;
    let ties = 0;
    for (let a = 0; a < where.length; a++) {
      if (where[a] !== hot || !movable(a, obs.tick)) continue;
      // b = −1: move a alone; otherwise swap a with b.
      for (let b = -1; b < where.length; b++) {
        if (b >= 0 && (where[b] !== cool || !movable(b, obs.tick))) continue;
        const dq = taskHeat[a]! - (b < 0 ? 0 : taskHeat[b]!);
        if (dq <= 0 || !loadOk(hot, cool, load.util[a]! - (b < 0 ? 0 : load.util[b]!))) continue;
        const gain = gap - Math.abs(gap - 2 * dq);
        if (gain <= resistWatts || gain < bestGain) continue;
        if (pickA < 0 || gain > bestGain) {
          ties = 1;
          bestGain = gain;
        } else if (rng.int(++ties) !== 0) continue;
        pickA = a;
        pickB = b;
      }
    }
    if (pickA < 0) return false;
    place(pickA, cool, obs.tick);
    if (pickB >= 0) place(pickB, hot, obs.tick);
    return true;
  }

  function place(k: number, to: number, tick: number): void {
    vcpuHeat[load.where[k]!]! -= taskHeat[k]!;
    vcpuHeat[to]! += taskHeat[k]!;
    movedAt[k] = tick;
    load.move(k, to, actions);
  }

  function balancePower(obs: GuestObservation): void {
    vcpuHeat.fill(0);
    for (let k = 0; k < taskHeat.length; k++) {
      taskHeat[k] = load.util[k]! * power.watts[k]!;
      if (load.where[k]! >= 0) vcpuHeat[load.where[k]!]! += taskHeat[k]!;
    }
    for (let n = 0; n < taskHeat.length && exchange(obs); n++);
  }

  return {
    init(ctx: GuestContext) {
      load = new TaskLoad(ctx);
      power = new TaskPower(ctx);
      rng = ctx.rng('tie');
      resistWatts = numberInRange(ctx.params, 'guest_resist_w', 0.25, { atLeast: 0 });
      cooldownTicks = Math.round(numberInRange(ctx.params, 'guest_cooldown_ms', 100, { atLeast: 0 }) / 1000 / ctx.tickSeconds);
      movedAt = new Float64Array(ctx.tasks).fill(-Infinity);
      taskHeat = new Float64Array(ctx.tasks);
      vcpuHeat = new Float64Array(ctx.vcpus);
    },
    decide(obs: GuestObservation) {
      clearActions(actions);
      load.observe(obs);
      power.observe(obs);
      load.rescue(obs.vcpuOnline, actions);
      if (load.isBalanceTick(obs.tick)) {
        load.balance(obs.vcpuOnline, actions);
        balancePower(obs);
      }
      return actions;
    },
  };
}
