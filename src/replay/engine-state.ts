import type { VmInfo } from '../policies/types.js';
import { GuestView, HostView } from './observe.js';

/** The host as the engine sees it. Cores are numbered socket-major, `coresPerSocket` per socket. */
export interface EngineLayout {
  /** Tick length, s. */
  tickSeconds: number;
  pcpus: number;
  sockets: number;
  coresPerSocket: number;
  /** Socket of each pCPU. */
  pcpuSocket: Int32Array;
  /** Thermal core of each pCPU. */
  pcpuCore: Int32Array;
  vms: readonly VmInfo[];
  /** VM index of each vCPU (vCPUs numbered over all VMs in VM order). */
  vcpuVm: Int32Array;
  /** pCPU each vCPU starts on. */
  initialPcpu: Int32Array;
}

/**
 * The energy model the engine applies per socket: E = staticWatts·Δt + Σ weights·events (the
 * package domain). With `core`, each core is heated by its core-domain power and the heatsink by
 * the rest of the package (as the thermal fit assumes when RAPL has a core domain); without it
 * the cores get the package's dynamic power and the heatsink its static power.
 */
export interface EngineEnergy {
  events: readonly string[];
  /** J per event, in `events` order. */
  weights: Float64Array;
  /** Static power of one socket, W. */
  staticWatts: number;
  /** Core-domain model over the same events: J per event, and static power of one socket's cores, W. */
  core?: { weights: Float64Array; staticWatts: number };
}

/** What a migration costs beyond what the recording already holds. */
export interface MigrationCost {
  /** pCPU time the migrated vCPU spends warming up before its tasks progress, s (default 50 µs). */
  seconds: number;
  /** Extra events executed on the destination by the warm-up (cache refills), per event of the model. */
  warmupEvents: Float64Array;
}

/** The thermal model as the engine drives it (src/thermal's `ThermalStepper` fits). */
export interface ThermalLike {
  /** Core temperatures, °C, socket-major. */
  readonly coreCelsius: Float64Array;
  /** Advances one tick with core powers (W per core) and heatsink powers (W per socket). */
  step(coreWatts: Float64Array, heatsinkWatts: Float64Array): void;
  /** Jumps to the steady state under constant powers. */
  settle(coreWatts: Float64Array, heatsinkWatts: Float64Array): void;
}

/** Everything fixed for a run: host and VM layout, energy model, migration cost. */
export interface EngineConfig {
  layout: EngineLayout;
  energy: EngineEnergy;
  migration: MigrationCost;
}

/**
 * Everything that changes during a replay, as typed arrays sized once. Tasks 0..vcpus−1 are
 * the recorded vCPU streams (task j starts on vCPU j); task vcpus + m is VM m's balloon.
 */
export class EngineState {
  readonly vcpus: number;
  readonly tasks: number;
  readonly vms: number;
  readonly events: number;
  readonly cores: number;

  // tasks
  readonly taskVm: Int32Array;
  readonly taskVcpu: Int32Array;
  readonly taskBacklog: Float64Array;
  readonly taskThrottle: Float64Array;
  readonly taskWant: Float64Array;
  readonly taskRun: Float64Array;
  /** Bumped by every rate change, so observers copy rates only when they changed. */
  rateVersion = 0;
  /** Events per running second, task × events. Set through `setSlotRate`. */
  readonly taskRate: Float64Array;
  /** Dynamic energy per running second of each task (Σ weight × rate), J/s; kept by `setSlotRate`. */
  readonly taskJoulesPerSecond: Float64Array;
  /** The same for the core-domain weights (0 without a core model), J/s. */
  readonly taskCoreJoulesPerSecond: Float64Array;

  // vCPUs
  readonly vcpuPcpu: Int32Array;
  readonly vcpuOnline: Uint8Array;
  readonly vcpuThrottle: Float64Array;
  readonly vcpuWant: Float64Array;
  readonly vcpuRun: Float64Array;
  readonly vcpuWatts: Float64Array;
  /** Migration time still to be paid, s. */
  readonly vcpuPendingCost: Float64Array;
  /** 1 while a migration's warm-up events have not been executed yet. */
  readonly vcpuPendingWarmup: Uint8Array;
  /** Local (within its VM) number of each vCPU. */
  readonly vcpuLocal: Int32Array;

