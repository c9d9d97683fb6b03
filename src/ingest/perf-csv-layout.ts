/**
 * Column layout of a `perf stat -x SEP` file (TRACE-FORMATS §1.2), detected once from its first
 * counter row and then used for every line, so the per-line parser only splits and converts.
 *
 * A row is `[T] [A [nr]] V U E [G] [N] R P [MV MU [TH]]`. The separator is the candidate (`,` `;`
 * `:` TAB `|`, most frequent first) under which the row is well-formed; the event name may contain
 * the separator, so the right-hand fields are located from the end (§1.2.2). Also the format's
 * sniffer, which runs the same detection on the file head (§7).
 */
import { startedOnText } from './ctime.js';
import type { AggregationId } from './perf-aggregation.js';
import { parseThreadId, parseTopologyId } from './perf-aggregation.js';

/** How rows are aggregated: no id, one id field (`CPU<n>` / percore id, or `comm-tid`), or id + nr. */
export type CsvAggregation = 'global' | 'cpu' | 'thread' | 'id+nr';

export interface CsvLayout {
  /** The separator string (`-x` argument; `\t` already a TAB). */
  sep: string;
  /** Rows start with an `-I` stamp (or `summary`). */
  interval: boolean;
  aggregation: CsvAggregation;
  /** `-G`: a cgroup field follows the event. */
  cgroup: boolean;
  /** `-r N`: a `x.xx%` variance field precedes the run time. */
  variance: boolean;
  /** Fields after the percentage: 0 (perf ≤ 4.x), 2 (metric value, unit) or 3 (+ threshold). */
  tail: number;
  /** Comma-decimal locale (§0.3): `%.2f` fields print `19,63`, split in two when SEP is `,`. */
  decimalComma: boolean;
}

export const SEPARATORS = [',', ';', ':', '\t', '|'] as const;

/** `%lu.%09lu` interval stamp, optionally space-padded. */
export function isStamp(text: string): boolean {
  return /^ *\d+\.\d{9}$/.test(text);
}

/** `<not counted>` / `<not supported>`. */
export function isNotCountedText(text: string): boolean {
  return text === '<not counted>' || text === '<not supported>';
}

const INT = /^\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const NUMBER_COMMA = /^-?\d+(,\d+)?$/;
const PCT = /^\d+\.\d\d$/;
const PCT_COMMA = /^\d+,\d\d$/;

function isValue(text: string): boolean {
  return NUMBER.test(text) || NUMBER_COMMA.test(text) || isNotCountedText(text) || /^-?(nan|inf)$/i.test(text);
}

/** Parses the aggregation id at the row's start for detection; `cpu` also covers `-A` percore ids. */
export function detectId(f: readonly string[], i: number): { aggregation: CsvAggregation; id: AggregationId | null; width: number } | null {
  const text = f[i] ?? '';
  if (isValue(text)) return { aggregation: 'global', id: null, width: 0 };
  const topo = parseTopologyId(text, undefined);
  if (topo) {
    const withNr = topo.scope !== 'cpu' && INT.test(f[i + 1] ?? '') && isValue(f[i + 2] ?? '');
    return withNr ? { aggregation: 'id+nr', id: topo, width: 2 } : { aggregation: 'cpu', id: topo, width: 1 };
  }
  const thread = parseThreadId(text);
  return thread ? { aggregation: 'thread', id: thread, width: 1 } : null;
}

/**
 * Whether the fields between the unit and the run time are `E G` (cgroup) rather than one event
 * name that contains the separator: a raw PMU term split by SEP leaves an unclosed `pmu/…` on the
 * left or `key=value` on the right; with `:` as SEP, `word:word` is an event modifier or a
 * tracepoint, never read as a cgroup (ambiguous: prefer the event).
 */
function looksLikeCgroup(middle: readonly string[], sep: string): boolean {
  if (middle.length < 2) return false;
  const g = middle[middle.length - 1]!;
  const e = middle.slice(0, -1).join(sep);
  if (g.includes('=') || (e.split('/').length - 1) % 2 === 1) return false;
  return !(sep === ':' && /^\w*$/.test(g) && /^[\w-]+$/.test(e));
}

