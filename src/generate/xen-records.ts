import type { GenContext } from './context.js';
import type { TickFrame } from './frame.js';

/** Xen trace event ids (xen/include/public/trace.h; TRACE-FORMATS.md §4.1). */
export const TRC_TRACE_CPU_CHANGE = 0x0001f003;
export const TRC_SCHED_CONTINUE_RUNNING = 0x00021002;
export const TRC_SCHED_SWITCH = 0x0002800a;
export const TRC_PM_FREQ_CHANGE = 0x00801001;
/** Runstates as the runstate-change event encodes them. */
export const RUNSTATE_RUNNING = 0;
export const RUNSTATE_RUNNABLE = 1;
export const RUNSTATE_BLOCKED = 2;
/** `TRC_SCHED_RUNSTATE_CHANGE | old<<8 | new<<4`. */
export function runstateEvent(from: number, to: number): number {
  return 0x00021001 | (from << 8) | (to << 4);
}
/** The idle domain's id; its "vCPU" number is the pCPU. */
export const IDLE_DOMAIN = 32767;

/** Trace records of one tick, in the order Xen writes them per pCPU (TSC non-decreasing). */
export class XenRecordList {
  n = 0;
  pcpu: number[] = [];
  tsc: number[] = [];
  event: number[] = [];
  data: number[][] = [];

  push(pcpu: number, tsc: number, event: number, data: number[]): void {
    const k = this.n++;
    this.pcpu[k] = pcpu;
    this.tsc[k] = tsc;
    this.event[k] = event;
    this.data[k] = data;
  }
}

/** TSC ticks after a switch at which Xen's two runstate records land (they are taken a little later). */
const prevRunstateDelay = 60;
const nextRunstateDelay = 120;

/**
 * Xen's scheduler records for a tick (core.c `sched_switch_units`): per switch on a pCPU a
 * wake-up of the next vCPU if it had blocked (`blocked→runnable`), `TRC_SCHED_SWITCH` (prev dom,
 * prev vcpu, next dom, next vcpu), then the runstate changes of prev (→ runnable or blocked) and
 * next (→ running). Idle is domain 32767 with vCPU = pCPU. At time 0 every pCPU without a switch
 * reports its idle vCPU with `TRC_SCHED_CONTINUE_RUNNING`, so the trace starts on every pCPU.
 * Clock changes give `TRC_PM_FREQ_CHANGE` (old MHz, new MHz) on each pCPU of the socket.
 */
export function xenRecords(ctx: GenContext, f: TickFrame, out: XenRecordList): void {
  out.n = 0;
  const perUs = ctx.scenario.tsc_hz / 1e6;
  const tsc0 = Math.round(ctx.scenario.boot_uptime_seconds * ctx.scenario.tsc_hz);
  const tscAt = (us: number): number => tsc0 + us * perUs;
  const ents = ctx.cast.entities;
  const dom = (e: number): number => (e >= 0 ? ents[e]!.domid : IDLE_DOMAIN);
  const vcpu = (e: number, p: number): number => (e >= 0 ? ents[e]!.vcpu : p);
  const ident = (e: number, p: number): number => ((dom(e) << 16) | vcpu(e, p)) >>> 0;
  const { topo } = ctx;
  for (const c of f.freqChanges) {
    for (let p = 0; p < topo.cpus; p++) {
      if (topo.cpuSocket[p] === c.socket) out.push(p, tscAt(f.t0), TRC_PM_FREQ_CHANGE, [c.oldMhz, c.newMhz]);
    }
  }
  const sw = f.switches;
  if (f.index === 0) {
    const busyAtStart = new Set<number>();
    for (let k = 0; k < sw.n && sw.time[k] === 0; k++) busyAtStart.add(sw.pcpu[k]!);
    for (let p = 0; p < topo.cpus; p++) {
      if (!busyAtStart.has(p)) out.push(p, tsc0, TRC_SCHED_CONTINUE_RUNNING, [ident(-1, p)]);
    }
  }
  for (let k = 0; k < sw.n; k++) {
    const p = sw.pcpu[k]!;
    const prev = sw.prev[k]!;
    const next = sw.next[k]!;
    const tsc = tscAt(sw.time[k]!);
    if (next >= 0 && sw.nextWoke[k]) out.push(p, tsc, runstateEvent(RUNSTATE_BLOCKED, RUNSTATE_RUNNABLE), [ident(next, p)]);
    out.push(p, tsc, TRC_SCHED_SWITCH, [dom(prev), vcpu(prev, p), dom(next), vcpu(next, p)]);
    const prevTo = prev >= 0 && sw.prevBlocked[k] ? RUNSTATE_BLOCKED : RUNSTATE_RUNNABLE;
    out.push(p, tsc + prevRunstateDelay, runstateEvent(RUNSTATE_RUNNING, prevTo), [ident(prev, p)]);
    out.push(p, tsc + nextRunstateDelay, runstateEvent(RUNSTATE_RUNNABLE, RUNSTATE_RUNNING), [ident(next, p)]);
  }
}
