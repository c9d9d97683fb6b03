import type { GuestObservation, HostObservation } from '../policies/types.js';
import type { EngineState } from './engine-state.js';

/**
 * The observations handed to policies. Each field is a copy of engine state (so a policy that
 * writes into its observation cannot corrupt the replay), made lazily: `refresh` marks every
 * field stale at the start of a tick and a field is copied the first time the policy reads it
 * in that tick. Most policies read a few fields per tick (`recorded` reads two of thirteen),
 * and a tick must stay within a few microseconds at 64 pCPUs. Fields that rarely change (the
 * VM × pCPU budgets, event rates, task placement, online vCPUs) are copied only when a version
 * counter of the engine says they changed. A field nobody reads after `refresh` keeps its old
 * value, so tests may set fields by hand and call `decide` directly.
 */

// One bit per lazily copied field.
const PCPU_WATTS = 1;
const CORE_CELSIUS = 2;
const VCPU_PCPU = 4;
const VCPU_ONLINE = 8;
const VCPU_BACKLOG = 16;
const VCPU_RUN = 32;
const VCPU_THROTTLE = 64;
const PCPU_THROTTLE = 128;
const VM_PCPU_WATTS = 256;
const VM_PCPU_BUDGET = 512;
const RECORDED_PCPU = 1024;
const ALL_HOST = 2047;

/** The host policy's observation (see `HostObservation`), refreshed lazily from `state`. */
export class HostView implements HostObservation {
  tick = 0;
  timeSeconds = 0;
  readonly #state: EngineState;
  #stale = 0;
  #recorded: Int32Array;
  readonly #pcpuWatts: Float64Array;
  readonly #coreCelsius: Float64Array;
  readonly #vcpuPcpu: Int32Array;
  readonly #vcpuOnline: Uint8Array;
  readonly #vcpuBacklog: Float64Array;
  readonly #vcpuRun: Float64Array;
  readonly #vcpuThrottle: Float64Array;
  readonly #pcpuThrottle: Float64Array;
  readonly #vmPcpuWatts: Float64Array;
  readonly #vmPcpuBudget: Float64Array;
  readonly #recordedPcpu: Int32Array;
  /** `budgetVersion` the budgets were copied at. */
  #budgetVersion = -1;
  /** The entries of `vmPcpuWatts` set by the last copy (the rest are 0). */
  readonly #wattsSet: Int32Array;
  #wattsSetCount = 0;

  constructor(state: EngineState) {
    const P = state.config.layout.pcpus;
    const V = state.vcpus;
    this.#state = state;
    this.#recorded = new Int32Array(V).fill(-1);
    this.#pcpuWatts = new Float64Array(P);
    this.#coreCelsius = new Float64Array(state.cores);
    this.#vcpuPcpu = new Int32Array(V);
    this.#vcpuOnline = new Uint8Array(V);
    this.#vcpuBacklog = new Float64Array(V);
    this.#vcpuRun = new Float64Array(V);
    this.#vcpuThrottle = new Float64Array(V);
    this.#pcpuThrottle = new Float64Array(P);
    this.#vmPcpuWatts = new Float64Array(state.vms * P);
    this.#vmPcpuBudget = new Float64Array(state.vms * P);
    this.#recordedPcpu = new Int32Array(V);
    this.#wattsSet = new Int32Array(V);
  }

  /** Starts tick `tick`: every field becomes stale; `recorded` is the recording's pCPU of each vCPU in it. */
  refresh(tick: number, timeSeconds: number, recorded: Int32Array): void {
    this.tick = tick;
    this.timeSeconds = timeSeconds;
    this.#recorded = recorded;
    this.#stale = ALL_HOST;
  }

