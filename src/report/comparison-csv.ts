import { comparedMetrics, overheadMeasures, type Comparison } from '../charts/comparison.js';

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A comparison as CSV, one row per policy: policy, runs, seeds (space-separated), then for each
 * compared metric and overhead measure `<metric>_mean` and `<metric>_ci95` (95 % half-width over
 * seeds; empty below two runs or where the metric is undefined).
 */
export function comparisonCsv(c: Comparison): string {
  const metrics = [...new Set([...comparedMetrics.map((m) => m.metric), ...Object.values(overheadMeasures).map((m) => m.metric)])];
  const header = ['policy', 'runs', 'seeds', ...metrics.flatMap((m) => [`${m}_mean`, `${m}_ci95`])];
  const rows = c.policies.map((p) => [
    p.policy, p.runIds.length, p.seeds.join(' '),
    ...metrics.flatMap((m) => [p.metrics[m]?.mean ?? null, p.metrics[m]?.ci95 ?? null]),
  ]);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}
