import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { energyUnits, eventsOfTraces, listTraces, type TraceRecord } from '../store/calibration-data.js';
import type { Store } from '../store/store.js';
import { suggestSimilar } from '../util/suggest.js';
import { alignTrace, defaultAlignOptions, dropReasons, type AlignOptions, type DropReason } from './align.js';
import { assembleDesign, termName, type AlignedPart, type TermSpec } from './assemble.js';
import { bootstrapIntervals, type BootstrapOptions } from './confidence.js';
import { collinearity, conditionLimit, vifLimit } from './collinearity.js';
import { defaultMaxEvents, usesProgrammableCounter } from './counter-slots.js';
import { cpuSocketMap } from './cpu-socket-map.js';
import {
  blockedFolds, defaultFolds, defaultGapIntervals, gramOf, makePartition, restrictFolds, workloadFolds,
} from './cross-validate.js';
import { estimateLag, type LagEstimate } from './estimate-lag.js';
import { evaluateTraces, type TraceEvaluation } from './evaluate.js';
import { defaultL1Ratio, isPenalised, type FitSettings, type Method } from './fit-gram.js';
import { ErrorTally, type FitStats } from './fit-stats.js';
import { heldOut, type HeldOut } from './held-out.js';
import { learn, type LearnOptions } from './learn.js';
import { frequencyEvents, loadTraceUnits, type TraceUnit } from './load-traces.js';
import { finiteOrNull, modelFileVersion, type ModelFile } from './model-file.js';
import { predictRows, tallyRows } from './predict.js';
import { selectTraces, workloadOf } from './select-traces.js';

/** Options of `calibrate`; every default is the CLI's. */
export interface CalibrateOptions {
  /** Training traces: ids, names, bundle/name or globs. */
  train: readonly string[];
  /** Traces held out entirely and scored with the final model. */
  test?: readonly string[];
  /** RAPL domain to model; default `package`. */
  domain?: string;
  /** Default `nnls`. */
  method?: Method;
  /** `auto` (forward selection by held-out error) or the events to use; default `auto`. */
  events?: 'auto' | readonly string[];
  /** Programmable counters `auto` may use (fixed, uncore and software events are free); default 4. */
  maxEvents?: number;
  /** Calibration interval, s; default 1. */
  interval?: number;
  /** RAPL-to-counter lag, s, or `auto` (cross-correlation); default `auto`. */
  lag?: 'auto' | number;
  minEnabled?: number;
  dropFirst?: boolean;
  maxWatts?: number;
  /** Blocked cross-validation folds; default 5. */
  folds?: number;
  /** Intervals left out on each side of a test block; default 2. */
  gapIntervals?: number;
  /** Ridge λ / elastic-net α; default chosen by cross-validation. */
  alpha?: number;
  l1Ratio?: number;
  /** Upper bound on static power, W (nnls, enet); default none. */
  tdpWatts?: number;
  /**
   * `socket` (one row per socket and interval), `host` (machine totals) or `auto` (per socket when
   * energy is per socket and `cpuSocket` is given); default auto.
   */
  scope?: 'auto' | 'socket' | 'host';
  /** cpu → socket for per-CPU counters in per-socket mode; default the map the training traces record (see `cpuSocketMap`). */
  cpuSocket?: readonly number[];
  /** Frequency gauge event; default the first of `turbostat:Bzy_MHz`, `turbostat:Avg_MHz` recorded. */
  frequencyEvent?: string | null;
  /** Width of a frequency band, MHz; default 100. */
  frequencyBandMhz?: number;
  /** Per-frequency weights: `auto` keeps them when they beat one model on held-out data. */
  perFrequency?: 'auto' | 'on' | 'off';
  /** Try `event × frequency` terms; default true (when a frequency is recorded). */
  extraTerms?: boolean;
  /** Confidence intervals by block bootstrap, or false for none. */
  bootstrap?: BootstrapOptions | false;
  cpuModel?: string;
  /** Warnings as they arise (also returned in the result). */
  onWarning?: (message: string) => void;
}

