/**
 * Absolute-time helpers for the text parsers: ISO 8601 stamps, stamp lines between recordings,
 * and the compact stamps cron jobs put in file names. (Differences of `<sec>.<ns>` stamps:
 * `TraceClock`.)
 */

const isoStamp = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO 8601 date-time (`2020-09-08T15:46:44.856Z`, `2024-03-29T15:45:01,123+01:00`) as Unix
 * seconds, or NaN. A stamp without a zone is read as UTC, never as the machine's local time,
 * so results do not depend on where vheat runs; callers record that assumption.
 */
export function isoToEpochSeconds(text: string): number {
  const m = isoStamp.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as
    [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
  const frac = m[7] ? Number(`0.${m[7]}`) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + frac - zoneOffsetSeconds(m[8]);
}

/** True when an ISO stamp carries a zone (`Z` or an offset). */
export function isoHasZone(text: string): boolean {
  return isoStamp.exec(text.trim())?.[8] !== undefined;
}

function zoneOffsetSeconds(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60;
  return zone[0] === '-' ? -seconds : seconds;
}

const epochLine = /^\d{9,}(?:\.\d+)?$/;

/**
 * A line that only holds a time stamp, as `date +%s.%N` or `date -Iseconds` print it between
 * recordings: Unix seconds (9+ integer digits, so small numbers are not mistaken for times) or
 * ISO 8601. NaN for any other line.
 */
export function stampLineSeconds(text: string): number {
  const t = text.trim();
  if (epochLine.test(t)) return Number(t);
  return isoToEpochSeconds(t);
}

/**
 * The 14-digit stamp a cron job put in a file name (`sensors.03292024154501.json` from
 * `date +%m%d%Y%H%M%S`, or `…20240329154501…` from `date +%Y%m%d%H%M%S`) as Unix seconds read
 * as UTC, or NaN. The two orders are told apart by which one gives a valid date.
 */
export function fileNameStampSeconds(fileName: string): number {
  const m = /(?:^|\D)(\d{14})(?:\D|$)/.exec(fileName);
  if (!m) return NaN;
  const s = m[1]!;
  const ymd = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}`;
  const mdy = `${s.slice(4, 8)}-${s.slice(0, 2)}-${s.slice(2, 4)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}`;
  const year = Number(s.slice(0, 4));
  const first = year >= 1970 && year <= 2100 ? ymd : mdy;
  const t = isoToEpochSeconds(first);
  return Number.isNaN(t) ? isoToEpochSeconds(first === ymd ? mdy : ymd) : t;
}
