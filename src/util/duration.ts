import { UsageError } from '../errors.js';
import { messages } from '../messages.js';

const units: Record<string, number> = {
  ms: 0.001, s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600, d: 86400,
};

/**
 * Seconds in a duration such as `90`, `30s`, `10min`, `1.5h` or `1h30m` (units ms, s/sec,
 * m/min, h/hr, d; a bare number is seconds). Anything else is a `UsageError`.
 */
export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t) && Number(t) > 0) return Number(t);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  let seconds = 0;
  for (const [, n, unit] of parts) {
    const f = units[unit!];
    if (f === undefined) seconds = NaN;
    else seconds += Number(n) * f;
  }
  if (parts.length === 0 || consumed.replace(/\s/g, '') !== t.replace(/\s/g, '') || !(seconds > 0)) {
    throw new UsageError('usage.duration', messages.badDuration(text), { hint: 'e.g. 90, 30s, 10min, 1h, 1h30m' });
  }
  return seconds;
}
