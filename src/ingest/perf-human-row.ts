/**
 * Tokenising one counter record of human-readable `perf stat` output (TRACE-FORMATS §1.3), after
 * the interval stamp and aggregation prefix are gone:
 * `<value> [<unit>] <event> [<cgroup>] [# <metric>] [(xx.xx%)] [( +- x.xx% )]`.
 */

/** Units perf prints in the unit column (sysfs `.unit` files of PMU events, software clocks). */
const UNITS = new Set(['Joules', 'MiB', 'KiB', 'GiB', 'msec', 'ns', 'us', 'M', 'C', 'W', 'MHz', 'Hz', '%']);

/** What perf prints when a counter has no value. */
const MISSING = ['<not counted>', '<not supported>'] as const;

// A value as `%'18.2f`/`%'18.0f` prints it: thousands groups of 3 after a non-zero lead, then an
// optional decimal mark; group and decimal marks differ (`229,570,665,834`, `1.234,56`, `0,05`).
const NUMBER = /^(-?)(?:([1-9]\d{0,2})(([.,])\d{3}(?:\4\d{3})*)|(\d+))(?:([.,])(\d+))?$/;
const NOT_A_MARK = /['\u00a0\u202f]/g;
const VALUE_START = /^-?\d/;
const EVENT = /^[A-Za-z_][^\s#]*(?: \[[^\s\]]+\])?$/;
const VARIANCE = /\(\s*\+-\s*([\d.,]+)\s*%\s*\)\s*$/;
const RUNNING = /\(\s*([\d.,]+)\s*%\s*\)\s*$/;

/** A human-printed number (thousands separators, either decimal mark); NaN when malformed. */
export function humanNumber(text: string): number {
  const m = NUMBER.exec(text.replace(NOT_A_MARK, ''));
  if (!m) return NaN;
  const [, sign, lead, groups, group, plain, mark, decimals] = m;
  if (group !== undefined && group === mark) return NaN;
  const int = plain ?? `${lead}${groups!.replace(/[.,]/g, '')}`;
  return Number(`${sign}${int}${decimals === undefined ? '' : `.${decimals}`}`);
}

const PLAIN = /^-?\d+(?:([.,])\d+)?$/;

/** A number printed without grouping (`%f`: elapsed time, percentages), either decimal mark; NaN when malformed. */
export function plainNumber(text: string): number {
  return PLAIN.test(text) ? Number(text.replace(',', '.')) : NaN;
}

/**
 * True when the marks of a number say comma-decimal locale, false when C locale, null when it has
 * none. `grouped`: printed with thousands separators (`humanNumber`), else plain (`plainNumber`).
 */
export function decimalCommaOf(text: string, grouped: boolean): boolean | null {
  let mark: string | undefined;
  if (grouped) {
    const m = NUMBER.exec(text.replace(NOT_A_MARK, ''));
    mark = m?.[6] ?? (m?.[4] === undefined ? undefined : m[4] === '.' ? ',' : '.');
  } else mark = PLAIN.exec(text)?.[1];
  return mark === undefined ? null : mark === ',';
}

/** True when `text` starts like a counter value (a number or `<not counted>`). */
export function startsWithValue(text: string): boolean {
  return VALUE_START.test(text) || MISSING.some((m) => text.startsWith(m));
}

/** The fields of one counter record; `event` empty when the line holds only a value and a unit. */
export interface HumanCounter {
  /** Value text, or null for `<not counted>`/`<not supported>`. */
  value: string | null;
  unit: string;
  event: string;
  cgroup: string;
  /** `(63.54%)` text without the parentheses, or null. */
  running: string | null;
  /** `( +- 0.83% )` number text, or null. */
  variance: string | null;
}

/**
 * Splits a record that starts at its value; null when the text is not a counter record (no valid
 * event, and not a value + unit whose event perf 4.1 moved to the next line).
 */
export function splitCounter(text: string): HumanCounter | null {
  let value: string | null = null;
  let rest: string;
  const missing = MISSING.find((m) => text.startsWith(m));
  if (missing) rest = text.slice(missing.length);
  else {
    const space = text.search(/[ \t]/);
    value = space < 0 ? text : text.slice(0, space);
    rest = space < 0 ? '' : text.slice(space);
  }
  const tail = splitTail(rest, true);
  return tail && { value, ...tail };
}

/**
 * The part after the value: `[unit] event [cgroup] [# metric] [(pct)] [( +- var )]`; also the
 * continuation line of a broken record (`afterValue` false). Null when no event is there.
 *
 * perf pads the unit column and the event name (`%-*s `), so without a unit at least two spaces
 * separate value and event, and a cgroup follows a short event after two or more spaces; demanding
 * that keeps prose such as `2 warnings generated.` from reading as a counter.
 */
export function splitTail(text: string, afterValue: boolean): Omit<HumanCounter, 'value'> | null {
  let rest = text;
  let running: string | null = null;
  let variance: string | null = null;
  // Both markers sit at the end of the line, in either order depending on the perf version.
  for (let k = 0; k < 2; k++) {
    const v = VARIANCE.exec(rest);
    if (v) {
      variance = v[1]!;
      rest = rest.slice(0, v.index);
      continue;
    }
    const r = RUNNING.exec(rest);
    if (r) {
      running = r[1]!;
      rest = rest.slice(0, r.index);
    }
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const tokens: string[] = [];
  const gaps: number[] = [];
  for (const m of rest.matchAll(/([ \t]*)([^ \t]+)/g)) {
    // Uniquified names keep their PMU in brackets after a space: `cycles [cpu_core]`.
    if (m[2]!.startsWith('[') && tokens.length > 0) tokens[tokens.length - 1] += ` ${m[2]}`;
    else {
      tokens.push(m[2]!);
      gaps.push(m[1]!.length);
    }
  }
  let first = 0;
  const unit = tokens.length > 0 && UNITS.has(tokens[0]!) ? tokens[first++]! : '';
  const event = tokens[first] ?? '';
  const cgroup = tokens[first + 1] ?? '';
  if (event === '') return unit === '' ? null : { unit, event, cgroup, running, variance };
  if (!EVENT.test(event) || tokens.length > first + 2) return null;
  if (afterValue && unit === '' && gaps[first]! < 2) return null;
  if (cgroup !== '' && gaps[first + 1]! < 2 && !cgroup.includes('/')) return null;
  return { unit, event, cgroup, running, variance };
}
