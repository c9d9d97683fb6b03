import { messages } from '../messages.js';
import { isGuestDomain } from './xen-names.js';
import type { TickClock } from './tick-clock.js';
import type { TraceSink } from './types.js';

/** A context switch on `pcpu` at `tick` (TRC_SCHED_SWITCH / `sched_switch` / `__enter_scheduler`). */
export interface XenSwitch {
  kind: 'switch'; tick: number; pcpu: number;
  prevDom: number; prevVcpu: number; nextDom: number; nextVcpu: number;
}
/** A vCPU became (or stayed) running on `pcpu`: runstate change to running, or continue_running. */
export interface XenRunning { kind: 'running'; tick: number; pcpu: number; dom: number; vcpu: number }
/**
 * Trace records were lost on `pcpu`; what ran meanwhile is unknown. `endTick` is when the loss
 * began (the record's `first_tsc` when the source has it, else `tick`); `dom`/`vcpu` is the vCPU
 * current when tracing resumed at `tick` (null when the source does not say).
 */
export interface XenLost {
  kind: 'lost'; tick: number; pcpu: number; endTick: number; dom: number | null; vcpu: number | null;
}
/** A scheduler event normalised from any Xen trace source, in ticks. */
export type XenEvent = XenSwitch | XenRunning | XenLost;

interface Occupant { dom: number; vcpu: number; since: number }

/**
 * Derives `residency` rows from time-ordered Xen scheduler events (one module for xentrace,
 * xentrace_format and xenalyze). A vCPU occupies pCPU c from a switch on c naming it `next`
 * until the next switch on c, which must name it `prev` (else the span is dropped and counted:
 * records went missing). A runstate change to running on a pCPU whose occupant is unknown opens
 * a span (trace start, after a loss); one naming another vCPU than the occupant is counted as a
 * cross-check mismatch. Lost records close the open span at the loss start and, when the record
 * names the vCPU current at resumption, open one for it. Idle (32767) and other reserved
 * domains occupy pCPUs but give no rows. State: one occupant per pCPU.
 */
export class XenSpans {
  private readonly occupants = new Map<number, Occupant>();
  private readonly stats = {
    switches: 0, residencySpans: 0, lostRecordEvents: 0, switchPrevMismatches: 0, runstateMismatches: 0,
  };

  constructor(private readonly sink: TraceSink, private readonly vmName: (dom: number) => string,
    private readonly clock: TickClock) {}

  /** Context switches seen so far. */
  get switches(): number {
    return this.stats.switches;
  }

  /** Feeds one event; events must arrive in time order per pCPU. */
  event(e: XenEvent): void {
    const occ = this.occupants.get(e.pcpu);
    switch (e.kind) {
      case 'switch':
        this.stats.switches++;
        if (occ) {
          if (occ.dom === e.prevDom && occ.vcpu === e.prevVcpu) this.close(e.pcpu, occ, e.tick);
          else this.stats.switchPrevMismatches++;
        }
        this.occupants.set(e.pcpu, { dom: e.nextDom, vcpu: e.nextVcpu, since: e.tick });
        break;
      case 'running':
        if (!occ) this.occupants.set(e.pcpu, { dom: e.dom, vcpu: e.vcpu, since: e.tick });
        else if (occ.dom !== e.dom || occ.vcpu !== e.vcpu) this.stats.runstateMismatches++;
        break;
      case 'lost':
        this.stats.lostRecordEvents++;
        this.sink.warn(messages.xenLostRecords(e.pcpu));
        if (occ) this.close(e.pcpu, occ, Math.min(Math.max(e.endTick, occ.since), e.tick));
        if (e.dom !== null && e.vcpu !== null) {
          this.occupants.set(e.pcpu, { dom: e.dom, vcpu: e.vcpu, since: e.tick });
        } else {
          this.occupants.delete(e.pcpu);
        }
        break;
    }
  }

  /** Closes every open span at `endTick` (the last tick of the trace) and reports the counts. */
  finish(endTick: number): void {
    for (const [pcpu, occ] of this.occupants) this.close(pcpu, occ, endTick);
    this.occupants.clear();
    const s = this.stats;
    if (s.switchPrevMismatches > 0) this.sink.warn(messages.xenSwitchMismatch(s.switchPrevMismatches));
    if (s.runstateMismatches > 0) this.sink.warn(messages.xenRunstateMismatch(s.runstateMismatches));
    this.sink.meta({ details: { ...s } });
  }

  private close(pcpu: number, occ: Occupant, tick: number): void {
    if (!isGuestDomain(occ.dom) || tick <= occ.since) return;
    this.stats.residencySpans++;
    this.sink.residency(this.vmName(occ.dom), occ.vcpu, pcpu, this.clock.seconds(occ.since), this.clock.seconds(tick));
  }
}
