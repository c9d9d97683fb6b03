import type { PackageSeries } from './fit-series.js';
import { advanceModal, modalForm, modalInput, modalToNodes } from './modal.js';
import { buildRcNetwork, type Neighbours, type ThermalParams } from './rc-network.js';

/**
 * Where a prediction starts: `steady`, the steady state of the first interval's power; or
 * `fitted`, that plus one offset on every node (°C) chosen by least squares against the package's
 * readings. A recording that begins just after a load change (a benchmark started with the
 * recorder) is far from that steady state, and the heatsink takes minutes to forget it; a
 * uniform offset is its slow mode to first order. One parameter per package, so it costs the
 * fit nothing noticeable in degrees of freedom.
 */
export type SeriesStart = 'steady' | 'fitted';

/** Model core temperatures and the node temperatures (cores, then heatsink; °C) it started from. */
export interface PredictedSeries {
  /** °C at the end of every interval, intervals × cores. */
  celsius: Float64Array;
  /** °C of every node at the first interval's start. */
  start: Float64Array;
}

/**
 * Model temperatures of every core at the end of every interval of `pkg` (°C, intervals × cores).
 * Each interval is advanced exactly for its own length in modal coordinates; a gap before an
 * interval is run with that interval's power. `start` defaults to `steady`.
 */
export function predictSeries(params: ThermalParams, pkg: PackageSeries, neighbours?: Neighbours, start: SeriesStart = 'steady'): Float64Array {
  return predictSeriesFrom(params, pkg, neighbours, start).celsius;
}

/** `predictSeries`, also returning the start it used (the recorded-power replay starts there). */
export function predictSeriesFrom(params: ThermalParams, pkg: PackageSeries, neighbours?: Neighbours,
  start: SeriesStart = 'steady'): PredictedSeries {
  const n = pkg.cores.length;
  const nodes = n + 1;
  const net = buildRcNetwork(params, n, neighbours);
  const modal = modalForm(net);
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
  // The response to a unit offset on every node, z₁ = Qᵀ·C^½·1 = fromWatts·C·1, decaying with no input.
  const fitted = start === 'fitted';
  const unit = fitted ? new Float64Array(intervals * n) : null;
  const z1 = new Float64Array(nodes);
  if (fitted) {
    for (let k = 0; k < nodes; k++) {
      for (let i = 0; i < nodes; i++) z1[k]! += modal.fromWatts[k * nodes + i]! / net.invCapacitance[i]!;
    }
  }
  const none = new Float64Array(nodes);
  for (let k = 0; k < intervals; k++) {
    const dt = pkg.t1[k]! - (k === 0 ? pkg.t0[0]! : pkg.t1[k - 1]!);
    advanceModal(modal, z, input(k), dt);
    out.set(modalToNodes(modal, z, temps).subarray(0, n), k * n);
    if (unit) {
      advanceModal(modal, z1, none, dt);
      unit.set(modalToNodes(modal, z1, temps).subarray(0, n), k * n);
    }
  }
  let offset = 0;
  if (unit) {
    let num = 0;
    let den = 0;
    for (let j = 0; j < out.length; j++) {
      const obs = pkg.celsius[j]!;
      if (Number.isNaN(obs)) continue;
      num += (obs - out[j]!) * unit[j]!;
      den += unit[j]! * unit[j]!;
    }
    offset = den > 0 ? num / den : 0;
    for (let j = 0; j < out.length; j++) out[j]! += offset * unit[j]!;
  }
  // Node temperatures at the start: steady state plus the offset on every node.
  const steady = modalToNodes(modal, input(0).map((vk, k) => -vk / modal.lambda[k]!), new Float64Array(nodes));
  for (let i = 0; i < nodes; i++) steady[i]! += offset;
  return { celsius: out, start: steady };
}
