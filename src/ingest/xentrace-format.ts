import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { TickClock } from './tick-clock.js';
import { XenReplay } from './xen-replay.js';
import { resolveTscHz } from './xen-tsc.js';
import type { XenEvent } from './xen-spans.js';
import type { FormatSpec, LineParser, ParseContext } from './types.js';

/** `CPU<cpu>  <tsc> (+<reltsc>)  <name> <payload>` — the shape of every `tools/xentrace/formats` line. */
const LINE = /^CPU(\d+)\s+(\d+)\s+\(\+\s*-?\d*\)\s+(\S+)\s*(.*)$/;
const SWITCH = /prev<dom:vcpu>\s*=\s*0x([0-9a-f]+),\s*next<dom:vcpu>\s*=\s*0x([0-9a-f]+)/i;
const DOM_VCPU = /dom:vcpu\s*=\s*0x([0-9a-f]{1,8})\b/i;
const RUNSTATE = /^(?:running|runnable|blocked|offline)_to_running$/;

/** `%(dom)04x%(vcpu)04x` printed back to back: the last 4 hex digits are the vCPU. */
function splitDomVcpu(hex: string): [number, number] {
  return [parseInt(hex.slice(0, -4) || '0', 16), parseInt(hex.slice(-4), 16)];
}

/** The scheduler event of one line, undefined for other events, 'broken' when its payload does not parse. */
function lineEvent(name: string, payload: string, tick: number, pcpu: number): XenEvent | 'broken' | undefined {
  if (name === '__enter_scheduler') {
    const m = SWITCH.exec(payload);
    if (!m) return 'broken';
    const [prevDom, prevVcpu] = splitDomVcpu(m[1]!);
    const [nextDom, nextVcpu] = splitDomVcpu(m[2]!);
    return { kind: 'switch', tick, pcpu, prevDom, prevVcpu, nextDom, nextVcpu };
  }
  if (RUNSTATE.test(name) || name === 'continue_running') {
    const m = DOM_VCPU.exec(payload);
    if (!m) return 'broken';
    const v = parseInt(m[1]!, 16);
    return { kind: 'running', tick, pcpu, dom: v >>> 16, vcpu: v & 0xffff };
  }
  // Only a count: neither the loss start nor the vCPU current afterwards is printed.
  if (name === 'lost_records') return { kind: 'lost', tick, pcpu, endTick: tick, dom: null, vcpu: null };
  return undefined;
}

function createParser(ctx: ParseContext): LineParser {
  const replay = new XenReplay(ctx, new TickClock(resolveTscHz(ctx)));
  const lastTsc = new Map<number, number>();
  let lines = 0;
  return {
    line(text, lineNo) {
      const m = LINE.exec(text);
      if (!m) {
        if (text.trim() !== '') ctx.sink.skip(lineNo);
        return;
      }
      lines++;
      const pcpu = Number(m[1]);
      const tsc = Number(m[2]);
      // Records without a TSC (CPU changes…) print 0: they belong to the pCPU's previous stamp.
      const tick = tsc > 0 ? tsc : lastTsc.get(pcpu);
      if (tick === undefined) return;
      // xentrace_format prints each window's CPU-change record: a second one for a pCPU ends the first round.
      if (m[3] === 'cpu_change') replay.endFirstRound();
      lastTsc.set(pcpu, tick);
      const e = lineEvent(m[3]!, m[4]!, tick, pcpu);
      if (e === 'broken') {
        throw new TraceParseError('xentrace-format.payload', messages.xenBadPayload(m[3]!), {
          context: { file: ctx.file, line: lineNo, expected: 'the payload of tools/xentrace/formats', found: excerpt(text) },
        });
      }
      if (e === undefined) replay.see(pcpu, tick);
      else replay.push(e);
    },
    end() {
      if (!replay.clock.started) {
        throw new TraceParseError('xentrace-format.noRecords', messages.noRecords('xentrace_format'), {
          context: { file: ctx.file, line: 1, expected: 'CPU<n>  <tsc> (+<reltsc>)  <event> …' },
        });
      }
      replay.finish('xentrace_format');
      ctx.sink.meta({ details: { records: lines } });
    },
  };
}

/**
 * Legacy `xentrace_format` text (TRACE-FORMATS.md §4.3, Xen ≤ 4.18) → `residency`: printed in
 * xentrace's per-pCPU window order, so it goes through the same bounded TSC merge and span logic
 * as the binary. Its `lost_records` line gives only a count: the open span ends at that line and
 * the pCPU stays unknown until its next switch. Other event lines only move the merge's clock.
 */
export const xentraceFormat: FormatSpec = {
  name: 'xentrace-format',
  description: 'Legacy xentrace_format text (CPU<n>  <tsc> (+…)  <event>): scheduler switches → residency',
  input: 'lines',
  sniff: ({ lines }) => (lines.slice(0, 8).some((l) => LINE.test(l)) ? 3 : 0),
  create: createParser,
};
