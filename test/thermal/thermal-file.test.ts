import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import {
  checkThermalParams, parseThermalFile, readThermalFile, thermalFileVersion, thermalParamsSchema, writeThermalFile, type ThermalFile,
} from '../../src/thermal/thermal-file.js';
import { thrownBy } from '../helpers/parse-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'vheat-thermal-file-'));

const thrown = (fn: () => unknown): ModelError => thrownBy(ModelError, fn);

const fitted: ThermalFile = {
  format: 'vheat-thermal-params', version: 1, createdAt: '2026-01-01T00:00:00.000Z', source: 'fit',
  params: { ...defaultThermalParams, coreToHeatsink: 1.5, ambientCelsius: 30 },
  fit: {
    rmseCelsius: 0.4, maxErrorCelsius: 1.2, rmseAfterCoreBiasCelsius: 0.35, observedStdCelsius: 3, perCoreStdCelsius: 2.5,
    observations: 40, iterations: 12, cores: [{ core: 'S0-C0', readings: 40, rmseCelsius: 0.4, biasCelsius: 0.1 }],
  },
  training: { trace: 'host1', traceIds: [1, 2], contentHashes: ['a', 'b'], cpuCores: { 0: 'S0-C0', 1: 'S0-C0' } },
  notes: ['a note'],
};

describe('thermal parameter files', () => {
  it('round-trips through write and read', () => {
    const file = join(dir, 'sub', 'thermal.json');
    writeThermalFile(file, fitted);
    expect(readThermalFile(file)).toEqual(fitted);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('takes a hand-written file of parameters alone, filling in the rest', () => {
    const value = parseThermalFile({ format: 'vheat-thermal-params', version: thermalFileVersion, params: defaultThermalParams }, 'hand.json');
    expect(value).toEqual({
      format: 'vheat-thermal-params', version: 1, source: 'manual', params: defaultThermalParams, fit: null, training: null, notes: [],
    });
  });

  it('names the file and the field of a bad value', () => {
    const e = thrown(() => parseThermalFile({ ...fitted, params: { ...fitted.params, coreToHeatsink: -1 } }, 'bad.json'));
    expect(e.code).toBe('thermalFile.invalid');
    expect(e.context).toEqual({ file: 'bad.json', expected: 'params.coreToHeatsink' });
    const detail = thermalParamsSchema.shape.coreToHeatsink.safeParse(-1).error!.issues[0]!.message;
    expect(e.message).toBe(messages.thermalFileInvalid('params.coreToHeatsink', detail, 1));
    expect(e.located).toMatch(/^bad\.json: thermal parameter file field params\.coreToHeatsink: /);
    expect(e.hint).toBe(messages.hintThermalFile());
  });

  it('refuses a misspelt parameter rather than ignoring it', () => {
    const { coreToCore: _dropped, ...rest } = fitted.params;
    const e = thrown(() => parseThermalFile({ ...fitted, params: { ...rest, coreToCores: 0.1 } }, 'typo.json'));
    // Two problems: coreToCore is missing and coreToCores is unknown.
    expect(e.message).toMatch(/^thermal parameter file field params(\.coreToCore)?: .*\(and 1 more problem\)$/);
  });

  it('refuses newer versions, another format, unreadable files and bad JSON', () => {
    expect(thrown(() => parseThermalFile({ ...fitted, version: 2 }, 'new.json')).message).toBe(messages.thermalFileNewer(2, 1));
    const other = thrown(() => parseThermalFile({ ...fitted, format: 'vheat-energy-model' }, 'model.json'));
    expect(other.context.expected).toBe('format');
    const missing = join(dir, 'missing.json');
    const unreadable = thrown(() => readThermalFile(missing));
    expect(unreadable.code).toBe('thermalFile.read');
    expect(unreadable.message).toMatch(new RegExp(`^cannot read thermal parameter file ${missing}: `));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": ');
    expect(thrown(() => readThermalFile(broken)).code).toBe('thermalFile.json');
  });

  it('checks bare parameters given in code', () => {
    expect(checkThermalParams(defaultThermalParams, 'options.thermal')).toEqual(defaultThermalParams);
    const e = thrown(() => checkThermalParams({ ...defaultThermalParams, heatsinkCapacitance: 0 }, 'options.thermal'));
    expect(e.context).toEqual({ file: 'options.thermal', expected: 'heatsinkCapacitance' });
  });
});
