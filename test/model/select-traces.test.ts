import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { selectTraces, workloadOf } from '../../src/model/select-traces.js';
import type { TraceRecord } from '../../src/store/calibration-data.js';

const t = (id: number, name: string, bundle: string | null, meta: Record<string, unknown> = {}): TraceRecord =>
  ({ id, name, bundle, host: null, format: 'perf-stat-csv', contentHash: `h${id}`, startEpoch: null, meta });
const traces = [t(1, 'hpl_mkl.perf', null), t(2, 'sleep.perf', null), t(3, 'perf-stat-cpu.csv', 'run-a'),
  t(4, 'turbostat.txt', 'run-a'), t(5, 'perf-stat-cpu.csv', 'run-b', { workload: 'nginx' })];

describe('selectTraces', () => {
  it('selects by id, name, bundle/name, bundle and glob, without duplicates, in id order', () => {
    expect(selectTraces(traces, ['2']).map((x) => x.id)).toEqual([2]);
    expect(selectTraces(traces, ['hpl_mkl.perf']).map((x) => x.id)).toEqual([1]);
    expect(selectTraces(traces, ['run-b/perf-stat-cpu.csv']).map((x) => x.id)).toEqual([5]);
    expect(selectTraces(traces, ['run-a']).map((x) => x.id)).toEqual([3, 4]);
    expect(selectTraces(traces, ['*.perf', '1']).map((x) => x.id)).toEqual([1, 2]);
    expect(selectTraces(traces, ['run-*/perf-*']).map((x) => x.id)).toEqual([3, 5]);
    expect(selectTraces(traces, ['perf-stat-cpu.csv']).map((x) => x.id)).toEqual([3, 5]);
  });

  it('names the closest trace when a selection matches nothing', () => {
    const e = (() => {
      try {
        selectTraces(traces, ['slep.perf']);
      } catch (err) {
        return err;
      }
    })() as ModelError;
    expect(e).toBeInstanceOf(ModelError);
    expect(e.code).toBe('model.noTraceMatch');
    expect(e.message).toBe(messages.noTraceMatch('slep.perf', 5));
    expect(e.hint).toContain('sleep.perf');
  });
});

describe('workloadOf', () => {
  it('takes meta.workload, else the bundle, else the file name stem', () => {
    expect(workloadOf(traces[4]!)).toBe('nginx');
    expect(workloadOf(traces[2]!)).toBe('run-a');
    expect(workloadOf(traces[0]!)).toBe('hpl_mkl');
  });
});
