import { accumulateGrams, sumGrams, type Design, type Gram, type RowRange } from './design.js';

/**
 * A contiguous run of design rows from one trace (and socket): rows of different parts are never
 * neighbours in time. `workload` names what ran (see `workloadOf` in select-traces.ts).
 */
export interface RowPart extends RowRange {
  trace: number;
  workload: string;
}

/** One cross-validation split, as sets of segment indices of a `Partition`. */
export interface Fold {
  /** `block 1/5`, `workload stream`, … */
  name: string;
  test: number[];
  train: number[];
}

/**
 * The rows cut into segments at every part, fold and gap boundary, with one Gram per segment and
 * row group (frequency band; a single group when there are none). Any training or test set of
 * the folds is a union of segments, so its Gram is a sum of these.
 */
export interface Partition {
  segments: RowRange[];
  /** `grams[s][g]`: rows of segment s in group g. */
  grams: Gram[][];
  groups: number;
  p: number;
}

/** Cuts `[0, rows)` at `cuts` and accumulates each segment's Grams in one pass. */
export function makePartition(design: Design, cuts: Iterable<number>, group?: Int32Array, groups = 1): Partition {
  const points = [...new Set([0, design.rows, ...cuts])].filter((c) => c >= 0 && c <= design.rows).sort((a, b) => a - b);
  const segments: RowRange[] = [];
  for (let i = 0; i + 1 < points.length; i++) segments.push({ start: points[i]!, end: points[i + 1]! });
  const flat = accumulateGrams(design, segments, group, groups);
  const grams: Gram[][] = segments.map((_, s) => flat.slice(s * groups, (s + 1) * groups));
  return { segments, grams, groups, p: design.columns.length };
}

/** Gram of group `g` (or all groups when undefined) over the segments `segs`. */
export function gramOf(partition: Partition, segs: readonly number[], g?: number): Gram {
  const pick = (s: number): Gram[] => (g === undefined ? partition.grams[s]! : [partition.grams[s]![g]!]);
  return sumGrams(partition.p, segs.flatMap(pick));
}

/** Segment indices wholly inside `[start, end)`. */
function segmentsIn(partition: Partition, start: number, end: number): number[] {
  const out: number[] = [];
  partition.segments.forEach((s, i) => {
    if (s.start >= start && s.end <= end) out.push(i);
  });
  return out;
}

/** Defaults of blocked cross-validation. */
export const defaultFolds = 5;
/** Intervals left out of training on each side of a test block (no leakage through autocorrelation). */
export const defaultGapIntervals = 2;

/**
 * Blocked k-fold over time: the rows (in trace and time order) are cut into k contiguous blocks;
 * each block is tested on a model trained on the others minus `gap` rows on each side of the
 * block within the same trace, so neighbouring intervals never sit on both sides. Returns the cut
 * points for `makePartition` and a builder of the folds once the partition exists.
 */
export function blockedFolds(parts: readonly RowPart[], rows: number, k: number, gap: number) {
  const blocks: RowRange[] = [];
  for (let f = 0; f < k; f++) blocks.push({ start: Math.floor((f * rows) / k), end: Math.floor(((f + 1) * rows) / k) });
  const partAt = (row: number): RowPart | undefined => parts.find((p) => row >= p.start && row < p.end);
  const gaps = blocks.map((b) => {
    const before = partAt(b.start - 1);
    const after = partAt(b.end);
    return {
      left: before && before === partAt(b.start) ? { start: Math.max(before.start, b.start - gap), end: b.start } : null,
      right: after && after === partAt(b.end - 1) ? { start: b.end, end: Math.min(after.end, b.end + gap) } : null,
    };
  });
  const cuts = [...parts.flatMap((p) => [p.start, p.end]), ...blocks.flatMap((b) => [b.start, b.end]),
    ...gaps.flatMap((g) => [g.left?.start ?? 0, g.right?.end ?? 0])];
  const folds = (partition: Partition): Fold[] => blocks.filter((b) => b.end > b.start).map((b, f) => {
    const test = segmentsIn(partition, b.start, b.end);
    const excluded = new Set(test);
    const g = gaps[f]!;
    for (const r of [g.left, g.right]) if (r) for (const s of segmentsIn(partition, r.start, r.end)) excluded.add(s);
    const train = partition.segments.map((_, i) => i).filter((i) => !excluded.has(i));
    return { name: `block ${f + 1}/${k}`, test, train };
  });
  return { cuts, folds };
}

/** Leave-one-workload-out folds: each workload's rows tested on a model of all the others. */
export function workloadFolds(parts: readonly RowPart[], partition: Partition): Fold[] {
  const names = [...new Set(parts.map((p) => p.workload))];
  if (names.length < 2) return [];
  return names.map((w) => {
    const test = parts.filter((p) => p.workload === w).flatMap((p) => segmentsIn(partition, p.start, p.end));
    const set = new Set(test);
    return { name: `workload ${w}`, test, train: partition.segments.map((_, i) => i).filter((i) => !set.has(i)) };
  });
}

/** The folds of `inner` restricted to the segments in `allowed` (nested cross-validation). */
export function restrictFolds(inner: readonly Fold[], allowed: readonly number[]): Fold[] {
  const keep = new Set(allowed);
  return inner.map((f) => ({ name: f.name, test: f.test.filter((s) => keep.has(s)), train: f.train.filter((s) => keep.has(s)) }))
    .filter((f) => f.test.length > 0 && f.train.length > 0);
}
