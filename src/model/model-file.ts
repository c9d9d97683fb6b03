import { z } from 'zod';
import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { readJsonFile, writeJsonFile, type JsonFileKind } from '../util/json-file.js';
import { zodIssue } from '../util/zod-issue.js';
import { methods } from './fit-gram.js';

/** The model file version this vheat writes and reads. */
export const modelFileVersion = 1;

const ci95 = z.tuple([z.number(), z.number()]).nullable();
/** A number, or null where it is undefined (no intervals, zero variance). */
const num = z.number().nullable();

/** Held-out or in-sample statistics (see `FitStats`): R², RMSE W, MAPE %, max error W, total energy error %. */
export const fitStatsSchema = z.object({
  n: z.number().int().nonnegative(),
  r2: num,
  rmse: num,
  mape: num,
  maxError: num,
  totalError: num,
});

/**
 * The energy model file (`vheat calibrate --out model.json`), version 1. Units: `staticWatts` in
 * W per socket (or per machine when `scope` is `host`); a term's `weight` in J per unit of the
 * term (per event for `count`, per event × f/`frequency.referenceMhz` for `count*freq`); times
 * in s. Predicted energy of an interval of Δt s is `staticWatts·Δt + Σ weight·term`.
 *
 * - `format`, `version`: identify the file; readers refuse newer versions.
 * - `domain`, `scope`, `intervalSeconds`, `lagSeconds`, `alignment`: how intervals were built;
 *   `evaluate` builds them the same way.
 * - `method`, `alpha` (ridge λ / elastic-net α, on unit-RMS columns), `l1Ratio`, `tdpWatts`.
 * - `terms[]`: events in the model with weights, 95 % intervals, VIF and the largest training
 *   rate (`evaluate` counts intervals beyond it as extrapolated).
 * - `frequency`: the gauge used for `count*freq` terms and per-frequency weights (`bands`, each
 *   with its static power and weights in `terms` order), or null.
 * - `training`: traces (with content hashes, so a model names exactly what it came from),
 *   intervals used and dropped by reason, selection steps.
 * - `fit`: in-sample, blocked cross-validation, leave-one-workload-out.
 * - `diagnostics`: condition number and warnings (collinearity, static power at a bound).
 */
export const modelFileSchema = z.object({
  format: z.literal('vheat-energy-model'),
  version: z.literal(modelFileVersion),
  createdAt: z.string(),
  domain: z.enum(['package', 'core', 'uncore', 'dram', 'psys', 'gpu']),
  scope: z.enum(['socket', 'host']),
  intervalSeconds: z.number().positive(),
  lagSeconds: z.number(),
  alignment: z.object({
    minEnabled: z.number().min(0).max(1),
    dropFirst: z.boolean(),
    maxWatts: z.number().positive(),
  }),
  method: z.enum(methods),
  alpha: z.number().nonnegative().nullable(),
  l1Ratio: z.number().min(0).max(1).nullable(),
  tdpWatts: z.number().positive().nullable(),
  cpuModel: z.string().nullable(),
  host: z.string().nullable(),
  staticWatts: z.object({ value: z.number(), ci95 }),
  terms: z.array(z.object({
    name: z.string().min(1),
    event: z.string().min(1),
    kind: z.enum(['count', 'count*freq']),
    weight: z.number(),
    ci95,
    vif: num,
    /** Largest rate of the term seen in training, per s: beyond it predictions extrapolate. */
    maxRate: z.number().nonnegative(),
  })),
  frequency: z.object({
    event: z.string().min(1),
    referenceMhz: z.number().positive(),
    bandMhz: z.number().positive(),
    bands: z.array(z.object({
      mhz: z.number().positive(),
      intervals: z.number().int().nonnegative(),
      staticWatts: z.number(),
      weights: z.array(z.number()),
    })).nullable(),
  }).nullable(),
  training: z.object({
    traces: z.array(z.object({
      id: z.number().int(),
      name: z.string(),
      bundle: z.string().nullable(),
      workload: z.string(),
      contentHash: z.string(),
    })).min(1),
    intervals: z.number().int().nonnegative(),
    dropped: z.object({ coverage: z.number().int(), enabled: z.number().int(), raplGlitch: z.number().int() }),
    selection: z.array(z.object({ added: z.string(), cvRmse: num })),
  }),
  fit: z.object({
    inSample: fitStatsSchema,
    cv: fitStatsSchema.extend({ folds: z.number().int().positive(), gapIntervals: z.number().int().nonnegative() }).nullable(),
    workloads: z.array(fitStatsSchema.extend({ workload: z.string() })).nullable(),
  }),
  diagnostics: z.object({ conditionNumber: num, warnings: z.array(z.string()) }),
  bootstrap: z.object({
    replicates: z.number().int().positive(),
    blockIntervals: z.number().int().positive(),
    seed: z.number().int(),
  }).nullable(),
});

/** A validated model file. */
export type ModelFile = z.infer<typeof modelFileSchema>;

/** Checks a parsed model value; `file` names it in errors. */
export function parseModel(value: unknown, file: string): ModelFile {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > modelFileVersion) {
    throw new ModelError('model.version', messages.modelNewer(version, modelFileVersion), {
      context: { file }, hint: 'upgrade vheat, or recalibrate with this one',
    });
  }
  const result = modelFileSchema.safeParse(value);
  if (result.success) return result.data;
  const { field, detail, issues } = zodIssue(result.error);
  throw new ModelError('model.invalid', messages.modelInvalid(field, detail, issues), {
    context: { file, expected: field },
    hint: 'model files are written by `vheat calibrate`; recalibrate rather than editing by hand',
  });
}

const modelFileKind: JsonFileKind = { codePrefix: 'model', unreadable: messages.modelUnreadable };

/** Reads and validates a model file. */
export function readModel(file: string): ModelFile {
  return parseModel(readJsonFile(file, modelFileKind), file);
}

/** Validates `model` and writes it as two-space JSON (creating the folder). */
export function writeModel(file: string, model: ModelFile): void {
  writeJsonFile(file, parseModel(model, file), modelFileKind);
}

/** A finite number, or null (JSON has no NaN or ∞). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
