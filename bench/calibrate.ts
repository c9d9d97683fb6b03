/**
 * bench/calibrate: NNLS with 5-fold blocked cross-validation on 1 M intervals × 16 events
 * (plus the static column), vheat against scikit-learn on the same matrix.
 *
 *   node --import tsx bench/calibrate.ts [--rows 1000000] [--events 16]
 *
 * Prints vheat's wall time (goals: ≤ 1 s and faster than scikit-learn), scikit-learn's
 * (`LinearRegression(positive=True)`, i.e. SciPy's NNLS, on each fold's rows and then on all rows;
 * only when python3 with sklearn is installed), and the largest coefficient difference between the
 * two final fits in scaled units (goal ≤ 1e-6). It also times vheat's Lawson–Hanson on the normal
 * equations against ml-fcnnls on the same reduced problem (the Cholesky factor), which is why the
 * solver is our own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fcnnlsVector } from 'ml-fcnnls';
import { Matrix } from 'ml-matrix';
import { blockedFolds, makePartition, type RowPart } from '../src/model/cross-validate.js';
import { accumulateGrams, type Design } from '../src/model/design.js';
import { cholesky } from '../src/model/dense.js';
import { heldOut } from '../src/model/held-out.js';
import { learn, type LearnOptions } from '../src/model/learn.js';
import { normalEquations } from '../src/model/normal-equations.js';
import { lawsonHanson } from '../src/model/solve-nnls.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const rows = arg('rows', 1_000_000);
const events = arg('events', 16);
const k = 5;
const gap = 2;

/** A seeded design: utilisation-driven counts with event-specific mixes; some true weights are 0. */
function makeDesign(): { design: Design; truth: number[] } {
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const p = events + 1;
  const x = Array.from({ length: p }, () => new Float64Array(rows));
  const truth = [20, ...Array.from({ length: events }, (_, j) => (j % 4 === 3 ? 0 : (1 + j) * 1e-10))];
  const rate = Array.from({ length: events }, () => 0.2e9 + rand() * 2e9);
  const y = new Float64Array(rows);
  let util = 0.5;
  for (let i = 0; i < rows; i++) {
    util = Math.min(1, Math.max(0.02, util + (rand() - 0.5) * 0.2));
    x[0]![i] = 1;
    let e = truth[0]!;
    for (let j = 0; j < events; j++) {
      const c = rate[j]! * util * (0.3 + rand());
      x[j + 1]![i] = c;
      e += truth[j + 1]! * c;
    }
    y[i] = e + (rand() - 0.5) * 2;
  }
  return { design: { rows, columns: ['static', ...rate.map((_, j) => `e${j}`)], x, y }, truth };
}

function vheatRun(design: Design) {
  const parts: RowPart[] = [{ start: 0, end: rows, trace: 0, workload: 'bench' }];
  const cols = design.columns.map((_, j) => j);
  const options: LearnOptions = { settings: { method: 'nnls' }, start: cols, candidates: [], allowed: () => true, perFrequency: 'off' };
  const started = performance.now();
  const blocked = blockedFolds(parts, rows, k, gap);
  const partition = makePartition(design, blocked.cuts);
  const folds = blocked.folds(partition);
  const predicted = new Float64Array(rows);
  const cv = heldOut(design, partition, folds, [], options, 1, undefined, predicted);
  const final = learn(partition, partition.segments.map((_, i) => i), [], options);
  return { seconds: (performance.now() - started) / 1000, cv, weights: final.pooled };
}