/** What `calibrate` returns: the model file and the held-out figures. */
export interface CalibrateResult {
  model: ModelFile;
  /** Blocked k-fold cross-validation of the whole procedure (pooled and per block), or null. */
  cv: HeldOut | null;
  /** Leave-one-workload-out, or null with fewer than two workloads. */
  workloads: HeldOut | null;
  /** `--test` traces under the final model. */
  test: TraceEvaluation[];
  lag: LagEstimate | null;
  warnings: string[];
  /** What was taken from the recording rather than the options (where the CPU → socket map came from). */
  notes: string[];
}

/**
 * Fits an energy model `E = P_static·Δt + Σ w_i·count_i` per socket (or machine) and RAPL domain.
 *
 *   SELs ─(1) resolveTraces──▶ training and test traces
 *        ─(2) loadTraceUnits─▶ counters, energy, frequency per trace and socket (CPU → socket: cpuSocketMap)
 *        ─(3) chooseEvents───▶ candidate events and terms (common to all training traces)
 *        ─(4) estimateLag────▶ RAPL-to-counter lag by cross-correlation
 *        ─(5) alignTrace─────▶ regular intervals; drops counted by reason
 *        ─(6) assembleDesign─▶ design (static + terms), parts, frequency bands
 *        ─(7) heldOut────────▶ blocked k-fold and leave-one-workload-out of the whole procedure
 *        ─(8) learn──────────▶ final terms and weights; bootstrap CIs; collinearity
 *        ─(9) evaluateTraces─▶ --test traces
 *        ─▶ CalibrateResult
 */
