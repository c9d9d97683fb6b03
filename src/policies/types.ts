/**
 * The two policy interfaces of replay (DESIGN.md "Replay"): a host policy places vCPUs on
 * pCPUs, a guest policy (one instance per VM) places the VM's tasks on its vCPUs. Both are
 * plain objects with `init` and `decide`; actions are plain data the engine validates before
 * applying them. Observations are snapshots the engine refreshes every tick (the same objects
 * and arrays each time, so policies must not keep references expecting old values). Treat them
 * as read-only: a field is copied from the engine the first time it is read in a tick (the
 * VM × pCPU tables and event rates only where they changed), so a policy's own writes change
 * nothing in the engine and may or may not survive into the next tick.
 *
 * Units: seconds of replay time (from the start of the recording), CPU-seconds for demand,
 * watts, °C. Indexes: pCPUs 0..pcpus−1, thermal cores 0..cores−1 (socket-major), vCPUs
 * 0..vcpus−1 over all VMs in VM order (host view) or 0..n−1 within one VM (guest view).
 */

/** One random stream (uniform in [0, 1)), private to one policy and purpose. */
export interface RandomStream {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

/** Policy parameters from `--param key=value`; reading a key marks it used (unused keys are an error). */
export interface PolicyParams {
  /** The number under `key`, else `fallback`; throws `PolicyError` when the value is not a finite number. */
  number(key: string, fallback: number): number;
  /** The text under `key`, else `fallback`. */
  string(key: string, fallback: string): string;
}

/** One VM of the replay. */
export interface VmInfo {
  name: string;
  /** Host (global) vCPU indexes of this VM's vCPUs, in vCPU-number order. */
  vcpus: readonly number[];
}

/** What a host policy learns once, before the first tick. */
export interface HostContext {
  /** The name the policy was resolved under; the engine uses it in error messages. */
  name: string;
  /** Tick length, s. */
  tickSeconds: number;
  pcpus: number;
  cores: number;
  sockets: number;
  /** Socket of each pCPU. */
  pcpuSocket: Int32Array;
  /** Thermal core of each pCPU (SMT siblings share one). */
  pcpuCore: Int32Array;
  vms: readonly VmInfo[];
  vcpus: number;
  /** VM index of each vCPU. */
  vcpuVm: Int32Array;
  /** pCPU each vCPU starts on (the first pCPU it ran on in the recording, else round-robin). */
  initialPcpu: Int32Array;
  /** Core temperature limit, °C (`--param limit_c`, default 85). */
  limitC: number;
  params: PolicyParams;
  /** A random stream for `purpose`, derived from the run seed, this policy and the purpose. */
  rng(purpose: string): RandomStream;
}

/** What a host policy sees each tick (all values as of the end of the previous tick unless said). */
export interface HostObservation {
  tick: number;
  /** Start of this tick, s. */
  timeSeconds: number;
  /** Power of each pCPU over the previous tick, W (dynamic, from the events it executed). */
  pcpuWatts: Float64Array;
  /** Temperature of each thermal core, °C. */
  coreCelsius: Float64Array;
  /** pCPU each vCPU is placed on now. */
  vcpuPcpu: Int32Array;
  /** 1 when the vCPU is plugged in. */
  vcpuOnline: Uint8Array;
  /** CPU-seconds the vCPU's tasks have waiting now, including this tick's new demand. */
  vcpuBacklogSeconds: Float64Array;
  /** CPU-seconds the vCPU ran in the previous tick. */
  vcpuRunSeconds: Float64Array;
  /** Current throttle fraction of each vCPU (0 = none). */
  vcpuThrottle: Float64Array;
  /** Current throttle fraction of each pCPU (0 = none). */
  pcpuThrottle: Float64Array;
  /** Power each VM drew on each pCPU over the previous tick, W; index vm × pcpus + pcpu. */
  vmPcpuWatts: Float64Array;
  /** Energy budget of each VM on each pCPU, W; NaN = none. Index vm × pcpus + pcpu. */
  vmPcpuBudgetWatts: Float64Array;
  /** pCPU the vCPU ran on in the recording during this tick, −1 when it did not run. */
  recordedPcpu: Int32Array;
}

/** A host action. Throttles and budgets hold until set again. */
export type HostAction =
  /** Move a vCPU to another pCPU (costs `migration_cost_us` and cache warm-up, unless the recording did the same). */
  | { type: 'migrate'; vcpu: number; pcpu: number }
  /** Keep a vCPU off its pCPU for `fraction` of every tick (0 releases it). */
  | { type: 'throttle-vcpu'; vcpu: number; fraction: number }
  /** Keep a pCPU idle for `fraction` of every tick (0 releases it). */
  | { type: 'throttle-pcpu'; pcpu: number; fraction: number }
  /** Set a VM's energy budget on one pCPU, W; `watts` null removes it. Guests see it on their vCPUs. */
  | { type: 'set-budget'; vm: number; pcpu: number; watts: number | null }
  /** Hot-plug (`online` true) or unplug a vCPU; tasks left on an unplugged vCPU wait as backlog. */
  | { type: 'plug-vcpu'; vcpu: number; online: boolean }
  /** Run a balloon task in a VM that takes `fraction` of one vCPU's time each tick and executes no events. */
  | { type: 'balloon'; vm: number; fraction: number };

/** A host policy: a plain object, created fresh for every run by its factory. */
export interface HostPolicy {
  /** Called once before the first tick; actions returned are applied free of cost (initial placement). */
  init(ctx: HostContext): readonly HostAction[] | void;
  /** Called every tick before execution; return an empty array (ideally a shared constant) to change nothing. */
  decide(obs: HostObservation): readonly HostAction[];
}

/** What a guest policy (one instance per VM) learns once. Indexes are local to the VM. */
export interface GuestContext {
  name: string;
  vm: string;
  tickSeconds: number;
  vcpus: number;
  /** Tasks: one per recorded vCPU stream (task i starts on vCPU i), then the VM's balloon task. */
  tasks: number;
  /** Index of the balloon task (the last one); it has work only while the host inflates it. */
  balloonTask: number;
  /** Event names of the energy model, the order of `taskEventRates`. */
  events: readonly string[];
  params: PolicyParams;
  rng(purpose: string): RandomStream;
}

/** What a guest sees each tick: its own vCPUs and tasks through virtualised counters. */
export interface GuestObservation {
  tick: number;
  timeSeconds: number;
  /** 1 when the vCPU is plugged in. */
  vcpuOnline: Uint8Array;
  /** Energy budget for each vCPU (its VM's budget on the pCPU under it), W; NaN = none. */
  vcpuBudgetWatts: Float64Array;
  /** Power of the VM's work on each vCPU over the previous tick, W. */
  vcpuWatts: Float64Array;
  /** vCPU of each task. */
  taskVcpu: Int32Array;
  /** CPU-seconds each task has waiting now. */
  taskBacklogSeconds: Float64Array;
  /** CPU-seconds each task ran in the previous tick. */
  taskRunSeconds: Float64Array;
  /** Current throttle fraction of each task. */
  taskThrottle: Float64Array;
  /** Events per running second of each task, index task × events.length + event. */
  taskEventRates: Float64Array;
}

/** A guest action (task and vCPU numbers local to the VM). Throttles hold until set again. */
export type GuestAction =
  /** Move a task to another vCPU of the same VM. */
  | { type: 'move-task'; task: number; vcpu: number }
  /** Keep a task from running for `fraction` of every tick (0 releases it). */
  | { type: 'throttle-task'; task: number; fraction: number };

/** A guest policy: one fresh instance per VM and run, from its factory. */
export interface GuestPolicy {
  init(ctx: GuestContext): void;
  decide(obs: GuestObservation): readonly GuestAction[];
}

/** Makes a fresh policy for one run (policies keep state, so runs never share an instance). */
export type HostPolicyFactory = () => HostPolicy;
/** Makes a fresh guest policy (one per VM and run). */
export type GuestPolicyFactory = () => GuestPolicy;

/** An action array to return when nothing changes; frozen so policies cannot grow it by accident. */
export const noActions: readonly never[] = Object.freeze([]);
