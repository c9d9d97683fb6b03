import { TraceParseError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import type { FormatSpec, SniffInput } from './types.js';
import { perfStatCsv } from './perf-stat-csv.js';
import { perfStatJson } from './perf-stat-json.js';
import { perfStatHuman } from './perf-stat-human.js';
import { turbostat } from './turbostat.js';
import { traceCmdReport } from './trace-cmd-report.js';
import { ftrace } from './ftrace.js';
import { perfScript } from './perf-script-sched.js';
import { perfKvmStat } from './perf-kvm-stat.js';
import { powercap } from './powercap.js';
import { sensorsJson } from './sensors-json.js';
import { powerapiHwpc } from './powerapi-hwpc.js';
import { prometheusText } from './prometheus-text.js';
import { prometheusRange } from './prometheus-range.js';
import { xentrace } from './xentrace.js';
import { xenalyze } from './xenalyze.js';
import { xentraceFormat } from './xentrace-format.js';
import { xentop } from './xentop.js';
import { xenpm } from './xenpm.js';
import { xempower } from './xempower.js';
import { xenalyzeSummary } from './xenalyze-summary.js';

/**
 * Every format vheat reads, in sniffing priority order (ties go to the earlier entry).
 * One parser per file; each file exports its `FormatSpec`.
 */
export const formats: readonly FormatSpec[] = [
  // formats: one import and one entry per parser file
  xentrace,
  perfStatCsv,
  perfStatJson,
  perfStatHuman,
  turbostat,
  traceCmdReport,
  ftrace,
  perfScript,
  xenalyze,
  xentraceFormat,
  xentop,
  xenpm,
  xempower,
  xenalyzeSummary,
  perfKvmStat,
  powercap,
  sensorsJson,
  powerapiHwpc,
  prometheusText,
  prometheusRange,
];

/** The format called `name`; a typo gets a "did you mean". */
export function formatByName(name: string, list: readonly FormatSpec[] = formats): FormatSpec {
  const spec = list.find((f) => f.name === name);
  if (spec) return spec;
  const known = list.map((f) => f.name);
  throw new UsageError('format.unknown', messages.unknownFormatName(name, known), {
    hint: suggestSimilar(name, known),
  });
}

/** The best-matching format for a file head, or undefined when nothing scores above 0. */
export function sniffFormat(input: SniffInput, list: readonly FormatSpec[] = formats): FormatSpec | undefined {
  let best: FormatSpec | undefined;
  let bestScore = 0;
  for (const spec of list) {
    const score = spec.sniff(input);
    if (score > bestScore) {
      best = spec;
      bestScore = score;
    }
  }
  return best;
}

/** Like `sniffFormat`, but a file nothing recognises is a `TraceParseError`. */
export function detectFormat(input: SniffInput, list: readonly FormatSpec[] = formats, file = input.fileName): FormatSpec {
  const spec = sniffFormat(input, list);
  if (spec) return spec;
  throw new TraceParseError('ingest.unknownFormat', messages.unknownFormat(), {
    context: { file, line: 1, found: input.lines[0]?.slice(0, 80) ?? '(empty file)' },
    hint: messages.hintFormatFlag(),
  });
}