  get pcpuWatts(): Float64Array {
    if (this.#stale & PCPU_WATTS) this.#copy(PCPU_WATTS, this.#pcpuWatts, this.#state.pcpuWatts);
    return this.#pcpuWatts;
  }

  get coreCelsius(): Float64Array {
    if (this.#stale & CORE_CELSIUS) this.#copy(CORE_CELSIUS, this.#coreCelsius, this.#state.thermal.coreCelsius);
    return this.#coreCelsius;
  }

  get vcpuPcpu(): Int32Array {
    if (this.#stale & VCPU_PCPU) this.#copy(VCPU_PCPU, this.#vcpuPcpu, this.#state.vcpuPcpu);
    return this.#vcpuPcpu;
  }

  get vcpuOnline(): Uint8Array {
    if (this.#stale & VCPU_ONLINE) this.#copy(VCPU_ONLINE, this.#vcpuOnline, this.#state.vcpuOnline);
    return this.#vcpuOnline;
  }

  /** Summed from the tasks on each vCPU when read (balloons excluded: their time is not work). */
  get vcpuBacklogSeconds(): Float64Array {
    if (this.#stale & VCPU_BACKLOG) {
      this.#stale &= ~VCPU_BACKLOG;
      const { taskBacklog, taskVcpu, vcpus } = this.#state;
      const out = this.#vcpuBacklog;
      out.fill(0);
      for (let j = 0; j < vcpus; j++) {
        const v = taskVcpu[j]!;
        if (v >= 0) out[v]! += taskBacklog[j]!;
      }
    }
    return this.#vcpuBacklog;
  }

  get vcpuRunSeconds(): Float64Array {
    if (this.#stale & VCPU_RUN) this.#copy(VCPU_RUN, this.#vcpuRun, this.#state.vcpuRun);
    return this.#vcpuRun;
  }

  get vcpuThrottle(): Float64Array {
    if (this.#stale & VCPU_THROTTLE) this.#copy(VCPU_THROTTLE, this.#vcpuThrottle, this.#state.vcpuThrottle);
    return this.#vcpuThrottle;
  }

  get pcpuThrottle(): Float64Array {
    if (this.#stale & PCPU_THROTTLE) this.#copy(PCPU_THROTTLE, this.#pcpuThrottle, this.#state.pcpuThrottle);
    return this.#pcpuThrottle;
  }

  get recordedPcpu(): Int32Array {
    if (this.#stale & RECORDED_PCPU) this.#copy(RECORDED_PCPU, this.#recordedPcpu, this.#recorded);
    return this.#recordedPcpu;
  }

  /** The VM × pCPU table is the large one: only the entries set in the last tick, or at the last copy, are written. */
  get vmPcpuWatts(): Float64Array {
    if (this.#stale & VM_PCPU_WATTS) {
      this.#stale &= ~VM_PCPU_WATTS;
      const s = this.#state;
      const out = this.#vmPcpuWatts;
      const set = this.#wattsSet;
      for (let k = 0; k < this.#wattsSetCount; k++) out[set[k]!] = 0;
      for (let k = 0; k < s.vmPcpuTouchedCount; k++) {
        const at = s.vmPcpuTouched[k]!;
        out[at] = s.vmPcpuWatts[at]!;
        set[k] = at;
      }
      this.#wattsSetCount = s.vmPcpuTouchedCount;
    }
    return this.#vmPcpuWatts;
  }

  /** Budgets are copied when they changed since the last copy. */
  get vmPcpuBudgetWatts(): Float64Array {
    if (this.#stale & VM_PCPU_BUDGET) {
      this.#stale &= ~VM_PCPU_BUDGET;
      if (this.#budgetVersion !== this.#state.budgetVersion) {
        this.#vmPcpuBudget.set(this.#state.vmPcpuBudget);
        this.#budgetVersion = this.#state.budgetVersion;
      }
    }
    return this.#vmPcpuBudget;
  }

  #copy(bit: number, to: Float64Array | Int32Array | Uint8Array, from: Float64Array | Int32Array | Uint8Array): void {
    this.#stale &= ~bit;
    to.set(from);
  }
}

const G_VCPU_ONLINE = 1;
const G_VCPU_BUDGET = 2;
const G_VCPU_WATTS = 4;
const G_TASK_VCPU = 8;
const G_TASK_BACKLOG = 16;
const G_TASK_RUN = 32;
const G_TASK_THROTTLE = 64;
const G_TASK_RATES = 128;
const ALL_GUEST = 255;

/** VM m's guest observation (see `GuestObservation`): its own vCPUs and tasks in local numbering, refreshed lazily. */
export class GuestView implements GuestObservation {
  tick = 0;
  timeSeconds = 0;
  readonly #state: EngineState;
  /** Host (global) vCPU of each local vCPU, and engine task of each local task. */
  readonly #vcpus: Int32Array;
  readonly #tasks: Int32Array;
  readonly #budgetRow: number;
  #stale = 0;
  /** `rateVersion` the rates were copied at. */
  #rateVersion = -1;
  /** `placementVersion` the task placement and the online vCPUs were copied at. */
  #placementVersion = -1;
  #onlineVersion = -1;
  readonly #vcpuOnline: Uint8Array;
  readonly #vcpuBudget: Float64Array;
  readonly #vcpuWatts: Float64Array;
  readonly #taskVcpu: Int32Array;
  readonly #taskBacklog: Float64Array;
  readonly #taskRun: Float64Array;
  readonly #taskThrottle: Float64Array;
  readonly #taskRates: Float64Array;

  constructor(state: EngineState, m: number) {
    this.#state = state;
    this.#vcpus = Int32Array.from(state.config.layout.vms[m]!.vcpus);
    this.#tasks = state.vmTasks.slice(state.vmTaskStart[m]!, state.vmTaskStart[m + 1]!);
    this.#budgetRow = m * state.config.layout.pcpus;
    const n = this.#vcpus.length;
    const t = this.#tasks.length;
    this.#vcpuOnline = new Uint8Array(n);
    this.#vcpuBudget = new Float64Array(n);
    this.#vcpuWatts = new Float64Array(n);
    this.#taskVcpu = new Int32Array(t);
    this.#taskBacklog = new Float64Array(t);
    this.#taskRun = new Float64Array(t);
    this.#taskThrottle = new Float64Array(t);
    this.#taskRates = new Float64Array(t * state.events);
  }

  /** Starts tick `tick`: every field becomes stale. */
  refresh(tick: number, timeSeconds: number): void {
    this.tick = tick;
    this.timeSeconds = timeSeconds;
    this.#stale = ALL_GUEST;
  }

  /** Copied when a vCPU was plugged or unplugged since the last copy. */
  get vcpuOnline(): Uint8Array {
    if (this.#stale & G_VCPU_ONLINE) {
      this.#stale &= ~G_VCPU_ONLINE;
      if (this.#onlineVersion !== this.#state.placementVersion) {
        this.#onlineVersion = this.#state.placementVersion;
        this.#gatherVcpus(this.#vcpuOnline, this.#state.vcpuOnline);
      }
    }
    return this.#vcpuOnline;
  }

  get vcpuWatts(): Float64Array {
    if (this.#stale & G_VCPU_WATTS) {
      this.#stale &= ~G_VCPU_WATTS;
      this.#gatherVcpus(this.#vcpuWatts, this.#state.vcpuWatts);
    }
    return this.#vcpuWatts;
  }

  /** The VM's budget on the pCPU under each vCPU. */
  get vcpuBudgetWatts(): Float64Array {
    if (this.#stale & G_VCPU_BUDGET) {
      this.#stale &= ~G_VCPU_BUDGET;
      const { vmPcpuBudget, vcpuPcpu } = this.#state;
      for (let k = 0; k < this.#vcpus.length; k++) this.#vcpuBudget[k] = vmPcpuBudget[this.#budgetRow + vcpuPcpu[this.#vcpus[k]!]!]!;
    }
    return this.#vcpuBudget;
  }

  /** Copied when a task moved or a vCPU was plugged or unplugged since the last copy. */
  get taskVcpu(): Int32Array {
    if (this.#stale & G_TASK_VCPU) {
      this.#stale &= ~G_TASK_VCPU;
      if (this.#placementVersion === this.#state.placementVersion) return this.#taskVcpu;
      this.#placementVersion = this.#state.placementVersion;
      const { taskVcpu, vcpuLocal } = this.#state;
      for (let k = 0; k < this.#tasks.length; k++) {
        const v = taskVcpu[this.#tasks[k]!]!;
        this.#taskVcpu[k] = v < 0 ? -1 : vcpuLocal[v]!;
      }
    }
    return this.#taskVcpu;
  }

  get taskBacklogSeconds(): Float64Array {
    if (this.#stale & G_TASK_BACKLOG) this.#gatherTasks(G_TASK_BACKLOG, this.#taskBacklog, this.#state.taskBacklog);
    return this.#taskBacklog;
  }

  get taskRunSeconds(): Float64Array {
    if (this.#stale & G_TASK_RUN) this.#gatherTasks(G_TASK_RUN, this.#taskRun, this.#state.taskRun);
    return this.#taskRun;
  }

  get taskThrottle(): Float64Array {
    if (this.#stale & G_TASK_THROTTLE) this.#gatherTasks(G_TASK_THROTTLE, this.#taskThrottle, this.#state.taskThrottle);
    return this.#taskThrottle;
  }

  /** Rates change only at the recording's sample intervals: copied when they did. */
  get taskEventRates(): Float64Array {
    if (this.#stale & G_TASK_RATES) {
      this.#stale &= ~G_TASK_RATES;
      const s = this.#state;
      if (this.#rateVersion !== s.rateVersion) {
        this.#rateVersion = s.rateVersion;
        const E = s.events;
        for (let k = 0; k < this.#tasks.length; k++) {
          const i = this.#tasks[k]!;
          for (let e = 0; e < E; e++) this.#taskRates[k * E + e] = s.taskRate[i * E + e]!;
        }
      }
    }
    return this.#taskRates;
  }

  #gatherVcpus(to: Float64Array | Uint8Array, from: Float64Array | Uint8Array): void {
    for (let k = 0; k < this.#vcpus.length; k++) to[k] = from[this.#vcpus[k]!]!;
  }

  #gatherTasks(bit: number, to: Float64Array, from: Float64Array): void {
    this.#stale &= ~bit;
    for (let k = 0; k < this.#tasks.length; k++) to[k] = from[this.#tasks[k]!]!;
  }
}
