import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Path of `test/fixtures/<parts…>`. */
export function fixturePath(...parts: string[]): string {
  return join(fixturesDir, ...parts);
}

/** Contents of a fixture as text. */
export function fixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