function tryLayout(f: readonly string[], sep: string): CsvLayout | null {
  let i = 0;
  const interval = isStamp(f[0] ?? '');
  if (interval) i = 1;
  const id = detectId(f, i);
  if (!id) return null;
  i += id.width;
  if (!isValue(f[i] ?? '')) return null;
  // `19,63` split by `-x,`: an integer followed by exactly two digits (a unit is never digits).
  let decimalComma = f[i]!.includes(',') && !isNotCountedText(f[i]!);
  if (sep === ',' && INT.test(f[i]!) && /^\d\d$/.test(f[i + 1] ?? '')) {
    decimalComma = true;
    i++;
  }
  i++;
  // A unit is text (`Joules`, `msec`, `C`) or empty, never a number: keeps numeric tables out.
  if (/^[\d.,\s-]+$/.test(f[i] ?? '')) return null;
  i++;
  for (const tail of [2, 0, 3]) {
    let p = f.length - 1 - tail;
    const pct = f[p] ?? '';
    let comma = false;
    if (!PCT.test(pct)) {
      if (PCT_COMMA.test(pct)) comma = true;
      else if (sep === ',' && /^\d\d$/.test(pct) && INT.test(f[p - 1] ?? '') && Number(f[p - 1]) <= 100) {
        comma = true;
        p--;
      } else continue;
    }
    let r = p - 1;
    if (!INT.test(f[r] ?? '')) continue;
    const variance = (f[r - 1] ?? '').endsWith('%') && /^[\d.,]+%$/.test(f[r - 1]!);
    if (variance) r -= sep === ',' && comma && INT.test(f[r - 2] ?? '') ? 2 : 1;
    const middle = f.slice(i, r);
    if (middle.length === 0 || !/[A-Za-z]/.test(middle[0]!)) continue; // event names have letters
    return {
      sep, interval, aggregation: id.aggregation, cgroup: looksLikeCgroup(middle, sep),
      variance, tail, decimalComma: decimalComma || comma,
    };
  }
  return null;
}

/**
 * The layout of `line` if it is a well-formed counter row under one of the candidate separators
 * (`forced` overrides the candidates); null otherwise (foreign line, continuation, fragment).
 */
export function detectCsvLayout(line: string, forced?: string): CsvLayout | null {
  const seps = forced ? [forced] : SEPARATORS.map((s) => ({ s, n: line.split(s).length - 1 }))
    .filter((c) => c.n >= 3).sort((a, b) => b.n - a.n).map((c) => c.s);
  for (const sep of seps) {
    const layout = tryLayout(line.split(sep), sep);
    if (layout) return layout;
  }
  return null;
}

/** True when the head holds another perf output (human layout, JSON) rather than `-x` rows. */
function otherPerfLayout(line: string): boolean {
  return line.startsWith('{') || line.includes('Performance counter stats for') || line.startsWith('#           time');
}

/**
 * `perf-stat-csv` sniff score from the head's non-empty lines: 3 with a `# started on` preamble
 * before the first row, 2 for two or more rows, 1 for one; 0 when other lines outnumber the rows
 * (a log that quotes a few perf rows) or the head is perf's human or JSON output.
 */
export function sniffPerfCsv(lines: readonly string[]): number {
  let preamble = false;
  let rows = 0;
  let other = 0;
  let previous = '';
  let metricSep = ''; // separator of a `--metric-only` header `time<SEP>…`
  for (const line of lines) {
    if (otherPerfLayout(line)) return 0;
    if (startedOnText(line) !== null) {
      preamble = preamble || rows === 0;
      continue;
    }
    if (line.startsWith('time') && SEPARATORS.some((s) => line.startsWith(`time${s}`))) metricSep = line.charAt(4);
    else if (detectCsvLayout(line) || (SEPARATORS.some((s) => line.startsWith(s)) && detectCsvLayout(previous + line))
      || (metricSep !== '' && isStamp(line.slice(0, line.indexOf(metricSep))))) rows++;
    else other++;
    previous = line;
  }
  if (rows === 0 || other > rows) return 0;
  return preamble ? 3 : rows >= 2 ? 2 : 1;
}
