import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attribute } from '../../src/attribute/attribute.js';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/model-traces.js';
import { miniBundle, miniModel } from '../helpers/replay-store.js';

describe('attribute', () => {
  it('lists VMs and vCPUs in natural name order (vm2 before vm10), whatever the locale', async () => {
    // the mini recording (see its README) with vm1 renamed vm10: the code-unit and locale orders put vm10 first
    const dir = join(tempDir(), 'mini');
    cpSync(miniBundle, dir, { recursive: true });
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    bundle.vms[0].name = 'vm10';
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
    const store = await openStore(':memory:');
    await ingest(store, [dir]);
    const r = await attribute(store, { traces: ['*'], models: [miniModel], write: false });
    store.close();
    expect(r.vms.map((v) => v.vm)).toEqual(['vm2', 'vm10']);
    // per vCPU: run seconds from sched.txt, joules = 1 nJ × its instructions in threads.csv
    expect(r.virtual_counters.map((v) => [v.vcpu, v.runSeconds, +v.joules.toFixed(9)])).toEqual([
      ['vm2/vcpu0', 3, 2.5], ['vm10/vcpu0', 2, 3], ['vm10/vcpu1', 3.5, 3.5],
    ]);
  });
});
