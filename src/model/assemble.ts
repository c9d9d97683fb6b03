import type { Aligned } from './align.js';
import type { RowPart } from './cross-validate.js';
import type { Design } from './design.js';

/** How a model term is computed from an aligned interval. */
export type TermKind = 'count' | 'count*freq';

/**
 * One model term: an event's count (`count`), or its count times the clock frequency relative
 * to a reference (`count*freq`, for energy per event that grows with voltage and clock).
 */
export interface TermSpec {
  name: string;
  /** Index of the event in the aligned `counts`. */
  event: number;
  kind: TermKind;
}

/** The term name of `kind` on `event`. */
export function termName(event: string, kind: TermKind): string {
  return kind === 'count' ? event : `${event}*freq`;
}

/** One aligned trace (or socket of a trace) with what validation needs to know about it. */
export interface AlignedPart {
  aligned: Aligned;
  /** Index of the trace in the calibration's trace list. */
  trace: number;
  workload: string;
  unit: number;
}

/** A design with its row bookkeeping. */
export interface Assembled {
  design: Design;
  parts: RowPart[];
  /** Start of each row's interval, s from its trace start. */
  rowStart: Float64Array;
  /** Frequency of each row, MHz (NaN when not recorded). */
  rowMhz: Float64Array;
  /** Index into the `AlignedPart` list per part. */
  partSource: number[];
}

/**
 * Stacks the kept intervals of every aligned part into one design: column 0 the interval length
 * (static power), then one column per term. Rows keep trace order and time order within a part.
 * Rows whose `count*freq` terms lack a frequency are left out.
 */
export function assembleDesign(sources: readonly AlignedPart[], terms: readonly TermSpec[], referenceMhz: number | null): Assembled {
  const needsFreq = terms.some((t) => t.kind === 'count*freq');
  const rowOk = (a: Aligned, k: number): boolean =>
    a.keep[k] === 1 && (!needsFreq || (a.gauge !== null && Number.isFinite(a.gauge[k]!)));
  let rows = 0;
  for (const s of sources) for (let k = 0; k < s.aligned.n; k++) if (rowOk(s.aligned, k)) rows++;
  const x = Array.from({ length: terms.length + 1 }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  const rowStart = new Float64Array(rows);
  const rowMhz = new Float64Array(rows);
  const parts: RowPart[] = [];
  const partSource: number[] = [];
  let i = 0;
  sources.forEach((s, si) => {
    const a = s.aligned;
    const begin = i;
    for (let k = 0; k < a.n; k++) {
      if (!rowOk(a, k)) continue;
      const mhz = a.gauge ? a.gauge[k]! : NaN;
      x[0]![i] = a.interval;
      terms.forEach((t, j) => {
        const c = a.counts[t.event]![k]!;
        x[j + 1]![i] = t.kind === 'count' ? c : (c * mhz) / (referenceMhz ?? 1);
      });
      y[i] = a.energy[k]!;
      rowStart[i] = a.start + k * a.interval;
      rowMhz[i] = mhz;
      i++;
    }
    if (i > begin) {
      parts.push({ start: begin, end: i, trace: s.trace, workload: s.workload });
      partSource.push(si);
    }
  });
  const design: Design = { rows, columns: ['static', ...terms.map((t) => t.name)], x, y };
  return { design, parts, rowStart, rowMhz, partSource };
}
