import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/charts/comparison.js';
import { comparisonCsv } from '../../src/report/comparison-csv.js';

describe('comparisonCsv', () => {
  it('writes one row per policy with mean and half-width columns, quoting labels with commas', () => {
    const c: Comparison = {
      runId: 'a', traces: 'demo', tickSeconds: 0.001, runs: 3, seriesRuns: [],
      policies: [
        { policy: 'budget (budget_w=6, window_ms=5)', hostPolicy: 'budget', guestPolicy: 'default', params: {}, runIds: ['a'], seeds: [1], metrics: { imbalance_mean_c: { mean: 1.5, ci95: null } } },
        { policy: 'say "hi"', hostPolicy: 'x', guestPolicy: 'default', params: {}, runIds: ['b', 'c'], seeds: [1, 2], metrics: { energy_j: { mean: 100, ci95: 6.5 } } },
      ],
    };
    const [header, first, second, end] = comparisonCsv(c).split('\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 5)).toEqual(['policy', 'runs', 'seeds', 'imbalance_mean_c_mean', 'imbalance_mean_c_ci95']);
    expect(columns).toContain('work_lost_s_mean');
    expect(columns).toContain('overhead_core_s_ci95');
    expect(new Set(columns).size).toBe(columns.length);
    const cells = (line: string) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));
    expect(cells(first!).slice(0, 5)).toEqual(['"budget (budget_w=6, window_ms=5)"', '1', '1', '1.5', '']);
    const row = cells(second!);
    expect(row[0]).toBe('"say ""hi"""');
    expect(row[columns.indexOf('energy_j_mean')]).toBe('100');
    expect(row[columns.indexOf('energy_j_ci95')]).toBe('6.5');
    expect(end).toBe('');
  });
});
