import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type GenerateOptions, type GenerateResult } from '../../src/generate/generate.js';
import { parseBundle, parseOptionsFor, type Bundle } from '../../src/ingest/bundle.js';
import { formatByName } from '../../src/ingest/formats.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { vheatOrThrow } from './cli.js';

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

/** A store of two generated recordings, to check that a `--trace` selection names one of them. */
export interface TwoRecordingStore {
  /** Temporary folder holding both bundles and the store; free for a test's outputs. */
  root: string;
  db: string;
  /** The store's traces, in id order. */
  traces: { id: number; name: string; bundle: string }[];
  remove(): void;
}

/**
 * Generates bundles `demo-kvm` (scenario test-kvm) and `demo-xen` (test-xen), 2 s each, and
 * ingests both into one store file with the CLI.
 */
export async function twoRecordingStore(): Promise<TwoRecordingStore> {
  const root = mkdtempSync(join(tmpdir(), 'vheat-select-'));
  for (const [scenario, name] of [['test-kvm', 'demo-kvm'], ['test-xen', 'demo-xen']] as const) {
    await generate({ scenario, outDir: join(root, name), durationSeconds: 2 });
  }
  const db = join(root, 'store.duckdb');
  await vheatOrThrow('--db', db, 'ingest', join(root, 'demo-kvm'), join(root, 'demo-xen'));
  const info = JSON.parse((await vheatOrThrow('--db', db, '--json', 'info')).stdout) as { traces: TwoRecordingStore['traces'] };
  return { root, db, traces: info.traces.map(({ id, name, bundle }) => ({ id, name, bundle })),
    remove: () => rmSync(root, { recursive: true, force: true }) };
}
