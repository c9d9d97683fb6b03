import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { compile } from 'vega-lite';
import type { LoggerInterface } from 'vega';
import type { ChartOptions, VegaLiteSpec } from '../../src/charts/spec.js';
import { vegaLiteSchemaUrl } from '../../src/charts/spec.js';
import { stableJson } from '../../src/charts/stable-json.js';
import { themeNames } from '../../src/charts/themes.js';
import { validateJson, type JsonSchema } from '../helpers/json-schema.js';

const schemaPath = fileURLToPath(new URL('../../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { definitions: Record<string, JsonSchema> } & Record<string, unknown>;

/** Problems of `spec` against the vega-lite JSON schema shipped in the package (empty = valid). */
export function schemaErrors(spec: VegaLiteSpec): string[] {
  return validateJson(schema, schema as JsonSchema, JSON.parse(JSON.stringify(spec)));
}

/** Everything vega-lite logs while compiling `spec` (warnings, infos, errors). */
export function compileLog(spec: VegaLiteSpec): string[] {
  const log: string[] = [];
  const logger: LoggerInterface = {
    level: () => logger,
    error: (...a: unknown[]) => { log.push(`error: ${a.join(' ')}`); return logger; },
    warn: (...a: unknown[]) => { log.push(`warn: ${a.join(' ')}`); return logger; },
    info: (...a: unknown[]) => { log.push(`info: ${a.join(' ')}`); return logger; },
    debug: () => logger,
  };
  compile(spec, { logger });
  return log;
}

/** Golden text: sorted keys, numbers with more than 3 decimals cut to 3 (Plot's normalisation). */
export function goldenText(spec: VegaLiteSpec): string {
  return stableJson(spec).replace(/\d+\.\d{4,}/g, (d) => String(+(+d).toFixed(3)));
}

/**
 * The checks every chart builder passes, for each theme: it leaves its input as it was, writes
 * the v6 `$schema`, matches the JSON schema and compiles without a single warning.
 */
export function expectValidForEveryTheme<T>(build: (data: T, options?: ChartOptions) => VegaLiteSpec, input: T): void {
  for (const theme of themeNames) {
    const before = structuredClone(input);
    const spec = build(input, { theme });
    expect(input, 'the builder must not mutate its input').toEqual(before);
    expect(spec.$schema).toBe(vegaLiteSchemaUrl);
    expect(schemaErrors(spec), theme).toEqual([]);
    expect(compileLog(spec), theme).toEqual([]);
  }
}
