import type { GuestAction, GuestContext, GuestObservation } from './types.js';

/**
 * The load side of a Linux-like guest scheduler, shared by the guest policies. Each task's load
 * is a PELT-style average of how much of a tick it wanted (half-life `halflife_ms`, default 32);
 * a vCPU's load is the sum over its tasks. `balance` moves tasks from the busiest online vCPU to
 * the idlest while the busiest carries more than `imbalance_pct` % of the idlest's load (default
 * 117, Linux's value for cores sharing a cache) and the move narrows the gap; policies call it
 * on ticks where `isBalanceTick` (every `balance_ms`, default 4). `rescue` moves tasks stranded
 * on an unplugged vCPU to the idlest online one. Ties go to the lowest index.
 */
export class TaskLoad {
  /** Load of each task: the averaged fraction of a tick it wanted, 0–1. */
  readonly util: Float64Array;
  /** Load of each vCPU: the sum of its tasks' `util`. */
  readonly vcpuLoad: Float64Array;
  /** vCPU of each task, including the moves made this tick (−1: none). */
  readonly where: Int32Array;
  /** Load ratio busiest/idlest above which `balance` acts (`imbalance_pct` / 100). */
  readonly ratio: number;
  readonly #tickSeconds: number;
  readonly #decay: number;
  readonly #balanceTicks: number;

  constructor(ctx: GuestContext) {
    this.#tickSeconds = ctx.tickSeconds;
    this.#decay = 0.5 ** (ctx.tickSeconds / (ctx.params.number('halflife_ms', 32) / 1000));
    this.#balanceTicks = Math.max(1, Math.round(ctx.params.number('balance_ms', 4) / 1000 / ctx.tickSeconds));
    this.ratio = ctx.params.number('imbalance_pct', 117) / 100;
    this.util = new Float64Array(ctx.tasks);
    this.vcpuLoad = new Float64Array(ctx.vcpus);
    this.where = new Int32Array(ctx.tasks);
  }

  /** Takes this tick's placement and waiting work into the averages. Call first in `decide`. */
  observe(obs: GuestObservation): void {
    const { util, where, vcpuLoad } = this;
    const taskVcpu = obs.taskVcpu;
    const backlog = obs.taskBacklogSeconds;
    const decay = this.#decay;
    const h = this.#tickSeconds;
    // Index loops rather than set/fill: at a handful of tasks per VM the builtins' call cost dominates.
    for (let v = 0; v < vcpuLoad.length; v++) vcpuLoad[v] = 0;
    for (let k = 0; k < util.length; k++) {
      const u = decay * util[k]! + (1 - decay) * Math.min(1, backlog[k]! / h);
      util[k] = u;
      const v = taskVcpu[k]!;
      where[k] = v;
      if (v >= 0) vcpuLoad[v]! += u;
    }
  }

  /** True on the ticks where the policy should balance (every `balance_ms`). */
  isBalanceTick(tick: number): boolean {
    return tick % this.#balanceTicks === 0;
  }

  /** The online vCPU with the least load, −1 when none is online. */
  idlest(online: Uint8Array): number {
    let best = -1;
    for (let v = 0; v < this.vcpuLoad.length; v++) {
      if (online[v] && (best < 0 || this.vcpuLoad[v]! < this.vcpuLoad[best]!)) best = v;
    }
    return best;
  }

  /** The online vCPU with the most load, −1 when none is online. */
  busiest(online: Uint8Array): number {
    let best = -1;
    for (let v = 0; v < this.vcpuLoad.length; v++) {
      if (online[v] && (best < 0 || this.vcpuLoad[v]! > this.vcpuLoad[best]!)) best = v;
    }
    return best;
  }

  /** Moves task k to vCPU `to`, keeping the loads in step, and records the action. */
  move(k: number, to: number, actions: GuestAction[]): void {
    const from = this.where[k]!;
    if (from >= 0) this.vcpuLoad[from]! -= this.util[k]!;
    this.vcpuLoad[to]! += this.util[k]!;
    this.where[k] = to;
    actions.push({ type: 'move-task', task: k, vcpu: to });
  }

  /** Moves every task on an unplugged vCPU to the idlest online vCPU, at once. */
  rescue(online: Uint8Array, actions: GuestAction[]): void {
    for (let k = 0; k < this.where.length; k++) {
      const v = this.where[k]!;
      if (v >= 0 && !online[v]) this.move(k, this.idlest(online), actions);
    }
  }

  /** Load balancing: busiest → idlest while over `imbalance_pct` and a move narrows the gap. */
  balance(online: Uint8Array, actions: GuestAction[]): void {
    const { util, where, vcpuLoad } = this;
    for (let moves = 0; moves < where.length; moves++) {
      const src = this.busiest(online);
      const dst = this.idlest(online);
      if (src < 0 || src === dst || vcpuLoad[src]! <= vcpuLoad[dst]! * this.ratio) return;
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
      this.move(pick, dst, actions);
    }
  }
}