export async function calibrate(store: Store, options: CalibrateOptions): Promise<CalibrateResult> {
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const domain = options.domain ?? 'package';
  const method = options.method ?? 'nnls';
  const interval = options.interval ?? 1;
  if (!(interval > 0)) throw new ModelError('model.badOption', messages.modelBadOption('interval', String(interval)));
  // 1. Traces
  const all = await listTraces(store);
  const train = selectTraces(all, options.train);
  const test = options.test?.length ? selectTraces(all, options.test) : [];
  const overlap = test.find((t) => train.some((u) => u.id === t.id));
  if (overlap) throw new ModelError('model.testInTraining', messages.modelTestInTraining(overlap.name));
  // 2. Series
  const scope = await chooseScope(store, train, domain, options, warn);
  const notes: string[] = [];
  const cpuSocket = scope === 'socket' ? await cpuSocketMap(store, train.map((t) => t.id), options.cpuSocket, notes) : options.cpuSocket;
  const events = await eventsOfTraces(store, train.map((t) => t.id));
  const frequencyEvent = options.frequencyEvent === undefined
    ? frequencyEvents.find((e) => events.has(e)) ?? await siblingFrequency(store, train, all) : options.frequencyEvent;
  const units = await loadTraceUnits(store, train, all, {
    domain, scope, frequencyEvent, ...(cpuSocket ? { cpuSocket } : {}),
  });
  if (!units.length || units.every((u) => !u.energy.length)) {
    throw new ModelError('model.noEnergy', messages.modelNoEnergy(domain, train.map((t) => t.name)), {
      hint: 'ingest a file with RAPL readings of this domain (perf stat power/energy-*/, powercap, turbostat), or choose --domain',
    });
  }
  // 3. Events and terms
  const { eventNames, fixed, terms } = chooseTerms(units, options, frequencyEvent !== null && units.some((u) => u.gauge));
  const align: AlignOptions = {
    ...defaultAlignOptions, interval,
    ...(options.minEnabled !== undefined ? { minEnabled: options.minEnabled } : {}),
    ...(options.dropFirst !== undefined ? { dropFirst: options.dropFirst } : {}),
    ...(options.maxWatts !== undefined ? { maxWatts: options.maxWatts } : {}),
  };
  const seriesOf = (u: TraceUnit) => eventNames.map((e) => u.counters.get(e)!);
  // 4. Lag
  let lag: LagEstimate | null = null;
  if (options.lag === undefined || options.lag === 'auto') {
    lag = estimateLag(units.map((u) => ({ counters: seriesOf(u), energy: u.energy })), align);
    align.lag = lag.seconds;
  } else align.lag = options.lag;
  // 5. Align
  const traceIndex = new Map(train.map((t, i) => [t.id, i]));
  const sources: AlignedPart[] = units.map((u) => ({
    aligned: alignTrace(seriesOf(u), u.energy, u.gauge, align),
    trace: traceIndex.get(u.trace.id)!, workload: workloadOf(u.trace), unit: u.unit,
  }));
  const dropped = Object.fromEntries(dropReasons.map((r) => [r, 0])) as Record<DropReason, number>;
  for (const s of sources) for (const r of dropReasons) dropped[r] += s.aligned.dropped[r];
  // 6. Design
  const referenceMhz = medianOf(sources.flatMap((s) => (s.aligned.gauge ? Array.from(s.aligned.gauge).filter(Number.isFinite) : [])));
  const assembled = assembleDesign(sources, terms, Number.isFinite(referenceMhz) ? referenceMhz : null);
  const { design, parts } = assembled;
  const q = 1 + fixed.length;
  if (design.rows < Math.max(q + 2, 5)) {
    throw new ModelError('model.tooFewIntervals', messages.modelTooFewIntervals(design.rows, dropped), {
      hint: 'record longer, lower --interval, or relax --min-enabled',
    });
  }
  const bandMhz = options.frequencyBandMhz ?? 100;
  const { group, bandCenters } = frequencyBands(assembled.rowMhz, bandMhz);
  const k = Math.max(2, Math.min(options.folds ?? defaultFolds, design.rows));
  const gap = options.gapIntervals ?? defaultGapIntervals;
  const blocked = blockedFolds(parts, design.rows, k, gap);
  const partition = makePartition(design, blocked.cuts, group, Math.max(bandCenters.length, 1));
  const blockFolds = blocked.folds(partition);
  const settings: FitSettings = {
    method, l1Ratio: options.l1Ratio ?? defaultL1Ratio, ...(options.tdpWatts !== undefined ? { tdpWatts: options.tdpWatts } : {}),
  };
  const slots = options.maxEvents ?? defaultMaxEvents;
  const learnOptions: LearnOptions = {
    settings,
    start: [0, ...fixed.map((t) => terms.indexOf(t) + 1)],
    candidates: terms.map((_, j) => j + 1).filter((c) => !fixed.some((t) => terms.indexOf(t) + 1 === c)),
    allowed: (cols) => new Set(cols.slice(1).map((c) => eventNames[terms[c - 1]!.event]!).filter(usesProgrammableCounter)).size <= slots,
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    perFrequency: bandCenters.length > 1 ? options.perFrequency ?? 'auto' : 'off',
    bandCenters,
  };
  learnOptions.bandCandidates = learnOptions.candidates.filter((c) => terms[c - 1]!.kind === 'count');
  // 7. Held-out error of the whole procedure
  const scratch = new Float64Array(design.rows);
  const cv = heldOut(design, partition, blockFolds, blockFolds, learnOptions, interval, group, scratch);
  const lowoFolds = workloadFolds(parts, partition);
  const workloads = lowoFolds.length ? heldOut(design, partition, lowoFolds, blockFolds, learnOptions, interval, group, scratch) : null;
  if (!workloads) warn(messages.modelOneWorkload(parts[0]?.workload ?? '?'));
  // 8. Final model
  const allSegs = partition.segments.map((_, i) => i);
  const final = learn(partition, allSegs, restrictFolds(blockFolds, allSegs), learnOptions);
  predictRows(design, final, [{ start: 0, end: design.rows }], group, scratch);
  const inSample = new ErrorTally(interval);
  tallyRows(design, scratch, [{ start: 0, end: design.rows }], inSample);
  const ci = options.bootstrap === false ? null
    : bootstrapIntervals(design, parts, final.cols, settings, final.alpha ?? 0, options.bootstrap ?? {});
  const diag = collinearity(gramOf(partition, allSegs), final.cols);
  const finalTerms = final.cols.slice(1).map((c) => terms[c - 1]!);
  diag.vif.forEach((v, j) => {
    if (v > vifLimit) warn(messages.modelCollinear(finalTerms[j]!.name, v));
  });
  if (diag.conditionNumber > conditionLimit) warn(messages.modelIllConditioned(diag.conditionNumber));
  const staticW = final.pooled[0]!;
  if (options.tdpWatts !== undefined && staticW >= options.tdpWatts) warn(messages.modelStaticAtTdp(options.tdpWatts));
  if (staticW <= 0) warn(messages.modelStaticZero());
  const model: ModelFile = {
    format: 'vheat-energy-model',
    version: modelFileVersion,
    createdAt: new Date().toISOString(),
    domain: domain as ModelFile['domain'],
    scope,
    intervalSeconds: interval,
    lagSeconds: align.lag,
    alignment: { minEnabled: align.minEnabled, dropFirst: align.dropFirst, maxWatts: align.maxWatts },
    method,
    alpha: isPenalised(method) ? final.alpha : null,
    l1Ratio: method === 'enet' ? settings.l1Ratio ?? defaultL1Ratio : null,
    tdpWatts: options.tdpWatts ?? null,
    cpuModel: options.cpuModel ?? cpuModelOf(train),
    host: train.find((t) => t.host)?.host ?? null,
    staticWatts: { value: staticW, ci95: ci ? [ci.lower[0]!, ci.upper[0]!] : null },
    terms: finalTerms.map((t, j) => ({
      name: t.name, event: eventNames[t.event]!, kind: t.kind, weight: final.pooled[j + 1]!,
      ci95: ci ? [ci.lower[j + 1]!, ci.upper[j + 1]!] : null, vif: finiteOrNull(diag.vif[j]!),
      maxRate: maxOf(design.x[final.cols[j + 1]!]!) / interval,
    })),
    frequency: frequencyEvent !== null && Number.isFinite(referenceMhz) ? {
      event: frequencyEvent, referenceMhz, bandMhz,
      bands: final.banded ? bandCenters.map((mhz, g) => ({
        mhz, intervals: gramOf(partition, allSegs, g).n, staticWatts: final.weights[g]![0]!, weights: Array.from(final.weights[g]!.slice(1)),
      })) : null,
    } : null,
    training: {
      traces: train.map((t) => ({ id: t.id, name: t.name, bundle: t.bundle, workload: workloadOf(t), contentHash: t.contentHash })),
      intervals: design.rows,
      dropped,
      selection: final.steps.map((s) => ({ added: design.columns[s.added]!, cvRmse: finiteOrNull(s.score / interval) })),
    },
    fit: {
      inSample: nullable(inSample.stats()),
      cv: { ...nullable(cv.pooled), folds: blockFolds.length, gapIntervals: gap },
      workloads: workloads ? workloads.folds.map((f) => ({ workload: f.name.replace(/^workload /, ''), ...nullable(f) })) : null,
    },
    diagnostics: { conditionNumber: finiteOrNull(diag.conditionNumber), warnings },
    bootstrap: ci ? { replicates: ci.replicates, blockIntervals: ci.blockIntervals, seed: ci.seed } : null,
  };
  // 9. Test traces
  const tested = test.length ? (await evaluateTraces(store, model, test, all, cpuSocket ? { cpuSocket } : {})).traces : [];
  return { model, cv, workloads, test: tested, lag, warnings, notes };
}