  // pCPUs, cores, sockets
  readonly pcpuThrottle: Float64Array;
  readonly pcpuWatts: Float64Array;
  readonly pcpuJoules: Float64Array;
  /** Events per second of the host's own load on each pCPU (pCPU × events), whatever the policies do. */
  readonly backgroundRate: Float64Array;
  /** Its dynamic power per pCPU, W (package and core domain). */
  readonly backgroundWatts: Float64Array;
  readonly backgroundCoreWatts: Float64Array;
  /** Core-domain energy of each pCPU in the last tick, J. */
  readonly pcpuCoreJoules: Float64Array;
  /** The socket's static power divided over its pCPUs, W: what a VM is charged per second it occupies one. */
  readonly staticWattsPerPcpu: Float64Array;
  readonly coreWatts: Float64Array;
  readonly heatsinkWatts: Float64Array;

  // VMs
  readonly vmBalloon: Float64Array;
  /** Dynamic power of each VM on each pCPU over the last tick, W (vm × pcpus + pcpu); see `vmPcpuTouched`. */
  readonly vmPcpuWatts: Float64Array;
  /** The entries of `vmPcpuWatts` set in the last tick (the rest are 0): reset cost follows the running vCPUs, not VMs × pCPUs. */
  readonly vmPcpuTouched: Int32Array;
  vmPcpuTouchedCount = 0;
  readonly vmPcpuBudget: Float64Array;
  /** First task of each VM in `vmTasks`; VM m's tasks are vmTasks[vmTaskStart[m] … vmTaskStart[m+1]−1]. */
  readonly vmTaskStart: Int32Array;
  readonly vmTasks: Int32Array;

  // results of the last tick, read by the accumulators
  readonly tickSocketJoules: Float64Array;
  readonly tickVmJoules: Float64Array;
  readonly tickVmDemand: Float64Array;
  readonly tickVmRun: Float64Array;
  tickMigrations = 0;
  tickMigrationSeconds = 0;
  tickThrottledSeconds = 0;

  // Groupings for sharing time, rebuilt only when a placement changed (see `execute` in engine.ts).
  /** vCPUs by pCPU: pCPU p's are pcpuMembers[pcpuStart[p] … pcpuStart[p+1]−1]. */
  readonly pcpuMembers: Int32Array;
  readonly pcpuStart: Int32Array;
  /** `vcpuPcpu` as `pcpuMembers` was built from. */
  readonly groupedVcpuPcpu: Int32Array;
  /** Tasks by vCPU: vCPU v's are vcpuMembers[vcpuStart[v] … vcpuStart[v+1]−1]. */
  readonly vcpuMembers: Int32Array;
  readonly vcpuStart: Int32Array;
  /** `taskVcpu` as `vcpuMembers` was built from. */
  readonly groupedTaskVcpu: Int32Array;
  /** Bumped by every budget change, so the host observation copies budgets only when they changed. */
  budgetVersion = 0;
  /** Bumped when a task moves or a vCPU is plugged or unplugged, so guest observations copy those only when they changed. */
  placementVersion = 0;

  // observations handed to policies (refreshed each tick, copied lazily)
  readonly hostObs: HostView;
  readonly guestObs: GuestView[];

