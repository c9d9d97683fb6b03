import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { KvmEventBins } from './kvm-event-bins.js';
import { kvmIdentity } from './qemu-threads.js';
import { ioLinkRules, SchedSwitchSpans } from './sched-switch-spans.js';
import { TraceClock } from './trace-clock.js';
import { parseKvmEntry, parseKvmExit, parseSchedSwitch, type SchedSwitch, type TracepointRecord } from './tracepoint-line.js';
import type { ParseContext } from './types.js';

/**
 * What the tracepoint-text formats (`perf-script`, `trace-cmd-report`, `ftrace`) do once their
 * line grammar has split a record (TRACE-FORMATS.md §5):
 *
 *   record → time (s from the first record, exact to the ns) → order check
 *          → sched_switch → residency / io spans (SchedSwitchSpans)
 *          → kvm_* events of vCPU threads → per-vCPU 1 s counts (KvmEventBins)
 *
 * `kvm_exit` counts as `kvm:exit:<reason>` (one event per exit reason); every other `kvm_*`
 * event as `<system>:<name>` (`kvm:kvm_entry`, `kvm:kvm_pio`, `kvmmmu:kvm_mmu_paging_element`),
 * the names perf stat uses for the same tracepoints; ftrace text does not print the system, so
 * there it is taken to be `kvm`. The trace clock is not epoch, so no
 * `startEpochSeconds`: the first timestamp goes to `details.traceClockStart`.
 */
export class TracepointTrace {
  private readonly clock = new TraceClock();
  private readonly spans: SchedSwitchSpans;
  private readonly bins: KvmEventBins;
  private last = 0;
  private records = 0;
  private kvmEvents = 0;
  private kvmEventsWithoutVcpu = 0;
  private lostMarkers = 0;
  private exitUnparsed = false;

  constructor(private readonly ctx: ParseContext, private readonly format: string) {
    this.spans = new SchedSwitchSpans(ctx.sink, kvmIdentity(ctx.options));
    this.bins = new KvmEventBins(ctx.sink);
  }

  /** One record, from line `lineNo` (text `line`, for errors). Records must come in time order. */
  record(r: TracepointRecord, lineNo: number, line: string): void {
    const t = this.clock.seconds(r.ts);
    if (t < this.last) {
      throw this.error('timeBackwards', messages.timeBackwards(this.last, t), lineNo, line,
        'records in time order', messages.hintTracepointOrder());
    }
    this.last = t;
    this.records++;
    let sw: SchedSwitch | null = null;
    if (r.event === 'sched_switch') {
      sw = parseSchedSwitch(r.payload);
      if (!sw) {
        throw this.error('badPayload', messages.badTracepointPayload('sched_switch'), lineNo, line,
          'prev_comm=… prev_pid=… ==> next_comm=… next_pid=… or <comm>:<pid> [<prio>] <state> ==> <comm>:<pid> [<prio>]');
      }
    }
    this.spans.record(r.src, r.cpu, t, r.tid, r.tgid, sw);
    if (r.event.startsWith('kvm_')) this.kvm(r, t);
  }

  /**
   * A marker that `cpu` of input `src` lost records (or, ftrace, that its buffer starts late):
   * its running span ends at its last record and its window restarts.
   */
  lost(src: string, cpu: number): void {
    this.lostMarkers++;
    this.spans.gap(src, cpu);
  }

  /** ftrace `##### CPU <n> buffer started ####`: that CPU's records begin later than the others'. */
  bufferStarted(cpu: number): void {
    this.spans.gap('', cpu);
  }

  /** Flushes open spans and bins and writes the details; a file without records is an error. */
  end(): void {
    if (this.records === 0) {
      throw new TraceParseError(`${this.format}.noRecords`, messages.noRecords(this.format), {
        context: { file: this.ctx.file }, hint: messages.hintFormatFlag(),
      });
    }
    this.spans.end(this.last);
    this.bins.end(this.last);
    const { sink } = this.ctx;
    const s = this.spans.stats;
    if (this.lostMarkers > 0) sink.warn(messages.tracepointEventsLost(this.lostMarkers));
    if (s.switchMismatches > 0) sink.warn(messages.kvmSwitchMismatch(s.switchMismatches));
    if (s.qemuSecondsUnattributed > 0) sink.warn(messages.kvmQemuUnattributed(s.qemuSecondsUnattributed));
    const kvm = s.residencySpans + s.ioSpans + this.kvmEvents > 0;
    sink.meta({
      ...(kvm ? { hypervisor: 'kvm' as const } : {}),
      details: {
        traceClockStart: this.clock.origin,
        timeBase: 'seconds from the first record; the trace clock is CLOCK_MONOTONIC-like, not epoch',
        records: this.records,
        ...s,
        kvmEventBinSeconds: this.bins.binSeconds,
        kvmEvents: this.kvmEvents,
        kvmEventsWithoutVcpu: this.kvmEventsWithoutVcpu,
        lostEventMarkers: this.lostMarkers,
        ...(s.ioSpans > 0 ? { ioLinkRules } : {}),
      },
    });
  }

  private kvm(r: TracepointRecord, t: number): void {
    let event = `${r.system ?? 'kvm'}:${r.event}`;
    let vcpuId: number | null = null;
    if (r.event === 'kvm_exit') {
      const exit = parseKvmExit(r.payload);
      if (exit) {
        event = `kvm:exit:${exit.reason}`;
        vcpuId = exit.vcpu;
      } else if (!this.exitUnparsed) {
        this.exitUnparsed = true;
        this.ctx.sink.warn(messages.kvmExitUnparsed());
      }
    } else if (r.event === 'kvm_entry') {
      vcpuId = parseKvmEntry(r.payload);
    }
    if (vcpuId !== null && r.tid >= 0) this.spans.learnVcpu(r.tid, vcpuId);
    const vcpu = this.spans.vcpuOf(r.tid, r.comm, r.tgid);
    if (!vcpu) {
      this.kvmEventsWithoutVcpu++;
      return;
    }
    this.kvmEvents++;
    this.bins.add(vcpu.vm, vcpu.index, event, t);
  }

  private error(code: string, message: string, line: number, text: string, expected: string, hint?: string): TraceParseError {
    return new TraceParseError(`${this.format}.${code}`, message, {
      context: { file: this.ctx.file, line, expected, found: excerpt(text) }, ...(hint ? { hint } : {}),
    });
  }
}
