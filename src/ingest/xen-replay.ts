import { messages } from '../messages.js';
import { TickMerge, type TickMergeLimits } from './tick-merge.js';
import { domainNamer } from './xen-names.js';
import { XenSpans, type XenEvent } from './xen-spans.js';
import type { TickClock } from './tick-clock.js';
import type { ParseContext } from './types.js';

/**
 * The pipeline every Xen scheduler-trace parser shares:
 * events (per pCPU, as read) → `TickMerge` (global tick order) → `XenSpans` → `residency` rows.
 */
export class XenReplay {
  private readonly merge: TickMerge<XenEvent>;
  private readonly spans: XenSpans;

  constructor(private readonly ctx: ParseContext, readonly clock: TickClock, limits?: TickMergeLimits) {
    this.spans = new XenSpans(ctx.sink, domainNamer(ctx.options), clock);
    this.merge = new TickMerge<XenEvent>((e) => this.spans.event(e), limits);
  }

  /** The reader knows every pCPU has shown its first window (see `TickMerge`). */
  endFirstRound(): void {
    this.merge.endFirstRound();
  }

  /** A record of `pcpu` at `tick` that is no scheduler event (keeps the merge's watermark moving). */
  see(pcpu: number, tick: number): void {
    this.clock.observe(tick);
    this.merge.see(pcpu, tick);
  }

  /** A scheduler event. */
  push(e: XenEvent): void {
    this.clock.observe(e.tick);
    this.merge.push(e);
  }

  /** Flushes the merge, closes open spans at the last tick seen and reports the counts. */
  finish(format: string): void {
    const { merge, clock, ctx: { sink } } = this;
    merge.finish();
    this.spans.finish(clock.last);
    if (this.spans.switches === 0) sink.warn(messages.xenNoSwitches(format));
    if (merge.late > 0) sink.warn(messages.xenLateEvents(merge.late));
    if (merge.overflowed) sink.warn(messages.xenMergeOverflow());
    if (clock.beforeOrigin > 0) sink.warn(messages.xenBeforeOrigin(clock.beforeOrigin));
    sink.meta({
      hypervisor: 'xen',
      details: { originTick: clock.originTick, lastTick: clock.last, lateEvents: merge.late, mergeOverflowed: merge.overflowed },
    });
  }
}
