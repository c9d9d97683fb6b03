/**
 * Facts in turbostat's verbose preamble (TRACE-FORMATS.md §2.1), kept in the trace details.
 * Each entry: a line pattern and how to turn its match into details. Only the first match of
 * each fact counts (multi-package hosts repeat the MSR lines per package).
 */
const patterns: readonly (readonly [RegExp, (m: RegExpExecArray) => Record<string, unknown>])[] = [
  [/^turbostat version (\S+)/, (m) => ({ version: m[1] })],
  [/^Measurement interval: ([\d.]+) sec/, (m) => ({ intervalSeconds: Number(m[1]) })],
  [/^CPUID\(0\): (\S+)/, (m) => ({ vendor: m[1] })],
  [/^CPUID\(1\): family:model:stepping \S+ \((\d+):(\d+):(\d+)\)/,
    (m) => ({ family: Number(m[1]), model: Number(m[2]), stepping: Number(m[3]) })],
  [/^TSC: (\d+) MHz/, (m) => ({ tscMHz: Number(m[1]) })],
  [/^RAPL: (\d+) sec\. Joule Counter Range, at (\d+) Watts/,
    (m) => ({ raplCounterRangeSeconds: Number(m[1]), raplRangeAtWatts: Number(m[2]) })],
  [/MSR_RAPL_(?:POWER|PWR)_UNIT: \S+ \(([\d.]+) Watts, ([\d.]+) Joules, ([\d.]+) sec\.\)/,
    (m) => ({ raplUnits: { watts: Number(m[1]), joules: Number(m[2]), seconds: Number(m[3]) } })],
  [/MSR_IA32_TEMPERATURE_TARGET: \S+ \((\d+) C\)/, (m) => ({ tjMaxCelsius: Number(m[1]) })],
];

/** Details found on one preamble line, or undefined; `known` holds the facts already found. */
export function preambleFacts(line: string, known: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  for (const [re, facts] of patterns) {
    const m = re.exec(line);
    if (!m) continue;
    const found = facts(m);
    return Object.keys(found).some((k) => k in known) ? undefined : found;
  }
  return undefined;
}