/** Fit statistics with NaN as null, for the model file. */
function nullable(s: FitStats) {
  return { n: s.n, r2: finiteOrNull(s.r2), rmse: finiteOrNull(s.rmse), mape: finiteOrNull(s.mape),
    maxError: finiteOrNull(s.maxError), totalError: finiteOrNull(s.totalError) };
}

/** Per socket when energy comes per socket and counters can be split the same way, else machine totals. */
async function chooseScope(store: Store, train: readonly TraceRecord[], domain: string, options: CalibrateOptions,
  warn: (m: string) => void): Promise<'socket' | 'host'> {
  if (options.scope === 'socket' || options.scope === 'host') return options.scope;
  const sockets = (await energyUnits(store, train.map((t) => t.id), domain)).filter((u) => u >= 0);
  if (sockets.length < 2) return 'host';
  if (options.cpuSocket) return 'socket';
  warn(messages.modelHostScope(sockets.length));
  return 'host';
}

/** Candidate events: numeric counters present in every training unit; explicit ones checked. */
function chooseTerms(units: readonly TraceUnit[], options: CalibrateOptions, hasFrequency: boolean) {
  const common = [...units[0]!.counters.keys()].filter((e) => units.every((u) => u.counters.has(e)))
    .filter((e) => !e.startsWith('turbostat:'));
  const explicit = options.events === undefined || options.events === 'auto' ? null : [...options.events];
  for (const e of explicit ?? []) {
    if (!common.includes(e)) {
      throw new ModelError('model.unknownEvent', messages.modelUnknownEvent(e, common), {
        hint: suggestSimilar(e, common) ?? 'see the events of each trace with `vheat info`',
      });
    }
  }
  const eventNames = explicit ?? common;
  if (!eventNames.length) throw new ModelError('model.noEvents', messages.modelNoEvents());
  const counts: TermSpec[] = eventNames.map((e, j) => ({ name: termName(e, 'count'), event: j, kind: 'count' }));
  const extra: TermSpec[] = hasFrequency && options.extraTerms !== false
    ? eventNames.map((e, j) => ({ name: termName(e, 'count*freq'), event: j, kind: 'count*freq' })) : [];
  return { eventNames, fixed: explicit ? counts : [], terms: [...counts, ...extra] };
}

