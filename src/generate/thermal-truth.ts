import type { Scenario } from './scenario.js';
import type { HostTopology } from './topology.js';

/**
 * The true thermal behaviour of the host: an RC network per socket with one node per physical
 * core and one for the package/heatsink. Core i has capacitance C (J/K), conductance G_ch to the
 * heatsink and G_cc to each neighbour core (cores in a row, as on a die); the heatsink has C_hs
 * and G_ha to ambient. Core-domain power heats its core; the rest of the package power
 * (uncore, static) heats the heatsink; DRAM power leaves the package.
 *
 * Integration: backward Euler with one Gauss–Seidel sweep per step, which is unconditionally
 * stable (each new temperature is a positive-weighted mean of its neighbours, its old value and
 * the heat input), so any tick length works. °C, W, s.
 */
export class ThermalNetwork {
  /** Core temperatures, °C, by global core index. */
  readonly cores: Float64Array;
  /** Heatsink (package) temperatures, °C, by socket. */
  readonly heatsinks: Float64Array;
  private readonly p: Scenario['thermal'];

  constructor(scenario: Scenario, private readonly topo: HostTopology) {
    this.p = scenario.thermal;
    this.cores = new Float64Array(topo.cores).fill(this.p.ambient_celsius);
    this.heatsinks = new Float64Array(topo.sockets).fill(this.p.ambient_celsius);
  }

  /** Advances `dt` s with core powers `coreW` (by global core) and heatsink powers `sinkW` (by socket). */
  step(dt: number, coreW: Float64Array, sinkW: Float64Array): void {
    const { core_capacitance_j_per_k: c, core_to_heatsink_w_per_k: gch, core_to_core_w_per_k: gcc,
      heatsink_capacitance_j_per_k: chs, heatsink_to_ambient_w_per_k: gha, ambient_celsius: amb } = this.p;
    const n = this.topo.coresPerSocket;
    const cdt = c / dt;
    for (let s = 0; s < this.topo.sockets; s++) {
      const hs = this.heatsinks[s]!;
      let sumCores = 0;
      for (let k = 0; k < n; k++) {
        const i = s * n + k;
        let num = cdt * this.cores[i]! + coreW[i]! + gch * hs;
        let den = cdt + gch;
        if (k > 0) {
          num += gcc * this.cores[i - 1]!;
          den += gcc;
        }
        if (k < n - 1) {
          num += gcc * this.cores[i + 1]!;
          den += gcc;
        }
        this.cores[i] = num / den;
        sumCores += this.cores[i]!;
      }
      const hdt = chs / dt;
      this.heatsinks[s] = (hdt * hs + sinkW[s]! + gch * sumCores + gha * amb) / (hdt + n * gch + gha);
    }
  }

  /** Settles to the steady state of constant powers (the host was idling before the recording). */
  settle(coreW: Float64Array, sinkW: Float64Array): void {
    for (let i = 0; i < 4000; i++) this.step(1e6, coreW, sinkW);
  }
}
