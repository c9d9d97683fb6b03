import type { PackageSeries } from './fit-series.js';
import { advanceModal, modalForm, modalInput, modalToNodes } from './modal.js';
import { buildRcNetwork, type Neighbours, type ThermalParams } from './rc-network.js';

/**
 * Model temperatures of every core at the end of every interval of `pkg` (°C, intervals × cores),
 * starting from the steady state of the first interval's power. Each interval is advanced
 * exactly for its own length in modal coordinates; a gap before an interval is run with that
 * interval's power.
 */
export function predictSeries(params: ThermalParams, pkg: PackageSeries, neighbours?: Neighbours): Float64Array {
  const n = pkg.cores.length;
  const nodes = n + 1;
  const modal = modalForm(buildRcNetwork(params, n, neighbours));
  const intervals = pkg.t1.length;
  const out = new Float64Array(intervals * n);
  const watts = new Float64Array(nodes);
  const v = new Float64Array(nodes);
  const temps = new Float64Array(nodes);
  const input = (k: number): Float64Array => {
    for (let i = 0; i < n; i++) watts[i] = pkg.coreWatts[k * n + i]!;
    watts[n] = pkg.heatsinkWatts[k]!;
    return modalInput(modal, watts, v);
  };
  // Steady state of the first interval: ż = 0 ⇒ z = −v/λ.
  const z = input(0).map((vk, k) => -vk / modal.lambda[k]!);
  for (let k = 0; k < intervals; k++) {
    advanceModal(modal, z, input(k), pkg.t1[k]! - (k === 0 ? pkg.t0[0]! : pkg.t1[k - 1]!));
    out.set(modalToNodes(modal, z, temps).subarray(0, n), k * n);
  }
  return out;
}
