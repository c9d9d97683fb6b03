import type { GuestAction, GuestContext, GuestObservation, GuestPolicy } from './types.js';

/**
 * `default` guest policy: Linux-like load balancing inside the VM. Each task's load is a
 * PELT-style average of how much of a tick it wanted (half-life `halflife_ms`, default 32).
 * Every `balance_ms` (default 4) it moves tasks from the busiest online vCPU to the idlest
 * while the busiest carries more than `imbalance_pct` % of the idlest's load (default 117,
 * Linux's value for cores sharing a cache) and the move narrows the gap. Tasks stranded on an
 * unplugged vCPU move at once to the idlest online vCPU. Deterministic: ties go to the lowest
 * index. A task alone on its vCPU never moves to an idle one (that cannot narrow the gap), so
 * under `recorded` the recorded task placement stays.
 */
export function defaultGuestPolicy(): GuestPolicy {
  const actions: GuestAction[] = [];
  let tickSeconds = 1;
  let decay = 0;
  let balanceTicks = 1;
  let ratio = 1;
  let util = new Float64Array(0);
  let vcpuLoad = new Float64Array(0);
  let where = new Int32Array(0);

  function idlest(online: Uint8Array): number {
    let best = -1;
    for (let v = 0; v < vcpuLoad.length; v++) {
      if (online[v] && (best < 0 || vcpuLoad[v]! < vcpuLoad[best]!)) best = v;
    }
    return best;
  }

  function busiest(online: Uint8Array): number {
    let best = -1;
    for (let v = 0; v < vcpuLoad.length; v++) {
      if (online[v] && (best < 0 || vcpuLoad[v]! > vcpuLoad[best]!)) best = v;
    }
    return best;
  }

  function move(k: number, to: number): void {
    vcpuLoad[where[k]!]! -= util[k]!;
    vcpuLoad[to]! += util[k]!;
    where[k] = to;
    actions.push({ type: 'move-task', task: k, vcpu: to });
  }

  function balance(online: Uint8Array): void {
    for (let moves = 0; moves < where.length; moves++) {
      const src = busiest(online);
      const dst = idlest(online);
      if (src < 0 || src === dst || vcpuLoad[src]! <= vcpuLoad[dst]! * ratio) return;
      const gap = vcpuLoad[src]! - vcpuLoad[dst]!;
      let pick = -1;
      let bestGap = gap;
      for (let k = 0; k < where.length; k++) {
        if (where[k] !== src || util[k]! <= 0) continue;
        const after = Math.abs(gap - 2 * util[k]!);
        if (after < bestGap) {
          bestGap = after;
          pick = k;
        }
      }
      if (pick < 0) return;
      move(pick, dst);
    }
  }

  return {
    init(ctx: GuestContext) {
      tickSeconds = ctx.tickSeconds;
      decay = 0.5 ** (ctx.tickSeconds / (ctx.params.number('halflife_ms', 32) / 1000));
      balanceTicks = Math.max(1, Math.round(ctx.params.number('balance_ms', 4) / 1000 / ctx.tickSeconds));
      ratio = ctx.params.number('imbalance_pct', 117) / 100;
      util = new Float64Array(ctx.tasks);
      vcpuLoad = new Float64Array(ctx.vcpus);
      where = new Int32Array(ctx.tasks);
    },
    decide(obs: GuestObservation) {
      actions.length = 0;
      where.set(obs.taskVcpu);
      vcpuLoad.fill(0);
      for (let k = 0; k < util.length; k++) {
        util[k] = decay * util[k]! + (1 - decay) * Math.min(1, obs.taskBacklogSeconds[k]! / tickSeconds);
        if (where[k]! >= 0) vcpuLoad[where[k]!]! += util[k]!;
      }
      for (let k = 0; k < where.length; k++) {
        const v = where[k]!;
        if (v >= 0 && !obs.vcpuOnline[v]) move(k, idlest(obs.vcpuOnline));
      }
      if (obs.tick % balanceTicks === 0) balance(obs.vcpuOnline);
      return actions;
    },
  };
}
