import { phaseDefaults } from './defaults.js';
import type { Cast } from './entities.js';
import { advanceTasks, buildTasks, mixTasks, type GuestTask } from './guest-tasks.js';
import { Rng } from './rng.js';
import type { Scenario } from './scenario.js';

/**
 * Demand of every entity, tick by tick. A workload alternates run bursts and sleeps whose mean
 * lengths follow its phase (`util` = burst / (burst + sleep)); the tasks a guest runs on one
 * vCPU add up. Time in `io` phases creates emulation work that the VM's I/O thread (KVM) or
 * dom0's vCPUs (Xen) must run later, charged to that VM. Units: µs.
 */
export class Workload {
  /** Offset in the tick at which the entity is runnable, or -1 when it sleeps all tick. */
  readonly ready: Float64Array;
  /** µs it would run this tick if given a pCPU. */
  readonly want: Float64Array;
  /** Events per cycle while running, `entities × events` (cycles = 1); for dom0, of its own work. */
  readonly rates: Float64Array;
  /** Events per cycle of I/O emulation work in dom0 (Xen backends), `events`. */
  readonly emulationRates: Float64Array;
  /** I/O operations and bytes requested by each VM so far. */
  readonly ioOps: Float64Array;
  private readonly util: Float64Array;
  private readonly burstUs: Float64Array;
  private readonly ioShare: Float64Array;
  private readonly runnable: Uint8Array;
  private readonly burstLeft: Float64Array;
  private readonly sleepLeft: Float64Array;
  /** KVM: emulation work queued for each I/O-thread entity, µs. */
  private readonly backlog: Float64Array;
  /** Xen: emulation work queued in dom0 for each VM, µs. */
  private readonly dom0Backlog: Float64Array;
  /** Xen: the dom0 vCPU serving the current batch of backend work (-1: none), and whose turn is next. */
  private dom0Server = -1;
  private dom0Turn = 0;
  /** µs of the current batch still to serve. */
  private dom0BatchLeft = 0;
  /** µs the queued emulation work of an emulator (I/O thread; dom0's first vCPU for dom0) has waited. */
  private readonly waited: Float64Array;
  /** Xen: µs of emulation each dom0 vCPU planned to do this tick. */
  private readonly ioPlanned: Float64Array;
  private readonly tasks: (GuestTask[] | undefined)[];
  private readonly rngs: Rng[];
  private readonly profile: (name: string) => Float64Array;
  private readonly nEvents: number;

  constructor(private readonly scenario: Scenario, private readonly cast: Cast, seed: number) {
    const n = cast.entities.length;
    const events = scenario.events;
    this.nEvents = events.length;
    const table = new Map<string, Float64Array>();
    this.profile = (name) => {
      let r = table.get(name);
      if (!r) {
        const rates = scenario.profiles[name]!;
        r = Float64Array.from(events, (e) => (e === 'cycles' ? 1 : rates[e]!));
        table.set(name, r);
      }
      return r;
    };
    this.ready = new Float64Array(n);
    this.want = new Float64Array(n);
    this.rates = new Float64Array(n * this.nEvents);
    this.emulationRates = this.profile('emulation');
    this.util = new Float64Array(n);
    this.burstUs = new Float64Array(n);
    this.ioShare = new Float64Array(n);
    this.runnable = new Uint8Array(n);
    this.burstLeft = new Float64Array(n);
    this.sleepLeft = new Float64Array(n);
    this.backlog = new Float64Array(n);
    this.ioPlanned = new Float64Array(n);
    this.waited = new Float64Array(n);
    this.dom0Backlog = new Float64Array(scenario.vms.length);
    this.ioOps = new Float64Array(scenario.vms.length);
    this.rngs = cast.entities.map((_, e) => new Rng(seed, `workload:${e}`));
    this.tasks = cast.entities.map((ent) => (ent.kind === 'vcpu' ? buildTasks(scenario.vms[ent.vm]!, ent.vcpu, this.profile) : undefined));
    cast.entities.forEach((ent, e) => {
      if (ent.kind === 'vcpu') this.mix(e);
      else if (ent.kind === 'host') {
        const h = scenario.host_threads[e - (n - scenario.host_threads.length)]!;
        this.setProcess(e, h.util, h.burst_ms * 1000, this.profile('background'));
      } else if (ent.kind === 'dom0') {
        this.setProcess(e, scenario.dom0.util, scenario.dom0.burst_ms * 1000, this.profile('background'));
      } else this.rates.set(this.profile('emulation'), e * this.nEvents);
      this.sleepLeft[e] = this.drawSleep(e);
    });
  }

