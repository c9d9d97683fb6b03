import { describe, expect, it } from 'vitest';
import { vmEnergySpec } from '../../src/charts/vm-energy.js';
import { vmEnergySample } from './sample-data.js';
import { expectValidForEveryTheme, goldenText } from './check-spec.js';

describe('vm-energy chart', () => {
  it('matches its golden spec', async () => {
    await expect(goldenText(vmEnergySpec(vmEnergySample()))).toMatchFileSnapshot('golden/vm-energy.vl.json');
  });

  it('is schema-valid, warning-free and leaves its input alone in every theme', () => {
    expectValidForEveryTheme(vmEnergySpec, vmEnergySample());
  });

  it('labels each bar with its I/O-emulation share of the VM total', () => {
    const spec = vmEnergySpec(vmEnergySample()) as any;
    // web: 1300 / (5400 + 1300 + 2100) = 14.77 %; batch: 150 / 13450 = 1.115 %; db: 2600 / 12600 = 20.6 %
    expect(spec.layer[1].data.values).toEqual([
      { vm: 'batch', total: 13.45, label: 'I/O 1.1 %' },
      { vm: 'db', total: 12.6, label: 'I/O 21 %' },
      { vm: 'web', total: 8.8, label: 'I/O 15 %' },
    ]);
    expect(spec.layer[0].encoding.x.title).toBe('Energy (kJ)');
  });

  it('sums repeated (vm, component) rows and stacks static, dynamic, I/O in that order', () => {
    const spec = vmEnergySpec({
      rows: [
        { vm: 'vm10', component: 'dynamic', joules: 2 },
        { vm: 'vm2', component: 'io-emulation', joules: 1 },
        { vm: 'vm2', component: 'io-emulation', joules: 3 },
      ],
    }) as any;
    expect(spec.layer[0].data.values.map((r: any) => [r.vm, r.component, r.order, r.energy])).toEqual([
      ['vm2', 'Static/idle', 0, 0], ['vm2', 'Dynamic', 1, 0], ['vm2', 'I/O emulation', 2, 4],
      ['vm10', 'Static/idle', 0, 0], ['vm10', 'Dynamic', 1, 2], ['vm10', 'I/O emulation', 2, 0],
    ]);
    expect(spec.layer[1].data.values.map((r: any) => r.label)).toEqual(['I/O 100 %', 'I/O 0 %']);
  });

  it('refuses negative energy and unknown components', () => {
    expect(() => vmEnergySpec({ rows: [{ vm: 'a', component: 'dynamic', joules: -1 }] })).toThrow(/rows\.0\.joules/);
    expect(() => vmEnergySpec({ rows: [{ vm: 'a', component: 'gpu', joules: 1 }] } as never)).toThrow(/component/);
  });
});
