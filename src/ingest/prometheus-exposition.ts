/**
 * One sample line of the Prometheus text exposition format (TRACE-FORMATS.md §6.1):
 * `name{label="value",…} value [timestamp_ms]`.
 */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  /** The value as written (`12.5`, `NaN`, `+Inf`, `1e3`), for the caller to judge. */
  valueText: string;
  /** Sample timestamp in Unix ms, when the line has one. */
  timestampMs: number | undefined;
}

const nameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelNameRe = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/**
 * Parses one sample line; undefined when the line is not one (comments, blank, garbage, an
 * unterminated label set). Label values are unescaped (`\\`, `\"`, `\n`).
 */
export function parseExpositionLine(line: string): ExpositionSample | undefined {
  const name = nameRe.exec(line)?.[0];
  if (name === undefined) return undefined;
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    const end = parseLabels(line, i + 1, labels);
    if (end < 0) return undefined;
    i = end;
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') return undefined;
  const stamp = rest[1];
  if (stamp !== undefined && !/^-?\d+$/.test(stamp)) return undefined;
  return { name, labels, valueText: rest[0]!, timestampMs: stamp === undefined ? undefined : Number(stamp) };
}

/** Reads `l="v",…}` from `at` into `labels`; returns the index after `}`, or -1 when malformed. */
function parseLabels(line: string, at: number, labels: Record<string, string>): number {
  let i = at;
  for (;;) {
    while (line[i] === ' ') i++;
    if (line[i] === '}') return i + 1;
    labelNameRe.lastIndex = i;
    const key = labelNameRe.exec(line)?.[0];
    if (key === undefined) return -1;
    i += key.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') return -1;
    i += 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) return -1;
      if (c === '"') break;
      if (c === '\\') {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : next ?? '';
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    labels[key] = value;
    i++;
    while (line[i] === ' ') i++;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') return -1;
  }
}