  private setProcess(e: number, util: number, burstUs: number, rates: Float64Array): void {
    this.util[e] = util;
    this.burstUs[e] = burstUs;
    this.rates.set(rates, e * this.nEvents);
  }

  /** Demand of vCPU entity `e` from its tasks' current phases; a vCPU without tasks idles. */
  private mix(e: number): void {
    const m = mixTasks(this.tasks[e]!, this.nEvents);
    const d = phaseDefaults.idle;
    if (m) this.setProcess(e, m.util, m.burstUs, m.rates);
    else this.setProcess(e, d.util, d.burstMs * 1000, this.profile('idle'));
    this.ioShare[e] = m?.ioShare ?? 0;
  }

  private drawSleep(e: number): number {
    const u = this.util[e]!;
    if (u <= 0) return Infinity;
    return Math.round(this.rngs[e]!.exponential((this.burstUs[e]! * (1 - u)) / u));
  }

  private drawBurst(e: number): number {
    return Math.max(1, Math.round(this.rngs[e]!.exponential(this.burstUs[e]!)));
  }

  /** Burst/sleep process of entity `e` for a tick of `len` µs: sets ready and want. */
  private planProcess(e: number, len: number): void {
    if (this.runnable[e]) {
      this.ready[e] = 0;
      this.want[e] = Math.min(this.burstLeft[e]!, len);
      return;
    }
    const sleep = this.sleepLeft[e]!;
    if (sleep >= len) {
      this.sleepLeft[e] = sleep - len;
      this.ready[e] = -1;
      this.want[e] = 0;
      return;
    }
    const at = sleep > 0 ? sleep : 0;
    this.sleepLeft[e] = 0;
    this.runnable[e] = 1;
    this.burstLeft[e] = this.drawBurst(e);
    this.ready[e] = at;
    this.want[e] = Math.min(this.burstLeft[e]!, len - at);
  }

  /** Decides, for the coming tick of `len` µs, when each entity is runnable and for how long. */
  plan(len: number): void {
    const ents = this.cast.entities;
    let dom0Total = 0;
    for (let v = 0; v < this.dom0Backlog.length; v++) dom0Total += this.dom0Backlog[v]!;
    // a released batch goes to one dom0 vCPU (the backend thread that was kicked), in turn
    if (this.dom0Server < 0 && this.cast.dom0.length > 0 && this.released(this.cast.dom0[0]!, dom0Total, len)) {
      this.dom0Server = this.cast.dom0[this.dom0Turn++ % this.cast.dom0.length]!;
      this.dom0BatchLeft = Math.ceil(dom0Total);
    }
    for (let e = 0; e < ents.length; e++) {
      const kind = ents[e]!.kind;
      if (kind === 'io') {
        // whole µs: segment boundaries are whole µs so every tool prints them exactly
        const b = this.released(e, this.backlog[e]!, len) ? Math.ceil(this.backlog[e]!) : 0;
        this.ready[e] = b > 0 ? 0 : -1;
        this.want[e] = b > len ? len : b;
      } else if (kind === 'dom0') {
        this.planProcess(e, len);
        const own = this.ready[e]! >= 0 ? this.want[e]! : 0;
        const io = e === this.dom0Server ? Math.min(this.dom0BatchLeft, len) : 0;
        this.ioPlanned[e] = io;
        if (io > 0) {
          this.ready[e] = 0;
          this.want[e] = Math.min(len, io + own);
        }
      } else this.planProcess(e, len);
    }
  }

