import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { calibrate } from '../../src/model/calibrate.js';
import { readModel, writeModel, type ModelFile } from '../../src/model/model-file.js';
import { openStore } from '../../src/store/store.js';
import { syntheticTruth, syntheticWorkloads, tempDir, writePerfRecording } from '../helpers/model-traces.js';
import { thrownBy } from '../helpers/parse-checks.js';

let model: ModelFile;
const dir = mkdtempSync(join(tmpdir(), 'vheat-model-file-'));

beforeAll(async () => {
  const traces = tempDir();
  const store = await openStore(':memory:');
  await ingest(store, [writePerfRecording(traces, syntheticWorkloads[0]!, syntheticTruth, 1)]);
  model = (await calibrate(store, { train: ['1'], events: ['cycles', 'instructions'], bootstrap: { replicates: 20 } })).model;
  store.close();
});

const thrown = (fn: () => unknown): ModelError => thrownBy(ModelError, fn);

describe('model files', () => {
  it('round-trip through writeModel and readModel unchanged', () => {
    const file = join(dir, 'sub', 'model.json');
    writeModel(file, model);
    expect(readModel(file)).toEqual(model);
    expect(model.version).toBe(1);
    expect(model.format).toBe('vheat-energy-model');
  });

  it('name the file and the field of the first problem', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...model, terms: [{ ...model.terms[0], weight: 'heavy' }] }));
    const e = thrown(() => readModel(file));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.code).toBe('model.invalid');
    expect(e.context.file).toBe(file);
    expect(e.message).toBe(messages.modelInvalid('terms.0.weight', 'Invalid input: expected number, received string', 1));
    expect(e.located).toContain(`${file}: model file field terms.0.weight`);
  });

  it('refuse a newer version, broken JSON and a missing file with their own codes', () => {
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ ...model, version: 2 }));
    expect(thrown(() => readModel(newer)).code).toBe('model.version');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": "vheat-energy-model",');
    expect(thrown(() => readModel(broken)).code).toBe('model.json');
    expect(thrown(() => readModel(join(dir, 'missing.json'))).code).toBe('model.read');
  });

  it('refuse to write an invalid model', () => {
    const e = thrown(() => writeModel(join(dir, 'x.json'), { ...model, intervalSeconds: -1 }));
    expect(e.code).toBe('model.invalid');
  });
});
