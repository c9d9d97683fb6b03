import { clearActions } from './action-list.js';
import { TaskLoad } from './task-load.js';
import type { GuestAction, GuestContext, GuestObservation, GuestPolicy } from './types.js';

/**
 * `default` guest policy: Linux-like load balancing inside the VM. Each task's load is a
 * PELT-style average of how much of a tick it wanted (half-life `halflife_ms`, default 32).
 * Every `balance_ms` (default 4) it moves tasks from the busiest online vCPU to the idlest
 * while the busiest carries more than `imbalance_pct` % of the idlest's load (default 117,
 * Linux's value for cores sharing a cache) and the move narrows the gap. Tasks stranded on an
 * unplugged vCPU move at once to the idlest online vCPU. Deterministic: ties go to the lowest
 * index. A task alone on its vCPU never moves to an idle one (that cannot narrow the gap), so
 * under `recorded` the recorded task placement stays. (The mechanics live in `TaskLoad`.)
 */
export function defaultGuestPolicy(): GuestPolicy {
  const actions: GuestAction[] = [];
  let load: TaskLoad;
  return {
    init(ctx: GuestContext) {
      load = new TaskLoad(ctx);
    },
    decide(obs: GuestObservation) {
      clearActions(actions);
      load.observe(obs);
      load.rescue(obs.vcpuOnline, actions);
      if (load.isBalanceTick(obs.tick)) load.balance(obs.vcpuOnline, actions);
      return actions;
    },
  };
}
