/** STATE: six flag characters (dying, shutdown, blocked, crashed, paused, running) or `-`. */
const STATE = /^[-dsbcpr]{6}$/;

/** Column names of a `xentop -b` header line after `NAME STATE`, or undefined if not a header. */
export function xentopHeader(line: string): string[] | undefined {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] !== 'NAME' || tokens[1] !== 'STATE' || !tokens.includes('CPU(sec)')) return undefined;
  return tokens.slice(2);
}

/** A domain line split into name, state and the fields after STATE (`no limit` kept as one). */
export interface XentopFields {
  name: string;
  state: string;
  fields: string[];
}

/**
 * Splits a domain line by the TRACE-FORMATS.md §4.5 rule: STATE is the rightmost token of six
 * flag characters (no numeric field can look like one), NAME is everything before it (so `-f`
 * names with spaces survive, inner runs of blanks collapse to one), and `no limit` is rejoined.
 * Undefined when the line has no STATE token.
 */
export function splitXentopLine(line: string): XentopFields | undefined {
  const tokens = line.trim().split(/\s+/);
  let s = tokens.length - 1;
  while (s >= 0 && !STATE.test(tokens[s]!)) s--;
  if (s < 0) return undefined;
  const fields: string[] = [];
  for (let i = s + 1; i < tokens.length; i++) {
    if (tokens[i] === 'no' && tokens[i + 1] === 'limit') {
      fields.push('no limit');
      i++;
    } else {
      fields.push(tokens[i]!);
    }
  }
  return { name: tokens.slice(0, s).join(' '), state: tokens[s]!, fields };
}

/** `VCPUs(sec):` line or its 8-blank continuation: `[vcpu, cumulative seconds]` pairs. */
export function xentopVcpus(line: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of line.matchAll(/(\d+):\s+(\d+)s/g)) out.push([Number(m[1]), Number(m[2])]);
  return out;
}