/** A frequency gauge recorded by another file of a training trace's bundle. */
async function siblingFrequency(store: Store, train: readonly TraceRecord[], all: readonly TraceRecord[]): Promise<string | null> {
  const bundles = new Set(train.map((t) => t.bundle).filter((b) => b !== null));
  const siblings = all.filter((t) => t.bundle !== null && bundles.has(t.bundle));
  const events = await eventsOfTraces(store, siblings.map((t) => t.id));
  return frequencyEvents.find((e) => events.has(e)) ?? null;
}

/** Frequency band per row (nearest multiple of `width` MHz) and the band centres; −1 for rows without one. */
function frequencyBands(mhz: Float64Array, width: number): { group: Int32Array | undefined; bandCenters: number[] } {
  const centers = [...new Set(Array.from(mhz).filter(Number.isFinite).map((f) => Math.round(f / width) * width))].sort((a, b) => a - b);
  if (centers.length < 2) return { group: undefined, bandCenters: centers };
  const group = Int32Array.from(mhz, (f) => (Number.isFinite(f) ? centers.indexOf(Math.round(f / width) * width) : -1));
  return { group, bandCenters: centers };
}

function maxOf(values: Float64Array): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

function medianOf(values: number[]): number {
  if (!values.length) return NaN;
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

function cpuModelOf(traces: readonly TraceRecord[]): string | null {
  for (const t of traces) {
    const m = t.meta.cpuModel ?? t.meta.cpu_model;
    if (typeof m === 'string' && m) return m;
  }
  return null;
}
