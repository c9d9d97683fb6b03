import { describe, expect, it } from 'vitest';
import { blockedFolds, gramOf, makePartition, restrictFolds, workloadFolds, type RowPart } from '../../src/model/cross-validate.js';
import { designOf } from '../helpers/model-reference.js';

// Two traces: rows 0–59 (workload a), 60–99 (workload b).
const rows = 100;
const design = designOf(Array.from({ length: rows }, (_, i) => [1, i]), Array.from({ length: rows }, (_, i) => 2 * i));
const parts: RowPart[] = [{ start: 0, end: 60, trace: 0, workload: 'a' }, { start: 60, end: 100, trace: 1, workload: 'b' }];
const rowsOf = (p: ReturnType<typeof makePartition>, segs: number[]): number[] =>
  segs.flatMap((s) => Array.from({ length: p.segments[s]!.end - p.segments[s]!.start }, (_, k) => p.segments[s]!.start + k));

describe('blockedFolds', () => {
  const b = blockedFolds(parts, rows, 5, 2);
  const partition = makePartition(design, b.cuts);
  const folds = b.folds(partition);

  it('tests five contiguous blocks that cover every row once', () => {
    expect(folds.map((f) => rowsOf(partition, f.test).length)).toEqual([20, 20, 20, 20, 20]);
    expect(new Set(folds.flatMap((f) => rowsOf(partition, f.test))).size).toBe(rows);
  });

  it('leaves 2 rows out of training on each side of the test block, within the same trace only', () => {
    const second = folds[1]!; // rows 20–39
    const train = new Set(rowsOf(partition, second.train));
    for (const r of [18, 19, 40, 41]) expect(train.has(r)).toBe(false);
    expect(train.has(17) && train.has(42)).toBe(true);
    const third = folds[2]!; // rows 40–59 end at the trace boundary: row 60 belongs to trace b
    const t3 = new Set(rowsOf(partition, third.train));
    expect(t3.has(60)).toBe(true);
    expect(t3.has(38) || t3.has(39)).toBe(false);
  });

  it('gives training Grams that are the sums over training rows', () => {
    const g = gramOf(partition, folds[0]!.train);
    const expected = rowsOf(partition, folds[0]!.train).reduce((s, r) => s + 2 * r, 0);
    expect(g.sy).toBe(expected);
  });

  it('restricts inner folds to the outer training rows', () => {
    const inner = restrictFolds(folds, folds[0]!.train);
    expect(inner.length).toBe(4);
    for (const f of inner) for (const r of rowsOf(partition, [...f.test, ...f.train])) expect(r).toBeGreaterThanOrEqual(22);
  });
});

describe('workloadFolds', () => {
  it('holds out each workload whole', () => {
    const partition = makePartition(design, [60]);
    const folds = workloadFolds(parts, partition);
    expect(folds.map((f) => f.name)).toEqual(['workload a', 'workload b']);
    expect(rowsOf(partition, folds[0]!.test)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(rowsOf(partition, folds[0]!.train)).toEqual(Array.from({ length: 40 }, (_, i) => 60 + i));
  });

  it('has no folds with a single workload', () => {
    expect(workloadFolds([{ ...parts[0]!, end: 100 }], makePartition(design, []))).toEqual([]);
  });
});
