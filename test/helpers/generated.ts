import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type GenerateOptions, type GenerateResult } from '../../src/generate/generate.js';
import { parseBundle, parseOptionsFor, type Bundle } from '../../src/ingest/bundle.js';
import { formatByName } from '../../src/ingest/formats.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';

/** A generated bundle in a fresh temporary folder. */
export interface TempBundle {
  dir: string;
  result: GenerateResult;
  bundle: Bundle;
  // truth.json is a plain JSON document; tests read the fields they check
  truth: any;
  remove(): void;
}

/** Generates `scenario` into a new temporary folder. */
export async function generateTemp(scenario: GenerateOptions['scenario'],
  options: Omit<GenerateOptions, 'scenario' | 'outDir'> = {}): Promise<TempBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'vheat-gen-'));
  const result = await generate({ scenario, outDir: dir, ...options });
  return {
    dir,
    result,
    bundle: parseBundle(JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'))),
    truth: JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Parses bundle file `name` with the parser bundle.json names, with the bundle's options (as ingest does). */
export function parseBundleFile(b: TempBundle, name: string): MemorySink {
  const spec = formatByName(b.bundle.files![name]!.format!);
  const bytes = readFileSync(join(b.dir, name));
  return parseString(spec, spec.input === 'bytes' ? new Uint8Array(bytes) : bytes.toString('utf8'),
    parseOptionsFor(b.bundle, name), name);
}
