import { TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { TickClock } from './tick-clock.js';
import { XenReplay } from './xen-replay.js';
import { resolveTscHz } from './xen-tsc.js';
import { XentraceReader } from './xentrace-records.js';
import type { XenEvent } from './xen-spans.js';
import type { ByteParser, FormatSpec, ParseContext } from './types.js';

const TRC_LOST_RECORDS = 0x0001f001;
const TRC_SCHED_CONTINUE_RUNNING = 0x00021002;
const TRC_SCHED_SWITCH = 0x0002800a;
const TWO_32 = 2 ** 32;

/**
 * The scheduler event a xentrace record stands for, or undefined. Runstate changes are
 * `0x00021001 | old<<8 | new<<4` (state 0 = running); their word 0 = `(domid<<16) | vcpu`.
 */
export function xentraceEvent(cpu: number, event: number, tick: number, w: Uint32Array, n: number): XenEvent | undefined {
  if (event === TRC_SCHED_SWITCH && n >= 4) {
    return { kind: 'switch', tick, pcpu: cpu, prevDom: w[0]!, prevVcpu: w[1]!, nextDom: w[2]!, nextVcpu: w[3]! };
  }
  // Masking out `old` leaves 0x00021001 only for a change whose `new` is 0 (running).
  const toRunning = (event & 0xfffff0ff) === 0x00021001;
  if ((toRunning || event === TRC_SCHED_CONTINUE_RUNNING) && n >= 1) {
    return { kind: 'running', tick, pcpu: cpu, dom: w[0]! >>> 16, vcpu: w[0]! & 0xffff };
  }
  if (event === TRC_LOST_RECORDS && n >= 4) {
    // Data: u32 count, u16 domid, u16 vcpu (of the vCPU current at resumption), u64 first_tsc.
    return { kind: 'lost', tick, pcpu: cpu, endTick: w[3]! * TWO_32 + w[2]!, dom: w[1]! & 0xffff, vcpu: w[1]! >>> 16 };
  }
  return undefined;
}

function createParser(ctx: ParseContext): ByteParser {
  // A second window of a pCPU ends the first round exactly: no size heuristic needed.
  const replay = new XenReplay(ctx, new TickClock(resolveTscHz(ctx)), { firstRoundCap: Infinity });
  const lastTsc = new Map<number, number>();
  const switchesPerPcpu: Record<string, number> = {};
  const reader = new XentraceReader(ctx.file, (cpu, event, tsc, words, n) => {
    // A record without a TSC happened at (or just after) its pCPU's previous stamped record.
    const tick = Number.isNaN(tsc) ? lastTsc.get(cpu) : tsc;
    if (tick === undefined) return;
    lastTsc.set(cpu, tick);
    const e = xentraceEvent(cpu, event, tick, words, n);
    if (e === undefined) {
      replay.see(cpu, tick);
    } else {
      if (e.kind === 'switch') switchesPerPcpu[cpu] = (switchesPerPcpu[cpu] ?? 0) + 1;
      replay.push(e);
    }
  }, (cpu) => {
    if (lastTsc.has(cpu)) replay.endFirstRound();
  });
  return {
    bytes: (chunk) => reader.push(chunk),
    end() {
      if (reader.leftover > 0 || reader.windowLeft > 0) ctx.sink.warn(messages.truncatedRecord('xentrace record'));
      if (!replay.clock.started) {
        throw new TraceParseError('xentrace.noRecords', messages.noRecords('xentrace'), {
          context: { file: ctx.file, offset: 0, expected: 'records with a TSC' },
        });
      }
      replay.finish('xentrace');
      ctx.sink.meta({ details: { records: reader.records, windows: reader.windows, switchesPerPcpu } });
    },
  };
}

/**
 * `xentrace` binary files (TRACE-FORMATS.md §4.1) → `residency`. Per-pCPU windows are merged by
 * TSC through `TickMerge` (memory: about one trace buffer per pCPU, capped at 2^20 events, see
 * there); spans follow `XenSpans` (idle and reserved domains give no rows; VM names from
 * bundle.json `domains`, else `d<domid>`). Seconds = (TSC − smallest TSC) / `tscHz` (2.4 GHz
 * with a warning when not given); TSCs are exact as doubles below 2^53 (≈ 35 days at 3 GHz).
 * Unknown event ids are skipped by their size; a truncated last record is a warning.
 */
export const xentrace: FormatSpec = {
  name: 'xentrace',
  description: 'Xen xentrace binary trace: scheduler switches → vCPU residency on pCPUs',
  input: 'bytes',
  // Every xentrace file opens with a CPU-change record: header 0x2001F003, little-endian.
  sniff: ({ head }) => (head.length >= 12 && head[0] === 0x03 && head[1] === 0xf0 && head[2] === 0x01
    && head[3] === 0x20 ? 3 : 0),
  create: createParser,
};
