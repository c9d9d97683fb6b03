import { z } from 'zod';
import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { readJsonFile, writeJsonFile, type JsonFileKind } from '../util/json-file.js';
import { zodIssue } from '../util/zod-issue.js';
import type { ThermalParams } from './rc-network.js';

/** The thermal parameter file version this vheat writes and reads. */
export const thermalFileVersion = 1;

const positive = z.number().positive().finite();

/** `ThermalParams` as a file holds them; unknown keys are refused so a misspelt field is not silently ignored. */
export const thermalParamsSchema = z.object({
  coreCapacitance: positive,
  coreToHeatsink: positive,
  coreToCore: z.number().nonnegative().finite(),
  heatsinkCapacitance: positive,
  heatsinkToAmbient: positive,
  ambientCelsius: z.number().finite(),
}).strict();

/**
 * The thermal parameter file (`vheat fit-thermal --out thermal.json`, read by `--thermal`),
 * version 1. Units as `ThermalParams`: J/K, W/K, °C.
 *
 * - `format`, `version`: identify the file; readers refuse newer versions.
 * - `params`: the parameters, the only other required field (a hand-written file may hold just these).
 * - `source`: `fit` (fitted to `training`), `defaults` (the recording had no temperatures) or `manual`.
 * - `fit`: the fit's error on its recording, °C: overall, per core, and the two naive baselines
 *   (`observedStdCelsius`: every reading predicted by their mean; `perCoreStdCelsius`: by its core's mean).
 * - `training`: the recording (`--trace` as given, trace ids and content hashes) and the CPU → core
 *   map the power was split by, when one was given (a replay of the recorded power reuses it).
 * - `notes`: how power was assigned to cores, what was left out, identifiability.
 */
export const thermalFileSchema = z.object({
  format: z.literal('vheat-thermal-params'),
  version: z.literal(thermalFileVersion),
  createdAt: z.string().optional(),
  source: z.enum(['fit', 'defaults', 'manual']).default('manual'),
  params: thermalParamsSchema,
  fit: z.object({
    rmseCelsius: z.number().nonnegative(),
    maxErrorCelsius: z.number().nonnegative(),
    rmseAfterCoreBiasCelsius: z.number().nonnegative(),
    observedStdCelsius: z.number().nonnegative(),
    perCoreStdCelsius: z.number().nonnegative(),
    observations: z.number().int().positive(),
    iterations: z.number().int().nonnegative(),
    cores: z.array(z.object({
      core: z.string().min(1),
      readings: z.number().int().positive(),
      rmseCelsius: z.number().nonnegative(),
      biasCelsius: z.number(),
    })),
  }).nullable().default(null),
  training: z.object({
    trace: z.string(),
    traceIds: z.array(z.number().int()),
    contentHashes: z.array(z.string()),
    /** CPU number → core entity the fit split power by, when given (`--cpu-cores`); null: the recording's own. */
    cpuCores: z.record(z.string().regex(/^\d+$/), z.string().regex(/^S\d+-C\d+$/)).nullable().default(null),
  }).nullable().default(null),
  notes: z.array(z.string()).default([]),
});

/** A validated thermal parameter file. */
export type ThermalFile = z.infer<typeof thermalFileSchema>;

function invalid(error: z.ZodError, file: string): ModelError {
  const { field, detail, issues } = zodIssue(error);
  return new ModelError('thermalFile.invalid', messages.thermalFileInvalid(field, detail, issues), {
    context: { file, expected: field }, hint: messages.hintThermalFile(),
  });
}

/** Checks a parsed thermal parameter file; `file` names it in errors (`ModelError` with the field). */
export function parseThermalFile(value: unknown, file: string): ThermalFile {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > thermalFileVersion) {
    throw new ModelError('thermalFile.version', messages.thermalFileNewer(version, thermalFileVersion), {
      context: { file }, hint: 'upgrade vheat, or refit with this one (vheat fit-thermal)',
    });
  }
  const result = thermalFileSchema.safeParse(value);
  if (!result.success) throw invalid(result.error, file);
  return result.data;
}

/** Checks bare `ThermalParams` given in code; `what` names them in errors. */
export function checkThermalParams(value: unknown, what: string): ThermalParams {
  const result = thermalParamsSchema.safeParse(value);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

const thermalFileKind: JsonFileKind = { codePrefix: 'thermalFile', unreadable: messages.thermalFileUnreadable };

/** Reads and validates a thermal parameter file. */
export function readThermalFile(file: string): ThermalFile {
  return parseThermalFile(readJsonFile(file, thermalFileKind), file);
}

/** Validates `value` and writes it as two-space JSON (creating the folder). */
export function writeThermalFile(file: string, value: ThermalFile): void {
  writeJsonFile(file, parseThermalFile(value, file), thermalFileKind);
}
