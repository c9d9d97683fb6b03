import { z } from 'zod';
import { naturalCompare } from '../util/natural-compare.js';
import {
  fitSize, niceDomain, parseInput, requireData, round, roundSig, siScale, specFrame, withUnit,
  xAxisAllowance, type ChartOptions, type VegaLiteSpec,
} from './spec.js';
import { okabeIto } from './themes.js';

/** The parts a VM's energy is split into, bottom of the stack first. */
export const vmEnergyComponents = ['static', 'dynamic', 'io-emulation'] as const;

/** Legend labels and colours of the components (grey for the share no policy can save). */
const componentStyle = {
  static: { label: 'Static/idle', color: '#BBBBBB' },
  dynamic: { label: 'Dynamic', color: okabeIto[0] },
  'io-emulation': { label: 'I/O emulation', color: okabeIto[1] },
} as const;

/** Input of a per-VM energy chart: rows of (VM, component, joules); repeated pairs are summed. */
export const vmEnergyInput = z.object({
  rows: z.array(z.object({
    vm: z.string().min(1),
    /** static (idle share), dynamic (its own execution) or io-emulation (attributed back from the I/O path). */
    component: z.enum(vmEnergyComponents),
    /** Energy, J (≥ 0). */
    joules: z.number().nonnegative(),
  })),
});

/** Typed input of `vmEnergySpec`. */
export type VmEnergyInput = z.infer<typeof vmEnergyInput>;

/**
 * Per-VM energy: one horizontal bar per VM (natural name order) stacking static/idle, dynamic
 * and I/O-emulation energy, in J with an SI prefix, with the I/O-emulation share of the VM's
 * total printed after each bar.
 */
export function vmEnergySpec(data: VmEnergyInput, options: ChartOptions = {}): VegaLiteSpec {
  const input = parseInput('vm-energy', vmEnergyInput, data);
  requireData('vm-energy', input.rows.length);
  const { theme, top } = specFrame('vm-energy', options);

  // 1. sum per (vm, component)
  const totals = new Map<string, Record<(typeof vmEnergyComponents)[number], number>>();
  for (const r of input.rows) {
    const perVm = totals.get(r.vm) ?? { static: 0, dynamic: 0, 'io-emulation': 0 };
    perVm[r.component] += r.joules;
    totals.set(r.vm, perVm);
  }
  const vms = [...totals.keys()].sort(naturalCompare);
  const vmTotal = (vm: string) => vmEnergyComponents.reduce((s, c) => s + totals.get(vm)![c], 0);
  const maxTotal = Math.max(...vms.map(vmTotal));
  const { factor, unit } = siScale(maxTotal, 'J');

  // 2. rows in stack order, and one share label per VM
  const bars = vms.flatMap((vm) => vmEnergyComponents.map((c, order) => ({
    vm, component: componentStyle[c].label, order, energy: roundSig(totals.get(vm)![c] * factor, 4),
  })));
  const shares = vms.map((vm) => {
    const total = vmTotal(vm);
    const share = total > 0 ? (100 * totals.get(vm)!['io-emulation']) / total : 0;
    return { vm, total: roundSig(total * factor, 4), label: `I/O ${round(share, share < 10 ? 1 : 0)} %` };
  });

  // 3. leave room right of the longest bar for its share label
  const domain = niceDomain(0, maxTotal * factor * 1.25).domain;
  const y = { field: 'vm', type: 'nominal' as const, sort: vms, title: 'VM', axis: { grid: false } };
  const xScale = { domain, nice: false };
  const rowHeight = theme.labelSize * 2.2;
  return {
    ...top,
    ...fitSize(theme, vms.length * rowHeight + xAxisAllowance(theme) + theme.titleSize * 2.5),
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: 'energy', type: 'quantitative', stack: 'zero', scale: xScale, title: withUnit('Energy', unit) },
          color: {
            field: 'component', type: 'nominal', title: null,
            scale: {
              domain: vmEnergyComponents.map((c) => componentStyle[c].label),
              range: vmEnergyComponents.map((c) => componentStyle[c].color),
            },
          },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        data: { values: shares },
        mark: { type: 'text', align: 'left', dx: theme.labelSize * 0.4 },
        encoding: {
          y,
          x: { field: 'total', type: 'quantitative', scale: xScale },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  };
}