function sklearnRun(design: Design, dir: string): { seconds: number; weights: number[] } | string {
  const python = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0);
  if (!python) return 'python3 with scikit-learn not found (apt-get install python3-sklearn)';
  const p = design.columns.length;
  const flat = new Float64Array(rows * p);
  for (let i = 0; i < rows; i++) for (let j = 0; j < p; j++) flat[i * p + j] = design.x[j]![i]!;
  writeFileSync(join(dir, 'x.f64'), flat);
  writeFileSync(join(dir, 'y.f64'), design.y);
  const script = `
import json, time, numpy as np
from sklearn.linear_model import LinearRegression
X = np.fromfile(${JSON.stringify(join(dir, 'x.f64'))}).reshape(${rows}, ${p})
y = np.fromfile(${JSON.stringify(join(dir, 'y.f64'))})
t = time.perf_counter()
n, k, gap = ${rows}, ${k}, ${gap}
for f in range(k):
    a, b = f * n // k, (f + 1) * n // k
    train = np.r_[0:max(0, a - gap), min(n, b + gap):n]
    m = LinearRegression(positive=True, fit_intercept=False).fit(X[train], y[train])
    m.predict(X[a:b])
final = LinearRegression(positive=True, fit_intercept=False).fit(X, y)
print(json.dumps({"seconds": time.perf_counter() - t, "weights": final.coef_.tolist()}))
`;
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return `scikit-learn run failed: ${r.stderr.trim().split('\n').pop()}`;
  return JSON.parse(r.stdout) as { seconds: number; weights: number[] };
}

/** Largest |a − b| × column RMS, relative to the largest scaled coefficient of b. */
function scaledDifference(design: Design, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const scale = design.x.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0) / c.length));
  let top = 0;
  let worst = 0;
  for (let j = 0; j < scale.length; j++) top = Math.max(top, Math.abs(b[j]!) * scale[j]!);
  for (let j = 0; j < scale.length; j++) worst = Math.max(worst, (Math.abs(a[j]! - b[j]!) * scale[j]!) / top);
  return worst;
}

/** Lawson–Hanson on ZᵀZ against ml-fcnnls on the Cholesky factor (same reduced problem). */
function solverRace(design: Design): string {
  const gram = accumulateGrams(design, [{ start: 0, end: Math.min(rows, 100_000) }])[0]!;
  const ne = normalEquations(gram, design.columns.map((_, j) => j));
  const q = ne.q;
  const l = cholesky(ne.a, q)!;
  // ZᵀZ = L Lᵀ, so ‖Lᵀβ − c‖² with L c = Zᵀy has the same minimiser as ‖Zβ − y‖².
  const lt = new Matrix(q, q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) lt.set(i, j, l[j * q + i]!);
  const c = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = ne.b[i]!;
    for (let j = 0; j < i; j++) s -= l[i * q + j]! * c[j]!;
    c[i] = s / l[i * q + i]!;
  }
  const reps = 200;
  let t = performance.now();
  let ours = lawsonHanson(ne.a, q, ne.b);
  for (let r = 1; r < reps; r++) ours = lawsonHanson(ne.a, q, ne.b);
  const oursMs = (performance.now() - t) / reps;
  t = performance.now();
  let theirs: number[] = [];
  for (let r = 0; r < reps; r++) theirs = fcnnlsVector(lt, Array.from(c)).K.to1DArray();
  const theirsMs = (performance.now() - t) / reps;
  let diff = 0;
  let top = 0;
  for (let j = 0; j < q; j++) top = Math.max(top, Math.abs(ours[j]!));
  for (let j = 0; j < q; j++) diff = Math.max(diff, Math.abs(ours[j]! - theirs[j]!) / top);
  return `solver on the ${q}×${q} normal equations: Lawson–Hanson ${(oursMs * 1000).toFixed(0)} µs, ` +
    `ml-fcnnls ${(theirsMs * 1000).toFixed(0)} µs per solve; largest difference ${diff.toExponential(1)}`;
}

const { design } = makeDesign();
const dir = mkdtempSync(join(tmpdir(), 'vheat-bench-cal-'));
try {
  const ours = vheatRun(design);
  console.log(`vheat: NNLS, ${k}-fold blocked CV + final fit, ${rows} intervals × ${events} events: ${ours.seconds.toFixed(3)} s ` +
    `(goal ≤ 1 s); CV RMSE ${ours.cv.pooled.rmse.toFixed(3)} W`);
  const sk = sklearnRun(design, dir);
  if (typeof sk === 'string') console.log(`scikit-learn: skipped, ${sk}`);
  else {
    console.log(`scikit-learn: LinearRegression(positive=True), same folds: ${sk.seconds.toFixed(3)} s ` +
      `(vheat ${(sk.seconds / ours.seconds).toFixed(1)}× faster)`);
    console.log(`largest coefficient difference (scaled): ${scaledDifference(design, ours.weights, sk.weights).toExponential(2)} (goal ≤ 1e-6)`);
  }
  console.log(solverRace(design));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
