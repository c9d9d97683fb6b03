import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTemp, type TempBundle } from '../helpers/generated.js';

describe.each(['test-kvm', 'test-xen'])('%s is deterministic', (scenario) => {
  let a: TempBundle;
  let again: TempBundle;
  let other: TempBundle;
  beforeAll(async () => {
    a = await generateTemp(scenario);
    again = await generateTemp(scenario);
    other = await generateTemp(scenario, { seed: 12345 });
  });
  afterAll(() => [a, again, other].forEach((b) => b.remove()));

  it('writes byte-identical files for the same seed', () => {
    const names = a.result.files.map((f) => f.name);
    expect(again.result.files.map((f) => f.name)).toEqual(names);
    for (const name of names) {
      const same = readFileSync(join(a.dir, name)).equals(readFileSync(join(again.dir, name)));
      expect(same, name).toBe(true);
    }
  });

  it('writes different recordings for another seed', () => {
    expect(other.truth.seed).toBe(12345);
    const differing = a.result.files.filter((f) => !readFileSync(join(a.dir, f.name)).equals(readFileSync(join(other.dir, f.name))));
    // every file depends on the seed (bundle.json through each tool's start time)
    expect(differing.map((f) => f.name)).toEqual(a.result.files.map((f) => f.name));
  });
});
