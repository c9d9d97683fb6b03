import { accumulateGrams, type Design, type Gram } from '../../src/model/design.js';
import { fixture } from './fixtures.js';

/** One design matrix of test/fixtures/model/reference.json with what NumPy/SciPy/sklearn made of it. */
export interface ReferenceCase {
  name: string;
  x: number[][];
  y: number[];
  [key: string]: unknown;
}

export interface Reference {
  cases: ReferenceCase[];
  stats: { y: number[]; yhat: number[]; seconds: number; r2: number; rmse_watts: number; mape_percent: number; max_error_watts: number };
}

/** The committed reference numbers (made by test/fixtures/model/make-reference.py). */
export const reference = JSON.parse(fixture('model', 'reference.json')) as Reference;

/** A reference case by name. */
export function referenceCase(name: string): ReferenceCase {
  const c = reference.cases.find((k) => k.name === name);
  if (!c) throw new Error(`no reference case ${name}`);
  return c;
}

/** A row-major matrix as a column-major design (column 0 named `static`). */
export function designOf(x: number[][], y: number[]): Design {
  const p = x[0]!.length;
  return {
    rows: x.length,
    columns: ['static', ...Array.from({ length: p - 1 }, (_, j) => `e${j + 1}`)],
    x: Array.from({ length: p }, (_, j) => Float64Array.from(x, (row) => row[j]!)),
    y: Float64Array.from(y),
  };
}

/** Gram of all rows of a reference case, and its column list. */
export function gramOfCase(c: ReferenceCase): { gram: Gram; cols: number[]; design: Design } {
  const design = designOf(c.x, c.y);
  const gram = accumulateGrams(design, [{ start: 0, end: design.rows }])[0]!;
  return { gram, cols: design.columns.map((_, j) => j), design };
}

/**
 * Largest coefficient difference in scaled units (each weight times its column's RMS, i.e. its
 * contribution to a typical interval), relative to the largest scaled reference coefficient.
 * Coefficients that are 0 in one solution and 1e-20 in the other compare as equal, as they should.
 */
export function scaledDifference(a: ArrayLike<number>, b: readonly number[], design: Design): number {
  const scale = design.x.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0) / col.length));
  let top = 0;
  for (let i = 0; i < b.length; i++) top = Math.max(top, Math.abs(b[i]!) * scale[i]!);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, (Math.abs(a[i]! - b[i]!) * scale[i]!) / top);
  return m;
}
