import { mostlyRecords, parsePerfScriptLine } from './tracepoint-line.js';
import { TracepointTrace } from './tracepoint-trace.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

// `perf script -g` prints the call chain under each record: indented `<hex address> <symbol>`.
const CALL_CHAIN = /^\s+[0-9a-f]+\s/;

function sniff(input: SniffInput): number {
  return mostlyRecords(input.lines, parsePerfScriptLine) ? 2 : 0;
}

function create(ctx: ParseContext): LineParser {
  const trace = new TracepointTrace(ctx, 'perf-script');
  return {
    line(text, lineNo) {
      const record = parsePerfScriptLine(text);
      if (record) trace.record(record, lineNo, text);
      else if (text.trim() !== '' && !text.startsWith('#') && !CALL_CHAIN.test(text)) ctx.sink.skip(lineNo);
    },
    end() {
      trace.end();
    },
  };
}

/**
 * `perf script` text of tracepoint records (TRACE-FORMATS.md §5.1(c)), e.g. from
 * `perf record -e sched:sched_switch -a` or `perf record -e 'kvm:*' -a`:
 * `sched:sched_switch` in the kernel or the plugin rendering (§5.2) gives `residency` spans of
 * qemu vCPU threads and `io` spans of VM helper threads; `kvm:*` events of vCPU threads give
 * per-vCPU counts per 1 s bin (`kvm:exit:<REASON>`, `kvm:kvm_pio`, …). Times are s from the
 * first record (see `TracepointTrace`). `#` header lines, blank lines and call-chain lines are
 * part of the grammar; other lines are counted as skipped.
 */
export const perfScript: FormatSpec = {
  name: 'perf-script',
  description: 'perf script text of sched_switch and kvm tracepoints (KVM vCPU residency, exits)',
  input: 'lines',
  sniff,
  create,
};
