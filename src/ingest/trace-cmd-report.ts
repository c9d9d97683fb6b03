import { mostlyRecords, parseLostEvents, parseTraceCmdLine, type TracepointRecord } from './tracepoint-line.js';
import { TracepointTrace } from './tracepoint-trace.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

const VERSION = /^version = (\d+)$/;
// Printed once per input file, after that file's prefix when there are several.
const CPUS = /^\s*(?:(\S+):\s+)?cpus=(\d+)$/;

function prefixedRecord(line: string): TracepointRecord | null {
  const record = parseTraceCmdLine(line);
  return record && record.src !== '' ? record : null;
}

function sniff(input: SniffInput): number {
  const [first, second] = input.lines;
  const start = first !== undefined && VERSION.test(first) ? second : first;
  // `cpus=<n>` is the signature; the records after it confirm. Without it (a cut head), records
  // with an instance or file prefix are still trace-cmd's alone.
  if (start === undefined || !CPUS.test(start)) return mostlyRecords(input.lines, prefixedRecord) ? 2 : 0;
  return mostlyRecords(input.lines.slice(input.lines.indexOf(start) + 1), parseTraceCmdLine) ? 3 : 2;
}

function create(ctx: ParseContext): LineParser {
  const trace = new TracepointTrace(ctx, 'trace-cmd-report');
  // trace-cmd prints the prefix, then `CPU:<n> [… EVENTS DROPPED]\n`, then the record: the record
  // line after a prefixed marker belongs to the marker's input.
  let carriedSrc = '';
  const cpusBySource: Record<string, number> = {};
  return {
    line(text, lineNo) {
      const record = parseTraceCmdLine(text);
      if (record) {
        if (record.src === '') record.src = carriedSrc;
        carriedSrc = '';
        return trace.record(record, lineNo, text);
      }
      const lost = parseLostEvents(text);
      if (lost) {
        carriedSrc = lost.src;
        return trace.lost(lost.src, lost.cpu);
      }
      const cpus = CPUS.exec(text);
      if (cpus) {
        const n = Number(cpus[2]);
        if (cpus[1] === undefined) return ctx.sink.meta({ details: { cpus: n } });
        cpusBySource[cpus[1]] = n;
        return ctx.sink.meta({ details: { cpusBySource: { ...cpusBySource } } });
      }
      const version = VERSION.exec(text);
      if (version) return ctx.sink.meta({ details: { traceCmdFileVersion: Number(version[1]) } });
      if (text.trim() !== '') ctx.sink.skip(lineNo);
    },
    end() {
      trace.end();
    },
  };
}

/**
 * `trace-cmd report` text (TRACE-FORMATS.md §5.1(b)): first line `cpus=<n>` (older trace-cmd:
 * `version = <n>` before it), then records with the sched_switch plugin rendering (§5.2), each
 * prefixed `<instance or file>: ` when the report reads several buffers or files (`kvmspike:`);
 * CPU state is kept per prefix, so a host and a guest file do not mix. `CPU:<n> [… EVENTS
 * DROPPED]` lines cut the span running on that CPU. Rows as for `perf-script`
 * (see `TracepointTrace`).
 */
export const traceCmdReport: FormatSpec = {
  name: 'trace-cmd-report',
  description: 'trace-cmd report text of sched_switch and kvm events (KVM vCPU residency, exits)',
  input: 'lines',
  sniff,
  create,
};
