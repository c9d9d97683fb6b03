import { messages } from '../messages.js';
import {
  mostlyRecords, parseFtraceLine, parseLostEvents, parsePerfScriptLine, parseTraceCmdLine, type TracepointRecord,
} from './tracepoint-line.js';
import { TracepointTrace } from './tracepoint-trace.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

const TRACER = /^# tracer: (\S+)/;
const ENTRIES = /^# entries-in-buffer\/entries-written: (\d+)\/(\d+)\s+#P:(\d+)/;
const BUFFER_STARTED = /^\s*##### CPU (\d{1,5}) buffer started ####\s*$/;

/** A record line that neither trace-cmd (an input prefix) nor perf script (`sys:event`) could have printed. */
function ftraceOnly(line: string): TracepointRecord | null {
  const record = parseTraceCmdLine(line);
  return record && record.src === '' && !parsePerfScriptLine(line) ? record : null;
}

function sniff(input: SniffInput): number {
  const first = input.lines[0];
  if (first !== undefined && TRACER.test(first)) return 3;
  // A trace_pipe capture has no header: weak, so trace-cmd's `cpus=` signature wins.
  return first !== undefined && !first.startsWith('cpus=') && mostlyRecords(input.lines, ftraceOnly) ? 1 : 0;
}

function create(ctx: ParseContext): LineParser {
  const trace = new TracepointTrace(ctx, 'ftrace');
  return {
    line(text, lineNo) {
      const record = parseFtraceLine(text);
      if (record) return trace.record(record, lineNo, text);
      const lost = parseLostEvents(text);
      if (lost) return trace.lost(lost.src, lost.cpu);
      const started = BUFFER_STARTED.exec(text);
      if (started) return trace.bufferStarted(Number(started[1]));
      const tracer = TRACER.exec(text);
      if (tracer) return ctx.sink.meta({ details: { tracer: tracer[1] } });
      const entries = ENTRIES.exec(text);
      if (entries) {
        const inBuffer = Number(entries[1]);
        const written = Number(entries[2]);
        if (written > inBuffer) ctx.sink.warn(messages.ftraceOverwritten(written - inBuffer), lineNo);
        return ctx.sink.meta({ details: { entriesInBuffer: inBuffer, entriesWritten: written, cpus: Number(entries[3]) } });
      }
      if (text.trim() !== '' && !text.startsWith('#')) ctx.sink.skip(lineNo);
    },
    end() {
      trace.end();
    },
  };
}

/**
 * The ftrace `trace` / `trace_pipe` file (TRACE-FORMATS.md §5.1(a)), read from tracefs after
 * enabling `sched/sched_switch` and `kvm/*`: `#` header lines (tracer, entries, `#P:<cpus>` kept
 * in details), then `<comm>-<pid> [(<tgid>)] [<cpu>] <flags> <ts>: <event>: <payload>` records
 * with the kernel rendering of sched_switch (§5.2). `##### CPU <n> buffer started ####` (the
 * ring buffer overwrote that CPU's older records) and `CPU:<n> [LOST … EVENTS]` restart that CPU's
 * window. Rows as for `perf-script` (see `TracepointTrace`).
 */
export const ftrace: FormatSpec = {
  name: 'ftrace',
  description: 'ftrace trace/trace_pipe text of sched_switch and kvm events (KVM vCPU residency, exits)',
  input: 'lines',
  sniff,
  create,
};