  /**
   * Whether queued emulation work (`backlog` µs, waiting since `waited[e]`) wakes its emulator
   * this tick: once a batch has gathered or the oldest request has waited long enough.
   */
  private released(e: number, backlog: number, len: number): boolean {
    if (backlog <= 0) {
      this.waited[e] = 0;
      return false;
    }
    const io = this.scenario.io;
    if (backlog >= io.batch_ms * 1000 || this.waited[e]! >= io.max_delay_ms * 1000) return true;
    this.waited[e] = this.waited[e]! + len;
    return false;
  }

  /** Burst bookkeeping after `run` µs; true when the burst is over (the entity blocks). */
  private consume(e: number, run: number, idleAfter: number): boolean {
    if (!this.runnable[e]) return true;
    this.burstLeft[e] = this.burstLeft[e]! - run;
    if (this.burstLeft[e]! > 0) return false;
    this.runnable[e] = 0;
    this.sleepLeft[e] = Math.max(0, this.drawSleep(e) - idleAfter);
    return true;
  }

  /**
   * Entity `e` ran `run` µs from `start` in a tick of `len` µs (call once per segment, after
   * `plan`). Returns true when it blocked at the end of the run. For a dom0 vCPU, `share` (one
   * slot per VM plus one for dom0's own work) receives the fractions of the run done for each.
   */
  ran(e: number, start: number, run: number, len: number, share: Float64Array): boolean {
    const ent = this.cast.entities[e]!;
    const idleAfter = len - start - run;
    if (ent.kind === 'io') {
      this.backlog[e] = Math.max(0, this.backlog[e]! - run);
      return this.backlog[e]! === 0 || idleAfter > 0;
    }
    if (ent.kind === 'dom0') return this.ranDom0(e, run, idleAfter, share);
    const blocked = this.consume(e, run, idleAfter);
    const io = this.ioShare[e]!;
    if (ent.kind === 'vcpu' && io > 0) {
      const work = run * io * this.scenario.io.emulation_cost;
      const vm = this.cast.vms[ent.vm]!;
      if (vm.ioEntity >= 0) this.backlog[vm.ioEntity] = this.backlog[vm.ioEntity]! + work;
      else this.dom0Backlog[ent.vm] = this.dom0Backlog[ent.vm]! + work;
      this.ioOps[ent.vm] = this.ioOps[ent.vm]! + run * io * this.scenario.io.ops_per_second * 1e-6;
    }
    return blocked;
  }

  private ranDom0(e: number, run: number, idleAfter: number, share: Float64Array): boolean {
    const nv = this.dom0Backlog.length;
    let total = 0;
    for (let v = 0; v < nv; v++) total += this.dom0Backlog[v]!;
    const take = Math.min(run, this.ioPlanned[e]!, total);
    for (let v = 0; v < nv; v++) {
      const c = total > 0 ? (this.dom0Backlog[v]! * take) / total : 0;
      this.dom0Backlog[v] = Math.max(0, this.dom0Backlog[v]! - c);
      share[v] = c / run;
    }
    share[nv] = (run - take) / run;
    const ownDone = this.consume(e, run - take, idleAfter);
    if (e === this.dom0Server) {
      this.dom0BatchLeft -= take;
      if (this.dom0BatchLeft <= 0 || total - take <= 0) this.dom0Server = -1;
    }
    return idleAfter > 0 || (ownDone && e !== this.dom0Server);
  }

  /** Moves every task's phase clock on by `len` µs. */
  advance(len: number): void {
    for (let e = 0; e < this.tasks.length; e++) {
      const tasks = this.tasks[e];
      if (tasks && advanceTasks(tasks, len)) this.phaseChanged(e);
    }
  }

  private phaseChanged(e: number): void {
    this.mix(e);
    if (this.runnable[e]) this.burstLeft[e] = Math.min(this.burstLeft[e]!, this.drawBurst(e));
    // a sleep drawn for the old phase (or an endless one for util 0) must not outlast it
    else this.sleepLeft[e] = Math.min(this.sleepLeft[e]!, this.drawSleep(e));
  }
}
