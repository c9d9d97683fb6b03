/**
 * How well predictions match measured energy, per interval. Powers are energies divided by the
 * interval length, so RMSE and max error are in W whatever the interval.
 */
export interface FitStats {
  /** Intervals compared. */
  n: number;
  /** Coefficient of determination, 1 − SSE/SST (SST around the mean of these intervals). */
  r2: number;
  /** Root-mean-square error of interval power, W. */
  rmse: number;
  /** Mean absolute percentage error, % (intervals with measured energy ≤ 0 are left out). */
  mape: number;
  /** Largest absolute error of interval power, W. */
  maxError: number;
  /** Relative error of the summed energy, % (signed: positive = model predicts more). */
  totalError: number;
}

/** Accumulates measured and predicted interval energies (J) over intervals of `seconds` s. */
export class ErrorTally {
  #n = 0;
  #sy = 0;
  #syy = 0;
  #sse = 0;
  #ape = 0;
  #apeN = 0;
  #max = 0;
  #sp = 0;

  constructor(readonly seconds: number) {}

  /** Adds one interval: measured `y` and predicted `yhat`, J. */
  add(y: number, yhat: number): void {
    const e = yhat - y;
    this.#n++;
    this.#sy += y;
    this.#syy += y * y;
    this.#sse += e * e;
    this.#sp += yhat;
    if (y > 0) {
      this.#ape += Math.abs(e) / y;
      this.#apeN++;
    }
    const ae = Math.abs(e);
    if (ae > this.#max) this.#max = ae;
  }

  /** Adds every interval of another tally (same interval length). */
  merge(other: ErrorTally): void {
    const o = other.#state();
    this.#n += o.n;
    this.#sy += o.sy;
    this.#syy += o.syy;
    this.#sse += o.sse;
    this.#ape += o.ape;
    this.#apeN += o.apeN;
    this.#max = Math.max(this.#max, o.max);
    this.#sp += o.sp;
  }

  /** The statistics so far; NaN fields when no interval was added. */
  stats(): FitStats {
    const n = this.#n;
    const sst = this.#syy - (this.#sy * this.#sy) / Math.max(n, 1);
    return {
      n,
      r2: n > 1 && sst > 0 ? 1 - this.#sse / sst : NaN,
      rmse: n ? Math.sqrt(this.#sse / n) / this.seconds : NaN,
      mape: this.#apeN ? (100 * this.#ape) / this.#apeN : NaN,
      maxError: n ? this.#max / this.seconds : NaN,
      totalError: this.#sy > 0 ? (100 * (this.#sp - this.#sy)) / this.#sy : NaN,
    };
  }

  #state() {
    return { n: this.#n, sy: this.#sy, syy: this.#syy, sse: this.#sse, ape: this.#ape, apeN: this.#apeN, max: this.#max, sp: this.#sp };
  }
}

/** Statistics of predictions `yhat` against measured `y` (J) over intervals of `seconds` s. */
export function fitStats(y: ArrayLike<number>, yhat: ArrayLike<number>, seconds: number): FitStats {
  const t = new ErrorTally(seconds);
  for (let i = 0; i < y.length; i++) t.add(y[i]!, yhat[i]!);
  return t.stats();
}
