import { clearActions } from './action-list.js';
import { PolicyError } from '../errors.js';
import { messages } from '../messages.js';
import { numberInRange } from './param-range.js';
import { recordedPolicy } from './recorded.js';
import type { HostAction, HostContext, HostObservation, HostPolicy, VmInfo } from './types.js';

/**
 * Budget bookkeeping shared by the host policies `budget`, `hotplug` and `balloon`: the budget
 * parameters, each VM's power per pCPU averaged over a window against its budgets, and a policy
 * skeleton that keeps the budgets where the VM's vCPUs are.
 */

/** The energy budget of every VM, from `--param`. */
export interface BudgetParams {
  /**
   * `pcpu` (`budget_w`): each pCPU a VM's online vCPUs sit on gets `watts` for that VM, so a VM's
   * allowance grows with the pCPUs it uses; `vm` (`vm_budget_w`): the VM gets `watts` in all,
   * split evenly over those pCPUs (re-split when that set changes).
   */
  split: 'pcpu' | 'vm';
  /** W (≥ 0). */
  watts: number;
  /** Metering window, ticks (`window_ms`, default 10 ms; at least one tick). */
  windowTicks: number;
}

/**
 * Reads the budget parameters: exactly one of `budget_w` and `vm_budget_w` (W, ≥ 0; there is no
 * default, since a sensible budget depends on the energy model), and `window_ms` (> 0, default
 * 10). Throws `PolicyError` naming the policy when neither or both budgets are given.
 */
export function readBudgetParams(ctx: HostContext): BudgetParams {
  const { params } = ctx;
  const perPcpu = params.string('budget_w', '') !== '';
  const perVm = params.string('vm_budget_w', '') !== '';
  if (perPcpu === perVm) {
    throw new PolicyError('policy.badParam', messages.budgetParamsOne(ctx.name, perPcpu), { hint: messages.hintBudgetParams() });
  }
  const watts = numberInRange(params, perPcpu ? 'budget_w' : 'vm_budget_w', 0, { atLeast: 0 });
  const windowMs = numberInRange(params, 'window_ms', 10, { above: 0 });
  return { split: perPcpu ? 'pcpu' : 'vm', watts, windowTicks: Math.max(1, Math.round(windowMs / 1000 / ctx.tickSeconds)) };
}

const sameWatts = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/**
 * Per-VM power against budgets. Budgets live on the cells VM × pCPU (index vm × pcpus + pcpu)
 * that the VM's online vCPUs occupy; `follow` re-sets them (set-budget actions) when a policy's
 * own migrations or (un)plugs change that set. `observe` averages each cell's power and each
 * vCPU's run share over consecutive windows of `windowTicks` ticks.
 */
export class BudgetMeter {
  readonly budget: BudgetParams;
  /** Budget in force on each cell, W; NaN: none (the VM has no online vCPU there). */
  readonly cellBudget: Float64Array;
  /** Mean power of each cell over the last closed window, W. */
  readonly cellWatts: Float64Array;
  /** Mean share of a pCPU each vCPU ran over the last closed window (CPU-s per s, 0–1; balloon time included). */
  readonly vcpuShare: Float64Array;
  /** Mean power of each VM over the last closed window, all pCPUs, W. */
  readonly vmWatts: Float64Array;
  /** Each VM's budget now: its cells' budgets summed, W. */
  readonly vmBudget: Float64Array;
  /** Distinct pCPUs each VM's online vCPUs sit on. */
  readonly vmPcpus: Int32Array;
  readonly #pcpus: number;
  readonly #tickSeconds: number;
  readonly #vms: readonly VmInfo[];
  readonly #vcpuVm: Int32Array;
  readonly #where: Int32Array;
  readonly #online: Uint8Array;
  readonly #dirty: Uint8Array;
  readonly #mark: Uint8Array;
  readonly #sumWatts: Float64Array;
  readonly #sumRun: Float64Array;
  #samples = 0;

  constructor(ctx: HostContext, budget: BudgetParams) {
    const M = ctx.vms.length;
    const P = ctx.pcpus;
    this.budget = budget;
    this.cellBudget = new Float64Array(M * P).fill(NaN);
    this.cellWatts = new Float64Array(M * P);
    this.vcpuShare = new Float64Array(ctx.vcpus);
    this.vmWatts = new Float64Array(M);
    this.vmBudget = new Float64Array(M);
    this.vmPcpus = new Int32Array(M);
    this.#pcpus = P;
    this.#tickSeconds = ctx.tickSeconds;
    this.#vms = ctx.vms;
    this.#vcpuVm = ctx.vcpuVm;
    this.#where = Int32Array.from(ctx.initialPcpu);
    this.#online = new Uint8Array(ctx.vcpus).fill(1);
    this.#dirty = new Uint8Array(M).fill(1);
    this.#mark = new Uint8Array(P);
    this.#sumWatts = new Float64Array(M * P);
    this.#sumRun = new Float64Array(ctx.vcpus);
  }

