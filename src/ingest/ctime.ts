/**
 * C `ctime()` text, e.g. `Tue Mar  4 10:00:01 2025` (perf's `# started on` preamble), to Unix
 * epoch seconds.
 *
 * ctime prints the recording host's local time without a zone, and the zone is not in the file,
 * so the text is read as UTC (independent of the TZ of the process running vheat). A bundle that
 * knows the host's UTC offset must shift the result itself.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch seconds of a ctime string read as UTC, or null when the text is not ctime-shaped. */
export function parseCtime(text: string): number | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [, mon, day, clock, year] = parts as [string, string, string, string, string];
  const month = MONTHS.indexOf(mon);
  const hms = clock.split(':');
  if (month < 0 || hms.length !== 3 || !/^\d{1,2}$/.test(day) || !/^\d{4}$/.test(year)) return null;
  const [h, m, s] = hms.map(Number) as [number, number, number];
  const d = Number(day);
  if (!(h <= 23 && m <= 59 && s <= 60 && d >= 1 && d <= 31)) return null;
  return Date.UTC(Number(year), month, d, h, m, s) / 1000;
}

/** The ctime text of a `# started on <ctime>` line, or null when the line is something else. */
export function startedOnText(line: string): string | null {
  const prefix = '# started on ';
  return line.startsWith(prefix) ? line.slice(prefix.length) : null;
}
