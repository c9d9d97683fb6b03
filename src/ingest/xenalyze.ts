import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { TickClock } from './tick-clock.js';
import { XenReplay } from './xen-replay.js';
import type { XenEvent } from './xen-spans.js';
import type { FormatSpec, LineParser, ParseContext } from './types.js';

/**
 * Dump header (TRACE-FORMATS.md §4.2): `%3u.%09u` seconds (14 blanks at time 0), a pCPU strip
 * with one `x` at this record's pCPU, and the current vCPU. Unlike the spec's `^\s*` form, the
 * blank time is matched as exactly 14 blanks so the strip keeps its leading blanks (pCPU index).
 */
const HEADER = /^ (?:( *\d+)\.(\d{9})| {14}) ([|\-. l0-9]*x[|\-. l0-9]*) (d(?:\d+|\?)v(?:\d+|\?)) (.*)$/;
const SWITCH = /^sched_switch prev d(\d+)v(\d+) next d(\d+)v(\d+)\s*$/;
const RUNSTATE = /^runstate_(?:change|continue)(?: \{[^}]*\})? d(\d+)v(\d+) ([a-z]+)->([a-z]+)\s*$/;
const LOST = /^lost_records count -?\d+ d(\d+)v(\d+) \(cur (?:d-?\d+v-?\d+|X)\) first_tsc -?\d+\s*$/;

/** The scheduler event of one dump line's text after the header; 'broken' for a mangled one. */
function restEvent(rest: string, tick: number, pcpu: number): XenEvent | 'broken' | undefined {
  const word = rest.split(' ', 1)[0];
  let m: RegExpExecArray | null;
  switch (word) {
    case 'sched_switch':
      if (!(m = SWITCH.exec(rest))) return 'broken';
      return { kind: 'switch', tick, pcpu, prevDom: +m[1]!, prevVcpu: +m[2]!, nextDom: +m[3]!, nextVcpu: +m[4]! };
    case 'runstate_change':
    case 'runstate_continue':
      if (!(m = RUNSTATE.exec(rest))) return 'broken';
      return m[4] === 'running' ? { kind: 'running', tick, pcpu, dom: +m[1]!, vcpu: +m[2]! } : undefined;
    case 'lost_records':
      // first_tsc is a raw TSC and the dump has no TSC origin: the loss ends the span at this line.
      if (!(m = LOST.exec(rest))) return 'broken';
      return { kind: 'lost', tick, pcpu, endTick: tick, dom: +m[1]!, vcpu: +m[2]! };
    default:
      return undefined;
  }
}

function createParser(ctx: ParseContext): LineParser {
  // Ticks are nanoseconds since xenalyze's first TSC, already scaled by its --cpu-hz; xenalyze
  // prints in merged time order, so there is no first round of windows to wait for.
  const replay = new XenReplay(ctx, new TickClock(1e9, 0));
  replay.endFirstRound();
  let records = 0;
  return {
    line(text, lineNo) {
      const m = HEADER.exec(text);
      if (!m) {
        if (text.trim() !== '') ctx.sink.skip(lineNo);
        return;
      }
      records++;
      const tick = m[1] === undefined ? 0 : Number(m[1]) * 1e9 + Number(m[2]);
      const pcpu = m[3]!.indexOf('x');
      const e = restEvent(m[5]!, tick, pcpu);
      if (e === 'broken') {
        throw new TraceParseError('xenalyze.payload', messages.xenBadXenalyzeLine(m[5]!.split(' ')[0]!), {
          context: { file: ctx.file, line: lineNo, expected: 'a xenalyze --dump-all scheduler line', found: excerpt(text) },
        });
      }
      if (e === undefined) replay.see(pcpu, tick);
      else replay.push(e);
    },
    end() {
      if (records === 0) {
        throw new TraceParseError('xenalyze.noRecords', messages.noRecords('xenalyze --dump-all'), {
          context: { file: ctx.file, line: 1, expected: ' <s.ns> <pCPU strip with x> d<dom>v<vcpu> <event>' },
        });
      }
      replay.finish('xenalyze');
      ctx.sink.meta({ details: { records, timeBase: "xenalyze's --cpu-hz (2.4 GHz unless given)" } });
    },
  };
}

/** `xenalyze --dump-all` text (TRACE-FORMATS.md §4.2): scheduler lines → `residency`. */
export const xenalyze: FormatSpec = {
  name: 'xenalyze',
  description: 'xenalyze --dump-all text: sched_switch/runstate lines → vCPU residency on pCPUs',
  input: 'lines',
  sniff: ({ lines }) => (lines.slice(0, 16).some((l) => HEADER.test(l)) ? 3 : 0),
  create: createParser,
};