  constructor(readonly config: EngineConfig, readonly thermal: ThermalLike) {
    const { layout, energy } = config;
    const V = layout.vcpuVm.length;
    const M = layout.vms.length;
    const P = layout.pcpus;
    const E = energy.events.length;
    const T = V + M;
    this.vcpus = V;
    this.tasks = T;
    this.vms = M;
    this.events = E;
    this.cores = layout.sockets * layout.coresPerSocket;

    this.taskVm = new Int32Array(T);
    this.taskVcpu = new Int32Array(T);
    for (let j = 0; j < V; j++) {
      this.taskVm[j] = layout.vcpuVm[j]!;
      this.taskVcpu[j] = j;
    }
    for (let m = 0; m < M; m++) {
      this.taskVm[V + m] = m;
      this.taskVcpu[V + m] = layout.vms[m]!.vcpus[0] ?? -1;
    }
    this.taskBacklog = new Float64Array(T);
    this.taskThrottle = new Float64Array(T);
    this.taskWant = new Float64Array(T);
    this.taskRun = new Float64Array(T);
    this.taskRate = new Float64Array(T * E);
    this.taskJoulesPerSecond = new Float64Array(T);
    this.taskCoreJoulesPerSecond = new Float64Array(T);

    this.vcpuPcpu = Int32Array.from(layout.initialPcpu);
    this.vcpuOnline = new Uint8Array(V).fill(1);
    this.vcpuThrottle = new Float64Array(V);
    this.vcpuWant = new Float64Array(V);
    this.vcpuRun = new Float64Array(V);
    this.vcpuWatts = new Float64Array(V);
    this.vcpuPendingCost = new Float64Array(V);
    this.vcpuPendingWarmup = new Uint8Array(V);
    this.vcpuLocal = new Int32Array(V);
    for (const vm of layout.vms) vm.vcpus.forEach((g, k) => { this.vcpuLocal[g] = k; });

    this.pcpuThrottle = new Float64Array(P);
    this.pcpuWatts = new Float64Array(P);
    this.pcpuJoules = new Float64Array(P);
    this.backgroundRate = new Float64Array(P * E);
    this.backgroundWatts = new Float64Array(P);
    this.backgroundCoreWatts = new Float64Array(P);
    this.pcpuCoreJoules = new Float64Array(P);
    const perSocket = new Float64Array(layout.sockets);
    for (let p = 0; p < P; p++) perSocket[layout.pcpuSocket[p]!]!++;
    this.staticWattsPerPcpu = Float64Array.from(layout.pcpuSocket, (s) => energy.staticWatts / perSocket[s]!);
    this.coreWatts = new Float64Array(this.cores);
    this.heatsinkWatts = new Float64Array(layout.sockets);

    this.vmBalloon = new Float64Array(M);
    this.vmPcpuWatts = new Float64Array(M * P);
    // A vCPU touches one entry per tick (its pCPU), its warm-up the same one.
    this.vmPcpuTouched = new Int32Array(V);
    this.vmPcpuBudget = new Float64Array(M * P).fill(NaN);
    this.vmTaskStart = new Int32Array(M + 1);
    this.vmTasks = new Int32Array(T);
    let at = 0;
    layout.vms.forEach((vm, m) => {
      this.vmTaskStart[m] = at;
      for (const g of vm.vcpus) this.vmTasks[at++] = g;
      this.vmTasks[at++] = V + m;
    });
    this.vmTaskStart[M] = at;

    this.tickSocketJoules = new Float64Array(layout.sockets);
    this.tickVmJoules = new Float64Array(M);
    this.tickVmDemand = new Float64Array(M);
    this.tickVmRun = new Float64Array(M);

    this.pcpuMembers = new Int32Array(V);
    this.pcpuStart = new Int32Array(P + 1);
    // −2 matches no placement (−1 is a task without a vCPU), so the first tick groups.
    this.groupedVcpuPcpu = new Int32Array(V).fill(-2);
    this.vcpuMembers = new Int32Array(T);
    this.vcpuStart = new Int32Array(V + 1);
    this.groupedTaskVcpu = new Int32Array(T).fill(-2);
    this.hostObs = new HostView(this);
    this.guestObs = layout.vms.map((_, m) => new GuestView(this, m));
  }

  /** Index of VM m's local task k in the engine's task arrays. */
  globalTask(m: number, k: number): number {
    return this.vmTasks[this.vmTaskStart[m]! + k]!;
  }
}
