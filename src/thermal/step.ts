import { zohDiscretise } from './expm.js';
import { buildRcNetwork, steadyState, type Neighbours, type RcNetwork, type ThermalParams } from './rc-network.js';

/**
 * One package's RC network discretised exactly for a fixed tick: T' = Φ·T + Γ·P + γ with P the
 * power per node (cores, then heatsink) held over the tick.
 */
export interface DiscreteNetwork {
  nodes: number;
  /** Tick length, s. */
  dtSeconds: number;
  /** e^{A·dt}, nodes × nodes row-major. */
  phi: Float64Array;
  /** ∫₀^dt e^{Aτ}dτ · B, nodes × nodes row-major, K/W. */
  gamma: Float64Array;
  /** ∫₀^dt e^{Aτ}dτ · c, K per node: the ambient's pull over one tick. */
  offset: Float64Array;
}

/**
 * Discretises `net` for ticks of `dtSeconds` (zero-order hold, exact; any tick length is stable
 * because Φ = e^{A·dt} has spectral radius < 1 whenever the heatsink has a path to ambient).
 * The powers and the constant ambient term are the inputs of one augmented exponential.
 */
export function discretise(net: RcNetwork, dtSeconds: number): DiscreteNetwork {
  const n = net.nodes;
  const m = n + 1;
  const w = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    w[i * m + i] = net.invCapacitance[i]!;
    w[i * m + n] = net.c[i]!;
  }
  const { phi, gamma: g } = zohDiscretise(net.a, w, n, m, dtSeconds);
  const gamma = new Float64Array(n * n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) gamma[i * n + j] = g[i * m + j]!;
    offset[i] = g[i * m + n]!;
  }
  return { nodes: n, dtSeconds, phi, gamma, offset };
}

/** Host layout for a stepper: packages of equal core count, cores numbered package-major. */
export interface ThermalLayout {
  packages: number;
  coresPerPackage: number;
  /** Touching cores within a package; defaults to a row (k ↔ k+1). */
  neighbours?: Neighbours;
}

/**
 * Advances core and heatsink temperatures one fixed tick at a time. Every package shares one
 * precomputed discretisation; `step` allocates nothing, so it can run in the replay's hot loop.
 *
 * @example
 * const s = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: 4 }, 0.01);
 * s.step(coreWatts, heatsinkWatts); // s.coreCelsius now holds the temperatures 10 ms later
 */
export class ThermalStepper {
  /** Core temperatures, °C, index package × coresPerPackage + core. Starts at ambient. */
  readonly coreCelsius: Float64Array;
  /** Heatsink temperatures, °C, by package. Starts at ambient. */
  readonly heatsinkCelsius: Float64Array;
  readonly model: DiscreteNetwork;
  readonly #net: RcNetwork;
  readonly #n: number;
  readonly #x: Float64Array;
  readonly #u: Float64Array;
  /** The new temperatures of one package, written back once every row is summed. */
  readonly #next: Float64Array;

  constructor(params: ThermalParams, readonly layout: ThermalLayout, dtSeconds: number) {
    const n = layout.coresPerPackage;
    this.#n = n;
    this.#net = buildRcNetwork(params, n, layout.neighbours);
    this.model = discretise(this.#net, dtSeconds);
    this.coreCelsius = new Float64Array(layout.packages * n).fill(params.ambientCelsius);
    this.heatsinkCelsius = new Float64Array(layout.packages).fill(params.ambientCelsius);
    this.#x = new Float64Array(n + 1);
    this.#u = new Float64Array(n + 1);
    this.#next = new Float64Array(n + 1);
  }

  /** Sets every package to its steady state under constant powers (indexed as in `step`). */
  settle(coreWatts: ArrayLike<number>, heatsinkWatts: ArrayLike<number>): void {
    const n = this.#n;
    for (let p = 0; p < this.layout.packages; p++) {
      const watts = new Float64Array(n + 1);
      for (let k = 0; k < n; k++) watts[k] = coreWatts[p * n + k]!;
      watts[n] = heatsinkWatts[p]!;
      const t = steadyState(this.#net, watts);
      this.coreCelsius.set(t.subarray(0, n), p * n);
      this.heatsinkCelsius[p] = t[n]!;
    }
  }

  /**
   * Advances one tick with `coreWatts` (W per core, same indexing as `coreCelsius`) and
   * `heatsinkWatts` (W per package: uncore and static power that heats the package as a whole)
   * held constant over it.
   */
  step(coreWatts: ArrayLike<number>, heatsinkWatts: ArrayLike<number>): void {
    const n = this.#n;
    const nodes = n + 1;
    const { phi, gamma, offset } = this.model;
    const x = this.#x;
    const u = this.#u;
    const next = this.#next;
    const cores = this.coreCelsius;
    for (let p = 0; p < this.layout.packages; p++) {
      const base = p * n;
      for (let k = 0; k < n; k++) {
        x[k] = cores[base + k]!;
        u[k] = coreWatts[base + k]!;
      }
      x[n] = this.heatsinkCelsius[p]!;
      u[n] = heatsinkWatts[p]!;
      // Four rows at a time share each load of x and u and overlap their additions; each row still
      // sums offset, then j = 0, 1, … in order, so the result is bit for bit the plain row loop's.
      let i = 0;
      for (; i + 4 <= nodes; i += 4) {
        const r0 = i * nodes;
        const r1 = r0 + nodes;
        const r2 = r1 + nodes;
        const r3 = r2 + nodes;
        let t0 = offset[i]!;
        let t1 = offset[i + 1]!;
        let t2 = offset[i + 2]!;
        let t3 = offset[i + 3]!;
        for (let j = 0; j < nodes; j++) {
          const xj = x[j]!;
          const uj = u[j]!;
          t0 += phi[r0 + j]! * xj + gamma[r0 + j]! * uj;
          t1 += phi[r1 + j]! * xj + gamma[r1 + j]! * uj;
          t2 += phi[r2 + j]! * xj + gamma[r2 + j]! * uj;
          t3 += phi[r3 + j]! * xj + gamma[r3 + j]! * uj;
        }
        next[i] = t0;
        next[i + 1] = t1;
        next[i + 2] = t2;
        next[i + 3] = t3;
      }
      for (; i < nodes; i++) {
        const row = i * nodes;
        let t = offset[i]!;
        for (let j = 0; j < nodes; j++) t += phi[row + j]! * x[j]! + gamma[row + j]! * u[j]!;
        next[i] = t;
      }
      for (let k = 0; k < n; k++) cores[base + k] = next[k]!;
      this.heatsinkCelsius[p] = next[n]!;
    }
  }
}
