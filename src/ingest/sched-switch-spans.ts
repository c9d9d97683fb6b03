import { messages } from '../messages.js';
import { threadRoleFromName, type KvmIdentity, type ThreadRole } from './qemu-threads.js';
import type { SchedSwitch } from './tracepoint-line.js';
import type { TraceSink } from './types.js';

/** VM name used when nothing identifies the VM of a qemu thread and its process id is unknown. */
export const UNKNOWN_VM = 'vm';

/**
 * `io.kind` values for the on-CPU time of a VM's helper threads (one `io` row per on-CPU span,
 * `ops` and `bytes` null: the activity is the span itself), with the rule that links each to its
 * VM. Kept in `traces.meta` as `details.ioLinkRules`.
 */
export const ioLinkRules = {
  'oncpu-vhost': 'kernel thread vhost-<qemu pid>: the VM of that qemu process',
  'oncpu-kvm-pit': 'kernel thread kvm-pit/<qemu pid>: the VM of that qemu process',
  'oncpu-iothread': "qemu thread 'IO <name>', or an io_tids entry (bundle.json, or a non-vCPU thread of the VM's "
    + 'thread listing): the VM of its thread or process id',
  'oncpu-emulator': 'qemu-system-* thread that is not a vCPU (the main thread, tid = pid, or any when the '
    + "VM's vCPU threads carry names): the VM of its thread or process id",
} as const;

/** Counters reported in `details` when the trace ends. */
export interface SpanStats {
  residencySpans: number;
  ioSpans: number;
  /** Spans whose start was before the CPU's first record (counted from the trace start). */
  spansOpenAtStart: number;
  /** Spans still open at the last record (closed there). */
  spansOpenAtEnd: number;
  /** Spans ended at the CPU's last record before lost events or a mismatched switch. */
  spansCut: number;
  /** Switches whose `prev` was not the thread the CPU's previous switch let in. */
  switchMismatches: number;
  /** True when some VM name was made up (`qemu-<pid>` or `vm`), not given by the bundle. */
  vmInferred: boolean;
  /** On-CPU seconds of qemu-system-* threads that could be vCPUs (debug-threads off). */
  qemuSecondsUnattributed: number;
}

const UNKNOWN = -1;

interface CpuState {
  /** Thread on the CPU (from the last switch's `next`), or UNKNOWN. */
  tid: number;
  comm: string;
  /** When it switched in, s. */
  since: number;
  /** From when the CPU's records are complete, s: the trace start, or the first record after a loss. */
  windowStart: number;
  /** Time of the CPU's last record, s. */
  lastSeen: number;
  /** A loss marker was seen: the next record opens a new window. */
  reopen: boolean;
}

/**
 * Turns a time-ordered stream of `sched_switch` records into residency spans of qemu vCPU threads
 * and `io` spans of VM helper threads (TRACE-FORMATS.md §5.2 "Residency derivation"): a thread
 * occupies CPU c from a switch on c naming it `next` until the next switch on c naming it `prev`.
 * Threads are matched by id, not name, because a new qemu thread switches in as `qemu-system-x86`
 * and renames itself (`CPU 0/KVM`) while running; a span is classified by the name at its end.
 *
 * Every span emitted is time the thread certainly ran there, given the file: a thread already
 * running when a CPU's records begin counts from the trace start (all CPUs start recording
 * together unless a loss marker says otherwise), one still running at the end counts to the last
 * record, and lost events cut the running span at the CPU's last record. Zero-length spans are
 * dropped. State is per CPU plus small per-thread maps, so memory does not grow with the file.
 *
 * VM identity (§5.5/§5.6), first match wins: bundle `vms[].vcpu_tids`; `vmByPid` by thread id,
 * then by process id; `vmName`; else `qemu-<pid>` when the trace prints process ids, else `vm`
 * (both flagged `vmInferred`, with a warning), so different qemu processes stay apart when
 * perf/ftrace print pids, and the name never claims more than the trace says.
 */
export class SchedSwitchSpans {
  readonly stats: SpanStats = {
    residencySpans: 0, ioSpans: 0, spansOpenAtStart: 0, spansOpenAtEnd: 0, spansCut: 0,
    switchMismatches: 0, vmInferred: false, qemuSecondsUnattributed: 0,
  };
  private readonly cpus = new Map<string, CpuState[]>();
  private readonly tgidOf = new Map<number, number>();
  private readonly learnedVcpu = new Map<number, number>();
  private readonly namedVcpuVms = new Set<string>();
  private readonly vcpuOwner = new Map<string, number>();
  private readonly warned = new Set<string>();
  /** Whether the trace prints process ids at all (perf `pid/tid`, ftrace `(tgid)`). */
  private pidsShown = false;

  constructor(private readonly sink: TraceSink, private readonly identity: KvmIdentity) {}

  /**
   * One record at `t` s on `cpu` of input `src`, run by thread `tid` (of process `tgid` when
   * printed); `sw` is its payload when it is a `sched_switch`.
   */
  record(src: string, cpu: number, t: number, tid: number, tgid: number | null, sw: SchedSwitch | null): void {
    const st = this.state(src, cpu);
    if (st.reopen) {
      st.windowStart = t;
      st.reopen = false;
    }
    if (tgid !== null && tid >= 0) {
      this.tgidOf.set(tid, tgid);
      this.pidsShown = true;
    }
    if (sw) {
      if (st.tid === sw.prevPid) {
        this.close(sw.prevPid, sw.prevComm, cpu, st.since, t);
      } else if (st.tid === UNKNOWN) {
        if (this.close(sw.prevPid, sw.prevComm, cpu, st.windowStart, t)) this.stats.spansOpenAtStart++;
      } else {
        // The thread the last switch let in is not the one leaving: records were lost between.
        this.stats.switchMismatches++;
        if (this.close(st.tid, st.comm, cpu, st.since, st.lastSeen)) this.stats.spansCut++;
      }
      st.tid = sw.nextPid;
      st.comm = sw.nextComm;
      st.since = t;
    }
    st.lastSeen = t;
  }

