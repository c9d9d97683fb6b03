/**
 * User-facing messages, one function each, so tests compare against the function instead of
 * copying strings (vega-lite's `log.message` habit).
 */

export const messages = {
  // ── parsing ──────────────────────────────────────────────────────────────────────────────
  fieldCount: (expected: string, got: number) => `expected ${expected} fields, got ${got}`,
  badNumber: (what: string, text: string) => `expected a number for ${what}, got "${text}"`,
  noRecords: (format: string) => `no ${format} records found`,
  truncatedRecord: (what: string) => `truncated ${what} at end of file`,
  badJson: (detail: string) => `invalid JSON: ${detail}`,
  timeBackwards: (prev: number, cur: number) => `time went backwards: ${cur} s after ${prev} s`,
  allZeroEnergy: (zone: string) => `energy counter ${zone} reads 0 throughout`,
  unknownFormat: () => 'could not recognise the format of this file',
  unknownFormatName: (name: string, known: readonly string[]) =>
    `unknown format "${name}"; known formats: ${known.join(', ')}`,

  // ── hints ────────────────────────────────────────────────────────────────────────────────
  hintFormatFlag: () => 'name the format with --format (see `vheat ingest --help` for the list)',
  hintXenRapl: () =>
    'dom0 on Xen usually cannot read RAPL; record energy with an external meter (IPMI, PDU) instead',

  // ── store ────────────────────────────────────────────────────────────────────────────────
  storeQueryFailed: (detail: string) => `store query failed: ${detail}`,
  storeNewer: (found: number, supported: number) =>
    `store schema version ${found} is newer than this vheat supports (${supported})`,
  storeOpenFailed: (path: string, detail: string) => `cannot open store ${path}: ${detail}`,

  // ── bundles and inputs ───────────────────────────────────────────────────────────────────
  pathNotFound: (path: string) => `no such file or folder: ${path}`,
  globNoMatch: (pattern: string) => `the pattern ${pattern} matched no files`,
  badBundleJson: (detail: string) => `bundle.json is invalid: ${detail}`,

  // ── perf-stat-csv / perf-stat-json ───────────────────────────────────────────────────────
  perfEnergyNoSocket: (entity: string) =>
    `cannot tell which socket ${entity} belongs to; its RAPL energy is stored with socket unknown`,
  perfEnergyNotAttributable: (entity: string, event: string) =>
    `RAPL energy is not per ${entity} (package counters are not per task or cgroup); ${event} rows dropped`,
  perfEnergyNotCounted: (entity: string, event: string) =>
    `${event} was not counted for ${entity}; those energy rows are dropped`,
  perfUnknownEnergyDomain: (event: string) => `unknown RAPL domain in ${event}; stored as a counter sample`,
  perfBadId: (text: string) => `"${text}" is not a perf stat aggregation id`,
  hintPerfTopology: () => 'give the host topology (sockets, coresPerSocket, threadsPerCore) in bundle.json',
} as const;
