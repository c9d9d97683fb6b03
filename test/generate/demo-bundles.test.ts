import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTemp, type TempBundle } from '../helpers/generated.js';

const traces = resolve(dirname(fileURLToPath(import.meta.url)), '../../traces');
const made: TempBundle[] = [];
afterAll(() => made.forEach((b) => b.remove()));

describe.each(['demo-xen', 'demo-kvm'])('committed traces/%s', (name) => {
  it('is exactly what `vheat generate --scenario NAME` writes, and smaller than 4 MiB', async () => {
    const committed = join(traces, name);
    const files = readdirSync(committed).sort();
    const b = await generateTemp(name);
    made.push(b);
    expect(readdirSync(b.dir).sort()).toEqual(files);
    for (const f of files) {
      expect(readFileSync(join(b.dir, f)).equals(readFileSync(join(committed, f))), `${name}/${f} differs; regenerate with `
        + `vheat generate --scenario ${name} --out traces/${name}`).toBe(true);
    }
    const bytes = files.reduce((s, f) => s + statSync(join(committed, f)).size, 0);
    expect(bytes).toBeLessThan(4 * 2 ** 20);
  });
});