  /** Records were lost on `cpu` of `src` (a loss marker): cut its running span, restart its window. */
  gap(src: string, cpu: number): void {
    const st = this.state(src, cpu);
    if (st.tid !== UNKNOWN && this.close(st.tid, st.comm, cpu, st.since, st.lastSeen)) this.stats.spansCut++;
    st.tid = UNKNOWN;
    st.reopen = true;
  }

  /** A `kvm_entry`/`kvm_exit` payload named the vCPU id that thread `tid` runs. */
  learnVcpu(tid: number, vcpu: number): void {
    this.learnedVcpu.set(tid, vcpu);
  }

  /**
   * VM and vCPU index of thread `tid` called `comm` (bundle map, then name, then what kvm
   * events taught), or null when it is not known to be a vCPU thread.
   */
  vcpuOf(tid: number, comm: string, tgid: number | null): { vm: string; index: number } | null {
    return this.vcpuFor(tid, threadRoleFromName(comm), tgid);
  }

  /** Closes the spans still open at the last record, `tEnd` s. */
  end(tEnd: number): void {
    for (const states of this.cpus.values()) {
      states.forEach((st, cpu) => {
        if (st.tid !== UNKNOWN && this.close(st.tid, st.comm, cpu, st.since, tEnd)) this.stats.spansOpenAtEnd++;
      });
    }
  }

  private vcpuFor(tid: number, role: ThreadRole | null, tgid: number | null): { vm: string; index: number } | null {
    const known = this.identity.vcpuOfTid.get(tid);
    if (known) return known;
    const index = role?.kind === 'vcpu' ? role.index : this.learnedVcpu.get(tid);
    return index === undefined ? null : { vm: this.vmOfThread(tid, tgid), index };
  }

  private state(src: string, cpu: number): CpuState {
    let states = this.cpus.get(src);
    if (!states) this.cpus.set(src, states = []);
    let st = states[cpu];
    if (!st) states[cpu] = st = { tid: UNKNOWN, comm: '', since: 0, windowStart: 0, lastSeen: 0, reopen: false };
    return st;
  }

  /** Emits the span [t0, t1] s of thread `tid` on `cpu` if it is a VM's; true when a row was written. */
  private close(tid: number, comm: string, cpu: number, t0: number, t1: number): boolean {
    if (!(t1 > t0)) return false;
    const tgid = this.tgidOf.get(tid) ?? null;
    const role = threadRoleFromName(comm);
    const vcpu = this.vcpuFor(tid, role, tgid);
    if (vcpu) {
      this.claim(vcpu.vm, vcpu.index, tid);
      if (role?.kind === 'vcpu') this.namedVcpuVms.add(vcpu.vm);
      this.sink.residency(vcpu.vm, vcpu.index, cpu, t0, t1);
      this.stats.residencySpans++;
      return true;
    }
    let kind: keyof typeof ioLinkRules;
    let vm: string;
    if (role?.kind === 'vhost' || role?.kind === 'kvm-pit') {
      kind = `oncpu-${role.kind}`;
      vm = this.vmOfProcess(role.owner);
    } else if (role?.kind === 'iothread' || (!role && this.identity.ioTids.has(tid))) {
      kind = 'oncpu-iothread';
      vm = this.vmOfThread(tid, tgid);
    } else if (role?.kind === 'emulator') {
      vm = this.vmOfThread(tid, tgid);
      // With debug-threads off every qemu thread has this name, vCPUs included: only the main
      // thread, or threads of a VM whose vCPUs are named, are certainly not vCPUs.
      if (tgid !== tid && !this.namedVcpuVms.has(vm)) {
        this.stats.qemuSecondsUnattributed += t1 - t0;
        return false;
      }
      kind = 'oncpu-emulator';
    } else {
      return false;
    }
    this.sink.io(vm, t0, t1, kind, null, null);
    this.stats.ioSpans++;
    return true;
  }

  private vmOfThread(tid: number, tgid: number | null): string {
    const named = this.identity.vmOfPid.get(tid) ?? (tgid === null ? undefined : this.identity.vmOfPid.get(tgid));
    if (named !== undefined) return named;
    return this.identity.vmName ?? this.inferred(tgid);
  }

  private vmOfProcess(pid: number): string {
    return this.identity.vmOfPid.get(pid) ?? this.identity.vmName ?? this.inferred(pid);
  }

  /**
   * The made-up name of the VM of qemu process `pid`: `qemu-<pid>` when the trace prints process
   * ids, else `vm` for all (a trace without pids cannot tell VMs apart, so vhost-<pid> workers
   * must land in the same placeholder as the vCPU threads).
   */
  private inferred(pid: number | null): string {
    const vm = pid !== null && this.pidsShown ? `qemu-${pid}` : UNKNOWN_VM;
    this.stats.vmInferred = true;
    this.warnOnce(`vm:${vm}`, messages.kvmVmInferred(vm));
    return vm;
  }

  /** Two threads running the same vCPU of one VM means VMs were merged (or a VM restarted). */
  private claim(vm: string, index: number, tid: number): void {
    const key = `${vm}\u0000${index}`;
    const owner = this.vcpuOwner.get(key);
    if (owner === undefined) this.vcpuOwner.set(key, tid);
    else if (owner !== tid) this.warnOnce(`claim:${key}`, messages.kvmVcpuClaimedTwice(vm, index, owner, tid));
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.sink.warn(message);
  }
}
