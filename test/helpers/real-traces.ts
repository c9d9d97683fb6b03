import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/real-traces/` beside the project checkout. */
export const realTracesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/real-traces');

const present = existsSync(realTracesDir);
if (!present && process.env.CI) {
  throw new Error(`real traces are missing at ${realTracesDir}; CI must provide ../shared/real-traces/`);
}

/**
 * `describe`-level switch for tests on real recordings: they run whenever the folder exists,
 * and in CI its absence is an error (above) rather than a silent skip.
 */
export const hasRealTraces = present;
export const skipReason = `../shared/real-traces/ not found at ${realTracesDir} (CI unset)`;

/** Absolute path of a file under real-traces. */
export function realTrace(...parts: string[]): string {
  return join(realTracesDir, ...parts);
}