  /**
   * Takes one tick's observation into the window; true when it closed a window (the means are
   * fresh). The observation at tick 0 reports no executed tick yet and is skipped, so windows
   * close at ticks windowTicks, 2·windowTicks, ….
   */
  observe(obs: HostObservation): boolean {
    if (obs.tick === 0) return false;
    const sumWatts = this.#sumWatts;
    const sumRun = this.#sumRun;
    for (let c = 0; c < sumWatts.length; c++) sumWatts[c]! += obs.vmPcpuWatts[c]!;
    for (let v = 0; v < sumRun.length; v++) sumRun[v]! += obs.vcpuRunSeconds[v]!;
    this.#samples++;
    if (obs.tick % this.budget.windowTicks !== 0) return false;
    const n = this.#samples;
    const P = this.#pcpus;
    this.vmWatts.fill(0);
    for (let c = 0; c < sumWatts.length; c++) {
      this.cellWatts[c] = sumWatts[c]! / n;
      this.vmWatts[Math.floor(c / P)]! += this.cellWatts[c]!;
    }
    for (let v = 0; v < sumRun.length; v++) this.vcpuShare[v] = sumRun[v]! / (n * this.#tickSeconds);
    sumWatts.fill(0);
    sumRun.fill(0);
    this.#samples = 0;
    return true;
  }

  /**
   * Applies the placement changes among `actions` (the policy's own migrations and plugs of
   * this tick) and appends set-budget actions for every cell whose budget changes, so the
   * budget follows the vCPUs. Call last in `decide`; in `init`, with no actions, it sets the
   * budgets of the initial placement.
   */
  follow(actions: HostAction[]): void {
    const n = actions.length;
    for (let k = 0; k < n; k++) {
      const a = actions[k]!;
      if (a.type === 'migrate' && this.#where[a.vcpu] !== a.pcpu) this.#where[a.vcpu] = a.pcpu;
      else if (a.type === 'plug-vcpu' && this.#online[a.vcpu] !== (a.online ? 1 : 0)) this.#online[a.vcpu] = a.online ? 1 : 0;
      else continue;
      this.#dirty[this.#vcpuVm[a.vcpu]!] = 1;
    }
    for (let m = 0; m < this.#dirty.length; m++) {
      if (!this.#dirty[m]) continue;
      this.#dirty[m] = 0;
      this.#place(m, actions);
    }
  }

  /** VM m's budget if one of its vCPUs were online on pCPU `pcpu` as well, W. */
  budgetWith(m: number, pcpu: number): number {
    const { split, watts } = this.budget;
    if (split === 'vm') return watts;
    return watts * (this.vmPcpus[m]! + (Number.isNaN(this.cellBudget[m * this.#pcpus + pcpu]!) ? 1 : 0));
  }

  #place(m: number, out: HostAction[]): void {
    const P = this.#pcpus;
    const mark = this.#mark.fill(0);
    let used = 0;
    for (const v of this.#vms[m]!.vcpus) {
      const p = this.#where[v]!;
      if (this.#online[v] && !mark[p]) {
        mark[p] = 1;
        used++;
      }
    }
    const { split, watts } = this.budget;
    const each = split === 'pcpu' ? watts : watts / used;
    this.vmPcpus[m] = used;
    this.vmBudget[m] = used > 0 ? each * used : 0;
    for (let p = 0; p < P; p++) {
      const next = mark[p] ? each : NaN;
      if (sameWatts(next, this.cellBudget[m * P + p]!)) continue;
      this.cellBudget[m * P + p] = next;
      out.push({ type: 'set-budget', vm: m, pcpu: p, watts: mark[p] ? each : null });
    }
  }
}

/** What a budget policy does when a metering window closes. */
export interface BudgetController {
  /** Reads the controller's own parameters and sizes its state; called once, after the meter exists. */
  init(ctx: HostContext, meter: BudgetMeter): void;
  /** Appends its actions for the window just closed (`obs` is this tick's observation). */
  window(obs: HostObservation, meter: BudgetMeter, out: HostAction[]): void;
}

/**
 * A host policy that places vCPUs as the recording did (the `recorded` policy, so a comparison
 * with `recorded` isolates the cost of the budget), sets every VM's budgets from `init` on and
 * re-sets them whenever its online vCPUs come to occupy other pCPUs, meters power, and lets
 * `controller` act at the end of every window.
 */
export function budgetedPolicy(controller: BudgetController): HostPolicy {
  const placement = recordedPolicy();
  const actions: HostAction[] = [];
  let meter: BudgetMeter;
  return {
    init(ctx: HostContext) {
      placement.init(ctx);
      meter = new BudgetMeter(ctx, readBudgetParams(ctx));
      controller.init(ctx, meter);
      const initial: HostAction[] = [];
      meter.follow(initial);
      return initial;
    },
    decide(obs: HostObservation) {
      // One array reused every tick: the engine applies actions before the next decide.
      clearActions(actions);
      for (const a of placement.decide(obs)) actions.push(a);
      if (meter.observe(obs)) controller.window(obs, meter, actions);
      meter.follow(actions);
      return actions;
    },
  };
}
