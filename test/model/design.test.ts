import { describe, expect, it } from 'vitest';
import { accumulateGrams, addGram, emptyGram, sumGrams } from '../../src/model/design.js';
import { designOf } from '../helpers/model-reference.js';

const x = Array.from({ length: 1500 }, (_, i) => [1, (i % 17) + 0.5, Math.sin(i) * 1e9, i * 1e3]);
const y = x.map(([a, b, c, d]) => 3 * a! + 2 * b! + 1e-9 * c! + 1e-6 * d!);
const design = designOf(x, y);

function naive(start: number, end: number) {
  const p = 4;
  const xx = new Float64Array(p * p);
  const xy = new Float64Array(p);
  let yy = 0;
  for (let i = start; i < end; i++) {
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) xx[j * p + k] = xx[j * p + k]! + x[i]![j]! * x[i]![k]!;
      xy[j] = xy[j]! + x[i]![j]! * y[i]!;
    }
    yy += y[i]! * y[i]!;
  }
  return { xx, xy, yy };
}

describe('accumulateGrams', () => {
  it('matches a row-by-row computation over ranges that cross chunk boundaries', () => {
    const [g] = accumulateGrams(design, [{ start: 100, end: 1300 }]);
    const ref = naive(100, 1300);
    expect(g!.n).toBe(1200);
    for (let k = 0; k < 16; k++) expect(g!.xx[k]! / ref.xx[k]! - 1).toBeCloseTo(0, 12);
    for (let k = 0; k < 4; k++) expect(g!.xy[k]! / ref.xy[k]! - 1).toBeCloseTo(0, 12);
    expect(g!.yy / ref.yy - 1).toBeCloseTo(0, 12);
    expect(g!.sy).toBeCloseTo(y.slice(100, 1300).reduce((s, v) => s + v, 0), 6);
  });

  it('adds up: Grams of a split equal the Gram of the whole, and subtracting restores a part', () => {
    const [whole] = accumulateGrams(design, [{ start: 0, end: 1500 }]);
    const parts = accumulateGrams(design, [{ start: 0, end: 700 }, { start: 700, end: 1500 }]);
    const sum = sumGrams(4, parts);
    for (let k = 0; k < 16; k++) expect(sum.xx[k]! / whole!.xx[k]! - 1).toBeCloseTo(0, 12);
    const back = addGram(addGram(emptyGram(4), whole!), parts[1]!, -1);
    expect(back.n).toBe(700);
    expect(back.xy[1]! / parts[0]!.xy[1]! - 1).toBeCloseTo(0, 10);
  });

  it('splits rows by group and skips rows of group −1', () => {
    const group = Int32Array.from({ length: 1500 }, (_, i) => (i < 10 ? -1 : i % 2));
    const [g0, g1] = accumulateGrams(design, [{ start: 0, end: 1500 }], group, 2);
    expect(g0!.n + g1!.n).toBe(1490);
    expect(g0!.n).toBe(745);
    expect(g0!.xx[4]).toBe(g0!.xx[1]); // symmetric
  });
});
