import { BundleError, excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { vcpuEntity } from './xen-names.js';
import type { FormatSpec, LineParser, ParseContext } from './types.js';

const TOTAL = /^Total time: (\d+(?:\.\d+)?) seconds \(using cpu speed (\d+(?:\.\d+)?) ([GMk ])Hz\)\s*$/;
const UNIT: Readonly<Record<string, number>> = { G: 1e9, M: 1e6, k: 1e3, ' ': 1 };
const DOMAIN = /^\|-- Domain (\d+) --\|\s*$/;
const VCPU = /^-- v(\d+) --\s*$/;
/** `print_cycle_summary`: `  %8s: %7d %5.2lfs %6lld [{p5|p50|p95}]` — name, count, seconds, mean cycles. */
const CYCLES = /^\s+([a-z_ ]+):\s+(\d+)\s+\d+\.\d+s\s+(\d+)(?:\s+\{[^}]*\})?\s*$/;
/** Per-vCPU runstates (xenalyze's own `queued`, `init`, `lost` included); wake/preempt/other are sub-splits of runnable. */
const RUNSTATES = new Set(['running', 'runnable', 'blocked', 'offline', 'queued', 'init', 'lost']);

function createParser(ctx: ParseContext): LineParser {
  const { sink, file } = ctx;
  let scale: { hz: number; t1: number } | undefined;
  let dom: number | undefined;
  let vcpu: number | undefined;
  let inRunstates = false;
  let rows = 0;
  return {
    line(text, lineNo) {
      if (!scale) {
        const m = TOTAL.exec(text);
        if (!m) throw new TraceParseError('xenalyze-summary.header', messages.xenalyzeSummaryHeader(), {
          context: { file, line: lineNo, expected: 'Total time: <s> seconds (using cpu speed <f> GHz)', found: excerpt(text) },
        });
        const printedHz = Number(m[2]) * UNIT[m[3]!]!;
        const hz = ctx.options.tscHz ?? printedHz;
        if (!(hz > 0)) throw new BundleError('bundle.tscHz', messages.xenBadTscHz(hz), { context: { file } });
        if (ctx.options.tscHz === undefined) sink.warn(messages.xenalyzeSummaryHz(printedHz));
        // Cycles are raw TSC: a known TSC frequency rescales xenalyze's seconds exactly.
        scale = { hz, t1: (Number(m[1]) * printedHz) / hz };
        sink.meta({ hypervisor: 'xen', details: { printedCpuHz: printedHz, tscHz: hz, tscHzAssumed: ctx.options.tscHz === undefined } });
        return;
      }
      let m: RegExpExecArray | null;
      if ((m = DOMAIN.exec(text))) {
        [dom, vcpu, inRunstates] = [Number(m[1]), undefined, false];
      } else if ((m = VCPU.exec(text))) {
        [vcpu, inRunstates] = [Number(m[1]), false];
      } else if (text === ' Runstates:') {
        inRunstates = vcpu !== undefined;
      } else if (inRunstates && (m = CYCLES.exec(text))) {
        const state = m[1]!.trim();
        if (!RUNSTATES.has(state)) return;
        // seconds = count × mean cycles / Hz: the mean is truncated, so this is low by < count cycles.
        const seconds = (Number(m[2]) * Number(m[3])) / scale.hz;
        sink.sample(0, scale.t1, 'vcpu', vcpuEntity(dom!, vcpu!), null, `xen:${state}_s`, seconds, null);
        rows++;
      } else {
        inRunstates = false;
      }
    },
    end() {
      if (!scale) {
        throw new TraceParseError('xenalyze-summary.noRecords', messages.noRecords('xenalyze summary'), {
          context: { file, line: 1, expected: 'Total time: … then |-- Domain d --| blocks' },
        });
      }
      sink.meta({ details: { runstateRows: rows } });
    },
  };
}

/**
 * xenalyze's default summary output (not a time series): per-vCPU runstate totals become one
 * `samples` row each over [0, total time], scope vcpu, entity `d<D>v<V>`, event
 * `xen:<runstate>_s` (seconds). Domain-level runstates, hypercall and affinity tables are ignored.
 */
export const xenalyzeSummary: FormatSpec = {
  name: 'xenalyze-summary',
  description: 'xenalyze summary (default mode): per-vCPU runstate seconds over the trace',
  input: 'lines',
  sniff: ({ lines }) => (lines[0] !== undefined && TOTAL.test(lines[0]) ? 3 : 0),
  create: createParser,
};
